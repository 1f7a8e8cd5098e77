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

from cases import registry
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


def minor_badge_html(person, today=None) -> str:
    """The badge of a person younger than 18 (from the date of birth), with a leading space;
    empty for an adult. The badge says it in words, so it reads the same aloud."""
    if not person.is_minor_on(today or timezone.localdate()):
        return ""
    return f' <span class="badge badge-minor text-bg-warning">{esc(_("minor"))}</span>'


@register.simple_tag
def minor_badge(person, today=None):
    """`{% minor_badge person %}`: the "minor" badge of a person younger than 18."""
    return mark_safe(minor_badge_html(person, today))  # noqa: S308 - escaped above


def _case_cells(case, detail, amv, today=None) -> str:
    """The cells both case tables open with: reference, name with badges, V-number, phase."""
    person = case.person
    badges = minor_badge_html(person, today)
    badges += amv if person.unaccompanied_minor else ""
    if case.priority:
        priority = esc(choice_label(Case.Priority, case.priority))
        badges += f' <span class="badge text-bg-dark">{priority}</span>'
    reference = esc(case.reference)
    return (
        "\n    <tr>"
        f'\n      <td><a href="{detail(reference)}">{reference}</a></td>'
        f"\n      <td>{esc(person.family_name)}, {esc(person.given_names)}{badges}</td>"
        f"\n      <td><code>{esc(person.v_nummer)}</code></td>"
        f"\n      <td>{esc(choice_label(Case.Phase, case.phase))}</td>"
    )


def render_rows(rows, today=None) -> str:
    today = today or timezone.localdate()
    detail = case_url_maker()
    amv = f' <span class="badge text-bg-info">{esc(_("AMV"))}</span>'
    parts = []
    for case in rows:
        parts.append(
            _case_cells(case, detail, amv, today)
            + f"\n      {_deadline_cell(case.term_ends_on, today, 7)}"
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


def _appointment_cell(planned_at, today):
    if planned_at is None:
        return "<td>—</td>"
    local = timezone.localtime(planned_at)
    css = ' class="deadline-soon"' if local.date() == today else ""
    return (
        f"<td{css}>{esc(date_text(local.date()))} {local:%H:%M} "
        f'<span class="small">({esc(days_left(local.date(), today))})</span></td>'
    )


def _urgent_cell(case, today):
    """The most urgent deadline of the engine: what it is, when, and how many days are left."""
    due = case.next_deadline_on
    if due is None:
        return "<td>—</td>"
    css = deadline_class(due, 7, today=today)
    label = registry.deadline_label(case.next_deadline_rule)
    return (
        f'<td class="{css}"><span class="d-block small">{esc(label)}</span>'
        f'{esc(date_text(due))} <span class="small">({esc(days_left(due, today))})</span></td>'
    )


def render_worklist_rows(rows, today=None) -> str:
    """The worklist's rows: the most urgent deadline of each case, the interview plan's
    "interview due by" and the planned appointment beside it."""
    today = today or timezone.localdate()
    detail = case_url_maker()
    amv = f' <span class="badge text-bg-info">{esc(_("AMV"))}</span>'
    parts = []
    for case in rows:
        parts.append(
            _case_cells(case, detail, amv, today) + f"\n      {_urgent_cell(case, today)}"
            f"\n      {_deadline_cell(case.next_interview_due_on, today, 3)}"
            f"\n      {_appointment_cell(getattr(case, 'planned_interview_at', None), today)}"
            f"\n      <td>{esc(case.open_obstacle_count or '—')}</td>"
            f"\n      <td>{esc(case.officer or '—')}</td>"
            "\n    </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def worklist_rows(rows, today=None):
    return render_worklist_rows(rows, today)


@register.filter
def deadline_label(rule):
    """The label of a stored most urgent deadline (Case.next_deadline_rule)."""
    return registry.deadline_label(rule or "")
