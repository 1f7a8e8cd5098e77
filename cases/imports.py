"""Import of cases from a chain partner's file (CSV or XLSX), on django-import-export.

The library reads the file, cleans every cell with the widgets below, finds the person already
registered under the V-number, compares old and new values and reports each row as new,
update, skip (unchanged) or invalid. It runs twice:

1. the check (`check_import`): a dry run that writes nothing but the progress and the
   per-row preview the functional administrator reads;
2. the import (`run_import`), after they confirm: the same rows read again from the stored
   file (the database may have changed in between), and only when no row is refused all of
   them written in one transaction, with an audit entry per record written and one for the
   import. A row refused then writes nothing at all.

Idempotent by V-number: a row whose person and open case already hold its values is
"unchanged" and writes nothing, so the same file twice changes nothing. A person with the same
name and date of birth under another V-number is flagged as a possible duplicate, never merged.
"""

import copy
import hashlib
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.results import RowResult

from cases import access, reference, registry
from cases.models import (
    Alias,
    Case,
    CaseImport,
    Nationality,
    Person,
    PhaseChange,
    give_unique_references,
    normalise_name,
)
from cases.services import unprefetched_copy
from directory.models import Municipality
from dtv.text import date_text

# The columns of a file, in the order of the template, with the Person attribute each fills
# (the case's facts travel on the person instance as import_* attributes while importing).
COLUMNS = [
    ("v_nummer", "v_nummer", gettext_lazy("V-number")),
    ("achternaam", "family_name", gettext_lazy("Family name")),
    ("voornamen", "given_names", gettext_lazy("Given names")),
    ("geboortedatum", "birth_date", gettext_lazy("Date of birth")),
    ("nationaliteiten", "import_nationalities", gettext_lazy("Nationalities")),
    ("bron", "import_source", gettext_lazy("Source")),
    ("besluitdatum", "import_decision_on", gettext_lazy("Return decision date")),
    ("vertrektermijn", "import_term_days", gettext_lazy("Departure term")),
    ("gemeente", "import_municipality", gettext_lazy("Municipality")),
]
HEADERS = [column for column, _attribute, _label in COLUMNS]
LABELS = {attribute: label for _column, attribute, label in COLUMNS}
MAX_ROWS = 20_000
PROGRESS_EVERY = 250

SOURCES = {
    "ind": Case.Source.IND,
    "politie": Case.Source.POLICE,
    "np": Case.Source.POLICE,
    "nationale politie": Case.Source.POLICE,
    "avim": Case.Source.POLICE,
    "zeehavenpolitie": Case.Source.POLICE,
    "police": Case.Source.POLICE,
    "kmar": Case.Source.KMAR,
    "koninklijke marechaussee": Case.Source.KMAR,
    "overig": Case.Source.OTHER,
    "overige": Case.Source.OTHER,
    "other": Case.Source.OTHER,
    "zelfmelder": Case.Source.OTHER,
}


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, header, size): nothing is checked."""


def header_key(text) -> str:
    """A header cell as a column name: "V-nummer", "v nummer" and "V_NUMMER" are one."""
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().lower())


# ---- widgets: one cell each, a readable message when it cannot be used -------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class VNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        # A spreadsheet that took the column for numbers dropped the leading zeros.
        text = f"{value:010d}" if isinstance(value, int) else _text(value)
        if not text:
            raise ValueError(_("The V-number is missing."))
        if not text.isdigit():
            raise ValueError(_("The V-number “%(v)s” may contain digits only.") % {"v": text[:20]})
        if len(text) != 10:
            raise ValueError(_("The V-number “%(v)s” is not 10 digits long.") % {"v": text[:20]})
        return text


class TextWidget(widgets.Widget):
    def __init__(self, *, required: bool, label, limit: int = 200):
        super().__init__()
        self.required, self.label, self.limit = required, label, limit

    def clean(self, value, row=None, **kwargs):
        text = " ".join(_text(value).split())
        if self.required and not text:
            raise ValueError(_("%(field)s is missing.") % {"field": self.label})
        if len(text) > self.limit:
            raise ValueError(
                _("%(field)s is longer than %(n)d characters.")
                % {"field": self.label, "n": self.limit}
            )
        return text


DATE_FORMATS = ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")


class PastDateWidget(widgets.Widget):
    """A date on or before today; empty is allowed (None)."""

    def __init__(self, *, label):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            text = _text(value)
            if not text:
                return None
            day = None
            for fmt in DATE_FORMATS:
                try:
                    day = datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date only
                    break
                except ValueError:
                    continue
            if day is None:
                raise ValueError(
                    _("%(field)s “%(value)s” is not a date; write it as 31-12-2025.")
                    % {"field": self.label, "value": text[:30]}
                )
        if day > timezone.localdate():
            raise ValueError(
                _("%(field)s %(date)s lies in the future.")
                % {"field": self.label, "date": date_text(day)}
            )
        if day.year < 1900:
            raise ValueError(
                _("%(field)s %(date)s is before 1900.")
                % {"field": self.label, "date": date_text(day)}
            )
        return day


class NationalitiesWidget(widgets.Widget):
    """ISO 3166 two-letter codes, separated by commas or semicolons: "SY" or "MA, DZ"."""

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip().upper() for c in re.split(r"[,;/|]", _text(value)) if c.strip()]
        unknown = [c for c in codes if not reference.is_country(c)]
        if unknown:
            raise ValueError(
                _("Unknown nationality “%(code)s”: use the two-letter ISO code, e.g. SY.")
                % {"code": unknown[0][:20]}
            )
        return ",".join(dict.fromkeys(codes))


class SourceWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = " ".join(_text(value).lower().split())
        if not text:
            raise ValueError(_("The source is missing."))
        if text not in SOURCES:
            raise ValueError(
                _("Unknown source “%(value)s”: use IND, Politie, KMar or Overig.")
                % {"value": text[:30]}
            )
        return SOURCES[text]


class TermWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if text in ("", "28"):
            return 28
        if text == "0":
            return 0
        raise ValueError(
            _("The departure term “%(value)s” is not 0 or 28 days.") % {"value": text[:20]}
        )


class MunicipalityWidget(widgets.Widget):
    """A CBS code (GM0363, 0363 or 363) or the name as in the partner directory."""

    def __init__(self):
        super().__init__()
        self.by_code: dict[str, str] = {}
        self.by_name: dict[str, str] = {}

    def load(self):
        for code, name in Municipality.objects.values_list("code", "name"):
            self.by_code[code] = code
            self.by_name[name.casefold()] = code

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        digits = text.upper().removeprefix("GM")
        if digits.isdigit() and f"GM{int(digits):04d}" in self.by_code:
            return f"GM{int(digits):04d}"
        code = self.by_name.get(text.casefold())
        if code is None:
            raise ValueError(
                _("Unknown municipality “%(value)s”: use the CBS code (e.g. GM0363) or the name.")
                % {"value": text[:50]}
            )
        return code


# ---- the resource ---------------------------------------------------------------------------


@dataclass
class Pending:
    person: Person
    is_create: bool  # a new person
    case: Case | None  # the open case to update, or None: a new case
    row_number: int


class CaseImportResource(resources.ModelResource):
    v_nummer = fields.Field("v_nummer", "v_nummer", widget=VNumberWidget())
    family_name = fields.Field(
        "family_name", "achternaam", widget=TextWidget(required=True, label=LABELS["family_name"])
    )
    given_names = fields.Field(
        "given_names", "voornamen", widget=TextWidget(required=False, label=LABELS["given_names"])
    )
    birth_date = fields.Field(
        "birth_date",
        "geboortedatum",
        widget=PastDateWidget(label=LABELS["birth_date"]),
        saves_null_values=True,
    )
    import_nationalities = fields.Field(
        "import_nationalities", "nationaliteiten", widget=NationalitiesWidget()
    )
    import_source = fields.Field("import_source", "bron", widget=SourceWidget())
    import_decision_on = fields.Field(
        "import_decision_on",
        "besluitdatum",
        widget=PastDateWidget(label=LABELS["import_decision_on"]),
        saves_null_values=True,
    )
    import_term_days = fields.Field("import_term_days", "vertrektermijn", widget=TermWidget())
    import_municipality = fields.Field(
        "import_municipality", "gemeente", widget=MunicipalityWidget()
    )

    class Meta:
        model = Person
        fields = [attribute for _column, attribute, _label in COLUMNS]
        import_id_fields = ["v_nummer"]
        skip_unchanged = True
        report_skipped = True
        # The library's diff deep-copies every row's instance and exports it twice; the
        # comparison that matters (is the row unchanged?) is made on a copy kept of the
        # registered persons only (skip_row).
        skip_diff = True
        skip_html_diff = True
        # The widgets and the cross-field checks validate; the model's own full_clean would
        # cost three queries a row (unique V-number and two constraints) for nothing more.
        clean_model_instances = False
        use_transactions = False

    def __init__(self, batch: CaseImport):
        super().__init__()
        self.batch = batch
        self.pending: list[Pending] = []
        self.existing: dict[str, Person] = {}
        self.open_cases: dict[int, Case] = {}
        self.nationalities: dict[int, str] = {}
        self.by_name_and_birth: dict[tuple, set[str]] = {}
        self.seen: dict[str, int] = {}
        self.records: dict[int, dict] = {}
        self.originals: dict[int, Person] = {}

    # -- loading what the file refers to, in a few queries ------------------------------

    def before_import(self, dataset, **kwargs):
        self.fields["import_municipality"].widget.load()
        numbers = {safe_v_nummer(v) for v in dataset["v_nummer"]} - {None}
        births = {safe_date(v) for v in dataset["geboortedatum"]} - {None}
        numbers, births = list(numbers), list(births)
        for start in range(0, len(numbers), 500):
            for person in Person.objects.filter(v_nummer__in=numbers[start : start + 500]):
                self.existing[person.v_nummer] = person
        ids = [p.pk for p in self.existing.values()]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            codes: dict[int, list[str]] = {}
            for person_id, country in (
                Nationality.objects.filter(person__in=chunk)
                .order_by("person", "-status", "country")
                .values_list("person", "country")
            ):
                codes.setdefault(person_id, []).append(country)
            self.nationalities.update({pk: ",".join(c) for pk, c in codes.items()})
            for case in (
                Case.objects.open().filter(person__in=chunk).select_related("team", "municipality")
            ):
                self.open_cases[case.person_id] = case
        for start in range(0, len(births), 500):
            for v_nummer, given, family, born in Person.objects.filter(
                birth_date__in=births[start : start + 500], anonymised_at__isnull=True
            ).values_list("v_nummer", "given_names", "family_name", "birth_date"):
                key = (normalise_name(f"{given} {family}"), born)
                self.by_name_and_birth.setdefault(key, set()).add(v_nummer)

    def get_instance(self, instance_loader, row):
        return self.existing.get(safe_v_nummer(row.get("v_nummer")))

    def after_init_instance(self, instance, new, row, **kwargs):
        # The current values of what the row may change, for the comparison.
        if new:
            return
        case = self.open_cases.get(instance.pk)
        instance.import_nationalities = self.nationalities.get(instance.pk, "")
        if case is not None:
            instance.import_source = case.source
            instance.import_decision_on = case.decision_on
            instance.import_term_days = case.departure_term_days
            instance.import_municipality = case.municipality.code if case.municipality else ""
        # The values before the row, to compare with (the row sets attributes, never changes
        # an object in place: a shallow copy suffices).
        self.originals[instance.pk] = copy.copy(instance)

    def before_import_row(self, row, **kwargs):
        number = kwargs.get("row_number", 0)
        if number % PROGRESS_EVERY == 0:
            CaseImport.objects.filter(pk=self.batch.pk).update(rows_done=number)
        v_nummer = safe_v_nummer(row.get("v_nummer"))
        if v_nummer and v_nummer in self.seen:
            raise ValidationError(
                _("The V-number %(v)s is also in row %(row)d of this file.")
                % {"v": v_nummer, "row": self.seen[v_nummer]}
            )
        if v_nummer:
            self.seen[v_nummer] = number

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        born, decided = instance.birth_date, getattr(instance, "import_decision_on", None)
        if not errors and born and decided and decided < born:
            errors["import_decision_on"] = [
                _("The return decision date lies before the date of birth (%(date)s).")
                % {"date": date_text(born)}
            ]
        if errors:
            raise ValidationError(errors)
        instance.birth_date_precision = (
            Person.BirthDatePrecision.FULL
            if instance.birth_date
            else Person.BirthDatePrecision.UNKNOWN
        )

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A registered person without an open case gets a new one: never "unchanged".
        if import_validation_errors or not instance.pk or instance.pk not in self.open_cases:
            return False
        original = self.originals[instance.pk]
        return all(
            field.get_value(instance) == field.get_value(original)
            for field in self.get_import_fields()
        )

    def save_instance(self, instance, is_create, row, **kwargs):
        # Nothing is written row by row: the rows are written together once all are known
        # to be valid (write()).
        number = kwargs.get("row_number", 0)
        case = self.open_cases.get(instance.pk) if not is_create else None
        self.pending.append(Pending(instance, is_create, case, number))

    def after_import_row(self, row, row_result, **kwargs):
        number = kwargs.get("row_number", 0)
        instance = row_result.instance
        record = {"duplicates": self._duplicates(instance)} if instance is not None else {}
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and instance is not None:
            case = self.open_cases.get(instance.pk)
            if case is None:
                record["action"] = "create"
                record["note"] = _("Registered person; a new case is opened.")
            else:
                record["action"] = "update"
                record["changes"] = [
                    str(LABELS[name])
                    for name in LABELS
                    if self.fields[name].get_value(instance)
                    != self.fields[name].get_value(self.originals[instance.pk])
                ]
                record["note"] = _("Open case %(ref)s of team %(team)s.") % {
                    "ref": case.reference,
                    "team": case.team.name,
                }
        self.records[number] = record

    def after_import(self, dataset, result, **kwargs):
        # The library resets the table's id sequence after creating rows; none were created.
        pass

    def _duplicates(self, instance) -> list[str]:
        if instance.birth_date is None:
            return []
        key = (
            normalise_name(f"{instance.given_names} {instance.family_name}"),
            instance.birth_date,
        )
        others = sorted(self.by_name_and_birth.get(key, set()) - {instance.v_nummer})
        self.by_name_and_birth.setdefault(key, set()).add(instance.v_nummer)
        return others


def safe_v_nummer(value) -> str | None:
    try:
        return VNumberWidget().clean(value)
    except ValueError:
        return None


def safe_date(value) -> date | None:
    try:
        return PastDateWidget(label="").clean(value)
    except ValueError:
        return None


# ---- reading the file -------------------------------------------------------------------------


def read_dataset(content: bytes, fmt: str):
    """The file as a tablib Dataset through django-import-export's formats; a wrong header, an
    unreadable file or too many rows is an ImportFileError with a message for the user."""
    try:
        if fmt == "xlsx":
            dataset = base_formats.XLSX().create_dataset(content)
        else:
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252", errors="replace")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            dataset = base_formats.CSV().create_dataset(text, delimiter=delimiter)
    except Exception as error:  # noqa: BLE001 - any parser failure is a file we cannot read
        raise ImportFileError(
            _("The file could not be read as %(fmt)s. Save it as CSV or XLSX and try again.")
            % {"fmt": fmt.upper()}
        ) from error
    headers = [header_key(h) for h in dataset.headers or []]
    missing = [h for h in HEADERS if h not in headers]
    unknown = [h for h in headers if h and h not in HEADERS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown: %(columns)s") % {"columns": ", ".join(unknown)})
        raise ImportFileError(
            _(
                "The header of the file is not the expected one (%(problems)s). The first row "
                "must name the columns %(columns)s."
            )
            % {"problems": "; ".join(parts), "columns": ", ".join(HEADERS)}
        )
    dataset.headers = headers
    # Rows left entirely empty at the end of a sheet are no rows.
    while len(dataset) and all(_text(v) == "" for v in dataset[-1]):
        dataset.pop()
    if not len(dataset):
        raise ImportFileError(_("The file holds a header but no rows."))
    if len(dataset) > MAX_ROWS:
        raise ImportFileError(
            _("The file holds %(n)d rows; at most %(max)d can be imported at once. Split it.")
            % {"n": len(dataset), "max": MAX_ROWS}
        )
    return dataset


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages in error.message_dict.values() for m in messages]
    return [str(m) for m in error.messages]


def _evaluate(batch: CaseImport):
    """Run the rows through the resource (nothing is written): (resource, per-row records)."""
    dataset = read_dataset(bytes(batch.content), batch.file_format)
    resource = CaseImportResource(batch)
    # Not a "dry run" to the library: that would wrap each row in a savepoint to roll back,
    # and this resource writes nothing row by row anyway (save_instance only collects).
    result = resource.import_data(
        dataset, dry_run=False, use_transactions=False, retain_instance_in_row_result=True
    )
    if result.base_errors:
        raise ImportFileError(str(result.base_errors[0].error))
    records = []
    for number, (row_result, values) in enumerate(zip(result.rows, dataset, strict=True), start=1):
        row = dict(zip(dataset.headers, values, strict=True))
        record = {
            "number": number,
            "v_nummer": _text(row.get("v_nummer"))[:20],
            "name": " ".join(
                [_text(row.get("voornamen"))[:100], _text(row.get("achternaam"))[:100]]
            ).strip(),
            "reasons": [],
            "duplicates": [],
            "changes": [],
            "note": "",
        }
        kind = row_result.import_type
        if kind == RowResult.IMPORT_TYPE_INVALID:
            record["action"] = "refused"
            record["reasons"] = _messages(row_result.validation_error)
        elif kind == RowResult.IMPORT_TYPE_ERROR:
            record["action"] = "refused"
            record["reasons"] = [_("This row could not be read.")]
        elif kind == RowResult.IMPORT_TYPE_SKIP:
            record["action"] = "unchanged"
        else:
            record["action"] = "create"
        record.update(resource.records.get(number, {}))
        records.append(record)
    return resource, records


def _summary(records) -> dict:
    counts = dict.fromkeys(("create", "update", "unchanged", "refused"), 0)
    for record in records:
        counts[record["action"]] += 1
    counts["duplicates"] = sum(1 for r in records if r["duplicates"])
    return counts


# ---- services -----------------------------------------------------------------------------


def require_administrator(actor) -> None:
    if not access.imports_cases(actor):
        raise ValidationError(_("Only a functional administrator may import cases."))


@transaction.atomic
def start_import(*, actor, team, category, file_name: str, content: bytes) -> CaseImport:
    """Store the file and check its header at once (a wrong file is refused here); the check
    of the rows runs as a task."""
    require_administrator(actor)
    if len(content) > max_bytes():
        raise ValidationError(file_too_large_message())
    fmt = "xlsx" if file_name.lower().endswith(".xlsx") else "csv"
    if fmt == "xlsx" and not content.startswith(b"PK"):
        raise ValidationError(_("This file is not an XLSX workbook."))
    try:
        dataset = read_dataset(content, fmt)
    except ImportFileError as error:
        raise ValidationError(str(error)) from error
    batch = CaseImport.objects.create(
        uploaded_by=actor,
        team=team,
        category=category,
        file_name=file_name[:255],
        file_format=fmt,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        rows_total=len(dataset),
    )
    from cases.tasks import check_case_import

    check_case_import.delay_on_commit(batch.pk)
    return batch


def file_too_large_message() -> str:
    return _("The file is larger than %(mb)d MB and was not read. Split it into smaller files.") % {
        "mb": max_bytes() // (1024 * 1024)
    }


def check_import(batch: CaseImport) -> CaseImport:
    """The dry run: every row checked, the preview stored; nothing else is written."""
    try:
        _resource, records = _evaluate(batch)
    except ImportFileError as error:
        return _fail(batch, str(error))
    batch.rows = records
    batch.summary = _summary(records)
    batch.rows_done = batch.rows_total
    batch.status = CaseImport.Status.CHECKED
    batch.save(update_fields=["rows", "summary", "rows_done", "status"])
    return batch


@contextmanager
def failing_on_error(batch: CaseImport):
    """An unexpected error in a task ends the import as failed (the page stops waiting and
    says so; the write, in one transaction, left nothing behind); a database that is away
    for a moment is retried by the task instead."""
    from django.db import OperationalError

    try:
        yield
    except OperationalError:
        raise
    except Exception:
        _fail(
            CaseImport.objects.get(pk=batch.pk),
            _("The file could not be processed because of an error in the application."),
        )
        raise


def _fail(batch: CaseImport, message: str) -> CaseImport:
    batch.status = CaseImport.Status.FAILED
    batch.error = message
    batch.rows_done = 0
    batch.save(update_fields=["status", "error", "rows_done"])
    return batch


@transaction.atomic
def confirm_import(batch: CaseImport, *, actor) -> CaseImport:
    require_administrator(actor)
    batch = CaseImport.objects.select_for_update().get(pk=batch.pk)
    if batch.status != CaseImport.Status.CHECKED:
        raise ValidationError(_("This import is not awaiting confirmation."))
    if batch.summary.get("refused"):
        raise ValidationError(
            _("Rows of this file are refused; correct them and upload the file again.")
        )
    batch.status = CaseImport.Status.IMPORTING
    batch.confirmed_by = actor
    batch.rows_done = 0
    batch.save(update_fields=["status", "confirmed_by", "rows_done"])
    from cases.tasks import run_case_import

    run_case_import.delay_on_commit(batch.pk)
    return batch


def run_import(batch: CaseImport) -> CaseImport:
    """Check every row again and, when none is refused, write them all in one transaction."""
    from cases.services import acting_as

    if batch.status != CaseImport.Status.IMPORTING:
        return batch  # a redelivered task: done already
    if hashlib.sha256(bytes(batch.content)).hexdigest() != batch.sha256:
        return _fail(batch, _("The stored file changed; nothing was imported."))
    try:
        resource, records = _evaluate(batch)
    except ImportFileError as error:
        return _fail(batch, str(error))
    summary = _summary(records)
    if summary["refused"]:
        batch.rows, batch.summary = records, summary
        batch.save(update_fields=["rows", "summary"])
        return _fail(
            batch,
            _(
                "Since the check, %(n)d row(s) can no longer be imported; nothing was imported. "
                "Upload the file again to see why."
            )
            % {"n": summary["refused"]},
        )
    actor = batch.confirmed_by
    with acting_as(actor), transaction.atomic():
        references = _write(batch, resource.pending, actor=actor)
        for record in records:
            record.pop("name", None)
            if record["number"] in references:
                record["reference"] = references[record["number"]]
        batch.rows = records
        batch.summary = summary
        batch.status = CaseImport.Status.IMPORTED
        batch.imported_at = timezone.now()
        batch.rows_done = batch.rows_total
        batch.content = b""
        batch.save()
        _audit_import(batch, records, actor=actor)
    return batch


def _write(batch: CaseImport, pending: list[Pending], *, actor) -> dict[int, str]:
    """Create the new persons, nationalities and cases in bulk with a create entry each in the
    audit log; update the changed ones in bulk too, with a change entry each holding their
    before and after values. Returns row number -> case reference."""
    from dtv.audit.services import insert_rows, record_created, reserve_ids, write_rows

    today = timezone.localdate()
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    new_people = [p for p in pending if p.is_create]
    for item in new_people:
        item.person.refresh_search_name()
    people = [p.person for p in new_people]
    insert_rows(Person, people)
    record_created(people, actor=actor)
    nationalities = [
        Nationality(person=item.person, country=code)
        for item in new_people
        for code in item.person.import_nationalities.split(",")
        if code
    ]
    insert_rows(Nationality, nationalities)
    record_created(nationalities, actor=actor, additional=lambda n: {"v_nummer": n.person.v_nummer})
    references = {}
    new_cases = []
    case_updates = []
    _update_persons([item.person for item in pending if not item.is_create], actor=actor)
    for item in pending:
        person = item.person
        facts = {
            "source": person.import_source,
            "decision_on": person.import_decision_on,
            "departure_term_days": person.import_term_days,
            "municipality_id": municipalities.get(person.import_municipality),
        }
        if item.case is not None:
            case_updates.append((item.case, facts))
            references[item.row_number] = item.case.reference
            continue
        case = Case(
            person=person, team=batch.team, category=batch.category, opened_on=today, **facts
        )
        new_cases.append((item.row_number, case))
    cases = [case for _number, case in new_cases]
    give_unique_references(cases)
    # The phase and the deadlines follow from the facts, as for a case registered by hand:
    # worked out before the rows are written where the keys can be had first (PostgreSQL),
    # else written after them.
    if reserve_ids(Case, cases):
        _derive(cases, today=today)
        insert_rows(Case, cases)
    else:
        insert_rows(Case, cases)
        write_rows(Case, cases, sorted(_derive(cases, today=today)))
    record_created(cases, actor=actor)
    reason = _("Imported from %(file)s (%(ref)s)") % {
        "file": batch.file_name,
        "ref": batch.reference,
    }
    insert_rows(
        PhaseChange,
        [
            PhaseChange(
                case=case, from_phase="", to_phase=case.phase, reason=reason[:500], actor=actor
            )
            for case in cases
        ],
    )
    references.update({number: case.reference for number, case in new_cases})
    _update_cases(case_updates, actor=actor, today=today)
    return references


# A new case's phase and deadlines follow from its own columns alone (it has no procedures,
# measures or interviews yet); these columns feed none of them, so cases alike in every other
# column share one computation (10,000 imported cases: some hundreds of computations).
NOT_DEADLINE_FACTS = {
    "id",
    "reference",
    "person",
    "team",
    "officer",
    "municipality",
    "reception_location",
    "source",
    "priority",
    "departure_plan",
    "version",
    "updated_at",
}


def _derive(cases: list[Case], *, today) -> set[str]:
    """Set the phase and the derived deadline fields on new cases; returns the names set."""
    key_columns = [
        f.attname for f in Case._meta.concrete_fields if f.name not in NOT_DEADLINE_FACTS
    ]
    alike: dict[tuple, list[Case]] = {}
    for case in cases:
        alike.setdefault(tuple(getattr(case, c) for c in key_columns), []).append(case)
    # Each group's facts are read on a copy of its first case, with the relations the
    # providers read prefetched on the copies: the imported cases keep no prefetch.
    representatives = [unprefetched_copy(group[0]) for group in alike.values()]
    registry.prefetch_for_derived(representatives)
    names: set[str] = {"phase"}
    for first, group in zip(representatives, alike.values(), strict=True):
        verdict = registry.phase_verdict(first, today=today)
        values = {"phase": verdict.phase} if verdict is not None else {}
        first.phase = values.get("phase", first.phase)
        values.update(registry.derived_fields(first, today=today))
        names.update(values)
        for case in group:
            for name, value in values.items():
                setattr(case, name, value)
    return names


PERSON_FIELDS = ("family_name", "given_names", "birth_date", "birth_date_precision")


def _update_persons(people: list[Person], *, actor) -> None:
    """The registered persons of the file: the names and date of birth the file changes, and
    the nationalities it adds, in a few queries for all of them, each change audited with its
    before and after values."""
    from dtv.audit.services import audited_bulk_update, insert_rows, record_created

    if not people:
        return
    ids = [person.pk for person in people]
    current = Person.objects.select_for_update().in_bulk(ids)
    changed = [
        person
        for person in people
        if any(getattr(current[person.pk], name) != getattr(person, name) for name in PERSON_FIELDS)
    ]
    aliases: dict[int, list[str]] = {}
    for person_id, name in Alias.objects.filter(person__in=[p.pk for p in changed]).values_list(
        "person", "name"
    ):
        aliases.setdefault(person_id, []).append(name)
    pairs = []
    for person in changed:
        after = current[person.pk]
        before = copy.copy(after)
        for name in PERSON_FIELDS:
            setattr(after, name, getattr(person, name))
        after.refresh_search_name(aliases.get(after.pk, []))
        pairs.append((before, after))
    audited_bulk_update(pairs, [*PERSON_FIELDS, "search_name"], actor=actor)
    have: dict[int, set[str]] = {}
    for person_id, country in Nationality.objects.filter(person__in=ids).values_list(
        "person", "country"
    ):
        have.setdefault(person_id, set()).add(country)
    # A nationality the file does not name stays: a partner's file adds what it knows, the
    # officer removes what turns out wrong.
    added = [
        Nationality(person=current[person.pk], country=code)
        for person in people
        for code in dict.fromkeys(c for c in person.import_nationalities.split(",") if c)
        if code not in have.get(person.pk, set())
    ]
    insert_rows(Nationality, added)
    record_created(added, actor=actor, additional=lambda n: {"v_nummer": n.person.v_nummer})


def _update_cases(updates: list[tuple[Case, dict]], *, actor, today) -> None:
    """The open cases whose facts the file changes: the facts, then the phase and the deadlines
    that follow from them (as refresh_derived does for one case), written in bulk with one
    change entry per case holding every field's before and after value."""
    from cases.services import FACT_PHASES, OVERRIDES_PLAN
    from dtv.audit.services import audited_bulk_update

    if not updates:
        return
    current = (
        Case.objects.select_for_update(of=("self",))
        .select_related("person")
        .in_bulk([case.pk for case, _facts in updates])
    )
    pairs = []
    for case, facts in updates:
        after = current[case.pk]
        changed = [name for name, value in facts.items() if getattr(after, name) != value]
        if not changed or after.phase == Case.Phase.CLOSED:
            continue
        before = copy.copy(after)
        for name in changed:
            setattr(after, name, facts[name])
        after.version += 1
        pairs.append((before, after))
    if not pairs:
        return
    cases = [after for _before, after in pairs]
    registry.prefetch_for_derived(cases)
    derived: set[str] = set()
    phase_changes = []
    for case in cases:
        verdict = registry.phase_verdict(case, today=today)
        if (
            verdict is not None
            and verdict.phase != case.phase
            and (
                case.phase in FACT_PHASES
                or (case.phase == Case.Phase.DEPARTURE_PLANNED and verdict.phase in OVERRIDES_PLAN)
            )
        ):
            phase_changes.append(
                PhaseChange(
                    case=case,
                    from_phase=case.phase,
                    to_phase=verdict.phase,
                    reason=(_("Follows from the facts: %(reason)s") % {"reason": verdict.reason})[
                        :500
                    ],
                    actor=actor,
                )
            )
            case.phase = verdict.phase
        values = registry.derived_fields(case, today=today)
        for name, value in values.items():
            setattr(case, name, value)
        derived.update(values)
        case.updated_at = timezone.now()
    fields = sorted(
        {"source", "decision_on", "departure_term_days", "municipality", "version", "phase"}
        | {"updated_at"}
        | derived
    )
    audited_bulk_update(pairs, fields, actor=actor)
    PhaseChange.objects.bulk_create(phase_changes)


def _audit_import(batch: CaseImport, records, *, actor) -> None:
    """One entry for the import as a whole: who imported which V-numbers from which file."""
    from django.contrib.contenttypes.models import ContentType

    from dtv.audit.models import AuditEntry

    written = [r["v_nummer"] for r in records if r["action"] in ("create", "update")]
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(CaseImport),
        object_pk=str(batch.pk),
        object_id=batch.pk,
        object_repr=f"{batch.reference} {batch.file_name}"[:255],
        action=AuditEntry.Action.CREATE,
        kind=AuditEntry.Kind.CREATE,
        purpose="cases:import",
        actor=actor,
        additional_data={
            "import": batch.reference,
            "file": batch.file_name,
            "sha256": batch.sha256,
            "summary": batch.summary,
            "v_nummers": written[:10000],
        },
    )


def template_rows() -> tuple[list[str], list[list[str]]]:
    """The header and one example row of the import template."""
    return HEADERS, [
        ["0123456789", "Benali", "Youssef", "14-03-1990", "MA", "IND", "02-11-2026", "28", "GM0363"]
    ]
