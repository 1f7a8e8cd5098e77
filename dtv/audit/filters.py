import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from dtv.audit.models import AuditEntry


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=_("User"), queryset=get_user_model().objects.order_by("username")
    )
    v_nummer = django_filters.CharFilter(label=_("V-number"), max_length=10)
    kind = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEntry.Kind.choices)
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="timestamp",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="timestamp",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEntry
        fields = ["actor", "v_nummer", "kind", "since", "until"]
