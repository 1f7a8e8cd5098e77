"""The rows of the agenda proposals (the partial proposal_rows of
templates/partners/proposals.html), read back through an HTML parser."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from cases.models import Case
from partners import agenda
from tests.cases.factories import ObstacleFactory
from tests.html import parse
from tests.partners.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db


def _words(node) -> str:
    return " ".join(node.text.split())


@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_proposal_rows(meeting, officer, colleague, make_case, editable, language):
    today = timezone.localdate()
    lapsed = make_case(phase=Case.Phase.OBLIGED, term_ends_on=today - timedelta(days=2))
    ObstacleFactory(case=lapsed, identified_on=today - timedelta(weeks=10))
    nominated = make_case()
    AgendaItemFactory(
        meeting=meeting,
        case=nominated,
        status="nominated",
        position=None,
        nominated_by=colleague,
        question='Kan <b>"dit"</b> & dat?',
    )
    proposals = agenda.proposals(meeting, user=officer, today=today)
    assert len(proposals) == 2
    context = {
        "proposals": proposals,
        "picked": {lapsed.reference},
        "add_url": "/add/?a=1&b=2",
        "meeting": type("M", (), {"agenda_is_editable": editable})(),
        "today": today,
    }
    with translation.override(language):
        html = render_to_string("partners/proposals.html#proposal_rows", context)
        by_reference = {proposal.case.reference: proposal for proposal in proposals}
        labels = {
            reference: [str(reason.label) for reason in proposal.reasons]
            for reference, proposal in by_reference.items()
        }
        phase = lapsed.get_phase_display()
        term = date_format(lapsed.term_ends_on)
        ago = "2 dagen geleden" if language == "nl" else "2 days ago"
    assert "<b>" not in html and "&lt;b&gt;" in html
    rows = parse(f"<table>{html}</table>").find_all("tr")
    assert len(rows) == 2
    for row in rows:
        cells = row.find_all("td")
        assert len(cells) == 7
        box = cells[0].find("input")
        reference = box.attrs["value"]
        case = by_reference[reference].case
        # The checkbox is ticked when picked, and its label is the person's name.
        assert ("checked" in box.attrs) == (reference == lapsed.reference)
        label = cells[1].find("label")
        assert label.attrs["for"] == box.attrs["id"] == f"pick-{reference}"
        assert label.text == f"{case.person.family_name}, {case.person.given_names}"
        assert cells[1].find("a").attrs["href"] == f"/cases/{reference}/"
        assert cells[1].find("code").text == case.person.v_nummer
        # Why proposed: the reasons, in order.
        reasons = [node.find("span").text for node in cells[2].find_all("li")]
        assert reasons == labels[reference]
        # The one-case button adds this case, disabled when the agenda is closed.
        button = cells[6].find("button")
        assert button.attrs["formaction"] == "/add/?a=1&b=2"
        assert button.attrs["value"] == reference
        assert ("disabled" in button.attrs) == (not editable)
        assert _words(button) == ("Toevoegen" if language == "nl" else "Add") + f" {reference}"
    first = next(row for row in rows if lapsed.reference in row.find("input").attrs["value"])
    cells = first.find_all("td")
    assert phase in _words(cells[1])
    assert "deadline-lapsed" in cells[3].attrs["class"]
    assert cells[3].find("br") is not None
    assert cells[3].children[0] == term and cells[3].find("span").text == f"({ago})"
    assert cells[4].text != "—"  # the open obstacle's category
    other = next(row for row in rows if row is not first).find_all("td")
    assert other[2].find("div", class_="text-muted").text == '“Kan <b>"dit"</b> & dat?”'
