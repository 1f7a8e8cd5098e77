"""The parts of the case list that the form and row rendering changed, rendered in-process:
the filter form's 13 fields and the page's 25 case rows, each as this tree renders them
(the Django template engine: crispy's |as_crispy_field and the row partial; or, on a tree
before the redesign step, the Python-written |bootstrap_field and row tag) and in Jinja2
through Django's own backend (django.template.backends.jinja2, with Django's Jinja2 widget
templates for the widgets; bench/jinja2/case_list_parts.html). Median CPU ms of
BENCH_REQUESTS renders (default 200) after a warm-up, the engines interleaved.

Same environment as bench/cost.py."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.forms.renderers import Jinja2 as Jinja2FormRenderer  # noqa: E402
from django.template import TemplateDoesNotExist, engines  # noqa: E402
from django.template.backends.jinja2 import Jinja2  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from cases.filters import CaseFilter  # noqa: E402
from cases.models import Case  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
HERE = Path(__file__).resolve().parent


def environment(**options):
    """The Jinja2 environment: the row filters of the Django templates (dtv/text.py's
    remembered dates and labels, the deadline filters, the case URL) and gettext. On a tree
    before the redesign step, the same functions from where they were then."""
    from django.urls import reverse
    from jinja2 import Environment

    from dtv import text
    from dtv.accounts.templatetags import dtv_tags

    try:
        from cases.templatetags.case_rows import case_url
    except ImportError:  # before the redesign step

        def case_url(reference):
            return reverse("cases:detail", args=[reference])

    def label(instance, field_name):
        if hasattr(text, "field_label"):
            return text.field_label(instance, field_name)
        return getattr(instance, f"get_{field_name}_display")()

    env = Environment(**options)  # noqa: S701 - autoescape is set by Django's backend
    env.filters.update(
        {
            "date_text": text.date_text,
            "label": label,
            "deadline_class": dtv_tags.deadline_class,
            "days_left": dtv_tags.days_left,
            "case_url": case_url,
        }
    )
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    return env


def jinja_engine():
    return Jinja2(
        {
            "NAME": "bench-jinja2",
            "DIRS": [HERE / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "bench.jinja_forms.environment",
                "extensions": ["jinja2.ext.i18n"],
            },
        }
    )


def django_parts():
    """This tree's own rendering of the two parts, as the case list page does it."""
    try:
        from dtv.forms_renderer import bootstrap_field  # before the redesign step

        from cases.templatetags.case_rows import render_rows

        return (
            "Python (before)",
            lambda form: "".join(bootstrap_field(field) for field in form),
            lambda rows, today: render_rows(rows, today),
        )
    except ImportError:
        fields = engines["django"].from_string(
            "{% load crispy_forms_tags %}{% for field in form %}{{ field|as_crispy_field }}"
            "{% endfor %}"
        )
        try:
            rows_template = engines["django"].get_template("cases/_rows.html#case_rows")
        except TemplateDoesNotExist:  # since issue 22 the rows are the product's Jinja2
            rows_template = engines["jinja2"].get_template("cases/case_rows.html")
        return (
            "Django templates",
            lambda form: fields.render({"form": form}),
            lambda rows, today: rows_template.render({"rows": rows, "today": today}),
        )


def median_ms(function, runs):
    return statistics.median(runs[function]) * 1000


def main():
    translation.activate("nl")
    officer = get_user_model().objects.get(username="officer")
    today = timezone.localdate()
    rows = list(
        Case.objects.for_list()
        .filter(team=officer.team, closed_on__isnull=True)
        .select_related("person", "officer")
        .order_by("-opened_on", "reference")[:25]
    )
    form = CaseFilter({"status": "open"}, user=officer).form
    jinja_form = CaseFilter({"status": "open"}, user=officer).form
    jinja_form.renderer = Jinja2FormRenderer()
    mixed_form = CaseFilter({"status": "open"}, user=officer).form
    mixed_form.renderer = Jinja2FormRenderer()
    parts = jinja_engine().get_template("case_list_parts.html")
    name, dtl_fields, dtl_rows = django_parts()
    work = {
        f"fields, {name}": lambda: dtl_fields(form),
        f"fields, {name}, Jinja2 widgets": lambda: dtl_fields(mixed_form),
        "fields, Jinja2": lambda: parts.render({"form": jinja_form}),
        f"rows, {name}": lambda: dtl_rows(rows, today),
        "rows, Jinja2": lambda: parts.render({"rows": rows, "today": today}),
    }
    runs = {label: [] for label in work}
    for _ in range(20):
        for function in work.values():
            function()
    for _ in range(REQUESTS):
        for label, function in work.items():
            started = time.process_time()
            function()
            runs[label].append(time.process_time() - started)
    print(f"{len(rows)} rows, {len(form.fields)} fields; median CPU ms of {REQUESTS} renders")
    for label in work:
        print(f"{label:<32}{median_ms(label, runs):>8.3f}")


if __name__ == "__main__":
    main()
