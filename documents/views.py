from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import access as case_access
from cases.models import Case
from documents import access, hooks, inspection, services, storage
from documents.forms import DocumentForm, VersionForm
from documents.models import Document, DocumentVersion
from documents.uploads import max_request_bytes
from dtv.accounts.decorators import require_perm
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access
from dtv.middleware import upload_view

VIEW = access.VIEW_DOCUMENT


def _upload_view(view):
    """An upload view (dtv.middleware.upload_view): a body declared over the limit is never
    read, and the view itself answers it, with the size error on its form."""
    return upload_view(max_bytes=max_request_bytes, max_file_bytes=_max, too_large=view)(view)


def _refuse_size(form):
    """The form, bound to nothing, with only the size error."""
    form.is_valid()
    form._errors = ErrorDict()
    form.add_error("file", inspection.too_large_message(_max()))
    return form


def _max():
    from django.conf import settings

    return settings.DOCUMENTS_MAX_UPLOAD_BYTES


def _document(request, reference):
    queryset = Document.objects.visible_to(request.user).select_related("case__person")
    return get_object_or_404(queryset, reference=reference)


def _context(**extra):
    return {
        "scanner_mode": services.scanner_mode(),
        "max_mb": _max() // (1024 * 1024),
        **extra,
    }


@_upload_view
@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_DOCUMENT, hide_without=case_access.VIEW_CASE)
def document_add(request, reference):
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), reference=reference
    )
    if not access.can_add_document(request.user, case):
        raise PermissionDenied
    initial = {}
    if request.GET.get("obstacle", "").isdigit():
        initial["obstacle"] = request.GET["obstacle"]
    # Uploaded from an interview or a travel-document request: linked to it as well.
    source_value = request.GET.get("source", "")
    if request.method == "POST" and not request.upload_too_large:
        source_value = request.POST.get("source", "")
    source = hooks.resolve_source(case, source_value[:40])
    form = None
    if not request.upload_too_large:
        form = DocumentForm(request.POST or None, request.FILES or None, case=case, initial=initial)
    if request.upload_too_large:  # declared too large, or stopped while reading the body
        form = _refuse_size(DocumentForm({}, {}, case=case))
    if request.method == "POST" and not request.upload_too_large and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.add_document(
                case,
                actor=request.user,
                doc_type=data["doc_type"],
                document_date=data["document_date"],
                description=data["description"],
                upload=data["file"],
                obstacle=data.get("obstacle"),
                attach=_attach(source),
            )
        except ValidationError as error:
            _add_upload_error(form, error)
        else:
            _report_saved(request, version)
            if source:
                return redirect(source[0].url(source[1]))
            return redirect(version.document.get_absolute_url())
    record_access(request, case, purpose="documents:add")
    context = _context(case=case, form=form)
    if source:
        context["source_value"] = f"{source[0].kind}:{source[1].pk}"
        context["source_label"] = source[0].label(source[1])
    return render(request, "documents/document_form.html", context)


def _attach(source):
    if source is None:
        return None
    found, obj = source
    return lambda document: found.attach(obj, document)


def _add_upload_error(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        form.add_error("file", error)


def _report_saved(request, version: DocumentVersion):
    if version.scan_state == DocumentVersion.ScanState.PENDING:
        messages.warning(
            request,
            _(
                "The file is stored but waits for the virus scanner, which did not answer. "
                "Until it is scanned only you see it; it is scanned again automatically."
            ),
        )
    else:
        messages.success(request, _("Document stored (version %(n)s).") % {"n": version.number})


@require_GET
@require_perm(VIEW, hide_without=VIEW)
def document_detail(request, reference):
    document = _document(request, reference)
    record_access(request, document, purpose="documents:detail")
    versions = list(
        DocumentVersion.objects.visible_to(request.user)
        .filter(document=document)
        .select_related("uploaded_by")
    )
    if not versions:
        raise Http404
    current = next((v for v in versions if v.is_released), None)
    return render(
        request,
        "documents/document_detail.html",
        _context(
            document=document,
            case=document.case,
            versions=versions,
            current=current,
            can_add=access.can_add_document(request.user, document.case),
            form=VersionForm(),
        ),
    )


@_upload_view
@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_DOCUMENT, hide_without=case_access.VIEW_CASE)
def version_add(request, reference):
    document = _document(request, reference)
    if not access.can_add_document(request.user, document.case):
        raise PermissionDenied
    form = None
    if not request.upload_too_large:
        form = VersionForm(request.POST or None, request.FILES or None)
    if request.upload_too_large:  # declared too large, or stopped while reading the body
        form = _refuse_size(VersionForm({}, {}))
    if request.method == "POST" and not request.upload_too_large and form.is_valid():
        try:
            version = services.add_version(
                document, actor=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _add_upload_error(form, error)
        else:
            _report_saved(request, version)
            return redirect(document.get_absolute_url())
    record_access(request, document, purpose="documents:version_add")
    return render(
        request,
        "documents/version_form.html",
        _context(document=document, case=document.case, form=form),
    )


def _version(request, reference, number) -> DocumentVersion:
    document = _document(request, reference)
    version = (
        DocumentVersion.objects.visible_to(request.user)
        .filter(document=document, number=number, file_deleted_at__isnull=True)
        .select_related("document__case__person")
        .first()
    )
    if version is None or not version.is_released:
        # A version waiting for the scan is listed to its uploader, never handed out.
        raise Http404
    return version


class _DocumentFileResponse(FileResponse):
    # Read and sent 64 KiB at a time (Django's default is 4 KiB).
    block_size = 64 * 1024


def _file_response(version: DocumentVersion, *, inline: bool) -> FileResponse:
    """The file streamed from the storage, a chunk at a time (up to DOCUMENTS_MAX_UPLOAD_BYTES,
    never held whole). The response closes the file, or the S3 connection, when it is done,
    also when the client goes away (the server closes every response)."""
    try:
        stream, size = storage.open_stream(version.storage_key)
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = _DocumentFileResponse(
        stream,
        content_type=version.content_type,
        as_attachment=not inline,
        filename=version.original_name,
    )
    if size is not None and not response.has_header("Content-Length"):
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        _sandboxed(response)
    return response


def _sandboxed(response) -> None:
    # Shown only inside the document page's sandboxed frame: no script, no form, no
    # navigation, whatever the file holds.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
        "frame-ancestors 'self'"
    )
    response["X-Frame-Options"] = "SAMEORIGIN"


@require_GET
@require_perm(VIEW, hide_without=VIEW)
def download(request, reference, number):
    version = _version(request, reference, number)
    response = _file_response(version, inline=False)
    # A file handed out: an export in the log, with the document, version and V-number.
    record_access(request, version, kind=AuditEntry.Kind.EXPORT, purpose="documents:download")
    return response


@require_GET
@require_perm(VIEW, hide_without=VIEW)
def preview(request, reference, number):
    version = _version(request, reference, number)
    if not version.previewable:
        raise Http404
    if version.content_type == "application/pdf":
        response = _pdf_first_page(version)
    else:
        response = _file_response(version, inline=True)
    record_access(request, version, purpose="documents:preview")
    return response


def _pdf_first_page(version: DocumentVersion) -> HttpResponse:
    """A PDF is previewed as its first page, a PNG (documents/previews.py); the file is read
    only when that page is not in the cache yet."""
    from documents.previews import first_page_png

    def read() -> bytes:
        try:
            with storage.open_file(version.storage_key) as opened:
                return opened.read()
        except (FileNotFoundError, OSError) as error:
            raise Http404 from error

    png = first_page_png(read, cache_key=version.sha256)
    if png is None:
        raise Http404
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"{version.original_name}.png"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    _sandboxed(response)
    return response
