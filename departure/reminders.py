"""The reminder sweep: due deadlines become inbox notifications (and e-mails), exactly once.

How "exactly once" holds:
- every reminder carries (case, rule, due date), which the notifications table keeps unique;
  rows are inserted with ON CONFLICT DO NOTHING, so a second beat, a retried task, a
  redelivered message or a second sweep running at the same time cannot add a second one;
- e-mails go out from the rows not yet e-mailed, each row locked (SKIP LOCKED) and marked in
  the same transaction, so two workers do not send the same one;
- rules look at windows ("due on or before today, within the catch-up period"), not at "today"
  alone, so a sweep that did not run for a while (broker or worker down) catches up.

How it stays SQL-sized: each rule is one query over an index, read as plain tuples in chunks
(values_list + iterator), never 100k model instances at once; reminders that exist already are
left out in SQL (NOT EXISTS) where the due date is a column, or by one lookup per batch of 2000.
A second run with nothing new reads the candidates and inserts nothing."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.models import Case, CaseQuerySet, Cover
from departure import deadlines, services
from departure.dates import add_months, add_working_days, latest_start
from departure.models import CourtReview, Measure, TravelDocumentRequest
from dtv import rules
from dtv.notifications.models import Notification
from dtv.notifications.services import notify_many, send_pending_emails

BATCH = 2000
# Cases moved to "obliged to leave" per transaction (their rows stay locked until it commits).
LAPSE_BATCH = 500
# Deadlines are Dutch calendar days, whatever the server's zone.
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# How far back a time-point reminder (a lapsed term, VBL week 10, ...) is still sent when the
# sweep did not run on the day itself. Older ones predate the outage or the system: the case
# page shows them as lapsed deadlines. State reminders (interview overdue, action item open
# past its date) have no such limit.
CATCH_UP_DAYS = 42
# Phases in which a lapsed departure term still asks for an outcome (VBL, detention, a planned
# departure, a pending procedure or a suspension are outcomes or pauses in themselves).
TERM_OPEN_PHASES = (Case.Phase.REGISTERED, Case.Phase.TERM_RUNNING, Case.Phase.OBLIGED)

TERM_WARNING = "term_warning"
TERM_LAPSED = "term_lapsed"
TERM_LAPSED_ESCALATION = "term_lapsed_escalation"
INTERVIEW_OVERDUE = "interview_overdue"
VBL_WEEK_10 = "vbl_week_10"
VBL_WEEK_12 = "vbl_week_12"
DETENTION_EXTENSION = "detention_extension"
DETENTION_COURT_REVIEW = "detention_court_review"
BORDER_WARNING = "border_warning"


def _period(name: str):
    """A period from the rules table (dtv/rules.py), in the version in force today."""
    return rules.value(name)


def escalation_working_days() -> int:
    """Working days an officer has to acknowledge a lapsed term before the team lead hears of
    it: the rules table's value, or its override from the settings (RULE_OVERRIDES or
    REMINDER_ESCALATION_WORKING_DAYS, checked when the settings load)."""
    return int(rules.value("escalation_working_days"))


def administrator_id() -> int | None:
    """The functional administrator who hears of what has nobody to go to: a reminder for an
    unassigned case of a team without a team lead, an escalation in such a team. They keep
    the teams configured (shared/DESIGN.md, "Who uses it"), so they appoint the lead or see
    that an officer is assigned. One recipient, since a reminder exists once per (case, rule,
    date): the longest-standing active functional administrator."""
    from dtv.accounts import access as account_access

    return (
        account_access.users_with_perm(account_access.CHANGE_TEAM)
        .filter(is_active=True)
        .order_by("date_joined", "pk")
        .values_list("pk", flat=True)
        .first()
    )


@dataclass
class Sweep:
    today: date
    now: datetime
    # Officers absent today -> the colleague covering their cases.
    covers: dict = field(default_factory=dict)
    # Who hears of a reminder that has neither an officer nor a team lead to go to.
    administrator_id: int | None = None

    @classmethod
    def start(cls, today: date, now: datetime) -> "Sweep":
        covers = dict(Cover.objects.active_on(today).values_list("officer_id", "colleague_id"))
        return cls(today=today, now=now, covers=covers, administrator_id=administrator_id())

    def recipient(self, officer_id: int | None, lead_id: int | None) -> int | None:
        """The responsible officer (or the colleague covering for them); the team lead for a
        case without an officer; None when the team has no lead either (see _note)."""
        if officer_id:
            return self.covers.get(officer_id, officer_id)
        return lead_id

    @property
    def window_start(self) -> date:
        return self.today - timedelta(days=CATCH_UP_DAYS)


def _link(reference: str, anchor: str = "") -> str:
    # reverse() once per sweep rather than once per reminder (tens of thousands on a first run).
    return _case_url(get_script_prefix()).replace(REFERENCE_SLOT, reference) + anchor


REFERENCE_SLOT = "REFERENCE-SLOT"


@lru_cache(maxsize=8)
def _case_url(script_prefix: str) -> str:
    return reverse("cases:detail", args=[REFERENCE_SLOT])


def _date(day: date) -> str:
    # The same few hundred dates recur across thousands of reminders.
    return _formatted_date(day, get_language())


@lru_cache(maxsize=4096)
def _formatted_date(day: date, language: str) -> str:
    return date_format(day)


def _rows(queryset, *fields) -> Iterator[tuple]:
    # Plain tuples in chunks: never 100k model instances in memory.
    yield from queryset.order_by().values_list(*fields).iterator(chunk_size=BATCH)


def _not_yet_notified(queryset, rule: str, due_field: str, case_field: str = "pk"):
    """Leave out, in SQL, the rows whose reminder (case, rule, due date) exists already."""
    existing = Notification.objects.filter(
        case_id=OuterRef(case_field), rule=rule, due_on=OuterRef(due_field)
    )
    return queryset.filter(~Exists(existing))


def _note(sweep, *, case_id, reference, officer_id, lead_id, rule, due_on, title, body="", **kw):
    recipient_id = sweep.recipient(officer_id, lead_id)
    if recipient_id is None:
        return _unanswered(
            sweep, case_id=case_id, reference=reference, rule=rule, due_on=due_on, title=title
        )
    return Notification(
        recipient_id=recipient_id,
        case_id=case_id,
        rule=rule,
        due_on=due_on,
        kind=kw.get("kind", Notification.Kind.REMINDER),
        title=title,
        body=body,
        link=kw.get("link") or _link(reference, "#deadlines"),
    )


def _unanswered(sweep, *, case_id, reference, rule, due_on, title) -> Notification | None:
    """The reminder of an unassigned case in a team without a team lead, for the functional
    administrator: what is due and why it reached them, without the case's content (they do
    not read cases), linked to the teams. Keyed as the reminder itself, so it exists once."""
    if sweep.administrator_id is None:
        return None
    return Notification(
        recipient_id=sweep.administrator_id,
        case_id=case_id,
        rule=rule,
        due_on=due_on,
        kind=Notification.Kind.ESCALATION,
        title=_("No one to remind: %(title)s") % {"title": title},
        body=_(
            "Case %(ref)s has no departure officer and its team has no team lead, so this "
            "reminder had nobody to go to. Appoint a team lead for the team, or ask the team to "
            "assign an officer to the case."
        )
        % {"ref": reference},
        link=_teams_link(),
    )


@lru_cache(maxsize=8)
def _teams_url(script_prefix: str) -> str:
    return reverse("admin:accounts_team_changelist")


def _teams_link() -> str:
    return _teams_url(get_script_prefix())


def _open_cases():
    return Case.objects.exclude(phase=Case.Phase.CLOSED)


CASE_FIELDS = ("pk", "reference", "officer_id", "team__lead_id")


# ---- the rules ---------------------------------------------------------------------------


def term_reminders(sweep: Sweep) -> Iterator[Notification]:
    """The departure term ends within a week (key: its end date), and it has lapsed."""
    today = sweep.today
    warn_days = int(_period("term_warning_days"))
    # A 0-day term has nothing to warn of: it lapsed on the day it started.
    ending = _open_cases().filter(
        term_ends_on__gte=today,
        term_ends_on__lte=today + timedelta(days=warn_days),
        departure_term_days__gt=0,
    )
    for case_id, reference, officer_id, lead_id, due in _rows(
        _not_yet_notified(ending, TERM_WARNING, "term_ends_on"), *CASE_FIELDS, "term_ends_on"
    ):
        note = _note(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=officer_id,
            lead_id=lead_id,
            rule=TERM_WARNING,
            due_on=due,
            title=_("Departure term of %(ref)s ends on %(date)s")
            % {"ref": reference, "date": _date(due)},
            body=_("Plan the departure interview and prepare the outcome after the term."),
        )
        if note:
            yield note
    lapsed = _open_cases().filter(
        CaseQuerySet.term_lapsed_q(today),
        phase__in=TERM_OPEN_PHASES,
        term_ends_on__gte=sweep.window_start,
    )
    for case_id, reference, officer_id, lead_id, due in _rows(
        _not_yet_notified(lapsed, TERM_LAPSED, "term_ends_on"), *CASE_FIELDS, "term_ends_on"
    ):
        note = _note(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=officer_id,
            lead_id=lead_id,
            rule=TERM_LAPSED,
            due_on=due,
            title=_("Departure term of %(ref)s lapsed on %(date)s: record the outcome")
            % {"ref": reference, "date": _date(due)},
            body=_(
                "The person is now obliged to leave. Record the outcome (VBL, detention, end "
                "of reception or the departure) and acknowledge this reminder; without an "
                "acknowledgement within %(days)d working days it goes to your team lead."
            )
            % {"days": escalation_working_days()},
        )
        if note:
            yield note


def interview_reminders(sweep: Sweep) -> Iterator[Notification]:
    """The next interview is overdue (key: the date it was due)."""
    overdue = _open_cases().filter(next_interview_due_on__lt=sweep.today)
    for case_id, reference, officer_id, lead_id, due in _rows(
        _not_yet_notified(overdue, INTERVIEW_OVERDUE, "next_interview_due_on"),
        *CASE_FIELDS,
        "next_interview_due_on",
    ):
        note = _note(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=officer_id,
            lead_id=lead_id,
            rule=INTERVIEW_OVERDUE,
            due_on=due,
            title=_("Interview for %(ref)s was due on %(date)s")
            % {"ref": reference, "date": _date(due)},
            link=_link(reference, "#interviews"),
        )
        if note:
            yield note


MEASURE_CASE_FIELDS = ("case_id", "case__reference", "case__officer_id", "case__team__lead_id")


def vbl_reminders(sweep: Sweep) -> Iterator[Notification]:
    """A stay in the VBL (or HTL) the LTO has not decided on: week 10 on the LTO agenda, a
    decision due at week 12 (key: the date of that week)."""
    stays = Measure.objects.current().filter(
        type__in=Measure.TIME_LIMITED_SHELTER,
        lto_decision="",
        case__in=_open_cases(),
    )
    for rule, weeks, text in (
        (
            VBL_WEEK_10,
            int(_period("vbl_lto_weeks")),
            _("VBL week %(week)d for %(ref)s (since %(date)s): put the case on the LTO agenda"),
        ),
        (
            VBL_WEEK_12,
            int(_period("vbl_decision_weeks")),
            _("VBL week %(week)d for %(ref)s (since %(date)s): the LTO decision is due"),
        ),
    ):
        span = timedelta(weeks=weeks)
        due_now = stays.filter(
            started_on__lte=sweep.today - span, started_on__gte=sweep.window_start - span
        )
        for case_id, reference, officer_id, lead_id, started in _rows(
            due_now, *MEASURE_CASE_FIELDS, "started_on"
        ):
            note = _note(
                sweep,
                case_id=case_id,
                reference=reference,
                officer_id=officer_id,
                lead_id=lead_id,
                rule=rule,
                due_on=started + span,
                title=text % {"ref": reference, "date": _date(started), "week": weeks},
            )
            if note:
                yield note


def _month_window(sweep: Sweep, months: int) -> tuple[date, date]:
    """The start dates whose date + `months` calendar months falls in the catch-up window."""

    def due(start: date) -> date:
        return add_months(start, months)

    last = latest_start(sweep.today, due)
    first = latest_start(sweep.window_start - timedelta(days=1), due) + timedelta(days=1)
    return first, last


def detention_reminders(sweep: Sweep) -> Iterator[Notification]:
    """Month 5 of a detention without an extension decision: prepare it, it must be taken
    before six months are up (key: the date month 5 is reached)."""
    months = int(_period("detention_extension_reminder_months"))
    first, last = _month_window(sweep, months)
    detained = Measure.objects.current().filter(
        type__in=Measure.DETENTION,
        extended_on__isnull=True,
        started_on__gte=first,
        started_on__lte=last,
        case__in=_open_cases(),
    )
    for case_id, reference, officer_id, lead_id, started in _rows(
        detained, *MEASURE_CASE_FIELDS, "started_on"
    ):
        due = add_months(started, months)
        note = _note(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=officer_id,
            lead_id=lead_id,
            rule=DETENTION_EXTENSION,
            due_on=due,
            title=_(
                "Detention of %(ref)s (since %(date)s) reaches month %(months)d: prepare the "
                "extension decision, due before %(deadline)s"
            )
            % {
                "ref": reference,
                "date": _date(started),
                "months": months,
                "deadline": _date(add_months(started, months + 1)),
            },
        )
        if note:
            yield note


def court_review_reminders(sweep: Sweep) -> Iterator[Notification]:
    """A detention the court has not reviewed: from the notice day (day 28, policy; how the
    42 days are made up is unconfirmed) the officer is reminded that the review is due by day
    42 (key: the review's due date)."""
    notice = timedelta(days=int(_period("detention_court_notice_days")))
    review = timedelta(days=int(_period("detention_court_review_days")))
    reviewed = CourtReview.objects.filter(measure=OuterRef("pk"), kind=CourtReview.Kind.INITIAL)
    detained = (
        Measure.objects.current()
        .filter(
            type__in=Measure.DETENTION,
            started_on__lte=sweep.today - notice,
            started_on__gte=sweep.window_start - notice,
            case__in=_open_cases(),
        )
        .filter(~Exists(reviewed))
    )
    for case_id, reference, officer_id, lead_id, started in _rows(
        detained, *MEASURE_CASE_FIELDS, "started_on"
    ):
        due = started + review
        note = _note(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=officer_id,
            lead_id=lead_id,
            rule=DETENTION_COURT_REVIEW,
            due_on=due,
            title=_(
                "Detention of %(ref)s (since %(date)s): the court must review it by %(due)s; "
                "record the review when it is given"
            )
            % {"ref": reference, "date": _date(started), "due": _date(due)},
        )
        if note:
            yield note


def travel_document_reminders(sweep: Sweep) -> Iterator[Notification]:
    """A request submitted to an embassy without an answer after 3, 6 and 12 months (key: the
    date each is reached)."""
    for months in _period("travel_document_followup_months"):
        first, last = _month_window(sweep, months)
        unanswered = TravelDocumentRequest.objects.filter(
            answer="",
            submitted_on__gte=first,
            submitted_on__lte=last,
            case__in=_open_cases(),
        )
        for case_id, reference, officer_id, lead_id, submitted, embassy in _rows(
            unanswered, *MEASURE_CASE_FIELDS, "submitted_on", "embassy__name"
        ):
            title = (
                _(
                    "Travel document for %(ref)s (%(embassy)s, submitted %(date)s) unanswered "
                    "after %(months)d months: follow up"
                )
                if months < 12
                else _(
                    "Travel document for %(ref)s (%(embassy)s, submitted %(date)s) unanswered "
                    "after %(months)d months: decide whether to withdraw it"
                )
            )
            note = _note(
                sweep,
                case_id=case_id,
                reference=reference,
                officer_id=officer_id,
                lead_id=lead_id,
                rule=f"lp_followup_{months}",
                due_on=add_months(submitted, months),
                title=title
                % {
                    "ref": reference,
                    "embassy": embassy or _("no embassy recorded"),
                    "date": _date(submitted),
                    "months": months,
                },
            )
            if note:
                yield note


def border_reminders(sweep: Sweep) -> Iterator[Notification]:
    """The return border procedure's maximum period (12 weeks from the end of the right to
    remain, more in a declared crisis) runs out soon: the officer is reminded from the warning
    day on (key: the warning day). The end differs per case (crisis weeks, the rule's version
    for the case), so the few candidates are judged by the engine."""
    if sweep.today < rules.PACT_APPLIES_FROM:
        return
    longest = timedelta(
        weeks=int(_period("border_max_weeks")) + int(_period("border_crisis_max_weeks"))
    )
    candidates = _open_cases().filter(
        border_procedure=True,
        right_to_remain_ended_on__gte=max(rules.PACT_APPLIES_FROM, sweep.window_start - longest),
        right_to_remain_ended_on__lte=sweep.today,
    )
    for case_id, reference, officer_id, lead_id, ended, crisis in _rows(
        candidates, *CASE_FIELDS, "right_to_remain_ended_on", "crisis_extension_weeks"
    ):
        facts = deadlines.CaseFacts(
            decision_on=None,
            border_procedure=True,
            right_to_remain_ended_on=ended,
            crisis_extension_weeks=crisis,
        )
        warning = next(
            (d for d in deadlines.compute_deadlines(facts) if d.rule == BORDER_WARNING), None
        )
        if warning is None or not (sweep.window_start <= warning.due_on <= sweep.today):
            continue
        end = warning.inputs["border_end"]
        note = _note(
            sweep,
            case_id=case_id,
            reference=reference,
            officer_id=officer_id,
            lead_id=lead_id,
            rule=BORDER_WARNING,
            due_on=warning.due_on,
            title=_(
                "Return border procedure of %(ref)s ends on %(date)s (right to remain ended "
                "%(ended)s): complete the return or decide what follows"
            )
            % {"ref": reference, "date": _date(end), "ended": _date(ended)},
            body=warning.explanation,
        )
        if note:
            yield note


RULES: list[Callable[[Sweep], Iterator[Notification]]] = [
    term_reminders,
    interview_reminders,
    vbl_reminders,
    detention_reminders,
    court_review_reminders,
    travel_document_reminders,
    border_reminders,
]


def register_rule(rule: Callable[[Sweep], Iterator[Notification]]) -> Callable:
    """A reminder rule of an app above this one (the LTO action items), registered in its
    AppConfig.ready(): rule(sweep) yields unsaved Notifications, keyed like the rules here."""
    if rule not in RULES:
        RULES.append(rule)
    return rule


# The helpers the registered rules build on (the same ones the rules here use).


def rows(queryset, *fields) -> Iterator[tuple]:
    """The queryset's `fields` as plain tuples, in chunks."""
    return _rows(queryset, *fields)


def reminder(sweep: Sweep, **fields) -> Notification | None:
    """A reminder for the case's officer (or whoever covers them); None without a recipient.
    Keywords: case_id, reference, officer_id, lead_id, rule, due_on, title, and optionally
    body, kind and link."""
    return _note(sweep, **fields)


def open_cases() -> CaseQuerySet:
    return _open_cases()


def day_text(day: date) -> str:
    """A date as the reminders write it (the site's language, cached)."""
    return _date(day)


# ---- phase change and escalation ---------------------------------------------------------


def lapse_terms(sweep: Sweep) -> int:
    """Cases whose departure term lapsed move to "obliged to leave" (the system's change)."""
    lapsing = Case.objects.filter(
        CaseQuerySet.term_lapsed_q(sweep.today), phase__in=services.LAPSING_PHASES
    ).order_by("pk")
    ids = [pk for (pk,) in _rows(lapsing, "pk")]
    moved = 0
    for start in range(0, len(ids), LAPSE_BATCH):
        moved += services.mark_terms_lapsed(ids[start : start + LAPSE_BATCH], today=sweep.today)
    return moved


def refresh_moved_deadlines(sweep: Sweep) -> int:
    """The stored most urgent deadline (the worklist's order) of open cases where it depends
    on the day and that day has passed: the next detention review, a lapsed step whose
    successor lapsed too. Recomputed from the facts in batches; returns how many changed."""
    from cases import registry
    from departure.case_hooks import TIME_DEPENDENT_RULES

    stale = _open_cases().filter(
        next_deadline_on__lt=sweep.today, next_deadline_rule__in=TIME_DEPENDENT_RULES
    )
    ids = [pk for (pk,) in _rows(stale.order_by("pk"), "pk")]
    fields = ["next_deadline_on", "next_deadline_rule"]
    changed = 0
    for start in range(0, len(ids), BATCH):
        batch = list(Case.objects.filter(pk__in=ids[start : start + BATCH]))
        registry.prefetch_for_derived(batch)
        moved = []
        for case in batch:
            values = registry.derived_fields(case, today=sweep.today)
            if any(getattr(case, name) != values[name] for name in fields):
                for name in fields:
                    setattr(case, name, values[name])
                moved.append(case)
        # A derived ordering key, not a change of the case by anyone: no audit entry (the
        # audited manager refuses bulk writes, hence the base manager).
        Case._base_manager.bulk_update(moved, fields)
        changed += len(moved)
    return changed


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AMSTERDAM)


def escalate(sweep: Sweep) -> int:
    """A lapsed-term reminder not acknowledged within the grace period (working days after it
    was sent) goes to the team lead, once. Acknowledged reminders never escalate; snoozed ones
    not while the snooze lasts; nor when the case was closed or given an outcome meanwhile."""
    grace = escalation_working_days()
    # Reminders sent on or before this day have had their grace period by today.
    last_day = latest_start(sweep.today, lambda day: add_working_days(day, grace))
    candidates = (
        Notification.objects.filter(
            rule=TERM_LAPSED,
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            created_at__lt=_start_of_day(last_day + timedelta(days=1)),
        )
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=sweep.now))
        .filter(case__phase__in=TERM_OPEN_PHASES, case__term_ends_on=F("due_on"))
    )
    if sweep.administrator_id is None:
        # Nobody to escalate to in a team without a lead: left for when it has one.
        candidates = candidates.filter(case__team__lead__isnull=False)
    drafts = []
    handled: dict[int | None, list[int]] = {}
    for pk, case_id, reference, lead_id, recipient_id, first, last, username, due in _rows(
        candidates,
        "pk",
        "case_id",
        "case__reference",
        "case__team__lead_id",
        "recipient_id",
        "recipient__first_name",
        "recipient__last_name",
        "recipient__username",
        "due_on",
    ):
        officer_name = f"{first} {last}".strip() or username
        # A team without a team lead: its functional administrator hears of it.
        escalated_to = lead_id or sweep.administrator_id
        if escalated_to == recipient_id:
            # The lead (or administrator) was reminded personally: nobody else to tell.
            handled.setdefault(None, []).append(pk)
            continue
        handled.setdefault(escalated_to, []).append(pk)
        title = _(
            "Escalation: the departure term of %(ref)s lapsed on %(date)s and "
            "%(officer)s has not acknowledged it"
        ) % {"ref": reference, "date": _date(due), "officer": officer_name}
        if lead_id:
            body = _(
                "The reminder was not acknowledged within %(days)d working days. Check "
                "with the officer that an outcome is being recorded."
            ) % {"days": grace}
            link = _link(reference, "#deadlines")
        else:
            body = _(
                "The reminder was not acknowledged within %(days)d working days, and the "
                "case's team has no team lead to escalate to. Appoint a team lead for the team."
            ) % {"days": grace}
            link = _teams_link()
        drafts.append(
            Notification(
                recipient_id=escalated_to,
                case_id=case_id,
                rule=TERM_LAPSED_ESCALATION,
                due_on=due,
                kind=Notification.Kind.ESCALATION,
                title=title,
                body=body,
                link=link,
            )
        )
    created = notify_many(drafts, batch_size=BATCH)
    for escalated_to, pks in handled.items():
        for start in range(0, len(pks), BATCH):
            Notification.objects.filter(pk__in=pks[start : start + BATCH]).update(
                escalated_at=sweep.now, escalated_to_id=escalated_to
            )
    return created


def send_due_reminders(*, today: date | None = None, now: datetime | None = None) -> dict:
    """The whole sweep; safe to run any number of times, and concurrently."""
    now = now or timezone.now()
    today = today or timezone.localtime(now, AMSTERDAM).date()
    sweep = Sweep.start(today, now)
    counts = {
        "lapsed": 0,
        "deadlines_moved": 0,
        "created": 0,
        "escalated": 0,
        "emailed": 0,
        "by_rule": {},
    }
    with translation.override(settings.LANGUAGE_CODE):
        counts["lapsed"] = lapse_terms(sweep)
        counts["deadlines_moved"] = refresh_moved_deadlines(sweep)
        for rule in RULES:
            made = notify_many(rule(sweep), batch_size=BATCH)
            counts["by_rule"][rule.__name__] = made
            counts["created"] += made
        counts["escalated"] = escalate(sweep)
    counts["emailed"] = send_pending_emails()
    return counts
