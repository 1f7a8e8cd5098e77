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


# Records of higher apps a document can be uploaded from (an interview, a travel-document
# request): kind -> Source. The app registers how to find the record on a case and how to
# link the new document to it (a many-to-many on its own model).
class Source:
    def __init__(self, kind, *, label, find, attach, url):
        self.kind = kind
        self.label = label  # callable(obj) -> str, shown on the upload form
        self.find = find  # callable(case, pk) -> obj | None
        self.attach = attach  # callable(obj, document) -> None, inside the upload's transaction
        self.url = url  # callable(obj) -> where to go back to


_sources: dict[str, Source] = {}


def register_source(kind: str, *, label, find, attach, url) -> None:
    _sources[kind] = Source(kind, label=label, find=find, attach=attach, url=url)


def resolve_source(case, value: str):
    """ "interview:12" -> (Source, the interview of this case) or None (unknown, another case's,
    or not a number: the upload then links to nothing)."""
    kind, _sep, pk = (value or "").partition(":")
    source = _sources.get(kind)
    if source is None or not pk.isdigit():
        return None
    obj = source.find(case, int(pk))
    return (source, obj) if obj is not None else None
