"""The one writer of every CSV and XLSX file the application delivers.

A spreadsheet runs a cell as a formula when its text starts with = + - or @ (and some read a
tab or carriage return first, or skip leading spaces). Text cells get an apostrophe in front
of such a start, in every cell of every export. The CSV quotes every cell, which keeps ";" and
"," inside their cell for a program that splits on the file's delimiter; one that splits on
another (Dutch Excel on ";", others on ",") starts a cell at any separator character, quotes
or not, so a formula start after ",", ";", a tab or a line break is neutralised too
("Demir;=1+2" is written "Demir;'=1+2").

CSV for Dutch Excel: ";" as the delimiter (the list separator of the Dutch locale) and UTF-8
with a byte-order mark, so that Excel reads the accents right when the file is opened by a
double click. Other programs read the same file when told the delimiter.

The body is built completely before it is handed back, so a caller records the export in the
audit log only once the file exists (`Export.delivered` says what went out)."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

CSV_DELIMITER = ";"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# What starts a formula in Excel, LibreOffice or Google Sheets (the full-width forms too).
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


# A formula start after a separator: a program that splits the line by another delimiter
# than the one the file was written with (Dutch Excel on ";", others on "," or tab) starts a
# cell there, quotes or no quotes.
_AFTER_SEPARATOR = re.compile(r'([,;\t\r\n])([ \u00a0"]*)(?=[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20])')


def neutralise(text: str) -> str:
    """Text that no spreadsheet runs as a formula, however it splits the line: an apostrophe
    before every formula start at the beginning (also after spaces or a quote) and after
    every separator character."""
    text = _AFTER_SEPARATOR.sub(r"\1'\2", text)
    if text[:1] in FORMULA_STARTS or text.lstrip(' \u00a0"')[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def cell_value(value):
    """A cell as a spreadsheet should hold it: numbers stay numbers (they are never read as
    formulas), dates become dates, everything else (lazy translations too) neutralised text."""
    if hasattr(value, "export_value"):
        # An object that knows its cell, such as a published figure (a number or "< 5").
        value = value.export_value()
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value
    if isinstance(value, Promise):
        value = str(value)
    return neutralise(str(value))


def csv_text(value) -> str:
    value = cell_value(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # Dutch Excel reads "," as the decimal separator.
        return f"{value:g}".replace(".", ",")
    return str(value)


@dataclass(frozen=True)
class Export:
    """A finished export file."""

    response: HttpResponse
    filename: str
    fmt: str
    rows: int

    @property
    def delivered(self) -> dict:
        """What went out, for the audit entry."""
        return {"file": self.filename, "format": self.fmt, "rows": self.rows}


def write_csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerow([csv_text(h) for h in header])
    for row in rows:
        writer.writerow([csv_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header, rows, *, sheet_title: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    if sheet_title:
        # Excel refuses sheet names over 31 characters or with []:*?/\ in them.
        sheet.title = "".join(c for c in str(sheet_title) if c not in "[]:*?/\\")[:31] or "Blad1"
    for index, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            value = cell_value(value)
            cell = sheet.cell(row=index, column=column, value=value)
            if isinstance(value, str):
                # openpyxl makes any text starting with "=" a formula; text stays text.
                cell.data_type = TYPE_STRING
            elif isinstance(value, datetime):
                cell.number_format = "dd-mm-yyyy hh:mm"
            elif isinstance(value, date):
                cell.number_format = "dd-mm-yyyy"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build(fmt: str, *, basename: str, header, rows, sheet_title: str = "") -> Export:
    """The export as an attachment named `<basename>-<date>.<fmt>`; rows are materialised
    here, so nothing is delivered (nor should be audited) when building fails."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    rows = [list(row) for row in rows]
    filename = f"{basename}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        body, content_type = write_csv(header, rows), CSV_CONTENT_TYPE
    else:
        body, content_type = write_xlsx(header, rows, sheet_title=sheet_title), XLSX_CONTENT_TYPE
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return Export(response=response, filename=filename, fmt=fmt, rows=len(rows))
