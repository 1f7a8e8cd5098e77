"""The Jinja2 environment of Django's Jinja2 backend (settings.TEMPLATES, "jinja2"), for the
few templates that the Django template engine renders too slowly: the rows of the case tables
(cases/jinja2/cases/), 25 per page on the busiest pages (bench/RESULTS.md, issue 22), and the
case page's timeline and document rows (cases/jinja2/, documents/jinja2/). The pages
themselves stay Django templates and take these in with `{% jinja_include %}`
(dtv/accounts/templatetags/dtv_tags.py).

The filters are the Django templates' own functions, so a row reads the same in both engines:
dates and labels remembered per language (dtv/text.py), the deadline filters, the case URL and
the minor badge; gettext and ngettext are the active translation's (jinja2.ext.i18n,
`{{ _("...") }}`, which makemessages reads as it reads a Django template)."""

from datetime import datetime

from django.template import defaultfilters
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from jinja2 import Environment

from cases.templatetags import case_rows
from dtv.accounts.templatetags import dtv_tags


def local_date(value):
    """A datetime's date in the active time zone (the Django filter `local_date`, which the
    Django engine gives the local time; Jinja2 converts nothing itself)."""
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def time_text(value, format_name="TIME_FORMAT"):
    """`{{ value|time:"TIME_FORMAT" }}` of a Django template: the local time, localised."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.time_format(value, format_name)


def localized(value):
    """`{{ value }}` of a Django template for a date or a datetime: the local time, in the
    active language's format."""
    return formats.localize(timezone.template_localtime(value))


def truncatechars(value, length):
    """The Django filter `truncatechars`: at most `length` characters, with an ellipsis."""
    return Truncator(value).chars(int(length))


def linebreaksbr(value):
    """The Django filter `linebreaksbr`, escaping first: the text's line breaks as <br>."""
    return defaultfilters.linebreaksbr(value, autoescape=True)


def environment(**options):
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    env = Environment(**options)  # noqa: S701 - Django's backend sets autoescape=True
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.filters.update(
        {
            "case_url": case_rows.case_url,
            "date_text": dtv_tags.date_text,
            "days_left": dtv_tags.days_left,
            "deadline_class": dtv_tags.deadline_class,
            "deadline_label": case_rows.deadline_label,
            "label": dtv_tags.label,
            "linebreaksbr": linebreaksbr,
            "local_date": local_date,
            "localized": localized,
            "time_text": time_text,
            "truncatechars": truncatechars,
        }
    )
    env.globals["minor_badge"] = case_rows.minor_badge
    return env
