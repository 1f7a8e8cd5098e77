from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dtv.forms import InstructiveErrors


class SnoozeForm(InstructiveErrors, forms.Form):
    days = forms.TypedChoiceField(
        label=_("Snooze for"),
        coerce=int,
        choices=[(1, _("1 day")), (3, _("3 days")), (7, _("1 week")), (14, _("2 weeks"))],
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        # NUL and other control characters have no place in a reason (PostgreSQL refuses NUL).
        if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in reason):
            raise ValidationError(_("The text contains invalid control characters."))
        return reason
