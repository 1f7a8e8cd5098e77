"""The reminder sweep: due deadlines become inbox notifications, exactly once.

Each rule selects what is due with one SQL query per batch and inserts notifications keyed by
(recipient, case, rule, due date); the database's unique constraint makes a second beat, a
retried task, a redelivered message or a worker killed half-way harmless. Rules look at windows
("due on or before today, not yet notified"), not at "today" alone, so a sweep that did not run
for a while (broker or worker outage) catches up on its next run."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case
from departure import deadlines, services
from departure.models import Measure, TravelDocumentRequest
from dtv.notifications.models import Notification

BATCH = 2000


@dataclass(frozen=True)
class Due:
    case_id: int
    reference: str
    recipient_id: int
    rule: str
    due_on: date
    title: str
    kind: str = Notification.Kind.REMINDER
    link: str = ""


def _link(reference: str) -> str:
    return reverse("cases:detail", args=[reference])


def _open_cases():
    return Case.objects.open().filter(Q(officer__isnull=False) | Q(team__lead__isnull=False))


def _rows(queryset, *fields) -> Iterator[tuple]:
    # Plain tuples in chunks: never 100k model instances in memory.
    yield from queryset.values_list(*fields).iterator(chunk_size=BATCH)


def term_reminders(today: date) -> Iterator[Due]:
    warn = deadlines.PERIODS.term_warning_days
    ending = _open_cases().filter(
        term_ends_on__gte=today, term_ends_on__lte=today + timedelta(warn)
    )
    for case_id, reference, officer_id, lead_id, due in _rows(
        ending, "pk", "reference", "officer_id", "team__lead_id", "term_ends_on"
    ):
        yield Due(
            case_id,
            reference,
            officer_id or lead_id,
            "term_warning",
            due,
            _("Departure term of %(ref)s ends on %(date)s")
            % {"ref": reference, "date": date_format(due)},
        )
    lapsed = _open_cases().filter(term_ends_on__lt=today)
    for case_id, reference, officer_id, lead_id, due in _rows(
        lapsed, "pk", "reference", "officer_id", "team__lead_id", "term_ends_on"
    ):
        yield Due(
            case_id,
            reference,
            officer_id or lead_id,
            "term_lapsed",
            due,
            _("Departure term of %(ref)s lapsed on %(date)s: record the outcome")
            % {"ref": reference, "date": date_format(due)},
        )


def interview_reminders(today: date) -> Iterator[Due]:
    overdue = _open_cases().filter(next_interview_due_on__lt=today)
    for case_id, reference, officer_id, lead_id, due in _rows(
        overdue, "pk", "reference", "officer_id", "team__lead_id", "next_interview_due_on"
    ):
        yield Due(
            case_id,
            reference,
            officer_id or lead_id,
            "interview_overdue",
            due,
            _("Interview for %(ref)s was due on %(date)s")
            % {"ref": reference, "date": date_format(due)},
        )


def measure_reminders(today: date) -> Iterator[Due]:
    periods = deadlines.PERIODS
    shelter = Measure.objects.current().filter(
        type__in=Measure.SHELTER, case__phase__in=[p for p in Case.Phase.values if p != "closed"]
    )
    for weeks, rule, text in (
        (periods.vbl_lto_weeks, "vbl_week_10", _("VBL week 10 for %(ref)s: put it on the LTO")),
        (periods.vbl_decision_weeks, "vbl_week_12", _("VBL week 12 for %(ref)s: decision due")),
    ):
        due_rows = shelter.filter(started_on__lte=today - timedelta(weeks=weeks))
        for case_id, reference, officer_id, lead_id, started in _rows(
            due_rows,
            "case_id",
            "case__reference",
            "case__officer_id",
            "case__team__lead_id",
            "started_on",
        ):
            yield Due(
                case_id,
                reference,
                officer_id or lead_id,
                rule,
                started + timedelta(weeks=weeks),
                text % {"ref": reference},
            )
    detention = Measure.objects.current().filter(
        type__in=Measure.DETENTION, extended_on__isnull=True
    )
    months = periods.detention_extension_reminder_months
    for case_id, reference, officer_id, lead_id, started in _rows(
        detention,
        "case_id",
        "case__reference",
        "case__officer_id",
        "case__team__lead_id",
        "started_on",
    ):
        due = deadlines.add_months(started, months)
        if due <= today:
            yield Due(
                case_id,
                reference,
                officer_id or lead_id,
                "detention_extension",
                due,
                _("Detention of %(ref)s reaches month 5: prepare the extension decision")
                % {"ref": reference},
            )


def travel_document_reminders(today: date) -> Iterator[Due]:
    unanswered = TravelDocumentRequest.objects.filter(
        answer="", submitted_on__isnull=False, case__closed_on__isnull=True
    )
    for case_id, reference, officer_id, lead_id, submitted in _rows(
        unanswered,
        "case_id",
        "case__reference",
        "case__officer_id",
        "case__team__lead_id",
        "submitted_on",
    ):
        for months in deadlines.PERIODS.travel_document_followup_months:
            due = deadlines.add_months(submitted, months)
            if due <= today:
                yield Due(
                    case_id,
                    reference,
                    officer_id or lead_id,
                    f"lp_followup_{months}",
                    due,
                    _("Travel document for %(ref)s unanswered after %(months)d months")
                    % {"ref": reference, "months": months},
                )


def action_item_reminders(today: date) -> Iterator[Due]:
    from partners.models import ActionItem

    overdue = ActionItem.objects.overdue(today).filter(owner_user__isnull=False)
    for pk, case_id, reference, owner_id, due in _rows(
        overdue,
        "pk",
        "agenda_item__case_id",
        "agenda_item__case__reference",
        "owner_user_id",
        "due_on",
    ):
        if case_id is None:
            continue
        yield Due(
            case_id,
            reference,
            owner_id,
            f"action_item_{pk}",
            due,
            _("Action item for %(ref)s was due on %(date)s")
            % {"ref": reference, "date": date_format(due)},
            # Owners may be partners, who only see action items, not the case page.
            link=reverse("partners:action_item_update", args=[pk]),
        )


RULES = [
    term_reminders,
    interview_reminders,
    measure_reminders,
    travel_document_reminders,
    action_item_reminders,
]


def _insert(items: list[Due]) -> int:
    """Insert the not-yet-notified items; the unique constraint settles any race."""
    if not items:
        return 0
    case_ids = {item.case_id for item in items}
    existing = set(
        Notification.objects.filter(case_id__in=case_ids, rule__in={i.rule for i in items})
        .values_list("recipient_id", "case_id", "rule", "due_on")
        .iterator(chunk_size=BATCH)
    )
    fresh = {}
    for item in items:
        key = (item.recipient_id, item.case_id, item.rule, item.due_on)
        if item.recipient_id is None or key in existing or key in fresh:
            continue
        fresh[key] = Notification(
            recipient_id=item.recipient_id,
            case_id=item.case_id,
            rule=item.rule,
            due_on=item.due_on,
            kind=item.kind,
            title=item.title[:200],
            link=item.link or _link(item.reference),
        )
    Notification.objects.bulk_create(fresh.values(), batch_size=BATCH, ignore_conflicts=True)
    return len(fresh)


def _batched(items: Iterable[Due]) -> Iterator[list[Due]]:
    batch: list[Due] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def lapse_terms(today: date) -> int:
    """Cases whose term lapsed move to 'obliged to leave' (the system's phase change)."""
    lapsing = Case.objects.filter(
        phase__in=[Case.Phase.REGISTERED, Case.Phase.TERM_RUNNING], term_ends_on__lt=today
    )
    moved = 0
    for case in lapsing.iterator(chunk_size=BATCH):
        moved += services.mark_term_lapsed(case, today=today)
    return moved


def escalate(today: date, *, now=None) -> int:
    """A lapsed term not acknowledged within the grace period goes to the team lead, once."""
    now = now or timezone.now()
    grace = deadlines.PERIODS.escalation_working_days
    candidates = Notification.objects.filter(
        rule="term_lapsed", acknowledged_at__isnull=True, escalated_at__isnull=True
    ).filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
    items = []
    escalated_ids = []
    for pk, case_id, reference, lead_id, due, created in _rows(
        candidates.filter(case__team__lead__isnull=False, case__closed_on__isnull=True),
        "pk",
        "case_id",
        "case__reference",
        "case__team__lead_id",
        "due_on",
        "created_at",
    ):
        created_day = timezone.localtime(created, deadlines.AMSTERDAM).date()
        if deadlines.add_working_days(created_day, grace) > today:
            continue
        escalated_ids.append(pk)
        items.append(
            Due(
                case_id,
                reference,
                lead_id,
                "term_lapsed_escalation",
                due,
                _("Escalation: the lapsed departure term of %(ref)s (%(date)s) was not acted on")
                % {"ref": reference, "date": date_format(due)},
                kind=Notification.Kind.ESCALATION,
            )
        )
    created_count = 0
    for batch in _batched(items):
        created_count += _insert(batch)
    for start in range(0, len(escalated_ids), BATCH):
        Notification.objects.filter(pk__in=escalated_ids[start : start + BATCH]).update(
            escalated_at=now
        )
    return created_count


def send_due_reminders(*, today: date | None = None) -> dict:
    """The whole sweep; safe to run any number of times, concurrently too."""
    today = today or deadlines.today_local()
    counts = {"lapsed": 0, "created": 0, "escalated": 0, "emailed": 0}
    with translation.override(settings.LANGUAGE_CODE):
        counts["lapsed"] = lapse_terms(today)
        for rule in RULES:
            for batch in _batched(rule(today)):
                with transaction.atomic():
                    counts["created"] += _insert(batch)
        counts["escalated"] = escalate(today)
    from dtv.notifications.services import send_pending_emails

    counts["emailed"] = send_pending_emails()
    return counts
