from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases import services as case_services
from cases.filters import CaseFilter, apply_sort
from cases.models import Case
from dtv import exports
from dtv.accounts.models import Team
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access, record_bulk_access, record_list_view
from dtv.reports import access, charts, disclosure, figures, publication
from dtv.reports.forms import PublicationForm, ReportFilterForm
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
    if not access.manages_caseload(request.user):
        raise PermissionDenied
    return request.user.team


def _reader(request):
    if not access.reads_reports(request.user):
        raise PermissionDenied


def _caseload_team(request):
    """The team whose caseload is shown: a team lead's own; for the auditor, who reads every
    team's read-only, the team chosen (`?team=`), else the first. Returns (team, teams to
    choose from)."""
    _reader(request)
    if not access.reports_on_every_team(request.user):
        if not request.user.team_id:
            raise PermissionDenied
        return request.user.team, []
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
            "overloaded": [row for row in rows if row.overloaded],
            "today": today,
            # The auditor reads, and may follow no link to reassign or cover.
            "read_only": not access.manages_caseload(request.user),
            "teams": teams,
        },
    )


# Cases the reassignment page lists at most: it starts from an officer or a filter, and a
# longer list asks for a narrower filter rather than a 2,700-pixel page.
REASSIGN_LIMIT = 100
REASSIGN_FIELDS = ("cases", "to_officer", "reason", "note")


def _reassign_listing(request, team):
    """The team's open cases by the case list's own filter and sort (the same parameters, so
    a filtered case list opens here as it is), or none before an officer or filter is
    chosen."""
    base = Case.objects.open().filter(team=team)
    data = request.GET.copy()
    data.pop("page", None)
    sort = data.pop("sort", ["deadline"])[-1]
    filterset = CaseFilter(data or None, queryset=base, user=request.user)
    if not filterset.is_bound or not filterset.is_valid():
        return filterset, [], sort, False
    cases = apply_sort(filterset.qs, sort).select_related("person", "officer")
    cases = list(cases[: REASSIGN_LIMIT + 1])
    return filterset, cases[:REASSIGN_LIMIT], sort, len(cases) > REASSIGN_LIMIT


def _load_preview(team, cases, to_officer, today):
    """Each officer's weighted load now and after the move, with the team's norm."""
    rows = figures.caseload(team, today=today)
    moving = figures.case_loads(Case.objects.filter(pk__in=[c.pk for c in cases]), today=today)
    change = {}
    for officer_id, weight in moving.values():
        change[officer_id] = change.get(officer_id, 0) - weight
        change[to_officer.pk] = change.get(to_officer.pk, 0) + weight
    preview = []
    for row in rows:
        after = round(row.load + change.get(row.officer.pk, 0), 1)
        preview.append(
            {
                "officer": row.officer,
                "before": row.load,
                "after": after,
                "changed": row.officer.pk in change,
                "overloaded": after > row.norm,
                "share": round(after * 100 / row.norm) if row.norm else 0,
            }
        )
    return preview


@require_http_methods(["GET", "POST"])
def reassign(request):
    """Start from an officer (or any filter of the case list), select cases, choose the new
    officer; the confirmation shows each officer's load after the move, and "Back" returns
    here with the selection and the entries kept."""
    team = _lead(request)
    today = timezone.localdate()
    back = request.method == "POST" and "back" in request.POST
    if back:
        entries = {name: request.POST.getlist(name) for name in ("cases",)}
        entries.update({name: request.POST.get(name, "") for name in REASSIGN_FIELDS[1:]})
        form = ReassignForm(team=team, initial=entries)
    else:
        form = ReassignForm(request.POST or None, team=team)
    confirm = request.method == "POST" and request.POST.get("confirmed") == "1"
    if request.method == "POST" and not back and form.is_valid():
        data = form.cleaned_data
        if not confirm:
            preview = _load_preview(team, list(data["cases"]), data["to_officer"], today)
            return render(
                request,
                "reports/reassign_confirm.html",
                {"form": form, "preview": preview, "team": team},
            )
        try:
            moved = case_services.reassign_cases(
                list(data["cases"]),
                actor=request.user,
                to_officer=data["to_officer"],
                reason=data["reason"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)d case(s) reassigned to %(officer)s.")
                % {"count": len(moved), "officer": data["to_officer"]},
            )
            return redirect("reports:caseload")
    filterset, cases, sort, more = _reassign_listing(request, team)
    selected = {str(value) for value in (form["cases"].value() or [])}
    # The page lists cases by person: one Logboek entry for the page.
    record_list_view(
        request,
        Case,
        v_nummers=[case.person.v_nummer for case in cases],
        purpose="reports:reassign",
    )
    return render(
        request,
        "reports/reassign.html",
        {
            "form": form,
            "filter": filterset,
            "cases": cases,
            "more": more,
            "limit": REASSIGN_LIMIT,
            "sort": sort,
            "selected": selected,
            # Selected cases the current filter does not show stay selected (hidden inputs).
            "selected_elsewhere": sorted(selected - {str(case.pk) for case in cases}),
            "officers": figures.caseload(team, today=today),
            "team": team,
            "today": today,
        },
    )


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
    "transfers": gettext_lazy("Transfers between teams"),
}

# The columns of the transfers report, by figure.
TRANSFER_COLUMNS = {
    "proposed": gettext_lazy("Proposed"),
    "accepted": gettext_lazy("Accepted"),
    "declined": gettext_lazy("Declined"),
    "pending": gettext_lazy("Awaiting decision"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "incoming": gettext_lazy("Taken over by the team"),
    "outgoing": gettext_lazy("Handed over by the team"),
}


@require_GET
def index(request):
    _reader(request)
    return render(request, "reports/index.html", {"reports": REPORTS})


def _publication_export(request, fmt, context):
    quarters = [_("Q%(n)d") % {"n": q} for q in publication.QUARTERS]
    header = [_("Table"), _("Category"), *quarters, _("Year")]
    rows = []
    for caption, table in (
        (_("Intake by source"), context["intake"]),
        (_("Departures"), context["departures"]),
    ):
        for label, cells, year_cell in table.rows:
            rows.append([caption, label, *cells, year_cell])
        cells, year_cell = table.total
        rows.append([caption, _("Total"), *cells, year_cell])
    for rank, (country, figure) in enumerate(context["nationalities"], start=1):
        rows.append(
            [_("Top 5 nationalities of intake"), f"{rank}. {country}", "", "", "", "", figure]
        )
    for note in publication.FOOTNOTES:
        rows.append([_("Note"), note, "", "", "", "", ""])
    rows = [
        [cell.export_value() if isinstance(cell, disclosure.Figure) else str(cell) for cell in row]
        for row in rows
    ]
    team = context["team"]
    built = exports.build(
        fmt,
        basename=f"dtenv-categorieen-{context['year']}-openbaar",
        header=header,
        rows=rows,
        sheet_title=_("DTenV figures %(year)s") % {"year": context["year"]},
    )
    record_bulk_access(
        request,
        Case,
        count=len(rows),
        kind=AuditEntry.Kind.EXPORT,
        purpose=f"reports:publication:{fmt}",
        delivered={**built.delivered, "public": True, "team": team.pk if team else None},
    )
    return built.response


@require_GET
def publication_report(request):
    """The year's figures in DT&V's publication categories, per quarter, published by DT&V's
    rules, with the national figures beside them (dtv/reports/publication.py)."""
    from cases.reference import country_name

    _reader(request)
    form = PublicationForm(
        request.GET or None, user=request.user, published_years=publication.published_years()
    )
    year, team, compare = form.values(request.user)
    against = publication.comparison_year(year, compare)
    intake = publication.intake(year, team=team)
    departed = publication.departures(year, team=team)
    nationalities = [
        (country_name(code), figure)
        for code, figure in publication.top_nationalities(year, team=team)
    ]
    context = {
        "form": form,
        "year": year,
        "team": team,
        "intake": intake,
        "departures": departed,
        "nationalities": nationalities,
        "against": against,
        "comparison": publication.comparison(year, team=team, against=against),
        "per_team": (
            publication.per_team(year, Team.objects.order_by("name"))
            if access.reports_on_every_team(request.user) and team is None
            else []
        ),
        "categories": [label for _key, label, _q in publication.DEPARTURES],
        "quarters": publication.QUARTERS,
        "footnotes": publication.FOOTNOTES,
        "source_url": publication.SOURCE_URL,
    }
    export = request.GET.get("export", "")
    if export in exports.FORMATS:
        return _publication_export(request, export, context)

    def bars(table):
        return [
            (str(label), year_cell.value or 0, str(year_cell))
            for label, _c, year_cell in table.rows
        ]

    context["intake_chart"] = charts.bar_chart(
        bars(intake), title=_("Intake by source, %(year)s") % {"year": year}, chart_id="intake"
    )
    context["departures_chart"] = charts.bar_chart(
        bars(departed),
        title=_("Departures by kind, %(year)s") % {"year": year},
        chart_id="departures",
    )
    return render(request, "reports/publication.html", context)


def _filters(request):
    form = ReportFilterForm(request.GET or None, user=request.user)
    since, until, team, nationality = form.values(request.user)
    return form, figures.Filters(since=since, until=until, team=team, nationality=nationality)


# The exports' file names: Dutch, and never the same for the exact (internal) figures and the
# published ones, so the one cannot be sent out for the other by mistake.
EXPORT_NAMES = {
    "departures": "vertrekken",
    "obstacles": "belemmeringen",
    "compliance": "vertrekgesprekken",
    "outcomes": "uitkomsten",
    "transfers": "overplaatsingen",
}


def _exact(value):
    return "" if value is None else value


def _percent(value) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def _table(name, data, *, public: bool):
    """Header and rows of a report, as shown and as exported. Public: every figure through
    disclosure control (dtv/reports/disclosure.py), percentages from the published counts."""
    count = disclosure.count if public else _exact
    if name == "departures":
        types = data["types"]
        header = [
            _("Period"),
            *[label for _v, label in types],
            _("Total"),
            _("Share independent (proven)"),
        ]
        rows = []
        for r in data["rows"]:
            period = date_format(r["period"], "YEAR_MONTH_FORMAT") if r["period"] else ""
            values = [r["counts"][value] for value, _label in types]
            if public:
                cells, total = disclosure.table_row(values, r["total"])
                independent = cells[[v for v, _label in types].index("independent_proven")]
                share = disclosure.share(independent, total)
            else:
                cells, total, share = values, r["total"], _percent(r["independent_share"])
            rows.append([period, *cells, total, share])
        return header, rows
    if name == "obstacles":
        header = [_("Category"), _("Nationality"), _("Total"), _("Resolved"), _("Resolution rate")]
        from cases.reference import country_name

        rows = []
        for r in data["rows"]:
            total, resolved = count(r["total"]), count(r["resolved"])
            rate = disclosure.share(resolved, total) if public else _percent(r["rate"])
            rows.append(
                [
                    data["labels"].get(r["category"], r["category"]),
                    country_name(r["country"] or ""),
                    total,
                    resolved,
                    rate,
                ]
            )
        return header, rows
    if name == "compliance":
        header = [
            _("Cases whose term lapsed"),
            _("Three mandatory interviews held"),
            _("Checklist completed in all three"),
        ]
        rows = [[count(data["total"]), count(data["held"]), count(data["complete"])]]
        return header, rows
    if name == "transfers":
        header = [_("Period"), *[TRANSFER_COLUMNS[key] for key in data["keys"]]]
        rows = []
        for r in data["rows"]:
            period = date_format(r["period"], "YEAR_MONTH_FORMAT") if r["period"] else ""
            rows.append([period, *[count(r[key]) for key in data["keys"]]])
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
    if name == "transfers":
        return figures.transfers(filters, by=request.GET.get("by", "month"))
    return figures.outcomes(filters)


def _chart(name, data) -> dict:
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
    elif name == "transfers":
        items = [(str(TRANSFER_COLUMNS[key]), data["totals"][key]) for key in data["keys"]]
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
        fmt, _dash, audience = export.partition("-")
        public = audience == "public"
        header, rows = _table(name, data, public=public)
        built = exports.build(
            fmt,
            basename=f"{EXPORT_NAMES[name]}-{'openbaar' if public else 'intern'}",
            header=header,
            rows=rows,
            sheet_title=REPORTS[name],
        )
        # Recorded once the file exists: what went out, not what was asked for.
        record_bulk_access(
            request,
            Case,
            count=len(rows),
            kind=AuditEntry.Kind.EXPORT,
            purpose=f"reports:{name}:{export}",
            delivered={**built.delivered, "public": public},
        )
        return built.response
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
            "chart": _chart(name, data),
            "reports": REPORTS,
        },
    )
