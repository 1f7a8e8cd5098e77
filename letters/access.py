"""Who may write letter texts and make letters: the one place views, services and the
navigation ask (permissions only; a letter is made on a case its maker may change, which
cases/access.py decides)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

VIEW_LETTERTEXT = "letters.view_lettertext"
ADD_LETTERTEXT = "letters.add_lettertext"
VIEW_GENERATEDLETTER = "letters.view_generatedletter"
ADD_GENERATEDLETTER = "letters.add_generatedletter"


def reads_texts(user) -> bool:
    return user.is_authenticated and user.has_perm(VIEW_LETTERTEXT)


def writes_texts(user) -> bool:
    return user.is_authenticated and user.has_perm(ADD_LETTERTEXT)


def require_text_writer(actor) -> None:
    if not writes_texts(actor):
        raise ValidationError(_("Only a functional administrator can change letter texts."))
