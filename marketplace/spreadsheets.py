"""CSV downloads that spreadsheets open safely: UTF-8 with a byte order mark, formula cells quoted.

Every export of the project (a producer's orders, a host's commission, the staff commission report) streams
its rows through ``csv_download``, so none of them can forget the BOM or the formula guard.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

# Excel reads a UTF-8 file as Chinese and Uyghur text only when it starts with a byte order mark.
BOM = "\ufeff"

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file that hands back what is written to it, for streaming ``csv.writer`` rows."""

    def write(self, value: str) -> str:
        return value


def spreadsheet_safe(value: object) -> str:
    """``value`` as text a spreadsheet shows as it is: a leading formula character gets a quote before it.

    Numbers (a negative commission, a refund) are written as they are: "-2.00" is a number, not a formula.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_lines(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """The BOM, then each row as one CSV line with every cell made safe."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([spreadsheet_safe(cell) for cell in row])


def csv_download(rows: Iterable[Iterable[object]], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV attachment of ``rows``; rows are read as the response is sent."""
    return StreamingHttpResponse(
        csv_lines(rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
