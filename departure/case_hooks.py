"""What the departure app adds to a case: the stored end of the departure term (derived), the
deadlines-and-outcomes block on the case page (section) and the timeline events."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import access as case_access
from cases.registry import Section, TimelineEvent
from departure import access, deadlines
from departure.facts import case_facts
from departure.models import Departure
from documents import access as document_access

# A lapsed deadline is left off the case page once a later one of the same matter has lapsed
# too: it asks nothing more (the warning before the term's end, week 10 after week 12, ...).
SUPERSEDED_BY = {
    "term_warning": "term_end",
    "appeal_window": "term_end",
    "vbl_lto": "vbl_decision",
    "detention_extension": "detention_extension_due",
    "lp_followup_3": "lp_followup_6",
    "lp_followup_6": "lp_followup_12",
    "border_warning": "border_end",
    "transfer_detained_request": "transfer_detained",
}


# The relations section() and timeline() read, prefetched once by the case page (registry).
PREFETCH = (
    "measures__court_reviews",
    "travel_documents__embassy",
    "presentations__embassy",
    "return_support",
    "advice",
    "departure",
)


def _departure_of(case):
    # The reverse one-to-one caches "none" too, so asking twice costs one query at most.
    try:
        return case.departure
    except Departure.DoesNotExist:
        return None


def derived_fields(case, *, today):
    items = deadlines.compute_deadlines(case_facts(case))
    # The engine's own term (departure_term), not computed a second time.
    term = next((d for d in items if d.rule == "term_end"), None)
    urgent = most_urgent(case, items, today)
    return {
        "term_ends_on": term.due_on if term else None,
        "next_deadline_on": urgent[0] if urgent else None,
        "next_deadline_rule": urgent[1] if urgent else "",
    }


# The stored most urgent deadline depends on the day for these rules: the 4-weekly detention
# review rolls on, and a lapsed step gives way to its successor once that lapses too. The
# reminder sweep recomputes cases whose stored one of these has passed.
TIME_DEPENDENT_RULES = frozenset({"detention_review", *SUPERSEDED_BY})
# A suspended case resumes when its suspensive procedure is decided: the hearing is the date
# the worklist orders it by (the rule name of that date, not one of the engine's rules).
RESUME_RULE = "resume_hearing"
# What the worklist calls each stored rule: the engine's labels, and the resume date.
URGENT_LABELS = {**deadlines.LABELS, RESUME_RULE: gettext_lazy("Hearing (case resumes)")}


def asks_for_action(case, deadline) -> bool:
    """Whether a deadline the case page shows still asks the officer for something: the
    same rule as the page's alarm. The week-before warning is the term's end seen early."""
    if deadline.rule == "term_warning":
        return False
    if deadline.rule in ("term_end", "appeal_window"):
        return case.phase in TERM_OPEN_PHASES
    return True


def most_urgent(case, items, today) -> tuple | None:
    """(date, rule) of the earliest deadline that asks for action, by the engine's own dates;
    for a suspended case the earliest hearing of a pending suspensive procedure counts too,
    and nothing else of the term. None when nothing is due (the worklist puts it last)."""
    candidates = [
        (d.due_on, d.rule) for d in visible_deadlines(items, today) if asks_for_action(case, d)
    ]
    if case.phase == "suspended":
        candidates += [
            (p.hearing_on, RESUME_RULE)
            for p in case.procedures.all()
            if p.suspensive and p.is_pending and p.hearing_on
        ]
    return min(candidates, default=None)


def _matter(deadline) -> tuple:
    # Travel-document follow-ups belong to one request each.
    return (deadline.inputs.get("ref"), deadline.inputs.get("submitted_on"))


def visible_deadlines(items, today):
    """The deadlines worth showing: everything still ahead, and the lapsed ones that no later
    lapsed deadline of the same matter has replaced."""
    lapsed = {(d.rule, *_matter(d)) for d in items if d.is_lapsed(today)}
    shown = []
    for deadline in items:
        if deadline.is_lapsed(today):
            successor = SUPERSEDED_BY.get(deadline.rule)
            if successor and (successor, *_matter(deadline)) in lapsed:
                continue
            if deadline.rule == "appeal_window" and any(d.rule == "term_end" for d in items):
                continue
        shown.append(deadline)
    return shown


# Once the case has an outcome (VBL, detention, a planned departure, ...), the lapsed term
# is a fact of its history rather than something to act on: shown, but not as an alarm.
TERM_OPEN_PHASES = ("registered", "term_running", "obliged")


def _deadline_rows(case, today):
    rows = []
    for deadline in visible_deadlines(deadlines.compute_deadlines(case_facts(case)), today):
        days = deadline.days_left(today)
        lapsed = deadline.is_lapsed(today)
        rows.append(
            {
                "deadline": deadline,
                "days_left": days,
                "days_ago": -days,
                "lapsed": lapsed,
                "alarm": lapsed
                and not (deadline.rule == "term_end" and case.phase not in TERM_OPEN_PHASES),
                "soon": 0 <= days <= 7,
            }
        )
    return rows


def section(case, *, user, today):
    prefetch_related_objects(
        [case],
        "procedures",
        "measures__court_reviews",
        "travel_documents__embassy",
        "presentations__embassy",
    )
    departure = _departure_of(case)
    can_change = case_access.works_cases(user) and not case.is_closed
    context = {
        "case": case,
        "deadlines": _deadline_rows(case, today),
        "measures": list(case.measures.all()),
        "departure": departure,
        "return_support": list(case.return_support.all()),
        "travel_documents": list(case.travel_documents.all()),
        "presentations": list(case.presentations.all()),
        "advice": list(case.advice.all()),
        "rules_version": deadlines.RULES_VERSION,
        "today": today,
        "can_add_measure": can_change and user.has_perm(access.ADD_MEASURE),
        "can_change_measure": can_change and user.has_perm(access.CHANGE_MEASURE),
        "can_add_court_review": can_change and user.has_perm(access.ADD_COURTREVIEW),
        "can_add_return_support": can_change and user.has_perm(access.ADD_RETURNSUPPORT),
        "can_decide_return_support": can_change and user.has_perm(access.CHANGE_RETURNSUPPORT),
        "can_add_travel_document": can_change and user.has_perm(access.ADD_TRAVELDOCUMENTREQUEST),
        "can_change_travel_document": can_change
        and user.has_perm(access.CHANGE_TRAVELDOCUMENTREQUEST),
        "can_present": can_change and user.has_perm(access.ADD_EMBASSYPRESENTATION),
        "can_edit_presentation": can_change and user.has_perm(access.CHANGE_EMBASSYPRESENTATION),
        "can_add_advice": can_change and user.has_perm(access.ADD_ADVICE),
        "can_change_advice": can_change and user.has_perm(access.CHANGE_ADVICE),
        # Team members of the case (can_change) with the documents permission.
        "can_add_document": can_change and user.has_perm(document_access.ADD_DOCUMENT),
    }
    if can_change and user.has_perm(access.ADD_DEPARTURE) and departure is None:
        context["action_url"] = reverse("departure:record_departure", args=[case.reference])
        context["action_label"] = _("Record departure")
    return Section(order=10, template="departure/_case_section.html", context=context)


def timeline(case):
    for presentation in case.presentations.all():
        yield TimelineEvent(
            at=presentation.presented_on,
            kind=_("Embassy presentation"),
            title=str(presentation.embassy),
            detail=presentation.get_answer_display(),
        )
    overview = reverse("departure:overview", args=[case.reference])
    measures = list(case.measures.all())
    for measure in measures:
        label = measure.get_type_display()
        yield TimelineEvent(
            at=measure.started_on,
            kind=_("Measure"),
            title=label,
            detail=" · ".join(filter(None, [measure.location, measure.decision])),
            url=f"{overview}#measure-{measure.pk}",
        )
        if measure.lto_decision:
            yield TimelineEvent(
                at=measure.lto_decided_on,
                kind=_("Measure"),
                title=_("LTO decision on %(type)s: %(decision)s")
                % {"type": label, "decision": measure.get_lto_decision_display()},
            )
        if measure.extended_on:
            yield TimelineEvent(
                at=measure.extended_on,
                kind=_("Measure"),
                title=_("%(type)s extended") % {"type": label},
            )
        if measure.ended_on:
            yield TimelineEvent(
                at=measure.ended_on,
                kind=_("Measure"),
                title=_("%(type)s ended") % {"type": label},
                detail=measure.end_reason,
            )
    reviews = [review for measure in measures for review in measure.court_reviews.all()]
    for review in reviews:
        yield TimelineEvent(
            at=review.reviewed_on,
            kind=_("Court review"),
            title=f"{review.get_kind_display()} · "
            + (_("detention lawful") if review.lawful else _("detention unlawful")),
            detail=review.court,
        )
    departure = _departure_of(case)
    if departure:
        detail = ", ".join(
            filter(
                None,
                [
                    departure.destination_name,
                    departure.get_confirmed_by_display() if departure.confirmed_by else "",
                ],
            )
        )
        yield TimelineEvent(
            at=departure.departed_on,
            kind=_("Departure"),
            title=departure.get_type_display(),
            detail=detail,
            url=f"{overview}#departure",
        )
    for support in case.return_support.all():
        yield TimelineEvent(
            at=support.applied_on,
            kind=_("Return support"),
            title=_("Applied for %(programme)s") % {"programme": support.get_programme_display()},
            url=f"{overview}#return-support",
        )
        if support.decided_on:
            yield TimelineEvent(
                at=support.decided_on,
                kind=_("Return support"),
                title=f"{support.get_programme_display()} · {support.get_decision_display()}",
            )
    for request in case.travel_documents.all():
        where = f" · {request.embassy}" if request.embassy_id else ""
        yield TimelineEvent(
            at=request.ordered_on,
            kind=_("Travel document"),
            title=f"{request.get_document_type_display()}{where}",
            detail=_("Submitted on %(date)s") % {"date": date_format(request.submitted_on)}
            if request.submitted_on
            else "",
            url=f"{overview}#travel-documents",
        )
        if request.answer:
            yield TimelineEvent(
                at=request.answered_on,
                kind=_("Travel document"),
                title=_("Answer: %(answer)s") % {"answer": request.get_answer_display()},
                detail=_("Issued on %(date)s") % {"date": date_format(request.issued_on)}
                if request.issued_on
                else "",
            )
    for advice in case.advice.all():
        yield TimelineEvent(
            at=advice.requested_on,
            kind=_("Advice"),
            title=advice.get_type_display(),
            detail=advice.get_status_display(),
            url=f"{overview}#advice",
        )
        if advice.sent_on:
            yield TimelineEvent(
                at=advice.sent_on,
                kind=_("Advice"),
                title=_("%(type)s sent to the IND") % {"type": advice.get_type_display()},
            )
        if advice.decided_on:
            yield TimelineEvent(
                at=advice.decided_on,
                kind=_("Advice"),
                title=_("IND decision on %(type)s") % {"type": advice.get_type_display()},
                detail=advice.outcome,
            )
