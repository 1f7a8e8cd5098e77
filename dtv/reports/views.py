import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases import services as case_services
from cases.models import Case
from dtv.accounts.models import Team
from dtv.accounts.roles import Role
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access, record_bulk_access, record_list_view
from dtv.reports import charts, figures
from dtv.reports.forms import ReportFilterForm
from dtv.reports.forms_lead import CoverForm, ReassignForm

SORTABLE = [
    "name",
    "open",
    "term_lapsed",
    "term_14",
    "interview_overdue",
    "old_obstacles",
    "overdue_actions",
    "escalations",
    "load",
]


def _lead(request):
    if request.user.role != Role.TEAM_LEAD or not request.user.team_id:
        raise PermissionDenied
    return request.user.team


def _reader(request):
    if request.user.role not in (Role.TEAM_LEAD, Role.AUDITOR):
        raise PermissionDenied


def _caseload_team(request):
    """The team whose caseload is shown: a team lead's own; for the auditor, who reads every
    team's read-only, the team chosen (`?team=`), else the first. Returns (team, teams to
    choose from)."""
    if request.user.role != Role.AUDITOR:
        return _lead(request), []
    teams = list(Team.objects.order_by("name"))
    chosen = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == chosen), teams[0] if teams else None)
    if team is None:
        raise Http404
    return team, teams


@require_GET
def caseload(request):
    team, teams = _caseload_team(request)
    # Who looked at which team's workload, like every other page.
    record_access(request, team, purpose="reports:caseload")
    today = timezone.localdate()
    rows = figures.caseload(team, today=today)
    sort = request.GET.get("sort", "-load")
    key = sort.lstrip("-")
    if key in SORTABLE:
        rows.sort(
            key=lambda r: (
                r.officer.get_full_name().lower()
                if key == "name"
                else (r.load if key == "load" else r.counts.get(key, 0))
            ),
            reverse=sort.startswith("-"),
        )
    totals = {k: sum(r.counts.get(k, 0) for r in rows) for k in SORTABLE if k not in ("name",)}
    return render(
        request,
        "reports/caseload.html",
        {
            "team": team,
            "rows": rows,
            "totals": totals,
            "sort": sort,
            "weights": figures.LOAD_WEIGHTS,
            "today": today,
            # The auditor reads, and may follow no link to reassign or cover.
            "read_only": request.user.role == Role.AUDITOR,
            "teams": teams,
        },
    )


@require_http_methods(["GET", "POST"])
def reassign(request):
    team = _lead(request)
    form = ReassignForm(request.POST or None, team=team, initial=_preselect(request))
    confirm = request.method == "POST" and request.POST.get("confirmed") == "1"
    if request.method == "POST" and form.is_valid():
        if not confirm:
            return render(request, "reports/reassign_confirm.html", {"form": form})
        try:
            moved = case_services.reassign_cases(
                list(form.cleaned_data["cases"]),
                actor=request.user,
                to_officer=form.cleaned_data["to_officer"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)d case(s) reassigned to %(officer)s.")
                % {"count": len(moved), "officer": form.cleaned_data["to_officer"]},
            )
            return redirect("reports:caseload")
    # The form lists the team's open cases by person: one Logboek entry for the page.
    record_list_view(
        request,
        Case,
        v_nummers=form.fields["cases"].queryset.values_list("person__v_nummer", flat=True),
        purpose="reports:reassign",
    )
    return render(request, "reports/reassign.html", {"form": form})


def _preselect(request):
    officer = request.GET.get("officer", "")
    if officer.isdigit():
        return {
            "cases": list(
                Case.objects.open().filter(officer_id=int(officer)).values_list("pk", flat=True)
            )
        }
    return {}


@require_http_methods(["GET", "POST"])
def cover(request):
    team = _lead(request)
    form = CoverForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.cover_officer(
                form.cleaned_data["officer"],
                actor=request.user,
                colleague=form.cleaned_data["colleague"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Absence cover recorded; the colleague was notified."))
            return redirect("reports:caseload")
    from cases.models import Cover

    covers = Cover.objects.filter(officer__team=team, ends_on__gte=timezone.localdate())
    return render(
        request,
        "reports/cover.html",
        {"form": form, "covers": covers.select_related("officer", "colleague")},
    )


# ---- reports ----------------------------------------------------------------------------

REPORTS = {
    "departures": gettext_lazy("Departures by type"),
    "obstacles": gettext_lazy("Obstacles: resolution by category and nationality"),
    "compliance": gettext_lazy("Interview compliance"),
    "outcomes": gettext_lazy("Outcomes of the obligation to leave"),
}


@require_GET
def index(request):
    _reader(request)
    return render(request, "reports/index.html", {"reports": REPORTS})


def _filters(request):
    form = ReportFilterForm(request.GET or None, user=request.user)
    since, until, team, nationality = form.values(request.user)
    return form, figures.Filters(since=since, until=until, team=team, nationality=nationality)


def _table(name, data, *, public: bool):
    """Header and rows of a report, as shown and as exported (public: published rules)."""
    count = figures.suppress if public else (lambda v: "" if v is None else v)
    total = figures.round_total if public else (lambda v: "" if v is None else v)
    pct = lambda v: "" if v is None else f"{v * 100:.0f}%"  # noqa: E731
    if name == "departures":
        types = data["types"]
        header = [
            _("Period"),
            *[label for _v, label in types],
            _("Total"),
            _("Share independent (proven)"),
        ]
        rows = [
            [
                date_format(r["period"], "F Y") if r["period"] else "",
                *[count(r["counts"][value]) for value, _label in types],
                total(r["total"]),
                pct(r["independent_share"]),
            ]
            for r in data["rows"]
        ]
        return header, rows
    if name == "obstacles":
        header = [_("Category"), _("Nationality"), _("Total"), _("Resolved"), _("Resolution rate")]
        from cases.reference import country_name

        rows = [
            [
                data["labels"].get(r["category"], r["category"]),
                country_name(r["country"] or ""),
                count(r["total"]),
                count(r["resolved"]),
                pct(r["rate"]),
            ]
            for r in data["rows"]
        ]
        return header, rows
    if name == "compliance":
        header = [
            _("Cases whose term lapsed"),
            _("Three mandatory interviews held"),
            _("Checklist completed in all three"),
        ]
        rows = [[total(data["total"]), count(data["held"]), count(data["complete"])]]
        return header, rows
    header = [_("Outcome"), _("Number")]
    rows = [[m["label"], count(m["n"])] for m in data["measures"]] + [
        [d["label"], count(d["n"])] for d in data["departures"]
    ]
    return header, rows


def _compute(name, filters, request):
    today = timezone.localdate()
    if name == "departures":
        return figures.departures(filters, by=request.GET.get("by", "month"))
    if name == "obstacles":
        return figures.obstacles(filters)
    if name == "compliance":
        return figures.compliance(filters, today=today)
    return figures.outcomes(filters)


def _chart(name, data) -> str:
    title = str(REPORTS[name])
    if name == "departures":
        items = [
            (str(label), sum(r["counts"][v] for r in data["rows"])) for v, label in data["types"]
        ]
    elif name == "obstacles":
        items = [
            (str(data["labels"].get(r["category"], r["category"])), round((r["rate"] or 0) * 100))
            for r in data["by_category"]
        ]
        return charts.bar_chart(items, title=title, unit="%")
    elif name == "compliance":
        total = data["total"] or 0
        items = [
            (_("Term lapsed"), total),
            (_("Three interviews held"), data["held"]),
            (_("Checklist complete"), data["complete"]),
        ]
    else:
        items = [(m["label"], m["n"]) for m in data["measures"] + data["departures"]]
    return charts.bar_chart(items, title=title)


@require_GET
def report(request, name):
    _reader(request)
    if name not in REPORTS:
        from django.http import Http404

        raise Http404
    form, filters = _filters(request)
    data = _compute(name, filters, request)
    header, rows = _table(name, data, public=False)
    export = request.GET.get("export", "")
    if export in ("csv", "xlsx", "csv-public", "xlsx-public"):
        public = export.endswith("-public")
        header, rows = _table(name, data, public=public)
        record_bulk_access(
            request,
            Case,
            count=len(rows),
            kind=AuditEntry.Kind.EXPORT,
            purpose=f"reports:{name}:{export}",
        )
        return _export(name, header, rows, fmt=export.split("-")[0])
    return render(
        request,
        "reports/report.html",
        {
            "name": name,
            "title": REPORTS[name],
            "form": form,
            "filters": filters,
            "data": data,
            "header": header,
            "rows": rows,
            "chart": mark_safe(_chart(name, data)),  # noqa: S308 - built with escape()
            "reports": REPORTS,
        },
    )


def _safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _export(name, header, rows, *, fmt):
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(h) for h in header])
        for row in rows:
            writer.writerow([_safe_cell(c) for c in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name[:31]
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([_safe_cell(c) if isinstance(c, str) else c for c in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


def case_list_link(**params) -> str:
    from urllib.parse import urlencode

    return reverse("cases:list") + "?" + urlencode(params)
