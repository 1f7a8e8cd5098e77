"""The team lead's figures, computed with aggregate queries in the database.

Reports sit above every app (DESIGN.md): they read the apps' models and QuerySet methods and
nothing imports them."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.db.models.functions import TruncMonth, TruncQuarter

from cases import access as case_access
from cases.models import Case, CaseQuerySet, Nationality, Obstacle, Procedure
from departure.models import Departure, Measure
from dtv import rules
from dtv.accounts.models import User
from dtv.notifications.models import Notification
from interviews.plan import MANDATORY_DEPARTURE_STAGES
from partners.models import ActionItem

# Weights of the caseload: a case near a deadline asks more of its officer. One table: the
# caseload page, its caption and the norm per team (Team.caseload_norm) read it from here.
# Source: the service's own working agreement for this application (not a published DT&V
# norm); a change of policy is one edit here, and tests/reports pins each weight.
LOAD_WEIGHTS = {
    "open": 1.0,
    "term_lapsed": 2.0,
    "term_14": 1.0,
    "interview_overdue": 1.0,
    "old_obstacles": 0.5,
    "overdue_actions": 0.5,
}


@dataclass
class Row:
    officer: User
    counts: dict = field(default_factory=dict)
    phases: dict = field(default_factory=dict)

    @property
    def load(self) -> float:
        return round(sum(self.counts.get(k, 0) * w for k, w in LOAD_WEIGHTS.items()), 1)

    norm: int = 0

    @property
    def overloaded(self) -> bool:
        return bool(self.norm) and self.load > self.norm

    @property
    def load_share(self) -> int:
        """The load as a percentage of the team's norm."""
        return round(self.load * 100 / self.norm) if self.norm else 0

    @property
    def phase_list(self) -> list[tuple[str, str, int]]:
        """(phase, label, number) for the phases this officer has open cases in, in the
        phases' own order."""
        return [
            (value, label, self.phases[value])
            for value, label in Case.Phase.choices
            if value in self.phases
        ]


def _old_obstacle(today):
    return Obstacle.objects.filter(
        case=OuterRef("pk"),
        status__in=Obstacle.OPEN_STATUSES,
        identified_on__lt=Obstacle.long_open_before(today),
    )


def _case_conditions(today) -> dict:
    """The per-case figures of the load (besides "open"), over a queryset annotated with
    has_old_obstacle: the caseload counts them, case_loads weighs them per case."""
    return {
        # The worklist's own conditions (a 0-day term lapses on its first day).
        "term_lapsed": CaseQuerySet.term_lapsed_q(today),
        "term_14": CaseQuerySet.term_ending_within_q(rules.value("term_ending_soon_days"), today),
        "interview_overdue": Q(next_interview_due_on__lt=today),
        "old_obstacles": Q(has_old_obstacle=True),
    }


def case_loads(cases, *, today: date) -> dict:
    """case pk -> (officer pk, the weighted load the case adds to its officer), in one query:
    what moves with a case when it is reassigned (overdue action items stay with their
    owner). The same weights and conditions as caseload()."""
    conditions = _case_conditions(today)
    rows = (
        cases.annotate(has_old_obstacle=Exists(_old_obstacle(today)))
        .annotate(
            **{
                key: ExpressionWrapper(q, output_field=BooleanField())
                for key, q in conditions.items()
            }
        )
        .values_list("pk", "officer", *conditions)
        .order_by()
    )
    loads = {}
    for pk, officer, *numbers in rows:
        weight = LOAD_WEIGHTS["open"] + sum(
            LOAD_WEIGHTS[key] * bool(n) for key, n in zip(conditions, numbers, strict=True)
        )
        loads[pk] = (officer, weight)
    return loads


def caseload(team, *, today: date) -> list[Row]:
    """One row per departure officer of the team (not its lead), each with the team's norm;
    a fixed handful of grouped queries."""
    officers = list(
        User.objects.officers()
        .filter(team=team, pk__in=case_access.case_officers().values("pk"))
        .order_by("last_name", "username")
    )
    rows = {officer.pk: Row(officer, norm=team.caseload_norm) for officer in officers}
    old_obstacle = _old_obstacle(today)
    open_cases = Case.objects.open().filter(team=team, officer__in=rows)
    # One grouped pass over the team's open cases: per officer and phase, the figures are
    # added up per officer below and the phase's count is the number of open cases.
    figures = (
        open_cases.annotate(has_old_obstacle=Exists(old_obstacle))
        .values("officer", "phase")
        .annotate(
            open=Count("pk"),
            **{key: Count("pk", filter=q) for key, q in _case_conditions(today).items()},
        )
        .order_by()
    )
    for item in figures:
        row = rows[item.pop("officer")]
        row.phases[item.pop("phase")] = item["open"]
        for key, number in item.items():
            row.counts[key] = row.counts.get(key, 0) + number
    actions = (
        ActionItem.objects.overdue(today)
        .filter(owner_user__in=rows)
        .values("owner_user")
        .annotate(n=Count("pk"))
    )
    for item in actions:
        rows[item["owner_user"]].counts["overdue_actions"] = item["n"]
    escalations = (
        Notification.objects.filter(
            kind=Notification.Kind.ESCALATION,
            acknowledged_at__isnull=True,
            case__officer__in=rows,
            case__closed_on__isnull=True,
        )
        .values("case__officer")
        .annotate(n=Count("pk"))
    )
    for item in escalations:
        rows[item["case__officer"]].counts["escalations"] = item["n"]
    return list(rows.values())


# ---- reports -----------------------------------------------------------------------------


@dataclass
class Filters:
    since: date
    until: date
    team: object = None
    nationality: str = ""

    def cases(self):
        queryset = Case.objects.all()
        if self.team is not None:
            queryset = queryset.filter(team=self.team)
        if self.nationality:
            queryset = queryset.filter(
                Exists(
                    Nationality.objects.filter(person=OuterRef("person"), country=self.nationality)
                )
            )
        return queryset


class Percentile(Func):
    """PostgreSQL's percentile_cont as an ordered-set aggregate."""

    contains_aggregate = True
    output_field = FloatField()
    template = "percentile_cont(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"


def _days(later: str, earlier: str):
    """Whole days between two date columns, computed by the database."""
    if connection.vendor == "postgresql":
        # date - date is an integer number of days in PostgreSQL.
        return Func(
            F(later),
            F(earlier),
            template="(%(expressions)s)",
            arg_joiner=" - ",
            output_field=IntegerField(),
        )
    # SQLite: julianday difference.
    return Func(F(later), function="julianday", output_field=FloatField()) - Func(
        F(earlier), function="julianday", output_field=FloatField()
    )


def _percentiles(queryset, expression, fractions=(0.5, 0.8)) -> list[float | None]:
    if connection.vendor == "postgresql":
        result = queryset.aggregate(
            **{f"p{int(f * 100)}": Percentile(expression, fraction=f) for f in fractions}
        )
        return [result[f"p{int(f * 100)}"] for f in fractions]
    # SQLite has no percentile aggregate: the day differences come from the database and
    # the percentile is taken here (the quick-start only; production is PostgreSQL).
    values = sorted(
        v for v in queryset.annotate(d=expression).values_list("d", flat=True) if v is not None
    )
    if not values:
        return [None for _f in fractions]
    return [_interpolate(values, f) for f in fractions]


def _interpolate(values, fraction):
    position = (len(values) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


DEPARTURE_TYPES = [t for t, _label in Departure.Type.choices]


def departures(filters: Filters, *, by: str = "month") -> dict:
    queryset = Departure.objects.filter(
        departed_on__gte=filters.since,
        departed_on__lte=filters.until,
        case__in=filters.cases(),
    )
    trunc = TruncQuarter if by == "quarter" else TruncMonth
    grouped = (
        queryset.annotate(period=trunc("departed_on"))
        .values("period", "type")
        .annotate(n=Count("pk"))
        .order_by("period")
    )
    periods: dict = {}
    for item in grouped:
        periods.setdefault(item["period"], dict.fromkeys(DEPARTURE_TYPES, 0))[item["type"]] = item[
            "n"
        ]
    rows = []
    for period, counts in periods.items():
        total = sum(counts.values())
        rows.append(
            {
                "period": period,
                "counts": counts,
                "total": total,
                "independent_share": counts["independent_proven"] / total if total else None,
            }
        )
    final = Procedure.objects.filter(case=OuterRef("case"), final_on__isnull=False)
    with_final = queryset.annotate(
        final_on=Subquery(
            final.order_by("-final_on").values("final_on")[:1], output_field=DateField()
        )
    ).filter(final_on__isnull=False, final_on__lte=F("departed_on"))
    median, p80 = _percentiles(with_final, _days("departed_on", "final_on"))
    return {
        "rows": rows,
        "types": Departure.Type.choices,
        "median_days": median,
        "p80_days": p80,
        "with_ruling": with_final.count(),
    }


def obstacles(filters: Filters) -> dict:
    queryset = Obstacle.objects.filter(
        identified_on__gte=filters.since,
        identified_on__lte=filters.until,
        case__in=filters.cases(),
    ).annotate(
        country=Subquery(
            Nationality.objects.filter(person=OuterRef("case__person"))
            .order_by("-status", "country")
            .values("country")[:1]
        )
    )
    resolved = Q(status=Obstacle.Status.RESOLVED)
    rows = list(
        queryset.values("category", "country")
        .annotate(total=Count("pk"), resolved=Count("pk", filter=resolved))
        .order_by("category", "country")
    )
    by_category = list(
        queryset.values("category")
        .annotate(total=Count("pk"), resolved=Count("pk", filter=resolved))
        .order_by("-total")
    )
    for item in by_category:
        subset = queryset.filter(category=item["category"], status=Obstacle.Status.RESOLVED)
        item["median_days"] = _percentiles(subset, _days("resolved_on", "identified_on"), (0.5,))[0]
        item["rate"] = item["resolved"] / item["total"] if item["total"] else None
    for item in rows:
        item["rate"] = item["resolved"] / item["total"] if item["total"] else None
    return {"by_category": by_category, "rows": rows, "labels": dict(Obstacle.Category.choices)}


def compliance(filters: Filters, *, today: date) -> dict:
    """Of the cases whose term lapsed in the period: were the three mandatory departure
    interviews held, with the checklist completed, before the term lapsed?"""
    lapsed = filters.cases().filter(
        term_ends_on__gte=filters.since,
        term_ends_on__lte=min(filters.until, today - timedelta(days=1)),
    )
    before_lapse = Q(
        interviews__held_at__date__lte=F("term_ends_on"),
        interviews__stage__in=MANDATORY_DEPARTURE_STAGES,
        interviews__no_show=False,
    )
    annotated = lapsed.annotate(
        mandatory=Count("interviews__stage", filter=before_lapse, distinct=True),
        checked=Count(
            "interviews__stage",
            filter=before_lapse
            & ~Q(interviews__check_medical="")
            & ~Q(interviews__check_trafficking="")
            & ~Q(interviews__check_hardship=""),
            distinct=True,
        ),
    )
    total = annotated.count()
    held = annotated.filter(mandatory__gte=len(MANDATORY_DEPARTURE_STAGES)).count()
    complete = annotated.filter(checked__gte=len(MANDATORY_DEPARTURE_STAGES)).count()
    return {
        "total": total,
        "held": held,
        "complete": complete,
        "held_share": held / total if total else None,
        "complete_share": complete / total if total else None,
        "stages": MANDATORY_DEPARTURE_STAGES,
    }


def outcomes(filters: Filters) -> dict:
    """What happened after the term lapsed: measures started and departures in the period."""
    cases = filters.cases()
    measures = list(
        Measure.objects.filter(
            started_on__gte=filters.since, started_on__lte=filters.until, case__in=cases
        )
        .values("type")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    departures_by_type = list(
        Departure.objects.filter(
            departed_on__gte=filters.since, departed_on__lte=filters.until, case__in=cases
        )
        .values("type")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return {
        "measures": [{"label": Measure.Type(m["type"]).label, "n": m["n"]} for m in measures],
        "departures": [
            {"label": Departure.Type(d["type"]).label, "n": d["n"]} for d in departures_by_type
        ],
    }


def transfers(filters: Filters, *, by: str = "month") -> dict:
    """Transfers between teams proposed in the period, per month or quarter: how many were
    proposed, accepted, declined and still await a decision; for a team also how many came
    in and went out (accepted). Withdrawn proposals are counted apart. Grouped in the
    database, one query."""
    from cases.models import CaseTransfer

    S = CaseTransfer.Status
    queryset = CaseTransfer.objects.filter(
        proposed_at__date__gte=filters.since, proposed_at__date__lte=filters.until
    )
    if filters.team is not None:
        queryset = queryset.filter(Q(from_team=filters.team) | Q(to_team=filters.team))
    if filters.nationality:
        queryset = queryset.filter(
            Exists(
                Nationality.objects.filter(
                    person=OuterRef("case__person"), country=filters.nationality
                )
            )
        )
    trunc = TruncQuarter if by == "quarter" else TruncMonth
    counts = {
        "proposed": Count("pk"),
        "accepted": Count("pk", filter=Q(status=S.ACCEPTED)),
        "declined": Count("pk", filter=Q(status=S.DECLINED)),
        "pending": Count("pk", filter=Q(status=S.PENDING)),
        "withdrawn": Count("pk", filter=Q(status=S.WITHDRAWN)),
    }
    if filters.team is not None:
        counts["incoming"] = Count("pk", filter=Q(status=S.ACCEPTED, to_team=filters.team))
        counts["outgoing"] = Count("pk", filter=Q(status=S.ACCEPTED, from_team=filters.team))
    rows = list(
        queryset.annotate(period=trunc("proposed_at"))
        .values("period")
        .annotate(**counts)
        .order_by("period")
    )
    totals = {key: sum(row[key] for row in rows) for key in counts}
    return {"rows": rows, "keys": list(counts), "totals": totals, "by_team": filters.team}
