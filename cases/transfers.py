"""The services of a transfer between teams (or locations): propose, then accept or decline.

An officer or team lead proposes the transfer of an open case of their team with a reason and a
handover note; the lead of the receiving team accepts or declines it. On acceptance the case
gets its new team (and officer, municipality, reception location), its open reminders and
escalations go to their new recipients, and the apps above cases move their own part through
the registry's transfer hooks (planned interviews, agenda places): all in one transaction,
each row change in the audit log. Two leads deciding at once are serialised by the row lock on
the transfer; the second finds it decided."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access, registry
from cases.models import Case, CaseTransfer, Note
from dtv.text import date_text, require_length


def _pending_error(transfer: CaseTransfer) -> ValidationError:
    return ValidationError(
        _(
            "Case %(ref)s already has a transfer to team %(team)s awaiting a decision "
            "(proposed on %(date)s by %(who)s). Wait for the decision of that team's lead."
        )
        % {
            "ref": transfer.case.reference,
            "team": transfer.to_team,
            "date": date_text(timezone.localdate(transfer.proposed_at)),
            "who": transfer.proposed_by or "—",
        },
        code="transfer_pending",
    )


@transaction.atomic
def propose_transfer(
    case: Case,
    *,
    actor,
    to_team,
    reason: str,
    handover_note: str = "",
    to_municipality=None,
    to_reception_location=None,
) -> CaseTransfer:
    """Propose moving an open case of the actor's team to another team; its lead is told."""
    from dtv.notifications.services import notify

    if not access.works_cases(actor):
        raise ValidationError(_("Only departure officers and team leads can transfer cases."))
    current = (
        Case.objects.select_for_update(of=("self",))
        .select_related("team", "person")
        .get(pk=case.pk)
    )
    if current.team_id != actor.team_id:
        raise ValidationError(_("This case belongs to another team."))
    if current.is_closed:
        raise ValidationError(
            _("Case %(ref)s is closed; a closed case cannot be transferred.")
            % {"ref": current.reference},
            code="transfer_closed",
        )
    if to_team is None:
        raise ValidationError({"to_team": _("Choose the team that is to take over the case.")})
    if to_team.pk == current.team_id:
        raise ValidationError(
            {
                "to_team": _(
                    "Case %(ref)s is already in team %(team)s. Choose another team; a new "
                    "officer within the team is a reassignment, not a transfer."
                )
                % {"ref": current.reference, "team": current.team}
            },
            code="transfer_same_team",
        )
    if to_team.lead_id is None:
        raise ValidationError(
            {
                "to_team": _(
                    "Team %(team)s has no team lead to decide on the transfer. Ask the "
                    "functional administrator to assign one first."
                )
                % {"team": to_team}
            },
            code="transfer_no_lead",
        )
    pending = current.transfers.pending().select_related("to_team", "proposed_by").first()
    if pending is not None:
        pending.case = current
        raise _pending_error(pending)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    transfer = CaseTransfer(
        case=current,
        from_team_id=current.team_id,
        to_team=to_team,
        to_municipality=to_municipality,
        to_reception_location=to_reception_location,
        reason=require_length(reason, limit=500, what=_("The reason")),
        handover_note=require_length(
            (handover_note or "").strip(), limit=10000, what=_("The handover note")
        ),
        proposed_by=actor,
    )
    transfer.full_clean(exclude=["case", "from_team", "to_team"])
    try:
        with transaction.atomic():  # a savepoint: a colleague's proposal may have won the race
            transfer.save()
    except IntegrityError:
        pending = current.transfers.pending().select_related("to_team", "proposed_by").first()
        if pending is None:
            raise
        pending.case = current
        raise _pending_error(pending) from None
    notify(
        to_team.lead,
        title=_("Transfer proposed: case %(ref)s from team %(team)s")
        % {"ref": current.reference, "team": current.team},
        body=_("Reason: %(reason)s") % {"reason": transfer.reason},
        link=_decide_url(current),
    )
    return transfer


def _decide_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("cases:transfer_decide", args=[case.reference])


def _locked_pending(transfer: CaseTransfer, *, actor) -> CaseTransfer:
    """The transfer under a row lock, refused unless it awaits a decision by this lead."""
    # Only the transfer's row is locked (of=self): the decider may be null (an outer join).
    locked = (
        CaseTransfer.objects.select_for_update(of=("self",))
        .select_related("to_team", "from_team", "decided_by")
        .get(pk=transfer.pk)
    )
    if not access.decides_transfers(actor) or actor.team_id != locked.to_team_id:
        raise ValidationError(
            _("Only the lead of team %(team)s can decide on this transfer.")
            % {"team": locked.to_team},
            code="transfer_not_yours",
        )
    if not locked.is_pending:
        raise ValidationError(
            _("This transfer was already %(status)s by %(who)s on %(date)s.")
            % {
                "status": locked.get_status_display().lower(),
                "who": locked.decided_by or "—",
                "date": date_text(timezone.localdate(locked.decided_at)),
            },
            code="transfer_decided",
        )
    return locked


@transaction.atomic
def accept_transfer(transfer: CaseTransfer, *, actor, officer=None) -> CaseTransfer:
    """The receiving lead takes the case into the team, with an officer of the team or (none)
    to wait unassigned in the team's list. Everything that hangs on the case moves now."""
    from dtv.notifications.services import hand_over_case, notify

    locked = _locked_pending(transfer, actor=actor)
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("person").get(pk=locked.case_id)
    )
    if case.is_closed:
        raise ValidationError(
            _(
                "Case %(ref)s was closed meanwhile; it can no longer be taken over. Decline "
                "the transfer."
            )
            % {"ref": case.reference},
            code="transfer_closed",
        )
    if case.team_id != locked.from_team_id:
        raise ValidationError(
            _("Case %(ref)s is no longer in team %(team)s; this transfer no longer applies.")
            % {"ref": case.reference, "team": locked.from_team},
            code="transfer_stale",
        )
    if officer is not None and (
        officer.team_id != locked.to_team_id or not access.works_cases(officer)
    ):
        raise ValidationError(
            {"officer": _("Choose an officer of your own team, or leave the case unassigned.")}
        )
    previous_officer = case.officer
    case.team_id = locked.to_team_id
    case.officer = officer
    if locked.to_municipality_id:
        case.municipality_id = locked.to_municipality_id
    if locked.to_reception_location_id:
        case.reception_location_id = locked.to_reception_location_id
    case.version += 1
    case.save(
        update_fields=[
            "team",
            "officer",
            "municipality",
            "reception_location",
            "version",
            "updated_at",
        ]
    )
    moved = hand_over_case(case, officer=officer, lead=locked.to_team.lead)
    moved.update(registry.move_with_transfer(case, transfer=locked, actor=actor))
    now = timezone.now()
    locked.status = CaseTransfer.Status.ACCEPTED
    locked.decided_by = actor
    locked.decided_at = now
    locked.new_officer = officer
    locked.moved = moved
    locked.save()
    Note.objects.create(
        case=case,
        author=actor,
        # At the handover's moment: the former team reads the case up to and with it.
        created_at=now,
        text=_(
            "Transferred from team %(old)s to team %(new)s (officer: %(officer)s, was "
            "%(previous)s). Reason: %(reason)s"
        )
        % {
            "old": locked.from_team,
            "new": locked.to_team,
            "officer": officer or _("not yet assigned"),
            "previous": previous_officer or "—",
            "reason": locked.reason,
        }
        + (f"\n{locked.handover_note}" if locked.handover_note else ""),
    )
    link = case.get_absolute_url()
    if officer is not None and officer.pk != actor.pk:
        notify(
            officer,
            title=_("Case %(ref)s transferred to you from team %(team)s")
            % {"ref": case.reference, "team": locked.from_team},
            body=locked.handover_note or locked.reason,
            link=link,
        )
    if locked.proposed_by_id and locked.proposed_by_id != actor.pk:
        notify(
            locked.proposed_by,
            title=_("Transfer of case %(ref)s to team %(team)s accepted")
            % {"ref": case.reference, "team": locked.to_team},
            body=_("Accepted by %(who)s.") % {"who": actor},
            link=link,
        )
    transfer.refresh_from_db()
    return locked


@transaction.atomic
def decline_transfer(transfer: CaseTransfer, *, actor, reason: str) -> CaseTransfer:
    """The receiving lead declines, saying why; the case stays where it is."""
    from dtv.notifications.services import notify

    reason = (reason or "").strip()
    locked = _locked_pending(transfer, actor=actor)
    if not reason:
        raise ValidationError({"reason": _("Say why you decline the transfer.")})
    locked.status = CaseTransfer.Status.DECLINED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_reason = require_length(reason, limit=500, what=_("The reason"))
    locked.save()
    case = locked.case
    if locked.proposed_by_id:
        notify(
            locked.proposed_by,
            title=_("Transfer of case %(ref)s to team %(team)s declined")
            % {"ref": case.reference, "team": locked.to_team},
            body=_("Declined by %(who)s: %(reason)s") % {"who": actor, "reason": reason},
            link=case.get_absolute_url(),
        )
    transfer.refresh_from_db()
    return locked


def may_withdraw(transfer: CaseTransfer, user) -> bool:
    """The proposer, or the lead of the team that proposed it, while it awaits a decision."""
    return transfer.is_pending and access.withdraws_transfer(user, transfer)


@transaction.atomic
def withdraw_transfer(transfer: CaseTransfer, *, actor) -> CaseTransfer:
    """Take back a proposal that awaits a decision; the receiving lead is told."""
    from dtv.notifications.services import notify

    locked = (
        CaseTransfer.objects.select_for_update(of=("self",))
        .select_related("to_team__lead", "decided_by", "case")
        .get(pk=transfer.pk)
    )
    if not locked.is_pending:
        raise ValidationError(
            _("This transfer was already %(status)s by %(who)s on %(date)s.")
            % {
                "status": locked.get_status_display().lower(),
                "who": locked.decided_by or "—",
                "date": date_text(timezone.localdate(locked.decided_at)),
            },
            code="transfer_decided",
        )
    if not may_withdraw(locked, actor):
        raise ValidationError(
            _("Only the proposer or the lead of team %(team)s can withdraw this transfer.")
            % {"team": locked.from_team},
            code="transfer_not_yours",
        )
    locked.status = CaseTransfer.Status.WITHDRAWN
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    if locked.to_team.lead_id and locked.to_team.lead_id != actor.pk:
        notify(
            locked.to_team.lead,
            title=_("Transfer of case %(ref)s withdrawn") % {"ref": locked.case.reference},
            body=_("Withdrawn by %(who)s.") % {"who": actor},
        )
    transfer.refresh_from_db()
    return locked


def transfer_events(case):
    """The case's transfers on its timeline."""
    from cases.registry import TimelineEvent

    transfers = getattr(case, "_transfers", None)
    if transfers is None:
        transfers = list(case.transfers.select_related("from_team", "to_team", "decided_by"))
    for transfer in transfers:
        yield TimelineEvent(
            at=transfer.proposed_at,
            kind=_("Transfer"),
            title=_("Transfer to team %(team)s proposed") % {"team": transfer.to_team},
            detail=transfer.reason,
        )
        if transfer.decided_at is None:
            continue
        if transfer.status == CaseTransfer.Status.WITHDRAWN:
            title = _("Transfer to team %(team)s withdrawn") % {"team": transfer.to_team}
            detail = ""
        elif transfer.status == CaseTransfer.Status.ACCEPTED:
            title = _("Transferred from team %(old)s to team %(new)s") % {
                "old": transfer.from_team,
                "new": transfer.to_team,
            }
            detail = ""
        else:
            title = _("Transfer to team %(team)s declined") % {"team": transfer.to_team}
            detail = transfer.decision_reason
        yield TimelineEvent(at=transfer.decided_at, kind=_("Transfer"), title=title, detail=detail)
