"""What the interviews app adds to a case (registered in InterviewsConfig.ready()): the stored
next interview (derived fields), the interview block on the case page and the timeline events.

The providers read the case's relations with .all(), so a caller that prefetches
("interviews", "procedures", "measures") pays no query per case (seeding, batch refreshes).
"""

from datetime import datetime, time

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.registry import Section, TimelineEvent
from dtv.text import field_label
from interviews import access, plan

# Measure types (departure app) that mean a stay in a freedom-restricting location; read by name
# through the ORM relation so that this app imports nothing from departure.
SHELTER_TYPES = ("vbl", "gl", "htl")
RECENT = 6


def joint_interviews(case) -> list:
    """The interviews logged on another household member's case that this case took part
    in, each marked `joint` (they count here as they do there)."""
    participations = getattr(case, "interview_participations", None)
    if participations is None:
        return []
    found = []
    for participation in participations.all():
        interview = participation.interview
        interview.joint = True
        found.append(interview)
    return found


def case_interviews(case) -> list:
    """The case's interviews, most recent first (held or planned time): its own and the
    joint interviews of its household it took part in."""
    interviews = list(case.interviews.all()) + joint_interviews(case)
    interviews.sort(key=lambda i: i.held_at or i.planned_at, reverse=True)
    return interviews


def plan_facts(case, interviews=None) -> plan.PlanFacts:
    interviews = case_interviews(case) if interviews is None else interviews
    held = tuple(
        plan.HeldInterview(stage=i.stage, held_on=timezone.localdate(i.held_at))
        for i in interviews
        if i.is_held
    )
    procedures = list(case.procedures.all())
    # The hearing of a procedure still pending; the latest ruling of one that was decided.
    hearings = [p.hearing_on for p in procedures if p.hearing_on and p.is_pending]
    rulings = [
        p.final_on or p.ruling_on
        for p in procedures
        if not p.is_pending and (p.final_on or p.ruling_on)
    ]
    vbl_start = None
    measures = getattr(case, "measures", None)  # absent when the departure app is not installed
    if measures is not None:
        vbl_start = min(
            (
                m.started_on
                for m in measures.all()
                if m.type in SHELTER_TYPES and m.ended_on is None
            ),
            default=None,
        )
    return plan.PlanFacts(
        phase=case.phase,
        opened_on=case.opened_on,
        held=held,
        hearing_on=max(hearings, default=None),
        ruling_on=max(rulings, default=None),
        vbl_start=vbl_start,
    )


def planned_appointment(today):
    """The worklist's "Appointment": the case's first planned interview from today on."""
    from django.db.models import OuterRef, Subquery

    from interviews.models import Interview

    start = timezone.make_aware(datetime.combine(today, time.min))
    return Subquery(
        Interview.objects.planned()
        .filter(case=OuterRef("pk"), planned_at__gte=start)
        .order_by("planned_at")
        .values("planned_at")[:1]
    )


def derived_fields(case, *, today):
    """The case's stored next interview: what the worklist, the "interview overdue" filter and
    the reminder sweep read."""
    upcoming = plan.next_interview(plan_facts(case))
    if upcoming is None:
        return {"next_interview_due_on": None, "next_interview_stage": ""}
    return {"next_interview_due_on": upcoming.due_on, "next_interview_stage": upcoming.stage}


def log_url(case, stage: str = "") -> str:
    url = reverse("interviews:log", args=[case.reference])
    return f"{url}?stage={stage}" if stage else url


def section(case, *, user, today):
    interviews = case_interviews(case)
    upcoming = plan.next_interview(plan_facts(case, interviews))
    can_change = user.has_perm(access.ADD_INTERVIEW) and not case.is_closed
    context = {
        "case": case,
        "next": upcoming,
        "overdue": upcoming.is_overdue(today) if upcoming else False,
        "next_log_url": log_url(case, upcoming.stage) if upcoming else "",
        "planned": sorted(
            (i for i in interviews if i.held_at is None and not i.no_show),
            key=lambda i: i.planned_at,
        ),
        "recent": [i for i in interviews if i.held_at is not None][:RECENT],
        "held_count": sum(1 for i in interviews if i.is_held),
        "more": max(0, sum(1 for i in interviews if i.held_at is not None) - RECENT),
        "can_change": can_change,
    }
    if can_change:
        context["action_url"] = log_url(case, upcoming.stage if upcoming else "")
        context["action_label"] = _("Log interview")
    return Section(order=5, template="interviews/_case_section.html", context=context)


def timeline(case):
    for interview in case_interviews(case):
        if interview.no_show:
            status = _("did not appear")
        elif interview.held_at:
            status = field_label(interview, "attitude")
        else:
            status = _("planned")
        title = f"{field_label(interview, 'stage')} · {status}"
        if getattr(interview, "joint", False):
            title += " · " + _("with the household (logged in %(reference)s)") % {
                "reference": interview.case.reference
            }
        yield TimelineEvent(
            at=interview.held_at or interview.planned_at,
            kind=_("Interview"),
            title=title,
            detail=interview.report[:300],
            # Opened from this case: a joint interview is read through each member's case.
            url=reverse("interviews:detail", args=[case.reference, interview.pk]),
        )


def move_with_transfer(case, *, transfer, actor) -> dict:
    """A case taken over by another team: its planned interviews go with it. An interview
    has no officer of its own (the agenda and the calendar feed follow the case's officer),
    so they appear in the new officer's agenda as they are; for a case that waits unassigned
    they stay on the case page until the receiving lead assigns an officer."""
    from interviews.models import Interview

    planned = Interview.objects.filter(case=case).planned().filter(planned_at__gte=timezone.now())
    return {"planned_interviews": planned.count()}
