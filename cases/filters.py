import django_filters
from django import forms
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases import access, reference
from cases.models import Case, Obstacle, normalise_name
from directory.models import Municipality
from dtv import rules
from dtv.accounts.models import Team, User
from dtv.cache import generation as cache_generation
from dtv.widgets import LargeSelect

# Sortable columns: the public name in the URL and the ORM ordering it stands for.
SORTS = {
    "reference": ("reference",),
    "name": ("person__family_name", "person__given_names"),
    "phase": ("phase",),
    "term": ("term_ends_on",),
    "interview": ("next_interview_due_on",),
    "deadline": ("next_deadline_on",),
    "opened": ("opened_on",),
    "officer": ("officer__last_name",),
}
DEFAULT_SORT = ("-opened_on", "reference")


def apply_sort(queryset, sort: str):
    descending = sort.startswith("-")
    fields = SORTS.get(sort.lstrip("-"))
    if not fields:
        return queryset.order_by(*DEFAULT_SORT)
    # Nulls (no deadline) last in either direction; the reference breaks ties stably.
    expressions = [
        F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        for name in fields
    ]
    return queryset.order_by(*expressions, "reference")


def search_cases(queryset, text: str):
    """V-number (exact or prefix) when the text is digits; otherwise the name, accent- and
    case-insensitive, with misspellings found by trigram similarity on PostgreSQL."""
    text = (text or "").strip()[:100]
    if not text:
        return queryset
    if text.isdigit():
        return queryset.filter(person__v_nummer__startswith=text)
    folded = normalise_name(text)
    if not folded:
        return queryset.none()
    if connection.vendor == "postgresql":
        # `%>` (word similarity above pg_trgm.word_similarity_threshold, set per connection in
        # settings) and LIKE both use the trigram index person_search_name_trgm; a
        # word_similarity() >= x comparison would compute the function for every person.
        return queryset.filter(
            Q(person__search_name__contains=folded)
            | Q(person__search_name__trigram_word_similar=folded)
        )
    words = folded.split()
    condition = Q()
    for word in words:
        condition &= Q(person__search_name__contains=word)
    return queryset.filter(condition)


MUNICIPALITY_CHOICES_KEY = "cases:municipality-choices"
MUNICIPALITY_CHOICES_SECONDS = 300


def municipality_choices():
    """(id, name) of the 342 municipalities, kept for five minutes per process: the list
    changes once a year (municipal mergers on 1 January) and was a query on every case list.
    Saving or deleting a municipality clears it in the process that did so (partners.apps)."""
    choices = cache.get(MUNICIPALITY_CHOICES_KEY)
    if choices is None:
        choices = [(str(pk), name) for pk, name in Municipality.objects.values_list("pk", "name")]
        cache.set(MUNICIPALITY_CHOICES_KEY, choices, MUNICIPALITY_CHOICES_SECONDS)
    return choices


# The generation (dtv/cache.py) of what the filter form shows besides the request's own
# values: the officers, the teams and the municipalities. A change to any of them bumps it
# (cases.apps), in the cache every process shares.
FILTER_GENERATION = "cases:filter"
FILTER_CACHE_SECONDS = 300


def officer_choices(officers) -> list[tuple[str, str]]:
    """(id, name) pairs for the officer filter: the names as User.__str__ writes them, without
    building a model instance per officer (an auditor's filter lists every officer)."""
    rows = officers.order_by("last_name", "first_name", "username").values_list(
        "pk", "first_name", "last_name", "username"
    )
    return [(str(pk), f"{first} {last}".strip() or username) for pk, first, last, username in rows]


def filter_scope(user) -> str:
    """Whose officers the filter lists: a team's ("team-<id>") or every officer ("all", an
    auditor or a user without a team). Part of the cache keys of the filter form."""
    if user is not None and user.team_id and not access.reads_every_case(user):
        return f"team-{user.team_id}"
    return "all"


def cached_officer_choices(user) -> list[tuple[str, str]]:
    """officer_choices of the user's scope, kept in the shared cache until an officer or a
    team changes (or five minutes): it was a query on every case list."""
    key = f"cases:officer-choices:{filter_scope(user)}:{cache_generation(FILTER_GENERATION)}"
    choices = cache.get(key)
    if choices is None:
        officers = User.objects.officers()
        if filter_scope(user) != "all":
            officers = officers.filter(team=user.team_id)
        choices = officer_choices(officers)
        cache.set(key, choices, FILTER_CACHE_SECONDS)
    return choices


def team_officer_choices(team_id) -> list[tuple[str, str]]:
    """officer_choices of one team (of the officers without a team for None), for the forms
    that assign a case to an officer of its team; kept like cached_officer_choices."""
    key = f"cases:team-officers:{team_id}:{cache_generation(FILTER_GENERATION)}"
    choices = cache.get(key)
    if choices is None:
        choices = officer_choices(User.objects.officers().filter(team=team_id))
        cache.set(key, choices, FILTER_CACHE_SECONDS)
    return choices


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or V-number"), "type": "search"}),
    )
    phase = django_filters.MultipleChoiceFilter(label=_("Phase"), choices=Case.Phase.choices)
    # Choices set per filter (the user's team, or every officer for an auditor) in __init__.
    officer = django_filters.ChoiceFilter(label=_("Officer"), field_name="officer", choices=[])
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all())
    # Plain (id, name) pairs: 342 municipalities as model instances on every list page cost
    # more than the rest of the filter together.
    municipality = django_filters.ChoiceFilter(
        label=_("Municipality"),
        field_name="municipality",
        choices=municipality_choices,
        widget=LargeSelect,
    )
    nationality = django_filters.ChoiceFilter(
        label=_("Nationality"),
        choices=reference.country_choices,
        method="filter_nationality",
        widget=LargeSelect,
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Case.Category.choices)
    open_obstacles = django_filters.BooleanFilter(
        label=_("Open obstacles"),
        method="filter_open_obstacles",
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    flag = django_filters.ChoiceFilter(
        label=_("Flag"),
        method="filter_flag",
        choices=[
            ("unaccompanied_minor", _("Unaccompanied minor")),
            ("medical_flag", _("Medical circumstances")),
            ("trafficking_signal", _("Trafficking signal")),
            ("needs_interpreter", _("Needs an interpreter")),
        ],
    )
    old_obstacles = django_filters.BooleanFilter(
        label=format_lazy(
            _("Obstacle open over {period}"), period=rules.label_lazy("obstacle_long_open_weeks")
        ),
        method="filter_old_obstacles",
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    deadline = django_filters.ChoiceFilter(
        label=_("Deadline"),
        method="filter_deadline",
        choices=[
            ("term_lapsed", _("Departure term lapsed")),
            (
                "term_14",
                format_lazy(
                    _("Departure term ends within {period}"),
                    period=rules.label_lazy("term_ending_soon_days"),
                ),
            ),
            ("interview_overdue", _("Interview overdue")),
        ],
    )
    opened_after = django_filters.DateFilter(
        label=_("Opened from"),
        field_name="opened_on",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    opened_before = django_filters.DateFilter(
        label=_("Opened until"),
        field_name="opened_on",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        method="filter_status",
        choices=[("open", _("Open cases")), ("closed", _("Closed cases"))],
        empty_label=_("All cases"),
    )

    class Meta:
        model = Case
        fields = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = filter_scope(user)
        if self.scope != "all":
            del self.filters["team"]
        self.filters["officer"].extra["choices"] = cached_officer_choices(user)

    def filter_search(self, queryset, name, value):
        return search_cases(queryset, value)

    def filter_nationality(self, queryset, name, value):
        return queryset.filter(person__nationalities__country=value).distinct()

    def filter_open_obstacles(self, queryset, name, value):
        open_obstacle = Obstacle.objects.filter(
            case=OuterRef("pk"), status__in=Obstacle.OPEN_STATUSES
        )
        return (
            queryset.filter(Exists(open_obstacle))
            if value
            else queryset.exclude(Exists(open_obstacle))
        )

    def filter_old_obstacles(self, queryset, name, value):
        old = Obstacle.objects.filter(
            case=OuterRef("pk"),
            status__in=Obstacle.OPEN_STATUSES,
            identified_on__lt=Obstacle.long_open_before(timezone.localdate()),
        )
        return queryset.filter(Exists(old)) if value else queryset.exclude(Exists(old))

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{f"person__{value}": True})

    def filter_deadline(self, queryset, name, value):
        today = timezone.localdate()
        if value == "term_lapsed":
            return queryset.term_lapsed(today=today)
        if value == "term_14":
            return queryset.term_ending_within(rules.value("term_ending_soon_days"), today=today)
        if value == "interview_overdue":
            return queryset.interview_overdue(today=today)
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "closed":
            return queryset.filter(phase=Case.Phase.CLOSED)
        return queryset
