from datetime import date

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.filters import municipality_choices, team_officer_choices
from cases.models import (
    RULE_FACTS_CODE,
    Case,
    Nationality,
    Obstacle,
    Person,
    Procedure,
    v_nummer_validator,
)
from cases.services import BORDER_FIELDS, TRANSFER_FIELDS, rule_fact_errors
from directory.choices import reception_location_choices
from directory.models import Municipality, Organisation
from dtv import rules
from dtv.accounts.models import Team, User
from dtv.edits import StaleEditMixin
from dtv.forms import InstructiveErrors
from dtv.widgets import LargeSelect, LargeSelectMultiple, show_choices

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
    def clean_border_voluntary_days(self):
        return self.cleaned_data.get("border_voluntary_days") or 0

    def clean_crisis_extension_weeks(self):
        return self.cleaned_data.get("crisis_extension_weeks") or 0

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
        label=format_lazy(
            _("Accelerated procedure (appeal window of {period})"),
            period=rules.label_lazy("appeal_days_accelerated"),
        ),
        required=False,
    )
    departure_term_days = forms.TypedChoiceField(
        label=_("Departure term"),
        coerce=int,
        choices=[
            (28, rules.label_lazy("departure_term_days")),
            (0, _("0 days (withheld)")),
        ],
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
        # Shown from the cached lists; a submitted choice is still checked by the queryset.
        show_choices(
            self.fields["officer"], team_officer_choices(team.pk if team else None), personal=True
        )
        show_choices(self.fields["municipality"], municipality_choices())
        show_choices(self.fields["reception_location"], reception_location_choices())
        # The return border procedure and a Dublin III / AMMR transfer, as on the edit form.
        self.fields.update(
            forms.fields_for_model(Case, fields=RULE_FACT_FIELDS, widgets=RULE_FACT_WIDGETS)
        )
        _prepare_rule_fact_fields(self.fields)

    def clean_v_nummer(self):
        value = self.cleaned_data["v_nummer"].strip()
        if not (len(value) == 10 and value.isascii() and value.isdigit()):
            raise ValidationError(_("A V-number is exactly 10 digits, e.g. 0123456789."))
        return value

    def clean_decision_on(self):
        return _not_future(self.cleaned_data.get("decision_on"))

    def clean(self):
        cleaned = super().clean()
        _refuse_future_facts(self, cleaned)
        # The same check of the rules table as the edit form and the service, on the case as it
        # would be registered; a field that already has an error keeps only that one.
        values = {name: cleaned.get(name) for name in RULE_FACT_FIELDS}
        values["border_procedure"] = bool(values["border_procedure"])
        values["transfer_detained"] = bool(values["transfer_detained"])
        values["transfer_extension"] = values["transfer_extension"] or ""
        if all(name not in self._errors for name in RULE_FACT_FIELDS):
            for name, message in rule_fact_errors(Case(**values)).items():
                self.add_error(name, message)
        return cleaned

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
        *BORDER_FIELDS,
        *TRANSFER_FIELDS,
    )

    def case_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CASE_FIELDS}


_DATE_FACTS = (
    "right_to_remain_ended_on",
    "application_registered_on",
    "transfer_accepted_on",
    "transfer_appeal_final_on",
)
RULE_FACT_FIELDS = (*BORDER_FIELDS, *TRANSFER_FIELDS)
RULE_FACT_WIDGETS = {name: DATE_WIDGET for name in _DATE_FACTS}


def _pact_day():
    # The labels show the Pact's version even before it applies (a form opened in May 2026).
    return max(timezone.localdate(), rules.PACT_APPLIES_FROM)


def _prepare_rule_fact_fields(fields) -> None:
    """The border-procedure and transfer fields as both case forms show them: plausible dates,
    the maxima of the rules table in the help texts, 0 when left empty."""
    for name in _DATE_FACTS:
        fields[name].validators.append(plausible_date)
    # Left empty: none given (0).
    for name in ("border_voluntary_days", "crisis_extension_weeks"):
        fields[name].required = False
    # The maxima come from the rules table (the version in force today; the service checks
    # the case's own version).
    fields["border_voluntary_days"].help_text = _(
        "At most %(period)s (%(law)s); 0 when none is given."
    ) % {
        "period": rules.label("border_voluntary_max_days", on=_pact_day()),
        "law": rules.rule("border_voluntary_max_days", on=_pact_day()).source,
    }
    fields["crisis_extension_weeks"].help_text = _(
        "Only in a declared crisis: at most %(period)s (%(law)s)."
    ) % {
        "period": rules.label("border_crisis_max_weeks", on=_pact_day()),
        "law": rules.rule("border_crisis_max_weeks", on=_pact_day()).source,
    }
    fields["application_registered_on"].help_text = _(
        "Registered before %(date)s: Dublin III; from then on: the AMMR (Reg. 2024/1351)."
    ) % {"date": date_format(rules.AMMR_APPLIES_FROM)}


def _refuse_future_facts(form, cleaned) -> None:
    for name in _DATE_FACTS:
        if cleaned.get(name):
            try:
                cleaned[name] = _not_future(cleaned[name])
            except ValidationError as error:
                form.add_error(name, error)


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
            *BORDER_FIELDS,
            *TRANSFER_FIELDS,
        ]
        widgets = {
            "decision_on": DATE_WIDGET,
            "right_to_remain_ended_on": DATE_WIDGET,
            "application_registered_on": DATE_WIDGET,
            "transfer_accepted_on": DATE_WIDGET,
            "transfer_appeal_final_on": DATE_WIDGET,
            "departure_plan": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.officers().filter(team=self.instance.team)
        self.fields["reception_location"].queryset = Organisation.objects.reception_locations()
        show_choices(
            self.fields["officer"], team_officer_choices(self.instance.team_id), personal=True
        )
        show_choices(self.fields["municipality"], municipality_choices())
        show_choices(self.fields["reception_location"], reception_location_choices())
        self.fields["entry_ban_years"].max_value = 20
        self.fields["departure_plan"].max_length = MAX_TEXT
        self.fields["decision_on"].validators.append(plausible_date)
        _prepare_rule_fact_fields(self.fields)
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version

    def clean_decision_on(self):
        return _not_future(self.cleaned_data.get("decision_on"))

    def clean(self):
        cleaned = super().clean()
        _refuse_future_facts(self, cleaned)
        return cleaned

    def _post_clean(self):
        # The instance carries the posted values only from here on.
        super()._post_clean()
        errors = rule_fact_errors(self.instance)
        if not errors:
            return
        # The table's checks say in words what the database constraints say by name.
        general = self._errors.get(NON_FIELD_ERRORS)
        if general is not None:
            kept = [e for e in general.as_data() if e.code != RULE_FACTS_CODE]
            if kept:
                self._errors[NON_FIELD_ERRORS] = self.error_class(
                    [m for e in kept for m in e.messages], renderer=self.renderer
                )
            else:
                del self._errors[NON_FIELD_ERRORS]
        for name, message in errors.items():
            if name not in self._errors:
                self.add_error(name, message)

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


def household_case_label(case) -> str:
    """A household member's case as a choice: name, reference, and "minor" when they are."""
    from django.utils import timezone

    person = case.person
    label = f"{person.family_name}, {person.given_names} · {case.reference}"
    if person.is_minor_on(timezone.localdate()):
        label += f" ({_('minor')})"
    return label


class HouseholdForm(InstructiveErrors, forms.Form):
    v_nummer = forms.CharField(
        label=_("V-number of the relative"),
        max_length=10,
        min_length=10,
        validators=[v_nummer_validator],
        help_text=_("The relative must have a case your team can see."),
    )
    relation = forms.ChoiceField(
        label=_("The relative is"),
        widget=forms.RadioSelect,
        choices=[
            ("partner", _("the partner of this person")),
            ("parent", _("a parent of this person")),
            ("child", _("a child of this person")),
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


class CaseImportForm(InstructiveErrors, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The first row names the columns; one case a row."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    team = forms.ModelChoiceField(label=_("Team that receives the cases"), queryset=None)
    category = forms.ChoiceField(
        label=_("Category of the cases"), choices=Case.Category.choices, initial="asylum"
    )

    def __init__(self, *args, **kwargs):
        from dtv.accounts.models import Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a CSV or XLSX file."))
        return upload


class TransferProposalForm(CleanTextMixin, forms.Form):
    to_team = forms.ModelChoiceField(label=_("To team"), queryset=Team.objects.none())
    to_municipality = forms.ModelChoiceField(
        label=_("New municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Only when the person moves to another municipality."),
        widget=LargeSelect,
    )
    to_reception_location = forms.ModelChoiceField(
        label=_("New reception location"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    reason = forms.CharField(label=_("Reason for the transfer"), max_length=500)
    handover_note = forms.CharField(
        label=_("Handover note"),
        required=False,
        max_length=MAX_TEXT,
        help_text=_("What the new team needs to know: agreements, sensitivities, next steps."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every team, the case's own too: a proposal to it is refused with the reason why.
        self.fields["to_team"].queryset = Team.objects.order_by("name")
        self.fields["to_municipality"].queryset = Municipality.objects.order_by("name")
        self.fields["to_reception_location"].queryset = Organisation.objects.reception_locations()


class TransferDecisionForm(CleanTextMixin, forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept: the case comes to my team")), (DECLINE, _("Decline"))],
        widget=forms.RadioSelect,
    )
    officer = forms.ModelChoiceField(
        label=_("Departure officer"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to let the case wait unassigned in your team."),
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = User.objects.officers().filter(team=team)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.DECLINE and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why you decline the transfer."))
        return cleaned
