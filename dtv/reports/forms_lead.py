from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import access as case_access
from cases import services as case_services
from cases.forms import DATE_WIDGET, CleanTextMixin, plausible_date
from cases.models import Case
from dtv.accounts.models import User
from dtv.forms import InstructiveErrors


class ReassignForm(CleanTextMixin, forms.Form):
    cases = forms.ModelMultipleChoiceField(
        label=_("Cases"), queryset=Case.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    to_officer = forms.ModelChoiceField(label=_("New officer"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)
    note = forms.CharField(
        label=_("Handover note"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].queryset = (
            Case.objects.open()
            .filter(team=team)
            .select_related("person", "officer")
            .order_by("officer__last_name", "reference")
        )
        # Cases go to departure officers, not to the team lead.
        self.fields["to_officer"].queryset = User.objects.officers().filter(
            team=team, pk__in=case_access.case_officers().values("pk")
        )

    def clean(self):
        cleaned = super().clean()
        cases, to_officer = cleaned.get("cases"), cleaned.get("to_officer")
        if cases and to_officer:
            error = case_services.already_assigned_error(cases, to_officer)
            if error is not None:
                self.add_error("to_officer", error)
        return cleaned


class CoverForm(InstructiveErrors, forms.Form):
    officer = forms.ModelChoiceField(label=_("Absent officer"), queryset=User.objects.none())
    colleague = forms.ModelChoiceField(label=_("Covering colleague"), queryset=User.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET, validators=[plausible_date])
    ends_on = forms.DateField(label=_("Until"), widget=DATE_WIDGET, validators=[plausible_date])

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        officers = User.objects.officers().filter(team=team)
        self.fields["officer"].queryset = officers
        self.fields["colleague"].queryset = officers

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("officer") and cleaned.get("officer") == cleaned.get("colleague"):
            raise ValidationError(_("Choose a colleague other than the absent officer."))
        return cleaned
