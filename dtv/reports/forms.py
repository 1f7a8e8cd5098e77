from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.forms import DATE_WIDGET, plausible_date
from dtv.accounts.models import Team
from dtv.forms import InstructiveErrors
from dtv.reports import access
from dtv.widgets import LargeSelect


class ReportFilterForm(InstructiveErrors, forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=DATE_WIDGET, validators=[plausible_date]
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=DATE_WIDGET, validators=[plausible_date]
    )
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=LargeSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", "—"), *reference.country_choices()]
        if not access.reports_on_every_team(user):
            # A team lead reports on their own team only.
            self.fields["team"].queryset = Team.objects.filter(pk=user.team_id)
            self.fields["team"].empty_label = None

    def values(self, user):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        until = data.get("until") or today
        since = data.get("since") or (until - timedelta(days=365))
        if since > until:
            since, until = until, since
        team = data.get("team")
        if not access.reports_on_every_team(user):
            team = user.team
        return since, until, team, data.get("nationality") or ""


class PublicationForm(InstructiveErrors, forms.Form):
    """The year, team and published year of the DT&V-category report."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("All teams")
    )
    compare = forms.TypedChoiceField(
        label=_("Compare with DTenV's national figures of"), coerce=int, required=False
    )

    def __init__(self, *args, user, published_years, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 10, -1)]
        self.fields["compare"].choices = [("", "—")] + [
            (y, str(y)) for y in sorted(published_years, reverse=True)
        ]
        if not access.reports_on_every_team(user):
            # A team lead reports on their own team only.
            self.fields["team"].queryset = Team.objects.filter(pk=user.team_id)
            self.fields["team"].empty_label = None

    def values(self, user) -> tuple[int, object, int | None]:
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        team = data.get("team") if access.reports_on_every_team(user) else user.team
        return year, team, data.get("compare") or None
