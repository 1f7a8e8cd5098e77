"""The rows of the case tables (worklist, case list), written in Python.

These two pages are the most used of the application, and a row written by the template
engine cost about half a millisecond (25 rows: a third of the case list's time; bench/
RESULTS.md). The HTML is what templates/cases/_case_rows.html wrote before, cell for cell
(tests/cases/test_case_rows.py keeps the two in step)."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cases.models import Case
from dtv.accounts.templatetags.dtv_tags import days_left, deadline_class
from dtv.text import choice_label, date_text

register = template.Library()
PLACEHOLDER = "TK-PLACEHOLDER"


def case_url_maker():
    """reference -> the case page's URL, with one reverse() for a whole table (references
    are letters, digits and a hyphen, so the placeholder can be replaced as text)."""
    pattern = reverse("cases:detail", args=[PLACEHOLDER])
    return lambda reference: pattern.replace(PLACEHOLDER, reference)


def _deadline_cell(due, today, warn_days):
    css = deadline_class(due, warn_days, today=today)
    if due is None:
        return f'<td class="{css}">—</td>'
    return (
        f'<td class="{css}">{esc(date_text(due))} '
        f'<span class="small">({esc(days_left(due, today))})</span></td>'
    )


def render_rows(rows, today=None) -> str:
    today = today or timezone.localdate()
    detail = case_url_maker()
    amv = f' <span class="badge text-bg-info">{esc(_("AMV"))}</span>'
    parts = []
    for case in rows:
        person = case.person
        badges = amv if person.unaccompanied_minor else ""
        if case.priority:
            priority = esc(choice_label(Case.Priority, case.priority))
            badges += f' <span class="badge text-bg-dark">{priority}</span>'
        reference = esc(case.reference)
        parts.append(
            "\n    <tr>"
            f'\n      <td><a href="{detail(reference)}">{reference}</a></td>'
            f"\n      <td>{esc(person.family_name)}, {esc(person.given_names)}{badges}</td>"
            f"\n      <td><code>{esc(person.v_nummer)}</code></td>"
            f"\n      <td>{esc(choice_label(Case.Phase, case.phase))}</td>"
            f"\n      {_deadline_cell(case.term_ends_on, today, 7)}"
            f"\n      {_deadline_cell(case.next_interview_due_on, today, 3)}"
            f"\n      <td>{esc(case.open_obstacle_count or '—')}</td>"
            f"\n      <td>{esc(case.officer or '—')}</td>"
            f"\n      <td>{esc(date_text(case.opened_on))}</td>"
            "\n    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def case_rows(rows, today=None):
    return render_rows(rows, today)
