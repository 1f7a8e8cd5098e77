from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE_WIDGET, CleanTextMixin
from documents.inspection import ALLOWED_TYPES
from documents.models import Document

ACCEPT = ",".join(sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts}))


class DocumentForm(CleanTextMixin, forms.Form):
    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=[("", "—"), *Document.Type.choices]
    )
    document_date = forms.DateField(
        label=_("Date of the document"),
        widget=DATE_WIDGET,
        help_text=_("The date on the document itself (of the decision, the ruling, the letter)."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=300, required=False, widget=forms.TextInput()
    )
    obstacle = forms.ModelChoiceField(
        label=_("About obstacle"), queryset=None, required=False, empty_label=_("(none)")
    )
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, JPEG, PNG, TIFF, Word (.docx), OpenDocument (.odt) or plain text."),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["obstacle"].queryset = case.obstacles.all()
        if not self.fields["obstacle"].queryset.exists():
            del self.fields["obstacle"]

    def clean_document_date(self):
        value = self.cleaned_data["document_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date of a document cannot be in the future."))
        return value


class VersionForm(CleanTextMixin, forms.Form):
    file = forms.FileField(
        label=_("File of the new version"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, JPEG, PNG, TIFF, Word (.docx), OpenDocument (.odt) or plain text."),
    )
