"""Extension points that let the apps above `cases` contribute to a case without `cases`
importing them (DESIGN.md, rule 1). Each app registers in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime | date
    kind: str  # a short translated label, e.g. "Interview"
    title: str
    detail: str = ""
    url: str = ""
    # The permission following `url` needs: without it the event is shown without its link,
    # so no page offers a link its user may not follow.
    perm: str = ""


@dataclass(frozen=True)
class Section:
    """A block on the case page: a template and its context."""

    order: int
    template: str
    context: dict = field(default_factory=dict)


_timeline_providers: list[Callable] = []
_section_providers: list[Callable] = []
_derived_providers: list[Callable] = []
_prefetches: list[str] = []
_derived_prefetches: list[str] = []
_worklist_annotations: dict[str, Callable] = {}
_deadline_labels: dict[str, str] = {}
_phase_rules: list[Callable] = []


def register_timeline(provider: Callable) -> Callable:
    """provider(case) -> iterable of TimelineEvent."""
    if provider not in _timeline_providers:
        _timeline_providers.append(provider)
    return provider


def register_section(provider: Callable) -> Callable:
    """provider(case, *, user, today) -> Section | None."""
    if provider not in _section_providers:
        _section_providers.append(provider)
    return provider


def register_derived(provider: Callable, *, prefetch: tuple[str, ...] = ()) -> Callable:
    """provider(case, *, today) -> dict of derived Case fields (term_ends_on, ...). `prefetch`
    names the relations it reads with .all(), for callers that refresh many cases at once."""
    if provider not in _derived_providers:
        _derived_providers.append(provider)
    for lookup in prefetch:
        if lookup not in _derived_prefetches:
            _derived_prefetches.append(lookup)
    return provider


def register_worklist_annotation(name: str, factory: Callable) -> Callable:
    """factory(today) -> a query expression over Case (a correlated subquery), annotated as
    `name` on the worklist's rows: one column more in the one query, whatever the rows."""
    _worklist_annotations[name] = factory
    return factory


def worklist_annotations(today) -> dict:
    return {name: factory(today) for name, factory in _worklist_annotations.items()}


def register_deadline_labels(labels: dict) -> None:
    """rule -> label (lazy) of the stored most urgent deadline (Case.next_deadline_rule)."""
    _deadline_labels.update(labels)


def deadline_label(rule: str) -> str:
    return str(_deadline_labels.get(rule, rule))


def register_phase_rule(rule: Callable) -> Callable:
    """rule(case, *, today) -> an object with `phase` and `reason`: the phase the case's facts
    put it in (one rule; the app that holds the measures provides it)."""
    if rule not in _phase_rules:
        _phase_rules.append(rule)
    return rule


def phase_verdict(case, *, today):
    """What the registered phase rule says of the case, or None without a rule."""
    return _phase_rules[-1](case, today=today) if _phase_rules else None


def register_prefetch(*lookups) -> None:
    """Relations the providers read with .all(): the case page prefetches them once, so a
    relation two providers read costs one query, not one per provider."""
    for lookup in lookups:
        if lookup not in _prefetches:
            _prefetches.append(lookup)


def prefetch(case) -> None:
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([case], *_prefetches)


def derived_prefetch_lookups() -> tuple[str, ...]:
    return tuple(_derived_prefetches)


def prefetch_for_derived(cases) -> None:
    """What the derived-field providers read, for a batch of cases (the sweep): one query
    per relation for all of them."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(list(cases), *_derived_prefetches)


def _sort_key(event: TimelineEvent):
    at = event.at
    if isinstance(at, datetime):
        return (at.date(), at.time())
    return (at, datetime.min.time())


def timeline(case, *, user=None) -> list[TimelineEvent]:
    events = [
        _linked_for(event, user) for provider in _timeline_providers for event in provider(case)
    ]
    events.sort(key=_sort_key, reverse=True)
    return events


def _linked_for(event: TimelineEvent, user) -> TimelineEvent:
    if event.url and event.perm and user is not None and not user.has_perm(event.perm):
        return replace(event, url="")
    return event


def sections(case, *, user, today) -> list[Section]:
    found = [provider(case, user=user, today=today) for provider in _section_providers]
    return sorted((section for section in found if section is not None), key=lambda s: s.order)


def derived_fields(case, *, today) -> dict:
    values: dict = {}
    for provider in _derived_providers:
        values.update(provider(case, today=today))
    return values


# ---- transfers between teams --------------------------------------------------------------

_transfer_hooks: list[Callable] = []
_transfer_labels: dict[str, str] = {}


def register_transfer_hook(hook: Callable, *, labels: dict | None = None) -> Callable:
    """hook(case, *, transfer, actor) -> dict of {kind: count} that moved (or was let go) with
    the case. Called inside the acceptance's transaction, after the case has its new team,
    officer and municipality: an app above cases moves its own rows of the case there (the
    interviews app its planned interviews, partners its agenda places)."""
    if hook not in _transfer_hooks:
        _transfer_hooks.append(hook)
    register_transfer_labels(labels or {})
    return hook


def register_transfer_labels(labels: dict) -> None:
    """kind -> label (lazy, with %(count)d) of what a transfer moved, for the handover page."""
    _transfer_labels.update(labels)


def transfer_moved_lines(moved: dict) -> list[str]:
    """What a transfer moved (CaseTransfer.moved), as lines to show; nothing for a 0."""
    lines = []
    for kind, count in (moved or {}).items():
        if count:
            label = _transfer_labels.get(kind)
            lines.append(str(label) % {"count": count} if label else f"{kind}: {count}")
    return lines


def move_with_transfer(case, *, transfer, actor) -> dict:
    moved: dict = {}
    for hook in _transfer_hooks:
        moved.update(hook(case, transfer=transfer, actor=actor) or {})
    return moved
