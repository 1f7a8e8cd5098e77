from django.urls import reverse
from django.utils.translation import gettext as _

from cases import access
from cases.models import Case
from cases.registry import TimelineEvent, has_rows
from dtv.text import field_label


def case_events(case: Case):
    """The case's own events: notes, procedures, obstacles and phase changes."""
    notes = case.notes.select_related("author") if has_rows(case, "notes") else ()
    for note in notes:
        yield TimelineEvent(
            at=note.created_at,
            kind=_("Note"),
            title=str(note.author or ""),
            detail=note.text,
        )
    for procedure in case.procedures.all():
        when = procedure.filed_on or procedure.decision_on or procedure.created_at
        yield TimelineEvent(
            at=when,
            kind=_("Procedure"),
            title=f"{field_label(procedure, 'type')} · {field_label(procedure, 'outcome')}",
            detail=procedure.case_number,
            url=reverse("cases:procedure_edit", args=[case.reference, procedure.pk]),
            perm=access.CHANGE_PROCEDURE,
        )
        if procedure.hearing_on:
            yield TimelineEvent(
                at=procedure.hearing_on,
                kind=_("Hearing"),
                title=field_label(procedure, "type"),
                detail=procedure.court,
            )
        if procedure.ruling_on:
            yield TimelineEvent(
                at=procedure.ruling_on,
                kind=_("Ruling"),
                title=f"{field_label(procedure, 'type')} · {field_label(procedure, 'outcome')}",
            )
    for obstacle in case.obstacles.all():
        yield TimelineEvent(
            at=obstacle.identified_on,
            kind=_("Obstacle"),
            title=field_label(obstacle, "category"),
            detail=obstacle.description,
        )
        if obstacle.resolved_on:
            yield TimelineEvent(
                at=obstacle.resolved_on,
                kind=_("Obstacle"),
                title=f"{field_label(obstacle, 'category')} · {field_label(obstacle, 'status')}",
                detail=obstacle.resolution,
            )
    changes = case.phase_changes.select_related("actor") if has_rows(case, "phase_changes") else ()
    for change in changes:
        yield TimelineEvent(
            at=change.at,
            kind=_("Phase"),
            title=Case.Phase(change.to_phase).label,
            detail=f"{change.reason} ({change.actor or _('system')})",
        )
