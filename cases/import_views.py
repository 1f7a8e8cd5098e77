"""The functional administrator's import of cases from a file (cases/imports.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import access, imports
from cases.forms import CaseImportForm
from cases.models import CaseImport, Person
from dtv import exports
from dtv.audit.services import record_list_view
from dtv.middleware import upload_view

ROWS_PER_PAGE = 100
SHOW = ("refused", "create", "update", "unchanged", "duplicates")


def _administrator(request):
    access.require_importer(request.user)


def refuse_too_large(request):
    """A file over the import's limit: said on the import page, the body unread (or, sent
    without a declared length, not read further once it passed the limit)."""
    return HttpResponseRedirect(reverse("cases:import") + "?refused=too-large")


# The import takes a file larger than other requests (dtv/middleware.py).
@upload_view(max_bytes=imports.max_bytes, too_large=refuse_too_large)
@require_http_methods(["GET", "POST"])
def import_start(request):
    _administrator(request)
    form = CaseImportForm(request.POST or None, request.FILES or None)
    if request.upload_too_large:  # stopped while it arrived
        return refuse_too_large(request)
    refused = imports.file_too_large_message() if request.GET.get("refused") == "too-large" else ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = imports.start_import(
                actor=request.user,
                team=form.cleaned_data["team"],
                category=form.cleaned_data["category"],
                file_name=upload.name,
                content=upload.read(),
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("cases:import_detail", batch.reference)
    recent = CaseImport.objects.select_related("team", "uploaded_by")[:10]
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "cases/import_start.html",
        {
            "form": form,
            "refused": refused,
            "recent": recent,
            "columns": imports.COLUMNS,
            "max_mb": imports.max_bytes() // (1024 * 1024),
        },
        status=status,
    )


def _batch(request, reference):
    _administrator(request)
    return get_object_or_404(CaseImport.objects.select_related("team"), reference=reference)


@require_GET
def import_detail(request, reference):
    batch = _batch(request, reference)
    show = request.GET.get("show", "")
    rows = batch.rows if not batch.running else []
    if show == "duplicates":
        rows = [r for r in rows if r.get("duplicates")]
    elif show in SHOW:
        rows = [r for r in rows if r["action"] == show]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    # The preview lists persons by name and V-number: one Logboek entry for the page.
    record_list_view(
        request,
        Person,
        v_nummers=[r["v_nummer"] for r in page.object_list if r["v_nummer"].isdigit()],
        purpose="cases:import_detail",
    )
    return render(
        request,
        "cases/import_detail.html",
        {"batch": batch, "page_obj": page, "show": show, "shows": SHOW},
    )


@require_GET
def import_progress(request, reference):
    """The progress bar, polled by htmx while the file is checked or imported; when it is
    done, the page reloads to show the result."""
    batch = _batch(request, reference)
    if not batch.running:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "cases/import_detail.html#progress", {"batch": batch})


@require_POST
def import_confirm(request, reference):
    batch = _batch(request, reference)
    try:
        imports.confirm_import(batch, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("cases:import_detail", batch.reference)


@require_GET
def import_template(request, fmt):
    _administrator(request)
    if fmt not in exports.FORMATS:
        raise Http404
    header, rows = imports.template_rows()
    return exports.build(fmt, basename="import-zaken-sjabloon", header=header, rows=rows).response
