from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.forms import DATE_WIDGET, MAX_TEXT, CleanTextMixin, household_case_label, plausible_date
from cases.models import Case, Obstacle
from dtv.edits import StaleEditMixin
from dtv.widgets import LargeSelect
from interviews.models import Interview, InterviewAttendee
from interviews.services import validate_interview

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# Free text of the report: long enough for a real interview, short enough to refuse a paste
# accident with a message instead of storing it.
TEXT_LIMITS = {"report": 20000, "agreements": MAX_TEXT, "officer_actions": MAX_TEXT}


def _limit(field, limit: int) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def _plausible_datetime(value):
    if value is not None:
        plausible_date(value.date())
    return value


class InterviewForm(StaleEditMixin, CleanTextMixin, forms.ModelForm):
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
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter language"), required=False, widget=LargeSelect
    )
    household_cases = forms.ModelMultipleChoiceField(
        label=_("Held with household members too"),
        queryset=Case.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The interview is logged once, here, and appears on the case of each member you "
            "tick. Only open cases of your team."
        ),
    )

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

    def __init__(self, *args, case, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self._household_choices(case, user)
        # The case's open obstacles, and on an edit those already marked as discussed.
        discussed = Q(pk__in=[]) if not self.instance.pk else Q(interviews=self.instance)
        self.fields["obstacles"].queryset = (
            Obstacle.objects.filter(case=case)
            .filter(Q(status__in=Obstacle.OPEN_STATUSES) | discussed)
            .distinct()
            .order_by("identified_on", "pk")
        )
        self.fields["interpreter_language"].choices = [("", "—"), *reference.language_choices()]
        self._prefill_interpreter(case.person)
        for name in ("held_at", "planned_at"):
            self.fields[name].validators.append(_plausible_datetime)
        self.fields["held_at"].help_text = _("Leave empty for an interview still to come.")
        self.fields["planned_at"].help_text = _("For an interview still to come.")
        self.fields["next_interview_on"].help_text = _("The date agreed with the person, if any.")
        self.fields["next_interview_on"].validators.append(plausible_date)
        for name, limit in TEXT_LIMITS.items():
            _limit(self.fields[name], limit)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["obstacles"].initial = list(
                self.instance.obstacles_discussed.values_list("pk", flat=True)
            )

    def _household_choices(self, case, user) -> None:
        """The other household members' open cases the user works on; on an edit also those
        already taking part. Without any, the field is left out."""
        from cases import services as case_services

        choices = case_services.open_household_cases(case, user=user) if user else []
        taking_part = (
            list(Case.objects.filter(interview_participations__interview=self.instance))
            if self.instance.pk
            else []
        )
        ids = {c.pk for c in choices} | {c.pk for c in taking_part}
        if not ids:
            del self.fields["household_cases"]
            return
        field = self.fields["household_cases"]
        field.queryset = (
            Case.objects.filter(pk__in=ids)
            .select_related("person")
            .order_by("person__birth_date", "reference")
        )
        field.label_from_instance = household_case_label
        if self.instance.pk:
            field.initial = [c.pk for c in taking_part]

    def chosen_household_cases(self):
        """The chosen members' cases; None when the form did not offer the choice."""
        if "household_cases" not in self.fields:
            return None
        return list(self.cleaned_data.get("household_cases") or [])

    def _prefill_interpreter(self, person) -> None:
        """A new interview starts from what the case says about the person: the language
        they speak, and that they need an interpreter."""
        languages = [language.code for language in person.languages.all()]
        if not self.instance.pk and languages and person.needs_interpreter:
            self.initial.setdefault("interpreter_language", languages[0])
        if person.needs_interpreter:
            names = ", ".join(reference.language_name(code) for code in languages)
            self.fields["interpreter_presence"].help_text = (
                _("The case says: interpreter needed (%(languages)s).") % {"languages": names}
                if names
                else _("The case says: interpreter needed.")
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_obstacle_description") and not cleaned.get("new_obstacle_category"):
            self.add_error(
                "new_obstacle_category", _("Choose the kind of obstacle you are raising.")
            )
        category = cleaned.get("new_obstacle_category")
        if category and category != Obstacle.Category.OTHER:
            already = Obstacle.objects.filter(
                case=self.case, category=category, status__in=Obstacle.OPEN_STATUSES
            ).first()
            if already is not None:
                self.add_error(
                    "new_obstacle_category",
                    _(
                        "This case already has an open obstacle “%(category)s” (%(status)s). "
                        "Tick it under “Obstacles discussed” instead of raising it again."
                    )
                    % {
                        "category": already.get_category_display(),
                        "status": already.get_status_display().lower(),
                    },
                )
        self._check_interview_rules(cleaned)
        return cleaned

    def _check_interview_rules(self, cleaned) -> None:
        """The service's rules of an interview (services.validate_interview), at the fields
        they concern. The database constraints state some of them too, but their messages
        would point at no field; a field with an error here leaves its constraint unchecked."""

        names = [name for name in self.Meta.fields if name in cleaned]
        candidate = Interview(case=self.case, **{name: cleaned[name] for name in names})
        stored = self.instance if self.instance.pk else None
        try:
            validate_interview(candidate, stored)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = field if field in self.fields else None
                if target is None or target not in self.errors:
                    self.add_error(target, messages)

    def list_obstacles_once(self) -> None:
        """Before rendering: the open obstacles as a list, so that the template's "are there
        any" and the checkboxes read one query (a list() of the choices would COUNT first)."""
        obstacles = self.fields["obstacles"]
        obstacles.choices = [choice for choice in obstacles.choices]

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
        label=_("Role"), choices=[("", "—"), *InterviewAttendee.Role.choices], required=False
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
    def attendees(self, *, actor=None):
        """(role, user, name) per filled row. The officer row that names the actor (prefilled)
        is linked to the actor's account; everyone else is a named outsider."""
        rows = []
        for form in self.forms:
            role, name = form.cleaned_data.get("role"), form.cleaned_data.get("name")
            if not (role and name):
                continue
            user = None
            if actor is not None and role == "officer" and name == actor.get_full_name():
                user = actor
            rows.append((role, user, name))
        return rows


AttendeeFormSet = forms.formset_factory(
    AttendeeForm, formset=BaseAttendeeFormSet, extra=1, max_num=20, absolute_max=20
)
