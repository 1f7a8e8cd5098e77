"""One person with a record of every kind the model graph holds about them (retention and
subject-access tests): each free-text field carries the person's name, and every record is
saved through the ORM so the change log records the names too."""

from datetime import timedelta

from django.utils import timezone

from cases import retention
from cases.models import Alias, Case, HouseholdLink, Language, Note, PhaseChange
from departure.models import CourtReview
from dtv.audit import graph
from dtv.notifications.models import Notification
from interviews.models import InterviewAttendee, InterviewParticipant
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory, ProcedureFactory
from tests.departure.factories import (
    AdviceFactory,
    DepartureFactory,
    MeasureFactory,
    PresentationFactory,
    ReturnSupportFactory,
    TravelDocumentRequestFactory,
)
from tests.interviews.factories import InterviewFactory
from tests.partners.factories import ActionItemFactory, AgendaItemFactory, MeetingFactory

GIVEN = "Zorbalina"
FAMILY = "Quixtrumová"
ALIAS = "Kwikstroom"
NAMES = (GIVEN, FAMILY, ALIAS)


def _fill(obj, text: str) -> None:
    """Write `text` into every free-text field of a record (what retention must empty)."""
    changed = []
    for field in retention.free_text_fields(type(obj)):
        if field.name == "link":
            continue
        setattr(obj, field.attname, f"{text} {field.name}"[: field.max_length or 10000])
        changed.append(field.attname)
    if changed:
        obj.save(update_fields=changed)


def build(officer, *, closed_days_ago=400):
    """A person with one closed case holding one record of every kind, and a relative."""
    today = timezone.localdate()
    person = PersonFactory(given_names=GIVEN, family_name=FAMILY)
    person.refresh_search_name([ALIAS])
    person.save()
    Alias.objects.create(person=person, name=ALIAS)
    Language.objects.create(person=person, code="ara")
    relative = PersonFactory(given_names="Relatief", family_name="Anders")
    HouseholdLink.objects.create(person=person, relative=relative, relation="partner")
    # A link stored from the other side: a parent of the person (one link per pair).
    parent = PersonFactory(given_names="Ouder", family_name="Anders")
    HouseholdLink.objects.create(person=parent, relative=person, relation="parent")
    case = CaseFactory(
        person=person,
        team=officer.team,
        officer=officer,
        opened_on=today - timedelta(days=closed_days_ago + 300),
    )
    PhaseChange.objects.create(case=case, to_phase="registered", reason="x", actor=officer)
    ProcedureFactory(case=case, court="Rechtbank Den Haag")
    obstacle = ObstacleFactory(case=case, identified_on=case.opened_on)
    Note.objects.create(case=case, author=officer, text="x")
    interview = InterviewFactory(
        case=case, interpreter_presence="present", interpreter_language="ara", interpreter_name="x"
    )
    interview.obstacles_discussed.add(obstacle)
    InterviewAttendee.objects.create(interview=interview, role="lawyer", name="x")
    InterviewAttendee.objects.create(interview=interview, role="officer", user=officer)
    # Interviews held with the household: the relative's case took part in the person's, and
    # the person's case in one logged on the relative's case.
    relative_case = CaseFactory(person=relative, team=officer.team, officer=officer)
    InterviewParticipant.objects.create(interview=interview, case=relative_case)
    joint = InterviewFactory(case=relative_case)
    InterviewParticipant.objects.create(interview=joint, case=case)
    document = TravelDocumentRequestFactory(case=case)
    PresentationFactory(case=case, travel_document_request=document)
    measure = MeasureFactory(case=case, started_on=case.opened_on)
    CourtReview.objects.create(measure=measure, reviewed_on=case.opened_on, court="Rb")
    DepartureFactory(case=case, departed_on=today - timedelta(days=closed_days_ago))
    ReturnSupportFactory(case=case)
    AdviceFactory(case=case)
    meeting = MeetingFactory(chair=officer, team=officer.team)
    ActionItemFactory(agenda_item=AgendaItemFactory(meeting=meeting, case=case))
    Notification.objects.create(recipient=officer, case=case, title="x", rule="term_lapsed")
    from documents.services import store_generated

    store_generated(
        case=case,
        user=officer,
        doc_type="decision",
        filename="x.txt",
        content=b"Beschikking\n",
        description="x",
        source_note="x",
    )
    from cases.models import CaseTransfer
    from dtv.accounts.models import Team

    CaseTransfer.objects.create(
        case=case,
        from_team=officer.team,
        to_team=Team.objects.create(name="Ontvangend team"),
        reason="x",
        handover_note="x",
        status=CaseTransfer.Status.DECLINED,
        proposed_by=officer,
        decided_by=officer,
        decided_at=timezone.now(),
        decision_reason="x",
    )
    from letters.models import GeneratedLetter, LetterText

    GeneratedLetter.objects.create(
        case=case,
        kind="obligation",
        language="ara",
        text=LetterText.objects.filter(kind="obligation", language="ara").first(),
        interview=interview,
        filename="x.pdf",
        sha256="0" * 64,
        size=1,
        created_by=officer,
    )
    for _relation, obj in graph.walk(person):
        if obj._meta.label not in ("cases.Person", "cases.Alias"):
            _fill(obj, f"{GIVEN} {FAMILY} ({ALIAS}) {person.v_nummer}")
    # Closed last: the closing date is what makes the case eligible.
    case = Case.objects.get(pk=case.pk)
    case.phase = Case.Phase.CLOSED
    case.closed_on = today - timedelta(days=closed_days_ago)
    case.closure_reason = Case.ClosureReason.WITHOUT_SUPERVISION
    case.save()
    return person, relative, case
