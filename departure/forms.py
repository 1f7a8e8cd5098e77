"""Forms check the shape of the input; the services check the rules."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.forms import DATE_WIDGET, MAX_TEXT, CleanTextMixin, household_case_label, plausible_date
from cases.models import Case
from departure import removal
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    EmbassyPresentation,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from directory.models import Organisation
from dtv.edits import StaleEditMixin
from dtv.widgets import LargeSelect

MAX_AMOUNT = Decimal("100000")


class DatesMixin(CleanTextMixin):
    """Date widgets and the plausible-range check on every date field, a length limit on every
    text field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
                field.validators.append(plausible_date)
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = 10000
                field.widget.attrs.setdefault("maxlength", "10000")


class MeasureForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "type",
            "started_on",
            "planned_end_on",
            "location",
            "alternative_shelter",
            "decision",
        ]
        widgets = {"decision": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "started_on": _("For the end of COA reception: the day reception ends."),
            "alternative_shelter": _("Only for the end of COA reception."),
        }


class MeasureEditForm(StaleEditMixin, DatesMixin, forms.ModelForm):
    """The facts that change during a measure; fields that do not apply to its type are left
    out."""

    class Meta:
        model = Measure
        fields = [
            "started_on",
            "planned_end_on",
            "location",
            "lto_decision",
            "lto_decided_on",
            "extended_on",
            "alternative_shelter",
            "decision",
        ]
        widgets = {"decision": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance
        if measure.type not in Measure.SHELTER:
            del self.fields["lto_decision"]
            del self.fields["lto_decided_on"]
        if measure.type not in Measure.DETENTION:
            del self.fields["extended_on"]
        if measure.type != Measure.Type.RECEPTION_END:
            del self.fields["alternative_shelter"]


class EndMeasureForm(DatesMixin, forms.Form):
    ended_on = forms.DateField(label=_("Ended on"))
    end_reason = forms.CharField(label=_("Reason for ending"), max_length=300, required=False)


class CourtReviewForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = CourtReview
        fields = ["kind", "reviewed_on", "court", "lawful", "note"]


class DepartureForm(DatesMixin, forms.ModelForm):
    destination = forms.ChoiceField(
        label=_("Destination country"), required=False, widget=LargeSelect
    )

    class Meta:
        model = Departure
        fields = [
            "type",
            "departed_on",
            "destination",
            "confirmed_by",
            "forced_from",
            "escort",
            "remarks",
        ]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "confirmed_by": _("A proven independent departure needs the KMar notice or IOM."),
            "forced_from": _("Only for a forced departure."),
        }

    def __init__(self, *args, household=(), **kwargs):
        super().__init__(*args, **kwargs)
        if household:
            # The household left together: the same departure for the members' open cases.
            self.fields["household_cases"] = forms.ModelMultipleChoiceField(
                label=_("The household left together: record it for these cases too"),
                queryset=Case.objects.filter(pk__in=[c.pk for c in household])
                .select_related("person")
                .order_by("person__birth_date", "reference"),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Each ticked case is closed with the same departure, in one go; if one "
                    "of them cannot be recorded, none is."
                ),
            )
            self.fields["household_cases"].label_from_instance = household_case_label
        if removal.CHECK_JOURNEY:
            # The unconfirmed fourth condition of forced removal, asked only when switched on.
            self.fields["journey_possible"] = forms.BooleanField(
                label=_("The journey is arranged and the person is fit to travel"),
                required=False,
                help_text=_("Only for a forced departure."),
            )
        # Two-letter ISO codes of real countries only (not "stateless" or "unknown").
        self.fields["destination"].choices = [
            ("", "—"),
            *[(code, name) for code, name in reference.country_choices() if len(code) == 2],
        ]


def _amount(label):
    return forms.DecimalField(
        label=label, min_value=0, max_value=MAX_AMOUNT, max_digits=8, decimal_places=2, initial=0
    )


class ReturnSupportForm(DatesMixin, forms.ModelForm):
    in_kind_eur = _amount(_("In kind (EUR)"))
    cash_eur = _amount(_("Cash (EUR)"))

    class Meta:
        model = ReturnSupport
        fields = ["programme", "applied_on", "in_kind_eur", "cash_eur", "reintegration_plan"]
        widgets = {"reintegration_plan": forms.Textarea(attrs={"rows": 2})}


class ReturnSupportDecisionForm(DatesMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ReturnSupport.Decision.APPROVED, ReturnSupport.Decision.APPROVED.label),
            (ReturnSupport.Decision.REFUSED, ReturnSupport.Decision.REFUSED.label),
        ],
    )
    decided_on = forms.DateField(label=_("Decided on"))
    in_kind_eur = _amount(_("In kind (EUR)"))
    cash_eur = _amount(_("Cash (EUR)"))


class TravelDocumentForm(StaleEditMixin, DatesMixin, forms.ModelForm):
    class Meta:
        model = TravelDocumentRequest
        fields = ["document_type", "embassy", "ordered_on", "submitted_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["embassy"].queryset = Organisation.objects.embassies().order_by("name")


class TravelDocumentAnswerForm(DatesMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Answer"),
        choices=[(v, label) for v, label in TravelDocumentRequest.Answer.choices if v],
    )
    answered_on = forms.DateField(label=_("Answered on"))
    issued_on = forms.DateField(label=_("Document issued on"), required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False)


class AdviceForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = Advice
        fields = ["type", "requested_on", "motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 5})}


class AdviceSendForm(DatesMixin, forms.Form):
    sent_on = forms.DateField(label=_("Sent to the IND on"))


class AdviceOutcomeForm(DatesMixin, forms.Form):
    decided_on = forms.DateField(label=_("IND decision on"))
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: no-fault permit granted, or refused with the reason."),
    )


class PresentationForm(StaleEditMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = EmbassyPresentation
        fields = [
            "embassy",
            "travel_document_request",
            "presented_on",
            "mode",
            "accompanied_by",
            "answer",
            "answered_on",
            "feedback",
        ]
        widgets = {
            "presented_on": DATE_WIDGET,
            "answered_on": DATE_WIDGET,
            "feedback": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["embassy"].queryset = Organisation.objects.embassies().order_by("name")
        self.fields["travel_document_request"].queryset = case.travel_documents.select_related(
            "embassy"
        )
        self.fields["embassy"].empty_label = "—"
        self.fields["travel_document_request"].empty_label = _("None")
        self.fields["answered_on"].help_text = _(
            "Leave empty while there is no answer. An answer without a date is dated today."
        )
        self.fields["presented_on"].validators.append(plausible_date)
        self.fields["answered_on"].validators.append(plausible_date)
        feedback = self.fields["feedback"]
        feedback.max_length = MAX_TEXT
        feedback.validators.append(MaxLengthValidator(MAX_TEXT))
        feedback.widget.attrs["maxlength"] = str(MAX_TEXT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answered_on") and not cleaned.get("answer"):
            raise ValidationError(_("Choose the answer, or leave its date empty."))
        return cleaned
