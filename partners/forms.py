"""Forms check the shape of the input; the rules live in partners/services.py."""

from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.filters import cached_officer_choices, municipality_choices, team_officer_choices
from directory.choices import organisation_choices
from directory.models import Municipality, Organisation
from dtv.accounts import access as accounts_access
from dtv.accounts.models import User
from dtv.edits import StaleEditMixin
from dtv.forms import InstructiveErrors
from dtv.widgets import show_choices
from partners import access
from partners.models import ActionItem, Meeting

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _no_control_chars(value: str) -> str:
    # Control characters (NUL above all) cannot be stored and have no place in minutes.
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError(_("The text contains invalid control characters."))
    return value


class CleanTextMixin(InstructiveErrors):
    """Refuse control characters in every text field (the same rule as cases.forms')."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                try:
                    _no_control_chars(value)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned


def _plausible_date(value: date | None):
    if value is not None and not (date(2000, 1, 1) <= value <= date(2100, 12, 31)):
        raise ValidationError(_("Enter a date between 2000 and 2100."))
    return value


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"), method="filter_name", max_length=100, widget=forms.TextInput()
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Organisation.Kind.choices, empty_label=_("All kinds")
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value.strip()) | Q(municipality__name__icontains=value.strip())
        )


def _staff_choices(team):
    users = User.objects.officers()
    if team is not None:
        users = users.filter(team=team)
    return users.order_by("last_name", "first_name")


class MeetingForm(StaleEditMixin, CleanTextMixin, forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=Meeting.Type.choices)
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        help_text=_("The proposals come from this municipality's cases."),
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=100,
        required=False,
        help_text=_("For a regional meeting (RAO) without one municipality."),
    )
    starts_at = forms.DateTimeField(label=_("Date and time"), widget=DATETIME_WIDGET)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    secretary = forms.ModelChoiceField(
        label=_("Secretary"), queryset=User.objects.none(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        staff = _staff_choices(team)
        self.fields["chair"].queryset = staff
        self.fields["secretary"].queryset = staff
        participants = (
            Organisation.objects.filter(is_active=True)
            .exclude(kind__in=[Organisation.Kind.EMBASSY, Organisation.Kind.COURT])
            .order_by("kind", "name")
        )
        self.fields["organisations"].queryset = participants
        # Shown from the cached lists; a submitted choice is still checked by the queryset.
        # The team's officers, or every officer (as _staff_choices).
        staff_choices = (
            team_officer_choices(team.pk) if team is not None else cached_officer_choices(None)
        )
        show_choices(self.fields["chair"], staff_choices, personal=True)
        show_choices(self.fields["secretary"], staff_choices, personal=True)
        show_choices(self.fields["municipality"], municipality_choices())
        show_choices(
            self.fields["organisations"],
            organisation_choices("meeting-participants", participants),
        )

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value is not None and not (2000 <= value.year <= 2100):
            raise ValidationError(_("Enter a date between 2000 and 2100."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("municipality") and not (cleaned.get("region") or "").strip():
            raise ValidationError(_("Choose a municipality or enter a region."))
        return cleaned

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        from django.utils import timezone

        return {
            "type": meeting.type,
            "municipality": meeting.municipality_id,
            "region": meeting.region,
            "starts_at": timezone.localtime(meeting.starts_at),
            "place": meeting.place,
            "chair": meeting.chair_id,
            "secretary": meeting.secretary_id,
            "organisations": [p.organisation_id for p in meeting.participants.all()],
        }


class ProposalSelectionForm(InstructiveErrors, forms.Form):
    """The "add selected" form of the proposals page: references of the picked cases."""

    cases = forms.MultipleChoiceField(label=_("Cases"), choices=())

    def __init__(self, *args, references=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(ref, ref) for ref in references]
        self.fields["cases"].error_messages["required"] = _("Select at least one case.")
        self.fields["cases"].error_messages["invalid_choice"] = _(
            "Case %(value)s is no longer among the proposals; reload the page."
        )


class AgendaItemForm(StaleEditMixin, CleanTextMixin, forms.Form):
    question = forms.CharField(
        label=_("Question to decide"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    approach = forms.CharField(
        label=_("Proposed approach"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RemoveItemForm(CleanTextMixin, forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), max_length=300, required=False)


class DecisionForm(StaleEditMixin, CleanTextMixin, forms.Form):
    decision = forms.CharField(
        label=_("Decision"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    escalate_to_rao = forms.BooleanField(label=_("Escalate to the RAO"), required=False)


class ActionItemForm(CleanTextMixin, forms.Form):
    description = forms.CharField(
        label=_("Action"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owning organisation"), queryset=Organisation.objects.none(), required=False
    )
    owner_user = forms.ModelChoiceField(
        label=_("Owner (person)"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET, validators=[_plausible_date])

    def __init__(self, *args, meeting: Meeting, owner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        organisation_ids = meeting.participants.values("organisation_id")
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            pk__in=organisation_ids
        )
        # Who prepares meetings in the meeting's team, and who takes part for a participating
        # organisation (partners/access.py).
        staff = accounts_access.users_with_perm(access.CHANGE_MEETING).filter(
            team_id=meeting.team_id
        )
        participants = accounts_access.users_with_perm(access.TAKE_PART).filter(
            partner_contact__organisation_id__in=organisation_ids
        )
        self.fields["owner_user"].queryset = User.objects.filter(is_active=True).filter(
            Q(pk__in=staff.values("pk")) | Q(pk__in=participants.values("pk"))
        )
        if owner_choices is not None:
            # The minutes page shows one form per item: the choices are read once for all.
            organisations, users = owner_choices
            self.fields["owner_organisation"].choices = organisations
            self.fields["owner_user"].choices = users

    def owner_choices(self):
        """The choices of both owner fields as lists, to share between forms."""
        return (
            list(self.fields["owner_organisation"].choices),
            list(self.fields["owner_user"].choices),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("owner_organisation") and not cleaned.get("owner_user"):
            raise ValidationError(
                _("Choose who owns the action: an organisation, a person or both.")
            )
        return cleaned


class ActionItemUpdateForm(StaleEditMixin, CleanTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    progress_note = forms.CharField(
        label=_("Progress"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NominateForm(CleanTextMixin, forms.Form):
    """A partner participant nominates a case they see through a meeting."""

    case = forms.ChoiceField(label=_("Case"), choices=())
    question = forms.CharField(
        label=_("Question for the meeting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, cases=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [
            ("", "—"),
            *[
                (
                    case.reference,
                    f"{case.reference} · {case.person.family_name}, {case.person.given_names}",
                )
                for case in cases
            ],
        ]


class NominateCaseForm(CleanTextMixin, forms.Form):
    """An officer nominates their case for an upcoming meeting."""

    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    question = forms.CharField(
        label=_("Question for the meeting"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].to_field_name = "reference"


class ShareDocumentsForm(InstructiveErrors, forms.Form):
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents shared with the participants"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The participants see these documents while they see this agenda item. Medical "
            "documents are never shared."
        ),
    )

    def __init__(self, *args, item, user, **kwargs):
        from documents.models import Document

        super().__init__(*args, **kwargs)
        field = self.fields["documents"]
        field.queryset = (
            Document.objects.visible_to(user)
            .with_released_version()
            .filter(case=item.case)
            .exclude(doc_type=Document.Type.MEDICAL)
        )
        field.label_from_instance = lambda d: (
            f"{d.get_doc_type_display()} · {d.document_date:%d-%m-%Y}"
            + (f" · {d.description}" if d.description else "")
        )
        if not self.is_bound:
            self.initial["documents"] = list(item.documents.values_list("pk", flat=True))
