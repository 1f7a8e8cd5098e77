"""The Python-written proposal rows are the HTML the row template wrote."""

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation

from cases.models import Case
from partners import agenda
from partners.templatetags.partners_tags import render_proposal_rows
from tests.cases.factories import ObstacleFactory
from tests.html import normal_html
from tests.partners.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db

# The rows of templates/partners/proposals.html as the template engine wrote them.
ROW_TEMPLATE = """{% load i18n dtv_tags %}
    {% for proposal in proposals %}
      {% with case=proposal.case %}
      <tr>
        <td><input class="form-check-input" type="checkbox" name="cases" value="{{ case.reference }}" id="pick-{{ case.reference }}"{% if case.reference in picked %} checked{% endif %}></td>
        <td><label for="pick-{{ case.reference }}" class="fw-semibold">{{ case.person.family_name }}, {{ case.person.given_names }}</label>
          <div class="small"><a href="{% url 'cases:detail' case.reference %}">{{ case.reference }}</a> · <code>{{ case.person.v_nummer }}</code></div>
          <div class="small">{{ proposal.nationalities|join:", "|default:"—" }} · {{ case.get_phase_display }}</div></td>
        <td class="small"><ul class="mb-0 ps-3">{% for reason in proposal.reasons %}<li><span class="fw-semibold">{{ reason.label }}</span>{% if reason.detail %}: {{ reason.detail }}{% endif %}</li>{% endfor %}</ul>
          {% if proposal.nomination.question %}<div class="text-muted">“{{ proposal.nomination.question }}”</div>{% endif %}</td>
        <td class="text-nowrap {{ case.term_ends_on|deadline_class:14 }}">{% if case.term_ends_on %}{{ case.term_ends_on }}<br><span class="small">({{ case.term_ends_on|days_left }})</span>{% else %}—{% endif %}</td>
        <td class="small">{{ proposal.obstacle_categories|join:", "|default:"—" }}</td>
        <td class="small">{{ case.officer|default:"—" }}</td>
        <td><button type="submit" class="btn btn-sm btn-outline-primary" formaction="{{ add_url }}" name="case" value="{{ case.reference }}"{% if not meeting.agenda_is_editable %} disabled{% endif %}>{% translate "Add" %}<span class="visually-hidden"> {{ case.reference }}</span></button></td>
      </tr>
      {% endwith %}
    {% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_rows_match_the_template(meeting, officer, colleague, make_case, editable, language):
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
    }
    with translation.override(language):
        expected = engines["django"].from_string(ROW_TEMPLATE).render(context)
        written = render_proposal_rows(
            proposals, context["picked"], context["add_url"], editable, today
        )
    assert normal_html(written) == normal_html(expected)
    assert "&lt;b&gt;" in written and " checked" in written
