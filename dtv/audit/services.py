from datetime import UTC

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.encoding import smart_str

from dtv.audit.models import AuditEntry
from dtv.middleware import get_purpose
from dtv.proxies import client_address


def _client_address(request) -> str | None:
    return client_address(request)


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


def _loggable(text: str, limit: int) -> str:
    # Control characters (a NUL above all: PostgreSQL's jsonb refuses it) are written as
    # U+FFFD, so that a hostile query string is logged as asked and never breaks the log.
    return "".join("\ufffd" if ord(c) < 32 or ord(c) == 127 else c for c in text[:limit])


def _filters_of(request) -> dict:
    """The query the user asked (filters, sort, page), for the log: at most 30 parameters,
    each value cut to 200 characters. Nothing for a call without a request (a command)."""
    query = getattr(request, "GET", None)
    if not query:
        return {}
    shown = {}
    for key in list(query)[:30]:
        values = [_loggable(value, 200) for value in query.getlist(key)[:10]]
        shown[_loggable(key, 50)] = values[0] if len(values) == 1 else values
    return shown


def record_bulk_access(
    request, model, *, count: int, kind: str, purpose: str, v_nummers=(), delivered=None
):
    """One entry for a page or export that shows many rows: which rows (by V-number), how
    many, and the filter the user asked for. One insert, whatever the number of rows;
    `delivered` adds what was handed over (file name, format, rows) for a file."""

    return AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="*",
        object_repr=f"{count} × {model._meta.verbose_name_plural}",
        action=AuditEntry.Action.ACCESS,
        kind=kind,
        purpose=purpose,
        actor=request.user if request.user.is_authenticated else None,
        remote_addr=_client_address(request),
        additional_data={
            "count": count,
            "v_nummers": list(v_nummers)[:10000],
            "filter": _filters_of(request),
            **({"delivered": delivered} if delivered else {}),
        },
    )


def record_list_view(request, model, *, v_nummers, purpose: str):
    """The Logboek entry for a list page shown (the case list, the worklist, the agenda, an
    inbox): who, when (the entry's own columns), which V-numbers were on the page and the
    filter used. Written also when the page is empty: the search itself was a processing."""
    v_nummers = [v for v in dict.fromkeys(v_nummers) if v]
    return record_bulk_access(
        request,
        model,
        count=len(v_nummers),
        kind=AuditEntry.Kind.VIEW,
        purpose=purpose,
        v_nummers=v_nummers,
    )


def audited_bulk_update(
    changed: list[tuple[models.Model, models.Model]], fields: list[str], *, actor=None
):
    """Update many rows of one audited model in one statement per batch, with the same change
    entry for each row that django-auditlog writes for a save(): before and after values of
    the registered fields, the object's additional data (V-number), the correlation id and
    the purpose of the request or job. `changed` holds (before, after) pairs; `actor` is the
    user who made the change (none for the system's own jobs).

    For system jobs that touch thousands of rows (the reminder sweep); the services change
    rows one at a time, and the models' managers refuse update() and bulk_update()."""

    if not changed:
        return 0
    model = type(changed[0][1])
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    cid = get_cid()
    purpose = get_purpose()[:100]
    entries = []
    for before, after in changed:
        changes = model_instance_diff(before, after)
        if not changes:
            continue
        additional = after.get_additional_data() if hasattr(after, "get_additional_data") else {}
        entries.append(
            AuditEntry(
                content_type=content_type,
                object_pk=str(after.pk),
                object_id=after.pk,
                object_repr=smart_str(after),
                action=AuditEntry.Action.UPDATE,
                changes=changes,
                actor=actor,
                actor_email=getattr(actor, "email", None),
                cid=cid,
                timestamp=now,
                additional_data=additional,
                kind=AuditEntry.Kind.CHANGE,
                purpose=purpose,
                v_nummer=str((additional or {}).get("v_nummer") or "")[:10],
            )
        )
    _update_rows(model, [after for _before, after in changed], fields)
    AuditEntry.objects.bulk_create(entries)
    return len(changed)


def _registered_columns(model) -> list[tuple[str, str, bool]]:
    """(name, attribute, is a timestamp) of the model's columns that django-auditlog
    records."""
    from auditlog.registry import auditlog

    config = auditlog.get_model_fields(model)
    include, exclude = config["include_fields"], config["exclude_fields"]
    return [
        (field.name, field.attname, isinstance(field, models.DateTimeField))
        for field in model._meta.concrete_fields
        if (not include or field.name in include) and field.name not in exclude
    ]


def _as_logged(value, is_timestamp: bool) -> str:
    """A value as django-auditlog writes it in a change: text; a timestamp in UTC without its
    offset."""
    if type(value) is str:
        return value
    if is_timestamp and settings.USE_TZ and not timezone.is_naive(value):
        value = timezone.make_naive(value, timezone=UTC)
    return smart_str(value)


def write_rows(model, objects, fields) -> None:
    """Write `fields` of many rows of one model without change entries, for a caller that
    records them itself (an import writes the create entries after the rows' final values)."""
    _update_rows(model, objects, fields)


def _update_rows(model, objects, fields, batch_size=1000):
    """One UPDATE ... FROM (VALUES ...) per batch on PostgreSQL; Django's bulk_update (CASE
    WHEN per row and field) elsewhere. Both bypass the audited managers' refusal, which is the
    point: the caller writes the entries."""
    if connection.vendor != "postgresql":
        models.QuerySet(model=model).bulk_update(objects, fields)
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in columns) + ")"
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns[1:])
    names = ", ".join(quote(f.column) for f in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            batch = objects[start : start + batch_size]
            params = [
                field.get_db_prep_save(getattr(obj, field.attname), connection)
                for obj in batch
                for field in columns
            ]
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET {assignments} "  # noqa: S608 - names from the model
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({names}) "
                f"WHERE t.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}",
                params,
            )


# Columns whose Python value psycopg sends to COPY as it is.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "DateField",
    "DateTimeField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallAutoField",
    "SmallIntegerField",
}
_TEXT = {"CharField", "TextField"}


def _cell_kind(field) -> str:
    """How a column's value is sent: as it is (numbers, dates, keys), made a str (text: a
    lazy translation, a choice), set by the field on saving (auto_now), or through the field's
    own preparation as in a save() (JSON and anything else)."""
    kind = type(field).__name__
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return "on_save"
    if field.is_relation and kind in ("ForeignKey", "OneToOneField"):
        return "plain" if field.target_field.get_internal_type() in _AS_IS else "prepared"
    if kind in _TEXT:
        return "text"
    return "plain" if kind in _AS_IS else "prepared"


def _copy_rows(database, model, rows) -> None:
    """COPY rows into the model's table: `rows` yields (attribute values, instance or None)."""
    fields = model._meta.concrete_fields
    kinds = [(field, field.attname, _cell_kind(field)) for field in fields]
    quote = database.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with (
        database.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"  # noqa: S608 - names from the model
        ) as copy,
    ):
        for values, obj in rows:
            cells = []
            for field, attname, kind in kinds:
                value = values[attname]
                if kind == "plain":
                    cells.append(value)
                elif kind == "text":
                    cells.append(value if value is None or type(value) is str else str(value))
                elif kind == "on_save":
                    cells.append(field.get_db_prep_save(field.pre_save(obj, True), database))
                else:
                    cells.append(field.get_db_prep_save(value, database))
            copy.write_row(cells)


def _next_ids(database, model, count: int) -> list[int]:
    meta = model._meta
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def reserve_ids(model, objects: list[models.Model]) -> bool:
    """Give new objects their primary keys from the table's sequence before they are written
    (PostgreSQL), so that what depends on the key can be worked out first and each row be
    written once, complete. False where the database hands out keys only on insert."""
    if connection.vendor != "postgresql":
        return False
    missing = [obj for obj in objects if obj.pk is None]
    if missing:
        database = connections[connection.alias]
        pk = model._meta.pk.attname
        for obj, value in zip(missing, _next_ids(database, model, len(missing)), strict=True):
            setattr(obj, pk, value)
    return True


def insert_rows(model, objects: list[models.Model]) -> None:
    """Insert many new rows of one model and give each object its primary key, bypassing the
    audited managers (the caller writes the create entries, record_created). On PostgreSQL one
    COPY: the ids are drawn from the table's own sequence first, then every column is sent in
    psycopg's C adaptation, which is many times faster for thousands of rows than an INSERT
    whose values Python quotes one by one. Elsewhere Django's bulk_create."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        models.QuerySet(model=model).bulk_create(objects, batch_size=1000)
        return
    reserve_ids(model, objects)
    # The connection itself, not its proxy: it is asked for every cell.
    database = connections[connection.alias]
    _copy_rows(database, model, ((obj.__dict__, obj) for obj in objects))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = database.alias


REDACTED = "—"


def pseudonymise_entries(*, v_nummer: str, new_v_nummer: str, objects) -> int:
    """Retention: the log keeps who did what to which record, when and why (the Logboek
    Dataverwerkingen), but no longer whom it was about. The entries of an anonymised person
    (by V-number, and by record for the records found about them) lose the values they
    recorded: names and texts in the changes, the object's name, the serialised copy; the
    V-number becomes the person's pseudonym; in list exports' entries the V-number is replaced.
    `objects` is a list of (model, pk). See docs/privacy.md.

    The entries are append-only for everyone else: this is the one writer that changes them,
    through a plain QuerySet (the log's own manager refuses updates)."""

    if not connection.in_atomic_block:
        raise RuntimeError("pseudonymise_entries runs inside the anonymisation's transaction")
    raw = models.QuerySet(model=AuditEntry)
    if connection.vendor == "postgresql":
        # The database's append-only trigger lets this transaction rewrite what the entries
        # say about the person, never who did what and when (migration 0004).
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('dtv.audit_pseudonymise', 'on', true)")
    by_record: dict[int, set[str]] = {}
    current: dict[tuple[int, str], models.Model | None] = {}
    for model, pk in objects:
        content_type = ContentType.objects.get_for_model(model)
        by_record.setdefault(content_type.pk, set()).add(str(pk))
        current[(content_type.pk, str(pk))] = model._base_manager.filter(pk=pk).first()
    match = Q(v_nummer=v_nummer)
    for content_type_pk, pks in by_record.items():
        match |= Q(content_type_id=content_type_pk, object_pk__in=pks)
    changed = []
    for entry in raw.filter(match).select_related("content_type"):
        obj = current.get((entry.content_type_id, entry.object_pk))
        model = entry.content_type.model_class()
        if obj is not None:
            entry.object_repr = str(obj)[:255]
        elif model is not None:
            entry.object_repr = str(model._meta.verbose_name)
        else:
            entry.object_repr = REDACTED
        if isinstance(entry.changes, dict):
            entry.changes = {name: [REDACTED, REDACTED] for name in entry.changes}
        entry.changes_text = ""
        entry.serialized_data = None
        additional = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        entry.additional_data = {"v_nummer": new_v_nummer} | (
            {"reference": additional["reference"]} if "reference" in additional else {}
        )
        entry.v_nummer = new_v_nummer
        changed.append(entry)
    # List exports name the V-numbers that went out: the old one becomes the pseudonym.
    listed = raw.annotate(text=Cast("additional_data", TextField())).filter(
        object_pk="*", text__contains=v_nummer
    )
    for entry in listed:
        data = dict(entry.additional_data)
        data["v_nummers"] = [
            new_v_nummer if value == v_nummer else value for value in data.get("v_nummers", [])
        ]
        entry.additional_data = data
        changed.append(entry)
    fields = ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"]
    raw.bulk_update(changed, [*fields, "v_nummer"], batch_size=500)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('dtv.audit_pseudonymise', 'off', true)")
    return len(changed)


def record_created(objects: list[models.Model], *, actor=None, additional=None) -> int:
    """The create entries of rows inserted in bulk, as django-auditlog writes them for a
    save() (the registered fields' values, the object's additional data, correlation id and
    purpose): for imports that insert thousands of rows at once. `additional(obj)` gives the
    additional data of objects without get_additional_data."""
    if not objects:
        return 0
    model = type(objects[0])
    content_type = ContentType.objects.get_for_model(model)
    columns = _registered_columns(model)
    now, cid, purpose = timezone.now(), get_cid(), get_purpose()[:100]
    # Each entry as the model's column values: the columns alike in all entries once, then
    # what each object adds (thirty thousand model instances would cost more than the COPY).
    common = {field.attname: field.get_default() for field in AuditEntry._meta.concrete_fields}
    common.update(
        content_type_id=content_type.pk,
        action=AuditEntry.Action.CREATE,
        actor_id=getattr(actor, "pk", None),
        actor_email=getattr(actor, "email", None),
        cid=cid,
        timestamp=now,
        kind=AuditEntry.Kind.CREATE,
        purpose=purpose,
    )
    entries = []
    for obj in objects:
        if additional is not None:
            data = additional(obj)
        elif hasattr(obj, "get_additional_data"):
            data = obj.get_additional_data()
        else:
            data = {}
        # As django-auditlog writes a create: each registered column that has a value, from
        # "None"; a foreign key by its id.
        values = obj.__dict__
        changes = {}
        for name, attname, is_timestamp in columns:
            value = values[attname]
            if value is not None:
                changes[name] = ["None", _as_logged(value, is_timestamp)]
        entry = dict(common)
        entry.update(
            object_pk=str(obj.pk),
            object_id=obj.pk,
            object_repr=smart_str(obj)[:255],
            changes=changes,
            additional_data=data,
            v_nummer=str((data or {}).get("v_nummer") or "")[:10],
        )
        entries.append(entry)
    if connection.vendor == "postgresql":
        database = connections[connection.alias]
        ids = _next_ids(database, AuditEntry, len(entries))
        for entry, pk in zip(entries, ids, strict=True):
            entry["id"] = pk
        _copy_rows(database, AuditEntry, ((entry, None) for entry in entries))
    else:
        models.QuerySet(model=AuditEntry).bulk_create(
            [AuditEntry(**entry) for entry in entries], batch_size=1000
        )
    return len(entries)
