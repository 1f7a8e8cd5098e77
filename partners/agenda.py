"""Agenda proposals and the need-to-know view of agenda cases.

This module reads the cases app and departure's per-case facts (departure/agenda_facts.py):
the LTO meetings sit above both (DESIGN.md, the house), so it imports them directly.
Everything here is a read; writes go through partners/services.py.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Case as Choose
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case, CaseQuerySet, Nationality, Obstacle, PhaseChange
from departure import agenda_facts
from dtv.text import choice_label, date_text
from partners import rules
from partners.models import ActionItem, AgendaItem, Meeting

Reason = AgendaItem.Reason

# The order in which proposals are listed: the most urgent reason first (a lapsed legal term
# before one about to lapse, a VBL stay at its deadline before follow-up of action items...),
# then the earliest departure deadline, then the reference.
# What a case reference can look like (cases.models.new_reference: "TK-" and 8 characters).
REFERENCE_SHAPE = re.compile(r"[A-Z0-9-]{1,12}")

REASON_RANK = {
    Reason.TERM_LAPSED: 0,
    Reason.TERM_ENDING: 1,
    Reason.VBL_WEEK_10: 2,
    Reason.RECEPTION_ENDING: 3,
    Reason.OPEN_ACTIONS: 4,
    Reason.ESCALATED: 5,
    Reason.NOMINATED: 6,
    Reason.OBSTACLE_OPEN: 7,
    Reason.HOUSEHOLD: 8,
}


@dataclass(frozen=True)
class ProposalReason:
    code: str
    label: str
    detail: str = ""


@dataclass
class Proposal:
    """A candidate case for a meeting's agenda with the reasons it is proposed."""

    case: Case
    reasons: list[ProposalReason]
    nomination: AgendaItem | None = None
    nationalities: list[str] = field(default_factory=list)
    obstacle_categories: list[str] = field(default_factory=list)
    # The other members of the case's household with an open case for this meeting: the
    # household is one proposal, led by its most urgent case (rules.HOUSEHOLD_AS_ONE_ITEM).
    members: list["Proposal"] = field(default_factory=list)

    @property
    def reason_codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]

    @property
    def rank(self) -> int:
        return min((REASON_RANK.get(reason.code, 99) for reason in self.reasons), default=99)

    @property
    def cases(self) -> list[Case]:
        return [self.case, *(member.case for member in self.members)]

    def picks(self) -> list[tuple[Case, list[str]]]:
        """(case, reason codes) for each case of the proposal, as the agenda stores them: a
        member is there with the household, and with its own reasons if it has any."""
        return [(self.case, self.reason_codes)] + [
            (member.case, [*member.reason_codes, Reason.HOUSEHOLD]) for member in self.members
        ]

    def sort_key(self):
        return (self.rank, self.case.term_ends_on or date.max, self.case.reference)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _vbl_cutoff(today: date) -> datetime:
    # Week 1 of a VBL stay is its first seven days; week N starts 7 × (N - 1) days in.
    return _start_of(today - timedelta(days=7 * (rules.VBL_AGENDA_WEEK - 1) - 1))


def with_reason_facts(cases, meeting: Meeting, *, today: date):
    """`cases` with every fact _reasons() reads, as annotations of the one query: the oldest
    obstacle open past the limit, the VBL start, the open action items of earlier meetings,
    (RAO) an earlier escalation. The proposals and the agenda's "on the agenda because" both
    read these, so a reason shown is computed from what the page shows beside it."""
    obstacle_cutoff = today - timedelta(weeks=rules.OBSTACLE_OPEN_WEEKS)
    oldest_obstacle = (
        Obstacle.objects.filter(
            case=OuterRef("pk"),
            status__in=Obstacle.OPEN_STATUSES,
            identified_on__lt=obstacle_cutoff,
        )
        .order_by("identified_on")
        .values("identified_on")[:1]
    )
    vbl_since = (
        PhaseChange.objects.filter(case=OuterRef("pk"), to_phase=Case.Phase.VBL)
        .order_by("-at")
        .values("at")[:1]
    )
    earlier_open_actions = earlier_open_action_items(meeting).filter(
        agenda_item__case=OuterRef("pk")
    )
    open_action_count = Coalesce(
        Subquery(
            earlier_open_actions.annotate(n=Func(F("pk"), function="COUNT")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )
    cases = cases.annotate(
        obstacle_open_since=Subquery(oldest_obstacle),
        vbl_since=Subquery(vbl_since),
        open_action_count=open_action_count,
    )
    # The departure app records the VBL measure itself: its start date counts.
    cases = cases.annotate(
        vbl_measure_since=agenda_facts.vbl_started_on(),
        reception_ends_on=agenda_facts.reception_ends_on(),
    )
    if meeting.type == Meeting.Type.RAO:
        escalated = AgendaItem.objects.filter(
            case=OuterRef("pk"),
            status=AgendaItem.Status.ON_AGENDA,
            escalate_to_rao=True,
            meeting__starts_at__lt=meeting.starts_at,
        ).exclude(meeting=meeting)
        cases = cases.annotate(is_escalated=Exists(escalated))
    return cases


def earlier_open_action_items(meeting: Meeting):
    """Action items still open from the case's earlier meetings: the "open action items"
    reason, and the list the agenda case page shows for it."""
    return (
        ActionItem.objects.open()
        .filter(agenda_item__meeting__starts_at__lt=meeting.starts_at)
        .exclude(agenda_item__meeting=meeting)
        .order_by()
    )


def candidate_cases(
    meeting: Meeting, *, user, today: date, nominated_ids=None, only_with_reasons: bool = True
):
    """The annotated case queryset behind the proposals: one SQL query, whatever its size.
    `nominated_ids` (the cases nominated for the meeting) is read here when not given.
    `only_with_reasons=False` leaves out the condition that some reason may apply (the
    paged proposals order by urgency() instead and stop at the first case without one)."""
    term_limit = today + timedelta(days=rules.TERM_WINDOW_DAYS)
    vbl_cutoff = _vbl_cutoff(today)
    here = AgendaItem.objects.filter(meeting=meeting, case=OuterRef("pk"))
    cases = (
        with_reason_facts(Case.objects.visible_to(user).open(), meeting, today=today)
        .annotate(
            is_nominated=Exists(here.filter(status=AgendaItem.Status.NOMINATED)),
            is_on_agenda=Exists(here.filter(status=AgendaItem.Status.ON_AGENDA)),
        )
        .filter(is_on_agenda=False)
    )
    if meeting.municipality_id:
        # A regional meeting (no municipality) looks at all of the team's cases. The
        # nominated cases as a list of ids, not the is_nominated subquery: then the team's
        # cases in the municipality come from the index case_team_municipality, or-ed with
        # the nominated ones by primary key, instead of a pass over all the team's cases.
        if nominated_ids is None:
            nominated_ids = list(
                AgendaItem.objects.nominated()
                .filter(meeting=meeting)
                .values_list("case_id", flat=True)
            )
        cases = cases.filter(
            Q(municipality_id=meeting.municipality_id) | Q(pk__in=list(nominated_ids))
        )
    if not only_with_reasons:
        return cases.select_related("person", "officer")
    condition = (
        Q(term_ends_on__lte=term_limit)
        | Q(obstacle_open_since__isnull=False)
        | Q(phase=Case.Phase.VBL, vbl_since__lt=vbl_cutoff)
        | Q(open_action_count__gt=0)
        | Q(is_nominated=True)
    )
    condition |= Q(phase=Case.Phase.VBL, vbl_measure_since__lt=vbl_cutoff.date())
    condition |= Q(
        reception_ends_on__gte=today,
        reception_ends_on__lte=today + timedelta(days=rules.RECEPTION_WINDOW_DAYS),
    )
    if meeting.type == Meeting.Type.RAO:
        condition |= Q(is_escalated=True)
    return cases.filter(condition).select_related("person", "officer")


def _reasons(case, *, today: date, nomination: AgendaItem | None) -> list[ProposalReason]:
    found = []
    if case.term_lapsed_by(today):
        found.append(
            ProposalReason(
                Reason.TERM_LAPSED,
                Reason.TERM_LAPSED.label,
                _("lapsed on %(date)s") % {"date": date_text(case.term_ends_on)},
            )
        )
    elif case.term_ends_on is not None and case.term_ends_on <= today + timedelta(
        days=rules.TERM_WINDOW_DAYS
    ):
        found.append(
            ProposalReason(
                Reason.TERM_ENDING,
                Reason.TERM_ENDING.label,
                _("ends on %(date)s") % {"date": date_text(case.term_ends_on)},
            )
        )
    vbl_start = getattr(case, "vbl_measure_since", None)
    if vbl_start is None and case.phase == Case.Phase.VBL and case.vbl_since is not None:
        vbl_start = timezone.localtime(case.vbl_since).date()
    if vbl_start is not None and case.phase == Case.Phase.VBL:
        week = (today - vbl_start).days // 7 + 1
        if week >= rules.VBL_AGENDA_WEEK:
            found.append(
                ProposalReason(
                    Reason.VBL_WEEK_10,
                    Reason.VBL_WEEK_10.label,
                    _("in the VBL since %(date)s (week %(week)d)")
                    % {"date": date_text(vbl_start), "week": week},
                )
            )
    reception_ends_on = getattr(case, "reception_ends_on", None)
    if reception_ends_on is not None and today <= reception_ends_on <= today + timedelta(
        days=rules.RECEPTION_WINDOW_DAYS
    ):
        found.append(
            ProposalReason(
                Reason.RECEPTION_ENDING,
                Reason.RECEPTION_ENDING.label,
                _("ends on %(date)s") % {"date": date_text(reception_ends_on)},
            )
        )
    if case.open_action_count:
        found.append(
            ProposalReason(
                Reason.OPEN_ACTIONS,
                Reason.OPEN_ACTIONS.label,
                ngettext(
                    "%(count)d action item open",
                    "%(count)d action items open",
                    case.open_action_count,
                )
                % {"count": case.open_action_count},
            )
        )
    if getattr(case, "is_escalated", False):
        found.append(ProposalReason(Reason.ESCALATED, Reason.ESCALATED.label))
    if nomination is not None:
        who = nomination.nominated_by_organisation or nomination.nominated_by or ""
        found.append(
            ProposalReason(
                Reason.NOMINATED,
                Reason.NOMINATED.label,
                _("by %(who)s") % {"who": who} if who else "",
            )
        )
    if case.obstacle_open_since is not None:
        found.append(
            ProposalReason(
                Reason.OBSTACLE_OPEN,
                Reason.OBSTACLE_OPEN.label,
                _("open since %(date)s") % {"date": date_text(case.obstacle_open_since)},
            )
        )
    return found


def _open_obstacles_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}obstacles",
        # The proposals show the open obstacles' categories only.
        queryset=Obstacle.objects.filter(status__in=Obstacle.OPEN_STATUSES)
        .only("case", "category", "identified_on")
        .order_by("identified_on"),
        to_attr="open_obstacles",
    )


def _nationalities_prefetch(prefix: str = "") -> Prefetch:
    # A plain list on the person (read by _nationality_names): a hundred proposals would
    # otherwise build a hundred related managers and querysets just to read the cache.
    return Prefetch(
        f"{prefix}person__nationalities",
        queryset=Nationality.objects.only("person", "country", "status").order_by(
            "-status", "country"
        ),
        to_attr="agenda_nationalities",
    )


def _nationality_names(person) -> list[str]:
    nationalities = getattr(person, "agenda_nationalities", None)
    if nationalities is None:  # not fetched with the prefetch above
        nationalities = person.nationalities.order_by("-status", "country")
    return [n.country_name for n in nationalities]


def _category_labels(obstacles) -> list[str]:
    labels = []
    for obstacle in obstacles:
        label = choice_label(Obstacle.Category, obstacle.category)
        if label not in labels:
            labels.append(label)
    return labels


def reckoning_date(meeting: Meeting) -> date:
    """The day a meeting's proposal reasons are reckoned from: the meeting's own (local) date,
    not today's. A term that lapses before the meeting is "lapsed" there, and a case that
    qualifies only by then (an obstacle eight weeks old, VBL week 10, a term ending within 14
    days of the meeting) is proposed."""
    return timezone.localdate(meeting.starts_at)


def _nominations(meeting: Meeting) -> dict:
    return {
        item.case_id: item
        for item in AgendaItem.objects.nominated()
        .filter(meeting=meeting)
        .select_related("nominated_by", "nominated_by_organisation")
    }


def _proposals_of(cases, *, today: date, nominations: dict) -> list[Proposal]:
    found = []
    for case in cases:
        reasons = _reasons(case, today=today, nomination=nominations.get(case.pk))
        if not reasons:
            continue
        found.append(
            Proposal(
                case=case,
                reasons=reasons,
                nomination=nominations.get(case.pk),
                nationalities=_nationality_names(case.person),
                obstacle_categories=_category_labels(case.open_obstacles),
            )
        )
    found.sort(key=Proposal.sort_key)
    return found


def proposals(meeting: Meeting, *, user, today: date | None = None, persons=None) -> list[Proposal]:
    """Candidate cases for the meeting's agenda with the reasons each is proposed, most
    urgent first; a household is one proposal (group_households). Five queries, whatever the
    number of candidates: the nominations, the cases (with every reason computed in SQL),
    their nationalities, their open obstacles, their household links (a few more when some of
    them have a household). All of them: the page shows them a page at a time
    (proposal_page); `persons` (ids) keeps to the cases of those persons."""
    today = today or timezone.localdate()
    nominations = _nominations(meeting)
    cases = candidate_cases(meeting, user=user, today=today, nominated_ids=list(nominations))
    if persons is not None:
        cases = cases.filter(person_id__in=list(persons))
    found = _proposals_of(
        cases.prefetch_related(_nationalities_prefetch(), _open_obstacles_prefetch()),
        today=today,
        nominations=nominations,
    )
    if rules.HOUSEHOLD_AS_ONE_ITEM:
        found = group_households(found, meeting, user=user)
    return found


# The proposals page shows this many at a time, most urgent first; page numbers beyond
# MAX_PROPOSAL_PAGE are not read (at 25 a page, 10,000 proposals).
PROPOSALS_PER_PAGE = 25
MAX_PROPOSAL_PAGE = 400
# The urgency of a case no reason proposes (REASON_RANK's default).
NO_RANK = 99


def urgency(meeting: Meeting, *, today: date):
    """Proposal.rank in SQL, over the annotations of candidate_cases(): the rank of the most
    urgent of the reasons _reasons() finds, NO_RANK when it finds none. The page is ordered
    and cut by it in the database; _reasons() stays the rule for what a row shows."""
    vbl_start = Coalesce(
        "vbl_measure_since", TruncDate("vbl_since", tzinfo=timezone.get_current_timezone())
    )
    vbl_from = today - timedelta(days=7 * (rules.VBL_AGENDA_WEEK - 1))
    ranked = [
        (CaseQuerySet.term_lapsed_q(today), Reason.TERM_LAPSED),
        (
            Q(term_ends_on__lte=today + timedelta(days=rules.TERM_WINDOW_DAYS)),
            Reason.TERM_ENDING,
        ),
        (
            Q(phase=Case.Phase.VBL) & Q(vbl_start_on__lte=vbl_from),
            Reason.VBL_WEEK_10,
        ),
        (
            Q(
                reception_ends_on__gte=today,
                reception_ends_on__lte=today + timedelta(days=rules.RECEPTION_WINDOW_DAYS),
            ),
            Reason.RECEPTION_ENDING,
        ),
        (Q(open_action_count__gt=0), Reason.OPEN_ACTIONS),
    ]
    if meeting.type == Meeting.Type.RAO:
        ranked.append((Q(is_escalated=True), Reason.ESCALATED))
    ranked += [
        (Q(is_nominated=True), Reason.NOMINATED),
        (Q(obstacle_open_since__isnull=False), Reason.OBSTACLE_OPEN),
    ]
    ranked.sort(key=lambda pair: REASON_RANK[pair[1]])
    return vbl_start, Choose(
        *(When(condition, then=Value(REASON_RANK[reason])) for condition, reason in ranked),
        default=Value(NO_RANK),
        output_field=IntegerField(),
    )


@dataclass
class ProposalPage:
    """One page of the proposals: `proposals` (households as one, as proposals() gives
    them), the page `number`, whether there is a next one."""

    proposals: list[Proposal]
    number: int
    has_next: bool
    first: int = 0  # the position of its first candidate case in the order, from 1
    notice: str = ""

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def proposal_page_number(text) -> tuple[int, str]:
    """The page number a query parameter asks for, and a notice when it is not one that can
    be shown (the first page is shown instead)."""
    if text in (None, ""):
        return 1, ""
    text = str(text).strip()
    value = (int(text) if len(text) <= 18 else 10**18) if text.isascii() and text.isdigit() else 0
    if value < 1:
        return 1, _("That is not a page number; this is the first page.")
    if value > MAX_PROPOSAL_PAGE:
        return 1, _("There is no page of that number; this is the first page.")
    return value, ""


# The columns proposal_page() reads; a row of the page reads no other (the query count of
# tests/partners/test_proposal_pages.py stays the same).
PROPOSAL_FIELDS = (
    "reference",
    "person_id",
    "phase",
    "officer_id",
    "team_id",
    "municipality_id",
    "term_ends_on",
    "departure_term_days",
    "person__family_name",
    "person__given_names",
    "person__v_nummer",
    "person__birth_date",
    "person__birth_date_precision",
    "officer__first_name",
    "officer__last_name",
    "officer__username",
)


def proposal_page(
    meeting: Meeting,
    *,
    user,
    today: date | None = None,
    number: int = 1,
    size: int | None = None,
) -> ProposalPage:
    """The proposals a page at a time, most urgent first: the candidates ordered by their
    urgency (Proposal.sort_key, computed in SQL) and cut in the database, so that the work
    of the page does not grow with the number of candidates. The same queries as
    proposals(). A household is one proposal on the page of its most urgent case; a
    member whose own proposal comes later is listed with it (and not again on its own)."""
    today = today or timezone.localdate()
    size = size or PROPOSALS_PER_PAGE
    nominations = _nominations(meeting)
    vbl_start, rank = urgency(meeting, today=today)
    # Every open case of the team in the municipality (and the nominated ones), the most
    # urgent first and those that no reason proposes (NO_RANK) last: cut after the page,
    # the query computes each reason once per case (a filter on them would compute every
    # reason again, in the SQL and in building it).
    cases = (
        candidate_cases(
            meeting,
            user=user,
            today=today,
            nominated_ids=list(nominations),
            only_with_reasons=False,
        )
        .annotate(vbl_start_on=vbl_start)
        .annotate(urgency=rank)
        .order_by("urgency", F("term_ends_on").asc(nulls_last=True), "reference")
        # What the page reads of a case, its person and officer, no more: the three have
        # some ninety columns, and their SQL and rows cost the page about 1 ms.
        .only(*PROPOSAL_FIELDS)
        .prefetch_related(_nationalities_prefetch(), _open_obstacles_prefetch())
    )
    offset = (number - 1) * size
    rows = [case for case in cases[offset : offset + size + 1] if case.urgency < NO_RANK]
    found = _proposals_of(rows[:size], today=today, nominations=nominations)
    if rules.HOUSEHOLD_AS_ONE_ITEM:
        found = group_households(found, meeting, user=user, paged=(today, nominations))
    return ProposalPage(proposals=found, number=number, has_next=len(rows) > size, first=offset + 1)


def group_households(
    found: list[Proposal], meeting: Meeting, *, user, paged: tuple | None = None
) -> list[Proposal]:
    """Members of one household make one proposal: the most urgent of their proposals leads
    and lists the others, and the open cases of members that are not proposed themselves
    (a child whose term follows the parent's) go with it. One query for the links when
    nobody of the proposals has a household; one step outwards more per generation, and one
    for the other members' cases, when some have.

    `paged` ((today, nominations)): `found` is one page of the proposals, so the other
    members' cases may be proposed on another page. Their reasons are read with them (in
    the same query); a household with a member more urgent than its case here was shown on
    an earlier page and is left out, and members proposed later are listed here."""
    from cases.services import household_member_ids

    if not found:
        return found
    households = household_member_ids([p.case.person_id for p in found])
    if all(len(members) == 1 for members in households.values()):
        return found
    groups: dict[frozenset, list[Proposal]] = {}
    for proposal in found:  # most urgent first, so each group's first is its lead
        groups.setdefault(households[proposal.case.person_id], []).append(proposal)
    proposed = {p.case.pk for p in found}
    others = {pk for members, group in groups.items() if len(members) > 1 for pk in members} - {
        p.case.person_id for p in found
    }
    extra: dict[int, list[Proposal]] = {}
    if others:
        taken = AgendaItem.objects.filter(meeting=meeting).exclude(status=AgendaItem.Status.REMOVED)
        cases = (
            Case.objects.visible_to(user)
            .open()
            .filter(person_id__in=others, pk__in=cases_open_to(meeting).values("pk"))
            .exclude(pk__in=taken.values("case_id"))
            .exclude(pk__in=proposed)
            .select_related("person", "officer")
            .order_by("person__birth_date", "reference")
        )
        if paged:
            today, nominations = paged
            cases = with_reason_facts(cases, meeting, today=today)
        for case in cases:
            reasons = []
            if paged:
                nomination = nominations.get(case.pk)
                reasons = _reasons(case, today=today, nomination=nomination)
            extra.setdefault(case.person_id, []).append(
                Proposal(case=case, reasons=reasons, nomination=nomination if paged else None)
            )
    result = []
    for members, group in groups.items():
        lead, *rest = group
        others_here = rest + [p for pk in members for p in extra.get(pk, [])]
        if any(p.reasons and p.sort_key() < lead.sort_key() for p in others_here):
            continue  # on an earlier page, led by that member
        # The other members from the eldest down (their own reasons show beside them).
        lead.members = sorted(
            others_here,
            key=lambda p: (p.case.person.birth_date or date.max, p.case.reference),
        )
        result.append(lead)
    result.sort(key=Proposal.sort_key)
    return result


def household_proposal(meeting: Meeting, case: Case, *, user, today: date) -> Proposal | None:
    """The proposal a case belongs to (as its lead or a member), or None: the proposals of
    the persons of its household only."""
    from cases.services import household_member_ids

    persons = household_member_ids([case.person_id])[case.person_id]
    for proposal in proposals(meeting, user=user, today=today, persons=persons):
        if case.pk in {c.pk for c in proposal.cases}:
            return proposal
    return None


# --- need-to-know rows: what partners, the print page and the PDF show ---------------------


@dataclass(frozen=True)
class AgendaCase:
    """The need-to-know fields of one agenda case, and nothing else: what partner
    participants, the printed agenda and the PDF get. Notes, medical detail, interviews,
    descriptions of obstacles and the departure plan are deliberately absent."""

    item_pk: int
    position: int | None
    reference: str
    name: str
    v_nummer: str
    nationalities: tuple[str, ...]
    phase: str
    term_ends_on: date | None
    term_lapsed: bool
    obstacle_categories: tuple[str, ...]
    question: str
    approach: str
    reasons: tuple[str, ...]
    case_team_id: int | None = None
    # Younger than 18 (from the date of birth): shown as a badge wherever the name is.
    minor: bool = False


# Reasons that are decisions, not facts of the case: kept as stored when the item was added.
DECIDED_REASONS = (Reason.CHAIR, Reason.HOUSEHOLD)


def reason_text(reason: ProposalReason) -> str:
    return f"{reason.label} ({reason.detail})" if reason.detail else str(reason.label)


def agenda_reasons(meeting: Meeting, items, *, today: date | None = None) -> dict:
    """item pk -> the reasons an agenda item is on the agenda, computed now from the facts the
    agenda shows beside them (term, open obstacles, earlier open action items, VBL, the
    nomination) by the proposals' own rules; the chair's own choice as stored. One query."""
    today = today or timezone.localdate()
    items = list(items)
    facts = {
        case.pk: case
        for case in with_reason_facts(
            Case.objects.filter(pk__in={item.case_id for item in items}), meeting, today=today
        )
    }
    found = {}
    for item in items:
        nominated = item.nominated_by_id or item.nominated_by_organisation_id
        reasons = _reasons(facts[item.case_id], today=today, nomination=item if nominated else None)
        reasons += [
            ProposalReason(code, Reason(code).label)
            for code in item.reasons or []
            if code in DECIDED_REASONS
        ]
        found[item.pk] = reasons
    return found


def need_to_know(item: AgendaItem, *, reasons=None) -> AgendaCase:
    """`reasons`: the item's ProposalReasons from agenda_reasons() (computed here when not
    given, one query)."""
    if reasons is None:
        reasons = agenda_reasons(item.meeting, [item])[item.pk]
    case = item.case
    person = case.person
    return AgendaCase(
        item_pk=item.pk,
        position=item.position,
        reference=case.reference,
        name=f"{person.family_name}, {person.given_names}".strip(", "),
        v_nummer=person.v_nummer,
        nationalities=tuple(_nationality_names(person)),
        phase=case.get_phase_display(),
        term_ends_on=case.term_ends_on,
        # As of today, by the one rule of a lapsed term (a 0-day term on its decision day).
        term_lapsed=case.term_lapsed_by(timezone.localdate()),
        obstacle_categories=tuple(_category_labels(getattr(case, "open_obstacles", []))),
        question=item.question,
        approach=item.approach,
        reasons=tuple(reason_text(reason) for reason in reasons),
        case_team_id=case.team_id,
        minor=person.is_minor_on(timezone.localdate()),
    )


def with_case_facts(items):
    """An AgendaItem queryset with what need_to_know() reads: three queries in all."""
    return items.select_related(
        "case__person", "nominated_by", "nominated_by_organisation"
    ).prefetch_related(_nationalities_prefetch("case__"), _open_obstacles_prefetch("case__"))


def agenda_rows(meeting: Meeting, *, items=None) -> list[tuple[AgendaItem, AgendaCase]]:
    """The meeting's agenda (items on it, in order) with each case's need-to-know fields."""
    if items is None:
        items = AgendaItem.objects.filter(meeting=meeting).on_agenda()
    items = list(with_case_facts(items.order_by("position", "added_at")))
    reasons = agenda_reasons(meeting, items)
    return [(item, need_to_know(item, reasons=reasons[item.pk])) for item in items]


def visible_case(user, reference: str) -> Case:
    """A case this officer may work on, or 404 (Case.objects.visible_to decides). Text that
    cannot be a reference (typed by hand, so anything) is a 404 without a query."""
    if not REFERENCE_SHAPE.fullmatch(reference[:12]):
        raise Http404
    return get_object_or_404(
        Case.objects.visible_to(user).select_related("person", "municipality"),
        reference=reference[:12],
    )


def cases_open_to(meeting: Meeting):
    """The cases that can go to this meeting (the converse of Meeting.objects.open_to_case):
    the organising team's, in the meeting's municipality when it is for one."""
    team_id = meeting.team_id or meeting.chair.team_id
    cases = Case.objects.filter(team_id=team_id)
    if meeting.municipality_id:
        cases = cases.filter(municipality_id=meeting.municipality_id)
    return cases


def cases_seen_by(user, *, now=None):
    """The cases a partner participant sees through meetings (and may so nominate)."""
    items = AgendaItem.objects.visible_to(user, now=now)
    return Case.objects.filter(pk__in=items.values("case_id")).select_related("person")


def reasons_for(meeting: Meeting, case: Case, *, user, today: date | None = None) -> list[str]:
    """The proposal reasons of one case (empty when it is not among the proposals)."""
    today = today or timezone.localdate()
    found = list(candidate_cases(meeting, user=user, today=today).filter(pk=case.pk))
    if not found:
        return []
    nomination = AgendaItem.objects.nominated().filter(meeting=meeting, case=case).first()
    return [reason.code for reason in _reasons(found[0], today=today, nomination=nomination)]


def nominable_cases(meeting: Meeting, *, user):
    """An officer's open cases that could be nominated for the meeting (its municipality)."""
    cases = Case.objects.visible_to(user).open().select_related("person")
    cases = cases.filter(pk__in=cases_open_to(meeting).values("pk"))
    taken = AgendaItem.objects.filter(meeting=meeting).exclude(status=AgendaItem.Status.REMOVED)
    return cases.exclude(pk__in=taken.values("case_id")).order_by(
        "person__family_name", "reference"
    )


def meetings_open_for(case: Case, *, user, now=None):
    """Upcoming meetings whose agenda is still open that this case can go to
    (Meeting.objects.open_to_case: its own team's, for its municipality)."""
    now = now or timezone.now()
    return (
        Meeting.objects.open_for_nominations()
        .open_to_case(case)
        .filter(starts_at__gte=now)
        .select_related("municipality")
        .order_by("starts_at")
    )
