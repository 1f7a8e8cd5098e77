"""The Python-written case rows are the HTML the row template wrote, in both languages."""

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone, translation

from cases.models import Case
from cases.templatetags.case_rows import render_rows
from tests.cases.factories import CaseFactory, ObstacleFactory, PersonFactory
from tests.html import normal_html

# The row of templates/cases/_case_rows.html as the template engine wrote it.
ROW_TEMPLATE = """{% load i18n dtv_tags case_rows %}{% for case in rows %}
<tr>
  <td><a href="{% url 'cases:detail' case.reference %}">{{ case.reference }}</a></td>
  <td>{{ case.person.family_name }}, {{ case.person.given_names }}{% minor_badge case.person %}{% if case.person.unaccompanied_minor %} <span class="badge text-bg-info">{% translate "AMV" %}</span>{% endif %}{% if case.priority %} <span class="badge text-bg-dark">{{ case.get_priority_display }}</span>{% endif %}</td>
  <td><code>{{ case.person.v_nummer }}</code></td>
  <td>{{ case.get_phase_display }}</td>
  <td class="{{ case.term_ends_on|deadline_class }}">{% if case.term_ends_on %}{{ case.term_ends_on }} <span class="small">({{ case.term_ends_on|days_left }})</span>{% else %}—{% endif %}</td>
  <td class="{{ case.next_interview_due_on|deadline_class:3 }}">{% if case.next_interview_due_on %}{{ case.next_interview_due_on }} <span class="small">({{ case.next_interview_due_on|days_left }})</span>{% else %}—{% endif %}</td>
  <td>{{ case.open_obstacle_count|default:"—" }}</td>
  <td>{{ case.officer|default:"—" }}</td>
  <td>{{ case.opened_on }}</td>
</tr>
{% endfor %}"""  # noqa: E501


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_rows_match_the_template(officer, language):
    today = timezone.localdate()
    CaseFactory(
        officer=officer,
        team=officer.team,
        person=PersonFactory(family_name="O'Brien <b>", given_names='"Sam" & co'),
        term_ends_on=today - timedelta(days=3),
        next_interview_due_on=today + timedelta(days=2),
        priority=Case.Priority.choices[-1][0],
    )
    minor = CaseFactory(
        officer=None,
        team=officer.team,
        person=PersonFactory(unaccompanied_minor=True, birth_date=today - timedelta(days=3650)),
        term_ends_on=today,
        next_interview_due_on=today + timedelta(days=30),
    )
    ObstacleFactory(case=minor)
    CaseFactory(officer=officer, team=officer.team)
    rows = list(Case.objects.for_list().order_by("pk"))
    assert len(rows) == 3
    with translation.override(language):
        expected = engines["django"].from_string(ROW_TEMPLATE).render({"rows": rows})
        written = render_rows(rows, today)
    assert normal_html(written) == normal_html(expected)
    assert "&lt;b&gt;" in written and "<b>" not in written
    assert written.count("badge-minor") == 1
