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
_presence: dict[str, Callable] = {}


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


# The annotations of presence_annotations(): `page_has_<name>`.
PRESENCE_PREFIX = "page_has_"


def register_presence(name: str, factory: Callable | None = None) -> None:
    """factory() -> a boolean expression over Case (an Exists subquery): whether the case has
    rows that a provider reads under `name` (the provider asks `has_rows(case, name)`). No
    factory: `name` is a reverse relation of Case, checked as such. The first level of every
    registered prefetch is checked without registering it."""
    _presence[name] = factory


def _exists_in(name: str):
    from django.db.models import Exists, OuterRef

    relation = _reverse_relation(name)
    if relation is None:
        raise ValueError(f"{name!r} is not a reverse relation of Case")
    # The base manager: rows a default manager would hide still count (a query then finds
    # nothing, as before); "no rows" is never said of a relation that has some.
    rows = relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
    return Exists(rows)


def _reverse_relation(name: str):
    from django.core.exceptions import FieldDoesNotExist

    from cases.models import Case

    try:
        relation = Case._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if (
        relation.auto_created
        and not relation.concrete
        and (relation.one_to_many or relation.one_to_one)
    ):
        return relation
    return None


def _first_level(lookup) -> str:
    through = getattr(lookup, "prefetch_through", lookup)
    return through.split("__", 1)[0]


def _presence_expressions() -> dict:
    expressions = {}
    for lookup in _prefetches:
        name = _first_level(lookup)
        if _reverse_relation(name) is not None:
            expressions[PRESENCE_PREFIX + name] = _exists_in(name)
    for name, factory in _presence.items():
        expressions[PRESENCE_PREFIX + name] = factory() if factory else _exists_in(name)
    return expressions


# database alias -> {annotation: (sql, params)}: the presence checks as Django compiled them.
_presence_sql: dict[str, dict] = {}


def _compiled_presence(using: str) -> dict:
    """The presence checks compiled once per process and database: they depend on nothing
    of the request (the case is the outer row), and compiling some twenty subqueries anew
    for every page would cost more than the queries they save."""
    compiled = _presence_sql.get(using)
    if compiled is None:
        from cases.models import Case

        query = Case._base_manager.annotate(**_presence_expressions()).query
        compiler = query.get_compiler(using=using)
        compiler.setup_query()
        compiled = {
            name: compiler.compile(expression) for name, expression in query.annotations.items()
        }
        _presence_sql[using] = compiled
    return compiled


def presence_annotations(using: str = "default") -> dict:
    """Annotations for the case page's one query of its case (a query whose base table is
    the case table): for every relation the page's providers read, whether the case has
    any row in it. A relation without rows then costs no query of its own (most cases have
    no departure, letters, transfer, ...); the page's queries stay bounded by the number of
    relations, whatever the number of rows."""
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    # RawSQL of what Django itself compiled from the expressions: nothing of the request.
    return {
        name: RawSQL(sql, params, output_field=BooleanField())  # noqa: S611
        for name, (sql, params) in _compiled_presence(using).items()
    }


def has_rows(case, name: str) -> bool:
    """False only when the case was read with presence_annotations() and has no rows under
    `name`; True otherwise (a caller that did not ask reads the relation as before)."""
    return getattr(case, PRESENCE_PREFIX + name, True) is not False


def _mark_empty(case, name: str) -> None:
    """Record on the case that a relation has no rows, as prefetch_related_objects() records
    an empty result, so that `.all()` (or the reverse one-to-one) answers without a query."""
    relation = _reverse_relation(name)
    if relation is None:
        return
    if relation.one_to_one:
        relation.set_cached_value(case, None)
        return
    # An empty queryset of the related model: `.all()` answers [] and a `.filter()` on it
    # stays empty without a query, as it would find nothing in the database either.
    queryset = relation.related_model._default_manager.none()
    queryset._result_cache = []
    queryset._prefetch_done = True
    case._prefetched_objects_cache[name] = queryset


def prefetch(case) -> None:
    """Everything the providers read with .all(), in one query per relation; a relation that
    presence_annotations() found empty is marked empty without a query."""
    from django.db.models import prefetch_related_objects

    if not hasattr(case, "_prefetched_objects_cache"):
        case._prefetched_objects_cache = {}
    lookups = []
    for lookup in _prefetches:
        name = _first_level(lookup)
        if has_rows(case, name) or getattr(lookup, "to_attr", None):
            lookups.append(lookup)
        else:
            _mark_empty(case, name)
    prefetch_related_objects([case], *lookups)


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
