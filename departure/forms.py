from django import forms
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.forms import DATE_WIDGET, CleanTextMixin, _plausible
from departure.models import (
    Advice,
    CourtReview,
    Departure,
    Measure,
    ReturnSupport,
    TravelDocumentRequest,
)
from partners.models import Organisation


class DatesMixin(CleanTextMixin):
    """Date widgets and the plausible-range check on every date field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
                field.validators.append(_plausible)
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = 10000


class MeasureForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "type",
            "started_on",
            "planned_end_on",
            "extended_on",
            "ended_on",
            "location",
            "decision",
        ]
        widgets = {"decision": forms.Textarea(attrs={"rows": 2})}


class CourtReviewForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = CourtReview
        fields = ["reviewed_on", "lawful", "note"]


class DepartureForm(DatesMixin, forms.ModelForm):
    destination = forms.ChoiceField(label=_("Destination country"), required=False)

    class Meta:
        model = Departure
        fields = ["type", "departed_on", "destination", "confirmed_by", "escort", "from_detention"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = [("", "—"), *reference.country_choices()[2:]]


class ReturnSupportForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = ReturnSupport
        fields = [
            "programme",
            "applied_on",
            "decision",
            "decided_on",
            "in_kind_eur",
            "cash_eur",
            "reintegration_plan",
        ]
        widgets = {"reintegration_plan": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("in_kind_eur", "cash_eur"):
            self.fields[name].min_value = 0
            self.fields[name].max_value = 100000


class TravelDocumentForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = TravelDocumentRequest
        fields = [
            "document_type",
            "embassy",
            "ordered_on",
            "submitted_on",
            "answer",
            "answered_on",
            "issued_on",
            "valid_until",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["embassy"].queryset = Organisation.objects.embassies()


class AdviceForm(DatesMixin, forms.ModelForm):
    class Meta:
        model = Advice
        fields = ["type", "status", "requested_on", "sent_on", "motivation", "outcome"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}
