from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepartureConfig(AppConfig):
    name = "departure"
    verbose_name = _("Departure")
