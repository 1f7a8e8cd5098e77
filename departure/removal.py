"""The conditions of forced removal (DOMAIN.md §2; https://www.dienstterugkeerenvertrek.nl/
het-terugkeerproces): all four must hold at once before a forced departure is recorded.

1. legally removable: no pending procedure the person may await in the Netherlands
   (suspensive effect), and no pending criminal case unless the public prosecutor (OM) agreed;
2. available: in detention (or removed from prison) on the day of departure;
3. a valid travel document on that day;
4. UNCONFIRMED: no source names the fourth condition; it is probably "the journey is
   possible" (a flight or transfer arranged, fit to travel). It is checked only when
   CHECK_JOURNEY is on, a policy switch kept here with its doubt beside it.

The service refuses a forced departure when one fails and says which; the form lists them."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case, Obstacle, Procedure
from departure.models import Departure, Measure, TravelDocumentRequest

# The fourth condition is unconfirmed (DOMAIN.md §2): off until a source confirms it.
CHECK_JOURNEY = False


@dataclass(frozen=True)
class Condition:
    key: str
    label: str
    met: bool
    detail: str


def conditions(
    case: Case, *, on: date, forced_from: str = "", journey_possible: bool = False
) -> list[Condition]:
    """Each condition of forced removal for `case` on the day `on`, met or not, and why."""
    pending = [
        p.get_type_display()
        for p in Procedure.objects.filter(case=case, outcome=Procedure.Outcome.PENDING)
        if p.suspensive
    ]
    criminal = Obstacle.objects.filter(
        case=case, category=Obstacle.Category.CRIMINAL, status__in=Obstacle.OPEN_STATUSES
    ).exists()
    removable_detail = []
    if pending:
        removable_detail.append(
            _("a procedure with suspensive effect is pending (%(types)s)")
            % {"types": ", ".join(pending)}
        )
    if criminal:
        removable_detail.append(
            _(
                "a criminal case is pending without the public prosecutor's consent (resolve "
                "the criminal-case obstacle once the OM agrees)"
            )
        )
    detained = Measure.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        case=case,
        type__in=Measure.DETENTION,
        started_on__lte=on,
    ).exists()
    available = detained or forced_from == Departure.ForcedFrom.PRISON
    document = TravelDocumentRequest.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        case=case,
        issued_on__isnull=False,
        issued_on__lte=on,
    ).exists()
    found = [
        Condition(
            "removable",
            _("Legally removable"),
            not removable_detail,
            "; ".join(removable_detail)
            or _("no procedure with suspensive effect or criminal case pending"),
        ),
        Condition(
            "available",
            _("Available (in detention)"),
            available,
            _("in detention on %(date)s") % {"date": date_format(on)}
            if detained
            else _("removed from prison")
            if available
            else _(
                "no detention on %(date)s: record the detention measure (or choose removal "
                "from prison)"
            )
            % {"date": date_format(on)},
        ),
        Condition(
            "travel_document",
            _("A valid travel document"),
            document,
            _("a travel document valid on %(date)s") % {"date": date_format(on)}
            if document
            else _(
                "no travel document issued and valid on %(date)s: record the issued "
                "laissez-passer or passport with its validity"
            )
            % {"date": date_format(on)},
        ),
    ]
    if CHECK_JOURNEY:
        found.append(
            Condition(
                "journey",
                _("The journey is possible (unconfirmed condition)"),
                journey_possible,
                _("confirmed by the officer")
                if journey_possible
                else _("confirm that the journey is arranged and the person fit to travel"),
            )
        )
    return found


def missing(found: list[Condition]) -> list[str]:
    """The readable refusals for the conditions that do not hold."""
    return [
        _("%(condition)s: %(detail)s") % {"condition": c.label, "detail": c.detail}
        for c in found
        if not c.met
    ]
