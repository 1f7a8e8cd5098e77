"""What the departure app adds to a case: the stored term end, the deadlines block on the
case page and the timeline events."""

from django.urls import reverse
from django.utils.translation import gettext as _

from cases.registry import Section, TimelineEvent
from departure import deadlines
from departure.facts import case_facts
from departure.models import Advice, Departure, ReturnSupport


def derived_fields(case, *, today):
    term = deadlines.departure_term(case_facts(case))
    return {"term_ends_on": term.due_on if term else None}


def section(case, *, user, today):
    facts = case_facts(case)
    items = deadlines.compute_deadlines(facts)
    # Past deadlines that no longer ask anything are left out, except a lapsed term.
    shown = [
        d
        for d in items
        if d.due_on >= today or d.rule in ("term_end", "vbl_decision", "detention_max")
    ]
    departure = Departure.objects.filter(case=case).first()
    can_change = user.has_perm("departure.add_departure") and not case.is_closed
    context = {
        "case": case,
        "deadlines": [
            {
                "deadline": d,
                "days_left": d.days_left(today),
                "days_ago": -d.days_left(today),
                "lapsed": d.is_lapsed(today),
            }
            for d in shown
        ],
        "measures": list(case.measures.all()),
        "departure": departure,
        "return_support": list(ReturnSupport.objects.filter(case=case)),
        "travel_documents": list(case.travel_documents.select_related("embassy")),
        "advice": list(Advice.objects.filter(case=case)),
        "can_change": can_change,
        "rules_version": deadlines.RULES_VERSION,
    }
    if can_change:
        context["action_url"] = reverse("departure:record_departure", args=[case.reference])
        context["action_label"] = _("Record departure")
    return Section(order=10, template="departure/_case_section.html", context=context)


def timeline(case):
    for measure in case.measures.all():
        yield TimelineEvent(
            at=measure.started_on,
            kind=_("Measure"),
            title=measure.get_type_display(),
            detail=measure.location,
        )
        if measure.ended_on:
            yield TimelineEvent(
                at=measure.ended_on,
                kind=_("Measure"),
                title=_("%(type)s ended") % {"type": measure.get_type_display()},
                detail=measure.decision,
            )
    departure = Departure.objects.filter(case=case).first()
    if departure:
        yield TimelineEvent(
            at=departure.departed_on, kind=_("Departure"), title=departure.get_type_display()
        )
    for support in ReturnSupport.objects.filter(case=case):
        yield TimelineEvent(
            at=support.applied_on,
            kind=_("Return support"),
            title=f"{support.get_programme_display()} · {support.get_decision_display()}",
        )
    for request in case.travel_documents.all():
        yield TimelineEvent(
            at=request.ordered_on,
            kind=_("Travel document"),
            title=request.get_document_type_display(),
            detail=request.get_answer_display() if request.answer else "",
        )
    for advice in Advice.objects.filter(case=case):
        yield TimelineEvent(
            at=advice.requested_on,
            kind=_("Advice"),
            title=advice.get_type_display(),
            detail=advice.get_status_display(),
        )
