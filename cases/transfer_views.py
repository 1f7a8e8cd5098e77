"""The pages of a transfer between teams: the proposal from the case page, the receiving
lead's decision, the team lead's list of transfers in and out, and the read-only handover view
the former team keeps for a while (CaseQuerySet.handed_over_by)."""

from dataclasses import replace
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access, registry, transfers
from cases.forms import TransferDecisionForm, TransferProposalForm
from cases.models import Case, CaseTransfer
from dtv.accounts.decorators import require_perm
from dtv.audit.services import record_access, record_list_view

VIEW = access.VIEW_CASE
PAGE_SIZE = 25
TRANSFER_RELATED = (
    "case__person",
    "from_team__lead",
    "to_team",
    "proposed_by",
    "decided_by",
    "new_officer",
    "to_municipality",
    "to_reception_location",
)


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_CASETRANSFER, hide_without=VIEW)
def transfer_propose(request, reference):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person", "team", "officer"),
        reference=reference,
    )
    form = TransferProposalForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = transfers.propose_transfer(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Transfer of case %(ref)s to team %(team)s proposed; the lead of that team "
                    "decides."
                )
                % {"ref": case.reference, "team": transfer.to_team},
            )
            return redirect(case)
    pending = case.transfers.pending().select_related("to_team", "proposed_by").first()
    record_access(request, case, purpose="cases:transfer_propose")
    return render(
        request,
        "cases/transfer_form.html",
        {"case": case, "form": form, "pending": pending},
    )


@require_POST
@require_perm(access.ADD_CASETRANSFER, hide_without=VIEW)
def transfer_withdraw(request, reference):
    case = get_object_or_404(Case.objects.visible_to(request.user), reference=reference)
    transfer = get_object_or_404(case.transfers.pending())
    try:
        transfers.withdraw_transfer(transfer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Transfer of case %(ref)s withdrawn; the case stays in team %(team)s.")
            % {"ref": case.reference, "team": transfer.from_team},
        )
    return redirect(case)


def _receiving_transfer(request, reference) -> CaseTransfer:
    """The latest transfer of the case to the lead's team; outside that team it does not
    exist (404)."""
    queryset = CaseTransfer.objects.filter(
        to_team_id=request.user.team_id, case__reference=reference
    ).select_related(*TRANSFER_RELATED, "case__officer", "case__municipality", "case__team")
    transfer = queryset.order_by("-proposed_at", "-pk").first()
    if transfer is None or not access.decides_transfers(request.user):
        raise Http404
    return transfer


@require_http_methods(["GET", "POST"])
@require_perm(access.DECIDE_TRANSFER, hide_without=VIEW)
def transfer_decide(request, reference):
    transfer = _receiving_transfer(request, reference)
    form = TransferDecisionForm(request.POST or None, team=request.user.team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == TransferDecisionForm.ACCEPT:
                decided = transfers.accept_transfer(
                    transfer, actor=request.user, officer=data["officer"]
                )
            else:
                decided = transfers.decline_transfer(
                    transfer, actor=request.user, reason=data["reason"]
                )
        except ValidationError as error:
            form.add_error(None, error)
            transfer = _receiving_transfer(request, reference)
        else:
            if decided.status == CaseTransfer.Status.ACCEPTED:
                lines = registry.transfer_moved_lines(decided.moved)
                messages.success(
                    request,
                    " ".join(
                        [
                            _("Case %(ref)s is now in team %(team)s.")
                            % {"ref": decided.case.reference, "team": decided.to_team},
                            *(f"{line}." for line in lines),
                        ]
                    ),
                )
                return redirect(decided.case)
            messages.success(
                request,
                _("Transfer of case %(ref)s declined; the proposer has been told.")
                % {"ref": decided.case.reference},
            )
            return redirect("cases:transfers")
    record_access(request, transfer.case, purpose="cases:transfer_decide")
    return render(
        request,
        "cases/transfer_decide.html",
        {
            "transfer": transfer,
            "case": transfer.case,
            "form": form,
            "moved": registry.transfer_moved_lines(transfer.moved),
        },
    )


DIRECTIONS = ("incoming", "outgoing")
STATUSES = ("pending", "decided")


@require_GET
@require_perm(access.VIEW_CASETRANSFER, hide_without=VIEW)
def transfer_list(request):
    """A team lead's transfers into and out of the team (the auditor: every team's), pending
    or decided."""
    user = request.user
    direction = request.GET.get("direction", "")
    status = request.GET.get("status", "")
    queryset = CaseTransfer.objects.visible_to(user).select_related(*TRANSFER_RELATED)
    if user.team_id and direction == "incoming":
        queryset = queryset.filter(to_team_id=user.team_id)
    elif user.team_id and direction == "outgoing":
        queryset = queryset.filter(from_team_id=user.team_id)
    if status == "pending":
        queryset = queryset.pending()
    elif status == "decided":
        queryset = queryset.decided()
    counts = {}
    if user.team_id:
        mine = CaseTransfer.objects.pending()
        counts = {
            "incoming": mine.filter(to_team_id=user.team_id).count(),
            "outgoing": mine.filter(from_team_id=user.team_id).count(),
        }
    page = Paginator(queryset.order_by("-proposed_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    record_list_view(
        request,
        CaseTransfer,
        v_nummers=[t.case.person.v_nummer for t in page],
        purpose="cases:transfers",
    )
    # Linked where the case page opens: the team's own cases, and those it handed over
    # while its read access lasts.
    shown = [t.case_id for t in page]
    visible = set(
        Case.objects.visible_to(user).filter(pk__in=shown).values_list("pk", flat=True)
    ) | set(Case.objects.handed_over_by(user).filter(pk__in=shown).values_list("pk", flat=True))
    return render(
        request,
        "cases/transfer_list.html",
        {
            "page_obj": page,
            "direction": direction if direction in DIRECTIONS else "",
            "status": status if status in STATUSES else "",
            "counts": counts,
            "visible_case_ids": visible,
            "team": user.team,
        },
    )


def handed_over_detail(request, reference):
    """The case page for the team that handed the case over, while its read access lasts:
    what was recorded up to the handover, read-only and without links into the case's pages
    (which are the new team's now). 404 for everyone else."""
    case = get_object_or_404(
        Case.objects.handed_over_by(request.user).select_related("person", "team"),
        reference=reference,
    )
    transfer = (
        case.transfers.filter(
            from_team_id=request.user.team_id, status=CaseTransfer.Status.ACCEPTED
        )
        .select_related("to_team", "from_team", "decided_by")
        .order_by("-decided_at")
        .first()
    )
    record_access(request, case, purpose="cases:handed_over")
    until = transfer.decided_at
    events = [
        event for event in registry.timeline(case, user=request.user) if _moment(event.at) <= until
    ]
    # No links: the pages behind them are the new team's now.
    events = [replace(event, url="") for event in events]
    read_until = timezone.localdate(until) + timedelta(days=settings.CASE_TRANSFER_READ_DAYS)
    return render(
        request,
        "cases/case_handed_over.html",
        {
            "case": case,
            "person": case.person,
            "transfer": transfer,
            "timeline": events,
            "read_until": read_until,
        },
    )


def _moment(at):
    if isinstance(at, datetime):
        return at
    return timezone.make_aware(datetime.combine(at, time.min))


def case_transfers(case):
    """The case's transfers, newest first, read once for the case page (the timeline reads
    the same list)."""
    found = []
    if registry.has_rows(case, "transfers"):
        found = list(
            case.transfers.select_related("from_team", "to_team", "proposed_by", "decided_by")
        )
    case._transfers = found
    return found


def transfer_context(request, case, found) -> dict:
    pending = next((t for t in found if t.is_pending), None)
    user = request.user
    return {
        "pending_transfer": pending,
        "can_withdraw_transfer": pending is not None and transfers.may_withdraw(pending, user),
        "can_transfer": (
            user.has_perm(access.ADD_CASETRANSFER)
            and user.team_id == case.team_id
            and not case.is_closed
            and pending is None
        ),
    }
