from django import template
from django.utils import timezone

from partners import rules as lto_rules
from partners.models import ActionItem

register = template.Library()

WORKLIST_LIMIT = 10


@register.inclusion_tag("partners/_worklist_action_items.html", takes_context=True)
def open_action_items(context, owner=None):
    """The open LTO action items of `owner` (default: the user), for the worklist:
    `{% load partners_tags %}{% open_action_items owner %}`. One query when there are none,
    two when there are: the full list joins six tables and a subquery, which PostgreSQL
    takes about 5 ms to plan, so the ids come first from the owner's index."""
    owner = owner or context["request"].user
    ids = list(
        ActionItem.objects.open_for(owner).values_list("pk", flat=True)[: WORKLIST_LIMIT + 1]
    )
    actions = (
        list(ActionItem.objects.filter(pk__in=ids).for_list().order_by("due_on", "pk"))
        if ids
        else []
    )
    return {
        "actions": actions[:WORKLIST_LIMIT],
        "more": len(actions) > WORKLIST_LIMIT,
        "owner": owner,
        "user": context["request"].user,
        "today": timezone.localdate(),
    }


@register.simple_tag
def proposal_rows(proposals, picked, add_url, editable, today=None):
    """The rows of the agenda proposals, written in Python: a large municipality has about a
    hundred candidates, and the template engine took half of the page's time to write them
    (bench/RESULTS.md). tests/partners/test_proposal_rows.py keeps this in step with the row
    template it replaces."""
    return render_proposal_rows(proposals, picked, add_url, editable, today)


def render_proposal_rows(proposals, picked, add_url, editable, today=None):
    from django.utils.html import conditional_escape as esc
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext as _

    from cases.models import Case
    from cases.templatetags.case_rows import case_url_maker, minor_badge_html
    from dtv.accounts.templatetags.dtv_tags import days_left, deadline_class
    from dtv.text import choice_label, date_text

    today = today or timezone.localdate()
    soon_days = lto_rules.TERM_WINDOW_DAYS
    detail = case_url_maker()
    disabled = "" if editable else " disabled"
    add = esc(_("Add"))
    add_url = esc(add_url)
    parts = []
    for proposal in proposals:
        case = proposal.case
        person = case.person
        reference = esc(case.reference)
        checked = " checked" if case.reference in picked else ""
        reasons = "".join(
            f'<li><span class="fw-semibold">{esc(reason.label)}</span>'
            f"{': ' + esc(reason.detail) if reason.detail else ''}</li>"
            for reason in proposal.reasons
        )
        nomination = proposal.nomination
        question = (
            f'\n          <div class="text-muted">“{esc(nomination.question)}”</div>'
            if nomination is not None and nomination.question
            else ""
        )
        term = case.term_ends_on
        term_cell = (
            f'{esc(date_text(term))}<br><span class="small">({esc(days_left(term, today))})</span>'
            if term
            else "—"
        )
        parts.append(
            "\n      <tr>"
            f'\n        <td><input class="form-check-input" type="checkbox" name="cases" '
            f'value="{reference}" id="pick-{reference}"{checked}></td>'
            f'\n        <td><label for="pick-{reference}" class="fw-semibold">'
            f"{esc(person.family_name)}, {esc(person.given_names)}</label>"
            f"{minor_badge_html(person, today)}"
            f'\n          <div class="small"><a href="{detail(reference)}">'
            f"{reference}</a> · <code>{esc(person.v_nummer)}</code></div>"
            f'\n          <div class="small">{esc(", ".join(proposal.nationalities) or "—")} · '
            f"{esc(choice_label(Case.Phase, case.phase))}</div>"
            f"{_household_members(proposal, detail, today)}</td>"
            f'\n        <td class="small"><ul class="mb-0 ps-3">{reasons}</ul>{question}</td>'
            f'\n        <td class="text-nowrap {deadline_class(term, soon_days, today=today)}">'
            f"{term_cell}</td>"
            f'\n        <td class="small">'
            f"{esc(', '.join(proposal.obstacle_categories) or '—')}</td>"
            f'\n        <td class="small">{esc(case.officer or "—")}</td>'
            f'\n        <td><button type="submit" class="btn btn-sm btn-outline-primary" '
            f'formaction="{add_url}" name="case" value="{reference}"{disabled}>{add}'
            f'<span class="visually-hidden"> {reference}</span></button></td>'
            "\n      </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _household_members(proposal, detail, today) -> str:
    """The other members of a household proposal, under its lead's name: they go on the
    agenda with it."""
    from django.utils.html import conditional_escape as esc
    from django.utils.translation import gettext as _

    from cases.models import Case
    from cases.templatetags.case_rows import minor_badge_html
    from dtv.text import choice_label

    if not proposal.members:
        return ""
    rows = []
    for member in proposal.members:
        person = member.case.person
        reference = esc(member.case.reference)
        own = "; ".join(str(reason.label) for reason in member.reasons)
        rows.append(
            f"<li>{esc(person.family_name)}, {esc(person.given_names)}"
            f"{minor_badge_html(person, today)} · "
            f'<a href="{detail(reference)}">{reference}</a> · '
            f"{esc(choice_label(Case.Phase, member.case.phase))}"
            f"{' · ' + esc(own) if own else ''}</li>"
        )
    heading = esc(_("Household, on the agenda together:"))
    return (
        f'\n          <div class="small mt-1"><span class="fw-semibold">{heading}</span>'
        f'<ul class="mb-0 ps-3">{"".join(rows)}</ul></div>'
    )
