"""Letter texts (kept by the functional administrator, in versions) and the letters an
officer makes from them for a case. Every write goes through a function here."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from cases import access as case_access
from cases import reference
from cases import services as case_services
from cases.models import Case
from departure import deadlines
from departure.facts import case_facts
from documents import services as document_services
from documents.models import Document
from interviews.models import Interview
from letters import access, pdf, placeholders
from letters.models import (
    DJANGO_LANGUAGE,
    DUTCH,
    ENGLISH,
    RIGHT_TO_LEFT,
    GeneratedLetter,
    Kind,
    LetterText,
    written_language,
)

SUBJECT_MAX = 200
BODY_MAX = 20_000


# ---- letter texts ---------------------------------------------------------------------------


def current_text(kind: str, language: str) -> LetterText | None:
    return LetterText.objects.filter(kind=kind, language=language).order_by("-version").first()


def text_languages() -> list[str]:
    """The languages that have a text of every kind of letter."""
    complete = []
    rows = LetterText.objects.values_list("kind", "language").distinct()
    by_language: dict[str, set] = {}
    for kind, language in rows:
        by_language.setdefault(language, set()).add(kind)
    for language, kinds in by_language.items():
        if kinds >= set(Kind.values):
            complete.append(language)
    return sorted(complete)


def check_text(*, subject: str, body: str) -> None:
    """The rules a letter text must meet, as field errors the administrator can act on."""
    errors = {}
    if not subject.strip():
        errors["subject"] = _("Enter a subject.")
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = _("The subject is at most %(n)d characters.") % {"n": SUBJECT_MAX}
    if not body.strip():
        errors["body"] = _("Enter the text of the letter.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("The text is at most %(n)d characters.") % {"n": BODY_MAX}
    for field, text in (("subject", subject), ("body", body)):
        unknown = placeholders.unknown_placeholders(text)
        if unknown and field not in errors:
            errors[field] = _(
                "%(tokens)s is not a placeholder this letter can fill. Use only the "
                "placeholders in the list, written as {naam}, or remove the braces."
            ) % {"tokens": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_letter_text(*, actor, kind: str, language: str, subject: str, body: str) -> LetterText:
    """The next version of the text of `kind` in `language` (the first when there is none)."""
    access.require_text_writer(actor)
    if kind not in Kind.values:
        raise ValidationError(_("Choose a kind of letter."))
    if not reference.is_language(language):
        raise ValidationError(_("Choose a language from the list."))
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    check_text(subject=subject, body=body)
    current = current_text(kind, language)
    if current is not None and (current.subject, current.body) == (subject, body):
        raise ValidationError(_("Nothing was changed, so no new version was made."))
    text = LetterText(
        kind=kind,
        language=language,
        version=(current.version + 1) if current else 1,
        subject=subject,
        body=body,
        created_by=actor,
    )
    try:
        with transaction.atomic(), case_services.acting_as(actor):
            text.save()
    except IntegrityError as error:
        # Two administrators saved the same version at once: the other one was first.
        raise ValidationError(
            _("Someone else saved a new version of this text just now. Reload and try again.")
        ) from error
    return text


# ---- values ---------------------------------------------------------------------------------

SAMPLE_VALUES_SOURCE = "sample"


@dataclass(frozen=True)
class Source:
    """What a letter is filled from (the case, the interview, the term), independent of the
    language it is written in."""

    name: str
    v_nummer: str
    reference: str
    officer: str
    on: date
    interview_at: object = None  # an aware datetime
    place: str = ""
    interpreter_language: str = ""
    agreements: str = ""
    term_start: date | None = None
    term_days: int | None = None
    term_end: date | None = None


def _formatted(source: Source, language: str) -> dict:
    """The placeholder values for `source`, written in `language` (dates, language names)."""
    with translation.override(DJANGO_LANGUAGE.get(language, "nl")):

        def day(value):
            return date_format(value, "j F Y") if value else ""

        local = timezone.localtime(source.interview_at) if source.interview_at else None
        if source.interpreter_language:
            interpreter = reference.language_name(source.interpreter_language)
        else:
            interpreter = NO_INTERPRETER.get(language, NO_INTERPRETER[ENGLISH])
        return {
            "naam": source.name,
            "v_nummer": source.v_nummer,
            "kenmerk": source.reference,
            "briefdatum": day(source.on),
            "regievoerder": source.officer,
            "datum": day(local.date()) if local else "",
            "tijd": local.strftime("%H:%M") if local else "",
            "plaats": source.place,
            "tolk_taal": interpreter,
            "afspraken": source.agreements,
            "besluitdatum": day(source.term_start),
            "vertrektermijn": "" if source.term_days is None else str(source.term_days),
            "termijn_einde": day(source.term_end),
        }


# Written in the letter's language, not the user's: these are not UI strings.
NO_INTERPRETER = {
    "nld": "geen tolk",
    "eng": "no interpreter",
    "fra": "pas d'interprète",
    "ara": "بدون مترجم",
}
COMMA = {"ara": "،"}
PLACE_LINE = {"nld": "Den Haag", "eng": "The Hague", "fra": "La Haye", "ara": "لاهاي"}
TRANSLATION_NOTE = (
    "English translation of the Dutch letter before it. Only the Dutch letter is legally binding."
)


def sample_source(today: date | None = None) -> Source:
    """Made-up values for the administrator's preview: no person's data."""
    from datetime import datetime, time, timedelta

    today = today or timezone.localdate()
    return Source(
        name="A. Voorbeeld",
        v_nummer="0123456789",
        reference="TK-VOORBEELD",
        officer="J. de Regievoerder",
        on=today,
        interview_at=timezone.make_aware(datetime.combine(today + timedelta(days=7), time(10))),
        place="Kantoor DT&V, Rijnstraat 8, Den Haag",
        interpreter_language="ara",
        agreements="Betrokkene levert binnen twee weken een kopie van het paspoort aan.",
        term_start=today - timedelta(days=3),
        term_days=28,
        term_end=today + timedelta(days=25),
    )


def _part(text: LetterText, source: Source, *, note: str = "") -> pdf.Part:
    values = _formatted(source, text.language)
    place = PLACE_LINE.get(text.language, PLACE_LINE[ENGLISH])
    return pdf.Part(
        lang=DJANGO_LANGUAGE.get(text.language, text.language),
        dir="rtl" if text.language in RIGHT_TO_LEFT else "ltr",
        date_line=f"{place}{COMMA.get(text.language, ',')} {values['briefdatum']}",
        subject=placeholders.fill(text.subject, values),
        body=placeholders.fill_html(text.body, values),
        note=note,
    )


def preview_text(*, kind: str, language: str, subject: str, body: str) -> bytes:
    """The PDF a text would give, filled with sample values (the administrator's preview)."""
    check_text(subject=subject, body=body)
    text = LetterText(kind=kind, language=language, version=1, subject=subject, body=body)
    note = _("Preview with sample data. This is not a letter to a person.")
    return pdf.render_letter([_part(text, sample_source())], preview_note=note)


# ---- letters for a case ---------------------------------------------------------------------


def letter_texts(kind: str, language: str) -> tuple[LetterText, LetterText | None]:
    """The text in `language` (or the language it is written in: Arabic for Moroccan Arabic),
    or, without one, the Dutch text with the English translation."""
    text = current_text(kind, language) or current_text(kind, written_language(language))
    if text is not None:
        return text, None
    dutch, english = current_text(kind, DUTCH), current_text(kind, ENGLISH)
    if dutch is None or english is None:
        raise ValidationError(
            _("There is no text for this letter yet. Ask the functional administrator.")
        )
    return dutch, english


def _interview_for(case: Case, kind: str, interview: Interview | None) -> Interview | None:
    if kind == Kind.OBLIGATION:
        return None
    if interview is None or interview.case_id != case.pk:
        raise ValidationError({"interview": _("Choose the interview the letter is about.")})
    if kind == Kind.INVITATION:
        if not interview.is_planned or interview.planned_at is None:
            raise ValidationError(
                {"interview": _("An invitation is for a planned interview; this one was held.")}
            )
        if interview.planned_at < timezone.now():
            raise ValidationError(
                {"interview": _("This interview was planned in the past; plan a new one first.")}
            )
        if not interview.location.strip():
            raise ValidationError(
                {
                    "interview": _(
                        "The interview has no place yet. Enter where it is held in the "
                        "interview first."
                    )
                }
            )
    if kind == Kind.AGREEMENTS:
        if not interview.is_held:
            raise ValidationError(
                {"interview": _("Agreements are confirmed for an interview that was held.")}
            )
        if not interview.agreements.strip():
            raise ValidationError(
                {"interview": _("This interview records no agreements with the person.")}
            )
    return interview


def case_source(case: Case, *, kind: str, interview: Interview | None, today: date) -> Source:
    officer = case.officer
    source = {
        "name": case.person.full_name,
        "v_nummer": case.person.v_nummer,
        "reference": case.reference,
        "officer": (officer.get_full_name() or officer.username) if officer else "",
        "on": today,
    }
    if interview is not None:
        source.update(
            interview_at=interview.planned_at if kind == Kind.INVITATION else interview.held_at,
            place=interview.location,
            interpreter_language=interview.interpreter_language,
            agreements=interview.agreements.strip(),
        )
    if kind == Kind.OBLIGATION:
        term = deadlines.departure_term(case_facts(case))
        if term is None:
            raise ValidationError(
                _(
                    "The departure term has not started: there is no return decision, or a "
                    "procedure that suspends departure is pending."
                )
            )
        source.update(
            term_start=term.inputs["start_on"], term_days=term.inputs["days"], term_end=term.due_on
        )
    return Source(**source)


def letter_filename(letter_kind: str, case: Case, language: str, today: date) -> str:
    name = f"brief-{letter_kind}-{case.reference}-{language}-{today.isoformat()}.pdf"
    return get_valid_filename(name)


@transaction.atomic
def generate_letter(
    case: Case,
    *,
    actor,
    kind: str,
    language: str,
    interview: Interview | None = None,
    today: date | None = None,
) -> GeneratedLetter:
    """Make the letter as PDF from the case's data and the current text, and keep it with the
    case, with the versions of the texts it was made from."""
    case_access.require_case_worker(actor, case)
    case_services.require_open(case)
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose a kind of letter.")})
    if not reference.is_language(language):
        raise ValidationError({"language": _("Choose a language from the list.")})
    today = today or timezone.localdate()
    interview = _interview_for(case, kind, interview)
    text, english = letter_texts(kind, language)
    source = case_source(case, kind=kind, interview=interview, today=today)
    parts = [_part(text, source)]
    if english is not None:
        parts.append(_part(english, source, note=TRANSLATION_NOTE))
    content = pdf.render_letter(parts)
    letter = GeneratedLetter(
        case=case,
        kind=kind,
        language=language,
        text=text,
        translation=english,
        interview=interview,
        filename=letter_filename(kind, case, text.language, today),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        created_by=actor,
    )
    with case_services.acting_as(actor):
        # The file first (documents writes it, then its rows); a letter row that fails after
        # it rolls the document rows back, and the orphan sweep removes the file.
        letter.document_version = document_services.store_generated(
            case=case,
            user=actor,
            doc_type=Document.Type.CORRESPONDENCE,
            filename=letter.filename,
            content=content,
            description=letter_description(letter),
            source_note=source_note(letter),
        )
        letter.save()
    return letter


def letter_description(letter: GeneratedLetter) -> str:
    language = reference.language_name(letter.text.language)
    if letter.translation is not None:
        return _("Letter: %(kind)s (%(language)s with English translation)") % {
            "kind": letter.get_kind_display(),
            "language": language,
        }
    return _("Letter: %(kind)s (%(language)s)") % {
        "kind": letter.get_kind_display(),
        "language": language,
    }


def source_note(letter: GeneratedLetter) -> str:
    """Which texts the letter was made from, on the document (the letter row says it too)."""
    note = f"letters: {letter.kind} {letter.text.language} v{letter.text.version}"
    if letter.translation is not None:
        note += f" + {letter.translation.language} v{letter.translation.version}"
    return note
