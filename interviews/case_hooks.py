"""What the interviews app adds to a case: the stored next interview, the interview block on
the case page and the timeline events."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.registry import Section, TimelineEvent
from interviews import plan

SHELTER_TYPES = ("vbl", "gl", "htl")


def plan_facts(case) -> plan.PlanFacts:
    # .all() on related managers, so that prefetching (seeding, the sweep) is used.
    held = tuple(
        plan.HeldInterview(stage=i.stage, held_on=timezone.localtime(i.held_at).date())
        for i in case.interviews.all()
        if i.held_at is not None and not i.no_show
    )
    procedures = list(case.procedures.all())
    hearings = [p.hearing_on for p in procedures if p.hearing_on and p.outcome == "pending"]
    rulings = [
        p.final_on or p.ruling_on
        for p in procedures
        if p.outcome != "pending" and (p.final_on or p.ruling_on)
    ]
    # Measures belong to the departure app; read them through the ORM's relation by name.
    vbl = [
        m.started_on for m in case.measures.all() if m.type in SHELTER_TYPES and m.ended_on is None
    ]
    return plan.PlanFacts(
        phase=case.phase,
        opened_on=case.opened_on,
        held=held,
        hearing_on=max(hearings, default=None),
        ruling_on=max(rulings, default=None),
        vbl_start=min(vbl, default=None),
    )


def derived_fields(case, *, today):
    upcoming = plan.next_interview(plan_facts(case))
    if upcoming is None:
        return {"next_interview_due_on": None, "next_interview_stage": ""}
    return {"next_interview_due_on": upcoming.due_on, "next_interview_stage": upcoming.stage}


def section(case, *, user, today):
    facts = plan_facts(case)
    upcoming = plan.next_interview(facts)
    interviews = list(case.interviews.all()[:8])
    planned = [i for i in interviews if i.held_at is None and not i.no_show]
    context = {
        "case": case,
        "next": upcoming,
        "overdue": upcoming.is_overdue(today) if upcoming else False,
        "days_left": upcoming.days_left(today) if upcoming else None,
        "interviews": interviews,
        "planned": planned,
        "presentations": list(case.presentations.select_related("embassy")),
        "can_change": user.has_perm("interviews.add_interview") and not case.is_closed,
        "held_count": sum(1 for i in case.interviews.all() if i.is_held),
    }
    if context["can_change"]:
        stage = upcoming.stage if upcoming else "progress"
        context["action_url"] = reverse("interviews:log", args=[case.reference]) + f"?stage={stage}"
        context["action_label"] = _("Log interview")
    return Section(order=5, template="interviews/_case_section.html", context=context)


def timeline(case):
    for interview in case.interviews.all():
        when = interview.held_at or interview.planned_at
        if when is None:
            continue
        if interview.no_show:
            status = _("did not appear")
        elif interview.held_at:
            status = interview.get_attitude_display()
        else:
            status = _("planned")
        yield TimelineEvent(
            at=when,
            kind=_("Interview"),
            title=f"{interview.get_stage_display()} · {status}",
            detail=interview.report[:300],
            url=interview.get_absolute_url(),
        )
    for presentation in case.presentations.select_related("embassy"):
        yield TimelineEvent(
            at=presentation.presented_on,
            kind=_("Embassy presentation"),
            title=str(presentation.embassy),
            detail=presentation.get_answer_display() if presentation.answer else "",
        )
