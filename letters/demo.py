"""Demo letters: for each demo officer, a few of their new cases get the letter that fits
them (an invitation to a planned interview, the confirmation of the agreements of a held one,
the departure obligation once the term runs), in the person's language where a text exists.
The letter texts themselves come with the data migration; an emptied database (a flushed test
database) gets them again here, as partners/demo.py does with its reference data. Idempotent:
only the cases that cases/demo.py created in this run are considered."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case
from letters import services, texts
from letters.models import DUTCH, GeneratedLetter, Kind, LetterText, written_language

OFFICERS = ("officer", "officer2", "officer3")
PER_OFFICER = 3


def _language(case, languages) -> str:
    spoken = [written_language(lang.code) for lang in case.person.languages.all()]
    return next((code for code in spoken if code in languages), spoken[0] if spoken else DUTCH)


def _choice(case):
    """The letter that fits the case, with its interview: (kind, interview) or None."""
    now = timezone.now()
    interviews = list(case.interviews.all())
    planned = [
        i for i in interviews if i.is_planned and i.planned_at and i.planned_at > now and i.location
    ]
    if planned:
        return Kind.INVITATION, min(planned, key=lambda i: i.planned_at)
    held = [i for i in interviews if i.is_held and i.agreements.strip()]
    if held and case.pk % 2:
        return Kind.AGREEMENTS, max(held, key=lambda i: i.held_at)
    if case.term_ends_on is not None or case.decision_on is not None:
        return Kind.OBLIGATION, None
    return None


def seed(ctx) -> None:
    restored = texts.load(LetterText)
    if restored:
        ctx.say(f"letters: {restored} standard letter texts restored")
    new_ids = [case.pk for case in ctx.extra.get("new_cases", [])]
    if not new_ids:
        ctx.say("letters: nothing new")
        return
    languages = set(services.text_languages())
    made = 0
    for username in OFFICERS:
        officer = ctx.users.get(username)
        if officer is None:
            continue
        cases = (
            Case.objects.filter(pk__in=new_ids, officer=officer)
            .exclude(phase=Case.Phase.CLOSED)
            .select_related("person", "officer")
            .prefetch_related("person__languages", "interviews", "procedures", "measures")
            .order_by("pk")
        )
        count = 0
        for case in cases:
            if count >= PER_OFFICER:
                break
            if GeneratedLetter.objects.filter(case=case).exists():
                continue
            choice = _choice(case)
            if choice is None:
                continue
            kind, interview = choice
            try:
                services.generate_letter(
                    case,
                    actor=officer,
                    kind=kind,
                    language=_language(case, languages),
                    interview=interview,
                    today=ctx.today,
                )
            except ValidationError:
                continue  # the case's facts do not allow this letter after all
            count += 1
        made += count
    ctx.say(f"letters: {made} letters")
