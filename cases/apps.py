from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.db.models import Prefetch

        from cases import registry, timeline
        from cases.models import Obstacle, Person
        from dtv.audit import graph

        registry.register_timeline(timeline.case_events)

        from cases import transfers

        registry.register_timeline(transfers.transfer_events)
        registry.register_transfer_labels(
            {
                "reminders": _("%(count)d open reminder(s) passed on to the new recipient"),
                "escalations": _("%(count)d open escalation(s) passed on to the new team lead"),
            }
        )
        graph.register_hidden_field(
            Person, "search_name", reason="the names again, folded for search"
        )
        registry.register_prefetch(
            "procedures",
            # The timeline and the obstacle list of the case page share one query.
            Prefetch("obstacles", queryset=Obstacle.objects.select_related("owner_organisation")),
        )
        # The case page asks in its query of the case whether these have rows at all.
        from cases import selectors

        for relation in ("notes", "phase_changes", "transfers"):
            registry.register_presence(relation)
        registry.register_presence("aliases", selectors.person_has_aliases)
        registry.register_presence("household", selectors.person_has_household)
        registry.register_presence("other_cases", selectors.person_has_other_cases)

        # The case filter's remembered municipality list (cases/filters.py) is dropped when a
        # municipality changes, in the cache every process shares (Redis in production).
        from django.db.models.signals import post_delete, post_save

        from directory.models import Municipality
        from dtv.accounts.models import Team, User

        for signal in (post_save, post_delete):
            signal.connect(
                _forget_municipalities, sender=Municipality, dispatch_uid=f"cases.{signal}"
            )
            # The rendered filter form and its officer list (cases/templatetags/case_filter.py).
            for model in (User, Team):
                signal.connect(
                    _filter_changed,
                    sender=model,
                    dispatch_uid=f"cases.filter.{model.__name__}.{signal}",
                )


def _forget_municipalities(sender, **kwargs):
    from django.core.cache import cache

    from cases.filters import MUNICIPALITY_CHOICES_KEY

    cache.delete(MUNICIPALITY_CHOICES_KEY)
    _filter_changed(sender, **kwargs)


def _filter_changed(sender, update_fields=None, **kwargs):
    # A login writes only last_login: nothing the filter shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    from cases.filters import FILTER_GENERATION
    from dtv.cache import bump_after_commit

    bump_after_commit(FILTER_GENERATION)
