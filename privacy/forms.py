from django import forms
from django.utils.translation import gettext_lazy as _

from dtv.forms import InstructiveErrors


class SubjectAccessForm(InstructiveErrors, forms.Form):
    v_nummer = forms.RegexField(
        label=_("V-number"),
        regex=r"^[0-9]{10}$",
        error_messages={"invalid": _("A V-number is exactly 10 digits, e.g. 0123456789.")},
    )
