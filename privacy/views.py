import json

from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from cases import access as cases_access
from cases.models import Case, Person
from dtv.accounts.decorators import require_perm
from dtv.audit import access as audit_access
from dtv.audit.models import AuditEntry
from dtv.audit.services import record_access
from privacy import reports, subject_access
from privacy.forms import SubjectAccessForm


@require_GET
@require_perm(cases_access.VIEW_CASE_ACCESS, hide_without=cases_access.VIEW_CASE)
def case_access(request, reference):
    """Who has seen this dossier: for the case's team lead and the auditor."""
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("person"), reference=reference
    )
    record_access(request, case, purpose="audit:case_access")
    page = Paginator(reports.case_access(case.person.v_nummer), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/case_access.html", {"case": case, "page_obj": page})


@require_GET
@permission_required(audit_access.VIEW_AUDITENTRY, raise_exception=True)
def anomalies(request):
    return render(request, "privacy/anomalies.html", {"report": reports.anomalies()})


@require_GET
@permission_required(audit_access.EXPORT_SUBJECT_DATA, raise_exception=True)
def subject_access_form(request):
    form = SubjectAccessForm(request.GET or None)
    person = None
    if form.is_bound and form.is_valid():
        person = Person.objects.filter(v_nummer=form.cleaned_data["v_nummer"]).first()
        if person is None:
            form.add_error("v_nummer", _not_found())
    return render(request, "privacy/subject_access.html", {"form": form, "person": person})


def _not_found():
    return gettext("No person with this V-number is registered.")


@require_GET
@permission_required(audit_access.EXPORT_SUBJECT_DATA, raise_exception=True)
def subject_access_export(request, v_nummer, fmt):
    if fmt not in ("json", "pdf", "zip"):
        raise Http404
    person = get_object_or_404(Person, v_nummer=v_nummer)
    data = subject_access.collect(person)
    if fmt == "json":
        body = json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()
        content_type = "application/json; charset=utf-8"
    elif fmt == "zip":
        # The data and every file held (documents), in one archive.
        body = subject_access.build_zip(person, data)
        content_type = "application/zip"
    else:
        from weasyprint import HTML

        html = render_to_string("privacy/subject_access_pdf.html", {"data": data, "person": person})
        body = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        content_type = "application/pdf"
    # Recorded once the file is made: an export that failed to build delivered nothing.
    record_access(request, person, kind=AuditEntry.Kind.EXPORT, purpose=f"audit:subject_{fmt}")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="inzage-{v_nummer}.{fmt}"'
    return response
