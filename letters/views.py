"""Thin views. The officer's pages fetch the case through visible_to (404 outside it) and
record the access; the letter texts are the functional administrator's (no case content)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import access as case_access
from cases import reference
from cases.selectors import visible_case
from dtv import edits
from dtv.accounts.decorators import require_perm
from dtv.audit.services import record_access
from interviews.models import Interview
from letters import access, services
from letters.forms import GenerateLetterForm, LetterTextForm, NewLanguageForm
from letters.models import Kind, LetterText

VIEW = case_access.VIEW_CASE
TEXTS = access.VIEW_LETTERTEXT


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _pdf_response(content: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the functional administrator's letter texts -------------------------------------------


@require_GET
@require_perm(TEXTS)
def text_list(request):
    current = {(t.kind, t.language): t for t in LetterText.objects.current().select_related()}
    languages = sorted({language for _kind, language in current}, key=reference.language_name)
    rows = [
        {
            "language": language,
            "name": reference.language_name(language),
            "texts": [(kind, current.get((kind, language))) for kind in Kind.values],
        }
        for language in languages
    ]
    form = NewLanguageForm(request.GET if "language" in request.GET else None)
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data
        return redirect("letters:text_edit", chosen["kind"], chosen["language"])
    return render(
        request,
        "letters/text_list.html",
        {"rows": rows, "kinds": Kind.choices, "form": form},
    )


def _kind_and_language(kind: str, language: str) -> tuple[str, str]:
    if kind not in Kind.values or not reference.is_language(language):
        raise Http404
    return kind, language


def _current_form(kind, language):
    def build():
        # Under a row lock on the versions there are (a new one is checked by the unique key).
        list(LetterText.objects.select_for_update().filter(kind=kind, language=language))
        current = services.current_text(kind, language)
        initial = {"subject": current.subject, "body": current.body} if current else {}
        return LetterTextForm(initial=initial, language=language)

    return build


@require_http_methods(["GET", "POST"])
@require_perm(TEXTS)
def text_edit(request, kind, language):
    kind, language = _kind_and_language(kind, language)
    current = services.current_text(kind, language)
    initial = {"subject": current.subject, "body": current.body} if current else {}
    form = LetterTextForm(request.POST or None, initial=initial, language=language)
    if request.method == "POST" and form.is_valid():
        if not request.user.has_perm(access.ADD_LETTERTEXT):
            raise Http404
        try:
            with edits.unchanged_since_opened(form, _current_form(kind, language)):
                text = services.save_letter_text(
                    actor=request.user, kind=kind, language=language, **form.cleaned_data
                )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)d of the text is saved; new letters are made from it.")
                % {"version": text.version},
            )
            return redirect("letters:text_edit", kind, language)
    return _edit_page(request, form, kind, language, current=current)


def _edit_page(request, form, kind, language, *, current, status=200):
    versions = LetterText.objects.filter(kind=kind, language=language).select_related("created_by")
    return render(
        request,
        "letters/text_form.html",
        {
            "form": form,
            "kind": kind,
            "kind_label": Kind(kind).label,
            "language": language,
            "language_name": reference.language_name(language),
            "current": current,
            "versions": versions,
            "placeholders": services.placeholders.PLACEHOLDERS,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_perm(TEXTS)
def text_preview(request, kind, language):
    """The PDF of the text as posted from the edit form (not saved), or of a saved version
    (?version=N, the current one without), filled with sample values."""
    kind, language = _kind_and_language(kind, language)
    if request.method == "POST":
        form = LetterTextForm(request.POST, language=language)
        if not form.is_valid():
            current = services.current_text(kind, language)
            return _edit_page(request, form, kind, language, current=current, status=422)
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
    else:
        texts = LetterText.objects.filter(kind=kind, language=language)
        version = request.GET.get("version", "")
        if version.isdigit():
            texts = texts.filter(version=int(version))
        text = texts.order_by("-version").first()
        if text is None:
            raise Http404
        subject, body = text.subject, text.body
    content = services.preview_text(kind=kind, language=language, subject=subject, body=body)
    return _pdf_response(content, f"voorbeeld-{kind}-{language}.pdf", inline=True)


# ---- the officer's letters for a case --------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_perm(access.ADD_GENERATEDLETTER, hide_without=VIEW)
def generate(request, reference):
    case = visible_case(request.user, reference)
    interviews = list(Interview.objects.filter(case=case, no_show=False))
    # Planned interviews first, the next one on top; then the held ones, the latest on top.
    interviews.sort(
        key=lambda i: (not i.is_planned, (1 if i.is_planned else -1) * i.when.timestamp())
    )
    form = GenerateLetterForm(
        request.POST or None,
        case=case,
        interviews=interviews,
        text_languages=services.text_languages(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.generate_letter(case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if letter.translation is not None:
                messages.info(
                    request,
                    _(
                        "There is no %(language)s text for this letter: it is written in Dutch "
                        "with an English translation."
                    )
                    % {"language": reference.language_name(letter.language)},
                )
            messages.success(
                request,
                _("The letter “%(kind)s” is made and kept with the case.")
                % {"kind": letter.get_kind_display()},
            )
            return redirect(f"{case.get_absolute_url()}#letters")
    record_access(request, case, purpose="letters:generate")
    return render(request, "letters/generate.html", {"case": case, "form": form})
