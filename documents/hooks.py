"""Extension points that let the apps above `documents` decide about documents without this
app importing them (DESIGN.md, rule 1). Each app registers in its AppConfig.ready()."""

from collections.abc import Callable

_partner_sharing: list[Callable] = []


def register_partner_sharing(provider: Callable) -> Callable:
    """provider(user, *, now) -> a query of Document primary keys (a `values("...")` queryset)
    that the partner participant may see now. The partners app provides it: a document an
    officer shared with an agenda item, while the partner's access to that item lasts."""
    if provider not in _partner_sharing:
        _partner_sharing.append(provider)
    return provider


def shared_with_partner(user, *, now):
    """The document keys the registered rule lets this partner see, or None without a rule."""
    return _partner_sharing[-1](user, now=now) if _partner_sharing else None
