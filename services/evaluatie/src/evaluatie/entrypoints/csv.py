"""CSV downloads of reports: the same rows as the JSON, flattened."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping

from fastapi.responses import Response


def als_csv(rows: Iterable[Mapping]) -> str:
    """The rows as CSV text: a header of the first row's keys, then one line per row."""
    rows = list(rows)
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def csv_response(rows: Iterable[Mapping], filename: str) -> Response:
    return Response(
        als_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
