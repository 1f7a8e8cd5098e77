from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.db.models.functions import Coalesce, Least
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access, registry, services, transfer_views
from cases.filters import CaseFilter, apply_sort
from cases.forms import (
    CaseCreateForm,
    CaseEditForm,
    CloseCaseForm,
    HouseholdForm,
    NoteForm,
    ObstacleForm,
    PersonEditForm,
    PhaseChangeForm,
    ProcedureForm,
)
from cases.models import Case, Cover, Obstacle, Person, Procedure
from cases.paging import CappedPaginator, page_of
from cases.selectors import CASE_RELATED, visible_case
from dtv import edits, exports
from dtv.accounts.decorators import require_perm
from dtv.accounts.models import User
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access, record_bulk_access, record_list_view

PAGE_SIZE = 25
# Without this permission the officers' side does not exist for a user (404, not 403).
VIEW = access.VIEW_CASE
EXPORT_LIMIT = 10000
# What the case tables (cases/jinja2/cases/) show besides the case itself.
TABLE_RELATED = ("person", "officer")
# The columns the tables read (and the Logboek entry: the V-numbers). A case has some forty
# columns and its person and officer thirty more; building the SQL for all of them and
# reading them cost about 1 ms per page more than these (issue 22). A field left out here
# and read by a row costs a query per row, which the query-count tests catch.
TABLE_FIELDS = (
    "reference",
    "phase",
    "priority",
    "opened_on",
    "term_ends_on",
    "next_interview_due_on",
    "next_deadline_on",
    "next_deadline_rule",
    "person__v_nummer",
    "person__family_name",
    "person__given_names",
    "person__unaccompanied_minor",
    "person__birth_date",
    "person__birth_date_precision",
    "officer__username",
    "officer__first_name",
    "officer__last_name",
)


def _case(request, reference):
    # Every case-bound URL fetches through visible_to: outside it the case does not exist.
    return visible_case(request.user, reference)


def _urgency(queryset):
    """The worklist's order: the earliest of the engine's most urgent deadline and the
    interview plan's date, whichever comes first (a suspended case: its resume date); cases
    with nothing due come last."""
    deadline, interview = F("next_deadline_on"), F("next_interview_due_on")
    # LEAST of two nullable dates, the same on SQLite (NULL if any is) and PostgreSQL.
    urgent_on = Least(Coalesce(deadline, interview), Coalesce(interview, deadline))
    return queryset.annotate(urgent_on=urgent_on).order_by(
        F("urgent_on").asc(nulls_last=True), "reference"
    )


@require_GET
@require_perm(access.VIEW_CASE, hide_without=VIEW)
def worklist(request):
    """The officer's own open cases, most urgent first. A team lead may look at an officer's
    worklist as that officer sees it (read-only)."""
    today = timezone.localdate()
    owner = request.user
    username = request.GET.get("officer", "")
    if username and access.leads_team(request.user):
        owner = get_object_or_404(
            User.objects.officers().filter(team=request.user.team), username=username[:150]
        )
    # Cases of colleagues this officer covers for appear too (absence cover).
    covered = list(
        Cover.objects.active_on(today).filter(colleague=owner).values_list("officer", flat=True)
    )
    cases = Case.objects.visible_to(request.user).open().filter(officer__in=[owner.pk, *covered])
    counts = cases.deadline_counts(today=today)
    rows = _urgency(
        cases.for_list(related=TABLE_RELATED)
        .only(*TABLE_FIELDS)
        .annotate(**registry.worklist_annotations(today))
    )
    paginator = CappedPaginator(rows, PAGE_SIZE)
    paginator.full_count = counts["open"]  # counted above already
    page = page_of(paginator, request.GET.get("page"))
    _audit_page(request, page, purpose="cases:worklist")
    return render(
        request,
        "cases/worklist.html",
        {
            "page_obj": page,
            "counts": counts,
            "owner": owner,
            "today": today,
            # Without a cover, no queryset: building the SQL of an empty IN () only to find
            # it empty cost half a millisecond on every worklist.
            "covering": User.objects.filter(pk__in=covered) if covered else [],
            "worklist_cases": cases,
        },
    )


def _audit_page(request, page, *, purpose: str) -> None:
    # The page's rows are read once, here, and the template iterates the same list: the
    # Logboek entry costs one insert and no extra query.
    page.object_list = list(page.object_list)
    record_list_view(
        request, Case, v_nummers=[case.person.v_nummer for case in page], purpose=purpose
    )


def _filtered_cases(request):
    base = Case.objects.visible_to(request.user)
    filterset = CaseFilter(request.GET or None, queryset=base, user=request.user)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, base.none()
    queryset = filterset.qs if filterset.is_bound else base
    return filterset, apply_sort(queryset, request.GET.get("sort", ""))


@require_GET
@require_perm(access.VIEW_CASE, hide_without=VIEW)
def case_list(request):
    filterset, cases = _filtered_cases(request)
    page = page_of(
        CappedPaginator(cases.for_list(related=TABLE_RELATED).only(*TABLE_FIELDS), PAGE_SIZE),
        request.GET.get("page"),
    )
    _audit_page(request, page, purpose="cases:list")
    context = {"filter": filterset, "page_obj": page, "today": timezone.localdate()}
    if request.htmx:
        return render(request, "cases/case_list.html#results", context)
    return render(request, "cases/case_list.html", context)


EXPORT_HEADER = (
    gettext_lazy("Reference"),
    gettext_lazy("V-number"),
    gettext_lazy("Family name"),
    gettext_lazy("Given names"),
    gettext_lazy("Phase"),
    gettext_lazy("Category"),
    gettext_lazy("Officer"),
    gettext_lazy("Municipality"),
    gettext_lazy("Opened on"),
    gettext_lazy("Departure term ends"),
    gettext_lazy("Next interview due"),
    gettext_lazy("Open obstacles"),
)


def _export_row(case) -> list:
    return [
        case.reference,
        case.person.v_nummer,
        case.person.family_name,
        case.person.given_names,
        case.get_phase_display(),
        case.get_category_display(),
        case.officer or "",
        case.municipality or "",
        case.opened_on,
        case.term_ends_on,
        case.next_interview_due_on,
        case.open_obstacle_count,
    ]


@require_GET
@require_perm(access.VIEW_CASE, hide_without=VIEW)
def case_export(request, fmt="csv"):
    """CSV or XLSX of exactly the filtered rows this user may see (at most EXPORT_LIMIT),
    audited once the file is built."""
    _filterset, cases = _filtered_cases(request)
    rows = list(cases.for_list()[:EXPORT_LIMIT])
    export = exports.build(
        fmt,
        basename="zaken-intern",
        header=EXPORT_HEADER,
        rows=[_export_row(case) for case in rows],
        sheet_title=_("Cases"),
    )
    record_bulk_access(
        request,
        Case,
        count=len(rows),
        kind=AuditEntry.Kind.EXPORT,
        purpose=f"cases:export:{fmt}",
        v_nummers=[case.person.v_nummer for case in rows],
        delivered=export.delivered,
    )
    return export.response


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_CASE, hide_without=VIEW)
def case_create(request):
    form = CaseCreateForm(request.POST or None, team=request.user.team)
    existing = None
    duplicates = []
    context = {}
    if request.method == "POST" and form.is_valid():
        try:
            case = services.register_case(
                services.PersonData(v_nummer=form.cleaned_data["v_nummer"], **form.person_values()),
                actor=request.user,
                nationalities=form.nationalities(),
                languages=form.cleaned_data["languages"],
                aliases=form.alias_list(),
                case_fields=form.case_values(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
                use_registered_person=form.cleaned_data["use_registered_person"],
            )
        except services.DuplicateVNumber as error:
            _audit_duplicate_check(request, [error.existing])
            existing = Case.objects.visible_to(request.user).filter(person=error.existing).first()
            context["reusable"] = services.reusable_person(error.existing)
            if existing is None:
                context["elsewhere"] = services.split_by_access(
                    [error.existing], user=request.user
                )[1]
            form.add_error("v_nummer", error)
        except services.PossibleDuplicate as error:
            _audit_duplicate_check(request, error.all_matches)
            duplicates = error.matches
            context["elsewhere"] = error.elsewhere
            context["near_match"] = True
            context["reusable_ids"] = {p.pk for p in duplicates if services.reusable_person(p)}
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(ref)s registered.") % {"ref": case.reference})
            return redirect(case)
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "existing": existing, "duplicates": duplicates, **context},
    )


def _audit_duplicate_check(request, persons) -> None:
    # The duplicate check showed (or withheld) registered persons: each match is a processing
    # of their data, logged under their V-number.
    for person in persons:
        record_access(request, person, purpose="cases:duplicate_check")


@require_GET
@require_perm(access.VIEW_CASE, hide_without=VIEW)
def case_detail(request, reference):
    try:
        # get(), not first(): the reference is unique, and no ORDER BY to compile against
        # the annotations.
        case = (
            Case.objects.visible_to(request.user)
            .select_related(*CASE_RELATED)
            # Whether each relation the page reads has rows: an empty one costs no query.
            .annotate(**registry.presence_annotations())
            .get(reference=reference)
        )
    except Case.DoesNotExist:
        # The team that handed the case over reads it for a while, or nobody (404).
        return transfer_views.handed_over_detail(request, reference)
    record_access(request, case, purpose="cases:detail")
    today = timezone.localdate()
    registry.prefetch(case)
    found_transfers = transfer_views.case_transfers(case)
    obstacles = sorted(
        case.obstacles.all(),  # prefetched with their owner (cases.apps)
        key=lambda o: (not o.is_open, o.identified_on),
    )
    person = case.person
    context = {
        "case": case,
        "person": person,
        "nationalities": list(person.nationalities.all()),
        "languages": list(person.languages.all()),
        "aliases": list(person.aliases.all()) if registry.has_rows(case, "aliases") else [],
        "household": (
            services.household_of(person, user=request.user)
            if registry.has_rows(case, "household")
            else []
        ),
        "procedures": list(case.procedures.all()),
        "obstacles": obstacles,
        "timeline": registry.timeline(case, user=request.user),
        "sections": registry.sections(case, user=request.user, today=today),
        "other_cases": (
            list(person.cases.exclude(pk=case.pk).visible_to(request.user))
            if registry.has_rows(case, "other_cases")
            else []
        ),
        "today": today,
        "can_change": request.user.has_perm(access.CHANGE_CASE) and not case.is_closed,
        "allowed_phases": services.TRANSITIONS.get(case.phase, set()),
        "note_form": NoteForm(),
        **transfer_views.transfer_context(request, case, found_transfers),
    }
    return render(request, "cases/case_detail.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_CASE, hide_without=VIEW)
def case_edit(request, reference):
    case = _case(request, reference)
    form = CaseEditForm(request.POST or None, instance=case)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_case(
                case, actor=request.user, version=form.cleaned_data["version"], **form.changes()
            )
        except services.EditConflict as error:
            # Keep what this user typed, against the version now saved, and show both.
            conflict = error.changes
            fresh = Case.objects.get(pk=case.pk)
            data = request.POST.copy()
            data["version"] = str(fresh.version)
            form = CaseEditForm(data, instance=fresh)
            form.is_valid()
            form.add_error(None, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(ref)s saved.") % {"ref": case.reference})
            return redirect(case)
    return render(
        request, "cases/case_edit.html", {"case": case, "form": form, "conflict": conflict}
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_PERSON, hide_without=VIEW)
def person_edit(request, reference):
    case = _case(request, reference)
    person = case.person
    form = PersonEditForm(request.POST or None, initial=PersonEditForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(
                form,
                lambda: PersonEditForm(
                    initial=PersonEditForm.initial_for(
                        Person.objects.select_for_update().get(pk=person.pk)
                    )
                ),
            ):
                services.update_person(
                    person,
                    actor=request.user,
                    case=case,
                    nationalities=form.nationalities(),
                    languages=form.cleaned_data["languages"],
                    aliases=form.alias_list(),
                    **form.person_values(),
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Personal details saved."))
            return redirect(case)
    record_access(request, case, purpose="cases:person_edit")
    return render(request, "cases/person_form.html", {"case": case, "form": form})


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_CASE, hide_without=VIEW)
def case_phase(request, reference):
    case = _case(request, reference)
    allowed = services.TRANSITIONS.get(case.phase, set())
    form = PhaseChangeForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_phase(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Phase changed."))
            return redirect(case)
    verdict = registry.phase_verdict(case, today=timezone.localdate())
    return render(
        request, "cases/phase_form.html", {"case": case, "form": form, "verdict": verdict}
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_CASE, hide_without=VIEW)
def case_close(request, reference):
    case = _case(request, reference)
    form = CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_case(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Case %(ref)s closed.") % {"ref": case.reference})
            return redirect(case)
    return render(request, "cases/close_form.html", {"case": case, "form": form})


def _render_section(request, case, template, partial, context):
    """Full page for a normal request; the named partial for htmx."""
    context = {"case": case, **context}
    if request.htmx:
        return render(request, f"{template}#{partial}", context)
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_PROCEDURE, hide_without=VIEW)
def procedure_add(request, reference):
    case = _case(request, reference)
    form = ProcedureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_procedure(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Procedure added."))
            return _after_change(request, case)
    return _render_section(
        request, case, "cases/procedure_form.html", "form", {"form": form, "procedure": None}
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_PROCEDURE, hide_without=VIEW)
def procedure_edit(request, reference, pk):
    case = _case(request, reference)
    procedure = get_object_or_404(Procedure, case=case, pk=pk)
    form = ProcedureForm(request.POST or None, instance=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(
                form, lambda: ProcedureForm(instance=_locked(procedure))
            ):
                services.update_procedure(
                    Procedure.objects.get(pk=procedure.pk), actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Procedure saved."))
            return _after_change(request, case)
    return _render_section(
        request, case, "cases/procedure_form.html", "form", {"form": form, "procedure": procedure}
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_OBSTACLE, hide_without=VIEW)
def obstacle_add(request, reference):
    case = _case(request, reference)
    form = ObstacleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_obstacle(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Obstacle added."))
            return _after_change(request, case)
    return _render_section(
        request, case, "cases/obstacle_form.html", "form", {"form": form, "obstacle": None}
    )


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_OBSTACLE, hide_without=VIEW)
def obstacle_edit(request, reference, pk):
    case = _case(request, reference)
    obstacle = get_object_or_404(Obstacle, case=case, pk=pk)
    form = ObstacleForm(request.POST or None, instance=obstacle)
    if request.method == "POST" and form.is_valid():
        try:
            with edits.unchanged_since_opened(
                form, lambda: ObstacleForm(instance=_locked(obstacle))
            ):
                services.update_obstacle(
                    Obstacle.objects.get(pk=obstacle.pk), actor=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Obstacle saved."))
            return _after_change(request, case)
    return _render_section(
        request, case, "cases/obstacle_form.html", "form", {"form": form, "obstacle": obstacle}
    )


def _locked(obj):
    """The record as it is now, locked until the end of the transaction (stale-edit check)."""
    return type(obj)._base_manager.select_for_update().get(pk=obj.pk)


def _after_change(request, case):
    # htmx asks the browser to load the case page; a plain form post is redirected.
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = case.get_absolute_url()
        return response
    return redirect(case)


@require_POST
@require_perm(access.ADD_NOTE, hide_without=VIEW)
def note_add(request, reference):
    case = _case(request, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(case, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Note added."))
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    return redirect(reverse("cases:detail", args=[case.reference]) + "#notes")


@require_http_methods(["GET", "POST"])
@require_perm(access.CHANGE_PERSON, hide_without=VIEW)
def household_add(request, reference):
    """Link the case's person to a partner, parent or child whose case the user can see."""
    case = _case(request, reference)
    if case.is_closed:
        messages.info(request, _("This case is closed; it can no longer be changed."))
        return redirect(case)
    visible = Person.objects.filter(cases__in=Case.objects.visible_to(request.user)).distinct()
    form = HouseholdForm(request.POST or None, visible_persons=visible)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_household(
                case.person,
                actor=request.user,
                case=case,
                relative=form.cleaned_data["relative"],
                relation=form.cleaned_data["relation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Household link added."))
            return redirect(reverse("cases:detail", args=[case.reference]) + "#household")
    record_access(request, case, purpose="cases:household_add")
    household = services.household_of(case.person, user=request.user)
    return render(
        request,
        "cases/household_form.html",
        {"case": case, "form": form, "household": household, "today": timezone.localdate()},
    )
