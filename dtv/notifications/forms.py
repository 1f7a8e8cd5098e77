from django import forms
from django.utils.translation import gettext_lazy as _


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Snooze for"),
        coerce=int,
        choices=[(1, _("1 day")), (3, _("3 days")), (7, _("1 week")), (14, _("2 weeks"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
