from django import template
from django.utils import timezone

from partners.models import ActionItem

register = template.Library()

WORKLIST_LIMIT = 10


@register.inclusion_tag("partners/_worklist_action_items.html", takes_context=True)
def open_action_items(context, owner=None):
    """The open LTO action items of `owner` (default: the user), for the worklist:
    `{% load partners_tags %}{% open_action_items owner %}`. Two queries."""
    owner = owner or context["request"].user
    actions = list(ActionItem.objects.open_for(owner).for_list()[: WORKLIST_LIMIT + 1])
    return {
        "actions": actions[:WORKLIST_LIMIT],
        "more": len(actions) > WORKLIST_LIMIT,
        "owner": owner,
        "user": context["request"].user,
        "today": timezone.localdate(),
    }
