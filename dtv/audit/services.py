from django.db import models

from dtv.audit.models import AuditEntry


def _client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def record_access(request, obj: models.Model, *, kind: str = AuditEntry.Kind.VIEW, purpose=""):
    """Record that the requesting user saw (or exported, or printed) an object's data."""
    additional = {}
    get_additional_data = getattr(obj, "get_additional_data", None)
    if callable(get_additional_data):
        additional = get_additional_data() or {}
    return AuditEntry.objects.log_create(
        obj,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        kind=kind,
        purpose=purpose,
        actor=request.user if request.user.is_authenticated else None,
        remote_addr=_client_address(request),
        additional_data=additional,
        serialized_data=None,
    )


def record_bulk_access(request, model, *, count: int, kind: str, purpose: str, v_nummers=()):
    """One entry for a list export: which rows (by V-number) went out, and how many."""
    from django.contrib.contenttypes.models import ContentType

    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="*",
        object_repr=f"{count} × {model._meta.verbose_name_plural}",
        action=AuditEntry.Action.ACCESS,
        kind=kind,
        purpose=purpose,
        actor=request.user if request.user.is_authenticated else None,
        remote_addr=_client_address(request),
        additional_data={"count": count, "v_nummers": list(v_nummers)[:10000]},
    )
