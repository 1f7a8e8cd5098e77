from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cases import reference
from cases.forms import CleanTextMixin
from dtv.edits import StaleEditMixin
from dtv.widgets import LargeSelect
from letters import services
from letters.models import DJANGO_LANGUAGE, DUTCH, RIGHT_TO_LEFT, Kind, written_language


class LetterTextForm(StaleEditMixin, CleanTextMixin, forms.Form):
    """The text of one kind of letter in one language; saving makes the next version. The
    stale-edit check compares with the version now current (dtv/edits.py)."""

    subject = forms.CharField(label=_("Subject"), max_length=services.SUBJECT_MAX)
    body = forms.CharField(
        label=_("Text of the letter"),
        max_length=services.BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 22, "dir": "auto"}),
    )

    def __init__(self, *args, language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = _(
            "Plain text: a blank line between paragraphs, placeholders from the list beside it."
        )
        # The text fields are in the letter's language (and direction); the labels are not.
        for name in ("subject", "body"):
            attrs = self.fields[name].widget.attrs
            attrs["dir"] = "rtl" if language in RIGHT_TO_LEFT else "auto"
            if language:
                attrs["lang"] = DJANGO_LANGUAGE.get(language, language)

    def clean(self):
        cleaned = super().clean()
        subject, body = cleaned.get("subject"), cleaned.get("body")
        if subject is not None and body is not None:
            try:
                services.check_text(subject=subject, body=body)
            except forms.ValidationError as error:
                for field, errors in error.error_dict.items():
                    self.add_error(field, errors)
        return cleaned


class NewLanguageForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of letter"), choices=Kind.choices)
    language = forms.ChoiceField(label=_("Language"), widget=LargeSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—"), *reference.language_choices()]


def _interview_label(interview) -> str:
    when = timezone.localtime(interview.planned_at if interview.is_planned else interview.held_at)
    state = _("planned") if interview.is_planned else _("held")
    return f"{interview.get_stage_display()} · {date_format(when, 'DATETIME_FORMAT')} · {state}"


class GenerateLetterForm(CleanTextMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of letter"), choices=Kind.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language of the letter"), widget=LargeSelect)
    interview = forms.TypedChoiceField(
        label=_("Interview"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_(
            "For an invitation: the planned interview. For a confirmation of agreements: the "
            "interview in which they were made."
        ),
    )

    def __init__(self, *args, case, interviews, text_languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.interviews = {i.pk: i for i in interviews}
        self.fields["interview"].choices = [("", "—")] + [
            (i.pk, _interview_label(i)) for i in interviews
        ]
        # What the person speaks, as the language letters are written in (Arabic for
        # Moroccan Arabic).
        spoken = list(
            dict.fromkeys(written_language(lang.code) for lang in case.person.languages.all())
        )
        with_text = [(code, reference.language_name(code)) for code in text_languages]
        without = [
            (
                code,
                _("%(language)s (no translation: Dutch with English)")
                % {"language": reference.language_name(code)},
            )
            for code in spoken
            if code not in text_languages
        ]
        self.fields["language"].choices = sorted(with_text, key=lambda c: str(c[1]).lower()) + [
            *without
        ]
        self.fields["language"].help_text = _(
            "The person's language where a translation of the letter exists; otherwise the "
            "letter is written in Dutch with an English translation."
        )
        default = next((c for c in spoken if c in text_languages), None)
        self.initial.setdefault("language", default or (spoken[0] if spoken else DUTCH))
        # The letter the case most likely needs: an invitation to the next planned interview,
        # else the agreements of the latest interview that made some, else the obligation.
        planned = [i for i in interviews if i.is_planned]
        agreed = [i for i in interviews if i.is_held and i.agreements.strip()]
        if planned:
            self.initial.setdefault("kind", Kind.INVITATION)
            self.initial.setdefault("interview", planned[0].pk)
        elif agreed:
            self.initial.setdefault("kind", Kind.AGREEMENTS)
            self.initial.setdefault("interview", agreed[0].pk)
        else:
            self.initial.setdefault("kind", Kind.OBLIGATION)

    def clean_interview(self):
        pk = self.cleaned_data.get("interview")
        return self.interviews.get(pk) if pk is not None else None
