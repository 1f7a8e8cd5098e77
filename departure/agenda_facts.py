"""Per-case dates the LTO agenda proposals read (the meetings app sits above this one): each
function returns an expression over OuterRef("pk") of a Case queryset, so the proposals stay
one SQL query."""

from django.db.models import DateField, OuterRef, Subquery

from departure.models import Measure


def vbl_started_on():
    """The start of the case's current stay in the VBL (or HTL) that the LTO has not decided
    on yet: the count of its weeks (week 10 on the agenda) starts there."""
    stays = (
        Measure.objects.current()
        .filter(case=OuterRef("pk"), type__in=Measure.TIME_LIMITED_SHELTER, lto_decision="")
        .order_by("started_on")
        .values("started_on")[:1]
    )
    return Subquery(stays, output_field=DateField())


def reception_ends_on():
    """The day the case's COA reception ends (recorded as the measure "end of COA reception")."""
    ends = (
        Measure.objects.filter(case=OuterRef("pk"), type=Measure.Type.RECEPTION_END)
        .order_by("-started_on")
        .values("started_on")[:1]
    )
    return Subquery(ends, output_field=DateField())
