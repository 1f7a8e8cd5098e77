"""Breadcrumbs on deep pages: `{% block breadcrumbs %}{% breadcrumbs %}{% crumb label url %}…
{% crumb label %}{% endbreadcrumbs %}{% endblock %}`; the last crumb, without a URL, is the
current page."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.tag
def breadcrumbs(parser, token):
    nodelist = parser.parse(("endbreadcrumbs",))
    parser.delete_first_token()
    return BreadcrumbsNode(nodelist)


class BreadcrumbsNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return format_html(
            '<nav class="d-print-none" aria-label="{}"><ol class="breadcrumb small mb-2">{}</ol>'
            "</nav>",
            _("Breadcrumb"),
            self.nodelist.render(context),
        )


@register.simple_tag
def crumb(label, url=""):
    if url:
        return format_html('<li class="breadcrumb-item"><a href="{}">{}</a></li>', url, label)
    return format_html('<li class="breadcrumb-item active" aria-current="page">{}</li>', label)
