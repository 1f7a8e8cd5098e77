from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for the quick-start, the browser tests and the benchmark. It sits above every
    app and calls each app's own `demo.seed`; the product never imports it."""

    name = "dtv.demo"
    label = "demo"
    verbose_name = "Demo data"
