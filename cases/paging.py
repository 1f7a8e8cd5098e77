"""Paging of the case tables whose cost does not grow with the table.

- The count stops at COUNT_CAP: `SELECT count(*) FROM (SELECT id … LIMIT cap + 1)` reads at
  most that many index entries, where a plain COUNT(*) of an auditor's or a large team's list
  reads every matching row. Above the cap the page says "more than 10,000 cases".
- Only the first COUNT_CAP rows can be paged (OFFSET at most cap - page size): a page number
  past the last, `?page=1000000` among them, shows the last page with a notice saying so;
  a page number that is not a number shows the first page."""

from django.core.paginator import Paginator
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    cap = COUNT_CAP

    @cached_property
    def full_count(self) -> int:
        """The count up to cap + 1 (so that `capped` can tell); set it when it is known."""
        rows = self.object_list
        if hasattr(rows, "values"):
            return rows.order_by().values("pk")[: self.cap + 1].count()
        return len(rows)

    @cached_property
    def count(self) -> int:
        return min(self.full_count, self.cap)

    @property
    def capped(self) -> bool:
        return self.full_count > self.cap


def page_of(paginator: Paginator, number):
    """The page `number` (a query parameter) of `paginator`, never an error: the first page
    for a missing, malformed or too small number, the last for one past the end, with
    `notice` saying why the page asked for is not the one shown."""
    if number in (None, ""):
        return paginator.page(1)
    text = str(number).strip()
    # Digits only (int() would also take "1_000" or "-3"); a very long number is past the end.
    value = (int(text) if len(text) <= 18 else 10**18) if text.isascii() and text.isdigit() else 0
    if value < 1:
        page = paginator.page(1)
        page.notice = _("That is not a page number; this is the first page.")
        return page
    last = paginator.num_pages
    if value <= last:
        return paginator.page(value)
    page = paginator.page(last)
    if getattr(paginator, "capped", False):
        page.notice = _(
            "Only the first %(cap)s rows can be paged through; this is the last of those "
            "pages. Narrow the filters to see the others."
        ) % {"cap": formats.number_format(paginator.cap, force_grouping=True)}
    else:
        page.notice = _("There is no page of that number; this is the last page.")
    return page
