from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.forms import DATE_WIDGET, CleanTextMixin, _plausible
from cases.models import Obstacle
from interviews.models import Attendee, EmbassyPresentation, Interview
from partners.models import Organisation

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _plausible_datetime(value):
    if value is not None:
        _plausible(value.date())
    return value


class InterviewForm(CleanTextMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    obstacles = forms.ModelMultipleChoiceField(
        label=_("Obstacles discussed"),
        queryset=Obstacle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_obstacle_category = forms.ChoiceField(
        label=_("Raise a new obstacle"),
        choices=[("", "—"), *Obstacle.Category.choices],
        required=False,
    )
    new_obstacle_description = forms.CharField(
        label=_("Description of the new obstacle"), max_length=2000, required=False
    )
    interpreter_language = forms.ChoiceField(label=_("Interpreter language"), required=False)

    class Meta:
        model = Interview
        fields = [
            "stage",
            "held_at",
            "planned_at",
            "mode",
            "location",
            "no_show",
            "interpreter_presence",
            "interpreter_name",
            "interpreter_language",
            "attitude",
            "check_medical",
            "check_trafficking",
            "check_hardship",
            "agreements",
            "officer_actions",
            "report",
            "copy_given",
            "recording_consent",
            "next_interview_on",
        ]
        widgets = {
            "held_at": DATETIME_WIDGET,
            "planned_at": DATETIME_WIDGET,
            "next_interview_on": DATE_WIDGET,
            "agreements": forms.Textarea(attrs={"rows": 3}),
            "officer_actions": forms.Textarea(attrs={"rows": 2}),
            "report": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["obstacles"].queryset = Obstacle.objects.filter(case=case).order_by(
            "identified_on"
        )
        self.fields["interpreter_language"].choices = [("", "—"), *reference.language_choices()]
        for name in ("held_at", "planned_at"):
            self.fields[name].validators.append(_plausible_datetime)
        self.fields["next_interview_on"].validators.append(_plausible)
        for name in ("agreements", "officer_actions", "report"):
            self.fields[name].max_length = 20000
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["obstacles"].initial = list(
                self.instance.obstacles_discussed.values_list("pk", flat=True)
            )

    def new_obstacle(self):
        category = self.cleaned_data.get("new_obstacle_category")
        if not category:
            return None
        return {
            "category": category,
            "description": self.cleaned_data.get("new_obstacle_description", ""),
        }

    SERVICE_FIELDS = Meta.fields


class AttendeeForm(CleanTextMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "—"), *Attendee.Role.choices], required=False
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("name") and not cleaned.get("role"):
            self.add_error("role", _("Choose the attendee's role."))
        if cleaned.get("role") and not cleaned.get("name"):
            self.add_error("name", _("Name the attendee."))
        return cleaned


class BaseAttendeeFormSet(forms.BaseFormSet):
    def attendees(self):
        return [
            (form.cleaned_data["role"], None, form.cleaned_data["name"])
            for form in self.forms
            if form.cleaned_data.get("role") and form.cleaned_data.get("name")
        ]


AttendeeFormSet = forms.formset_factory(
    AttendeeForm, formset=BaseAttendeeFormSet, extra=1, max_num=20, absolute_max=20
)


class PresentationForm(CleanTextMixin, forms.ModelForm):
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
        self.fields["embassy"].queryset = Organisation.objects.embassies()
        self.fields["travel_document_request"].queryset = case.travel_documents.all()
        self.fields["presented_on"].validators.append(_plausible)
        self.fields["answered_on"].validators.append(_plausible)
        self.fields["feedback"].max_length = 10000

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answered_on") and not cleaned.get("answer"):
            raise ValidationError(_("Choose the answer, or leave its date empty."))
        return cleaned
