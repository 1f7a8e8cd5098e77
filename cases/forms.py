from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.models import Case, HouseholdLink, Nationality, Obstacle, Person, Procedure
from directory.models import Municipality, Organisation
from dtv.accounts.models import User
from dtv.edits import StaleEditMixin
from dtv.forms import InstructiveErrors
from dtv.widgets import LargeSelect, LargeSelectMultiple

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TEXT = 10000
ALIAS_LIMIT = 200  # Alias.name


def _no_control_chars(value: str) -> str:
    # NUL and other control characters cannot be stored (PostgreSQL refuses NUL) and have no
    # place in a dossier; refuse them with a message instead of failing at the database.
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError(_("The text contains invalid control characters."))
    return value


class CleanTextMixin(InstructiveErrors):
    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                try:
                    _no_control_chars(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


def _not_future(value: date | None, message=None):
    if value is not None and value > timezone.localdate():
        raise ValidationError(message or _("This date cannot be in the future."))
    return value


def plausible_date(value: date | None):
    if value is not None and not (date(1900, 1, 1) <= value <= date(2100, 12, 31)):
        raise ValidationError(_("Enter a date between 1900 and 2100."))
    return value


class NationalityChoiceField(forms.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", LargeSelect)
        super().__init__(choices=self._choices_with_blank, **kwargs)

    @staticmethod
    def _choices_with_blank():
        return [("", "—"), *reference.country_choices()]


class PersonFieldsForm(CleanTextMixin, forms.Form):
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    given_names = forms.CharField(label=_("Given names"), max_length=200, required=False)
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DATE_WIDGET, validators=[plausible_date]
    )
    birth_date_precision = forms.ChoiceField(
        label=_("Precision of the date of birth"),
        choices=Person.BirthDatePrecision.choices,
        initial=Person.BirthDatePrecision.FULL,
        help_text=_("For a year only, enter 1 January of that year and choose “Year only”."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Person.Sex.choices)
    identity_status = forms.ChoiceField(label=_("Identity"), choices=Person.IdentityStatus.choices)
    nationality = NationalityChoiceField(label=_("Nationality"))
    nationality_status = forms.ChoiceField(
        label=_("Nationality is"), choices=Nationality.Status.choices
    )
    second_nationality = NationalityChoiceField(label=_("Second nationality"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        required=False,
        choices=reference.language_choices,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
        widget=LargeSelectMultiple(attrs={"size": 6}),
    )
    needs_interpreter = forms.BooleanField(label=_("Needs an interpreter"), required=False)
    aliases = forms.CharField(
        label=_("Aliases"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One name per line."),
    )
    unaccompanied_minor = forms.BooleanField(label=_("Unaccompanied minor"), required=False)
    medical_flag = forms.BooleanField(label=_("Medical circumstances"), required=False)
    trafficking_signal = forms.BooleanField(label=_("Trafficking signal"), required=False)
    hardship_signal = forms.BooleanField(label=_("Hardship signal"), required=False)

    def clean_birth_date(self):
        return _not_future(self.cleaned_data.get("birth_date"))

    def clean_aliases(self):
        # Each alias is stored in a column of 200 characters: refuse a longer line by name,
        # rather than cut it.
        value = self.cleaned_data.get("aliases", "")
        for line in value.splitlines():
            if len(line.strip()) > ALIAS_LIMIT:
                raise ValidationError(
                    _(
                        "An alias can be at most %(limit)d characters long; "
                        "“%(start)s…” is %(count)d."
                    )
                    % {"limit": ALIAS_LIMIT, "start": line.strip()[:30], "count": len(line.strip())}
                )
        return value

    def clean(self):
        cleaned = super().clean()
        precision = cleaned.get("birth_date_precision")
        birth_date = cleaned.get("birth_date")
        if precision and precision != Person.BirthDatePrecision.UNKNOWN and birth_date is None:
            self.add_error(
                "birth_date", _("Enter the date of birth, or choose “Unknown” as precision.")
            )
        if cleaned.get("second_nationality") and cleaned.get("second_nationality") == cleaned.get(
            "nationality"
        ):
            self.add_error("second_nationality", _("Choose a different second nationality."))
        return cleaned

    def nationalities(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        result = [(data["nationality"], data["nationality_status"])]
        if data.get("second_nationality"):
            result.append((data["second_nationality"], Nationality.Status.PRESUMED))
        return result

    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines()]

    PERSON_FIELDS = (
        "family_name",
        "given_names",
        "birth_date",
        "birth_date_precision",
        "sex",
        "identity_status",
        "needs_interpreter",
        "unaccompanied_minor",
        "medical_flag",
        "trafficking_signal",
        "hardship_signal",
    )

    def person_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}


class CaseCreateForm(PersonFieldsForm):
    v_nummer = forms.CharField(
        label=_("V-number"),
        max_length=10,
        min_length=10,
        help_text=_("Ten digits, with leading zeros."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Case.Source.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Case.Category.choices)
    officer = forms.ModelChoiceField(
        label=_("Departure officer"), queryset=User.objects.none(), required=False
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), required=False
    )
    reception_location = forms.ModelChoiceField(
        label=_("Reception location"), queryset=Organisation.objects.none(), required=False
    )
    decision_on = forms.DateField(
        label=_("Return decision date"),
        required=False,
        widget=DATE_WIDGET,
        validators=[plausible_date],
    )
    accelerated_procedure = forms.BooleanField(
        label=_("Accelerated procedure (1-week appeal window)"), required=False
    )
    departure_term_days = forms.TypedChoiceField(
        label=_("Departure term"),
        coerce=int,
        choices=[(28, _("28 days")), (0, _("0 days (withheld)"))],
        initial=28,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"), coerce=int, choices=Case.Priority.choices, initial=0
    )
    departure_plan = forms.CharField(
        label=_("Departure plan"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I checked the existing dossier: this is a different person"), required=False
    )
    use_registered_person = forms.BooleanField(
        label=_("Open the new case for the person already registered under this V-number"),
        required=False,
    )

    field_order = ["v_nummer", "family_name", "given_names"]

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.officers().filter(team=team)
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["reception_location"].queryset = Organisation.objects.reception_locations()

    def clean_v_nummer(self):
        value = self.cleaned_data["v_nummer"].strip()
        if not (len(value) == 10 and value.isascii() and value.isdigit()):
            raise ValidationError(_("A V-number is exactly 10 digits, e.g. 0123456789."))
        return value

    def clean_decision_on(self):
        return _not_future(self.cleaned_data.get("decision_on"))

    CASE_FIELDS = (
        "source",
        "category",
        "officer",
        "municipality",
        "reception_location",
        "decision_on",
        "accelerated_procedure",
        "departure_term_days",
        "priority",
        "departure_plan",
    )

    def case_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CASE_FIELDS}


class CaseEditForm(CleanTextMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Case
        fields = [
            "source",
            "category",
            "officer",
            "municipality",
            "reception_location",
            "priority",
            "decision_on",
            "accelerated_procedure",
            "departure_term_days",
            "entry_ban_years",
            "departure_plan",
        ]
        widgets = {
            "decision_on": DATE_WIDGET,
            "departure_plan": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.officers().filter(team=self.instance.team)
        self.fields["reception_location"].queryset = Organisation.objects.reception_locations()
        self.fields["entry_ban_years"].max_value = 20
        self.fields["departure_plan"].max_length = MAX_TEXT
        self.fields["decision_on"].validators.append(plausible_date)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def clean_decision_on(self):
        return _not_future(self.cleaned_data.get("decision_on"))

    def clean_entry_ban_years(self):
        value = self.cleaned_data.get("entry_ban_years")
        if value is not None and value > 20:
            raise ValidationError(_("An entry ban is at most 20 years."))
        return value

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PersonEditForm(StaleEditMixin, PersonFieldsForm):
    @classmethod
    def initial_for(cls, person: Person) -> dict:
        nationalities = list(person.nationalities.all())
        initial = {name: getattr(person, name) for name in cls.PERSON_FIELDS}
        if nationalities:
            initial["nationality"] = nationalities[0].country
            initial["nationality_status"] = nationalities[0].status
        if len(nationalities) > 1:
            initial["second_nationality"] = nationalities[1].country
        initial["languages"] = [language.code for language in person.languages.all()]
        initial["aliases"] = "\n".join(alias.name for alias in person.aliases.all())
        return initial


class PhaseChangeForm(CleanTextMixin, forms.Form):
    to_phase = forms.ChoiceField(label=_("New phase"))
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].choices = [
            (value, label) for value, label in Case.Phase.choices if value in allowed
        ]


class CloseCaseForm(CleanTextMixin, forms.Form):
    closure_reason = forms.ChoiceField(
        label=_("Closure reason"), choices=Case.ClosureReason.choices
    )
    closed_on = forms.DateField(
        label=_("Closed on"),
        widget=DATE_WIDGET,
        initial=timezone.localdate,
        validators=[plausible_date],
    )
    note = forms.CharField(
        label=_("Explanation"), required=False, max_length=500, widget=forms.Textarea({"rows": 2})
    )


class ProcedureForm(StaleEditMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "type",
            "court",
            "case_number",
            "decision_on",
            "filed_on",
            "hearing_on",
            "ruling_on",
            "outcome",
            "suspensive",
            "final_on",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in ["decision_on", "filed_on", "hearing_on", "ruling_on", "final_on"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ["decision_on", "filed_on", "hearing_on", "ruling_on", "final_on"]:
            self.fields[name].validators.append(plausible_date)

    def clean(self):
        cleaned = super().clean()
        filed, hearing, ruling = (
            cleaned.get("filed_on"),
            cleaned.get("hearing_on"),
            cleaned.get("ruling_on"),
        )
        if filed and ruling and ruling < filed:
            self.add_error("ruling_on", _("The ruling cannot be before the filing date."))
        if filed and hearing and hearing < filed:
            self.add_error("hearing_on", _("The hearing cannot be before the filing date."))
        if ruling and ruling > timezone.localdate():
            self.add_error("ruling_on", _("A ruling date cannot be in the future."))
        if cleaned.get("outcome") != Procedure.Outcome.PENDING and not ruling:
            self.add_error("ruling_on", _("Enter the ruling date for a decided procedure."))
        final = cleaned.get("final_on")
        if final and ruling and final < ruling:
            self.add_error("final_on", _("A ruling cannot become final before it was given."))
        return cleaned


class ObstacleForm(StaleEditMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Obstacle
        fields = [
            "category",
            "status",
            "description",
            "owner_organisation",
            "identified_on",
            "resolved_on",
            "resolution",
        ]
        widgets = {
            "identified_on": DATE_WIDGET,
            "resolved_on": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 2}),
            "resolution": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = MAX_TEXT
        self.fields["resolution"].max_length = MAX_TEXT
        self.fields["identified_on"].validators.append(plausible_date)
        self.fields["resolved_on"].validators.append(plausible_date)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(is_active=True)

    def clean_identified_on(self):
        return _not_future(self.cleaned_data.get("identified_on"))

    def clean_resolved_on(self):
        return _not_future(self.cleaned_data.get("resolved_on"))


class NoteForm(CleanTextMixin, forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class HouseholdForm(InstructiveErrors, forms.Form):
    v_nummer = forms.CharField(label=_("V-number of the relative"), max_length=10, min_length=10)
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[
            (HouseholdLink.Relation.PARTNER, _("Partner")),
            (HouseholdLink.Relation.PARENT, _("Is parent of the relative")),
        ],
    )

    def __init__(self, *args, visible_persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.visible_persons = visible_persons

    def clean_v_nummer(self):
        value = self.cleaned_data["v_nummer"].strip()
        relative = self.visible_persons.filter(v_nummer=value).first()
        if relative is None:
            raise ValidationError(_("No person with this V-number in the cases you can see."))
        self.cleaned_data["relative"] = relative
        return value
