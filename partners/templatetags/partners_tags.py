from django import template
from django.utils import timezone

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
