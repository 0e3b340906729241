"""`newsetl query` output, written as the rows arrive: memory follows one batch, not the result.

Each format reads the open DuckDB result a batch at a time (`BATCH_VECTORS` of DuckDB's
2,048-row vectors) and writes it before fetching the next. CSV and JSON convert each batch
with pandas, so a result prints as it always did; the table format sizes its columns on the
first batch and folds longer values onto more lines within their column.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from typing import Any, TextIO

import duckdb
import pandas as pd
from rich.cells import cell_len, chop_cells, set_cell_size

BATCH_VECTORS = 1  # 2,048 rows a batch
BATCH_ROWS = 2048 * BATCH_VECTORS
MAX_COLUMN_CELLS = 40  # a table column's widest, in terminal cells (a CJK character is 2)
MIN_COLUMN_CELLS = 6  # the narrowest a column is squeezed to, to fit the terminal


def _frames(result: duckdb.DuckDBPyConnection) -> Iterator[pd.DataFrame]:
    """The result's batches as DataFrames: the first always (it names the columns), then
    every further batch that has rows."""
    frame = result.fetch_df_chunk(BATCH_VECTORS)
    yield frame
    while len(frame := result.fetch_df_chunk(BATCH_VECTORS)):
        yield frame


def write_csv(result: duckdb.DuckDBPyConnection, out: TextIO) -> int:
    """Write the result as CSV with a header line; return the number of rows."""
    rows = 0
    for i, frame in enumerate(_frames(result)):
        frame.to_csv(out, index=False, header=i == 0)
        rows += len(frame)
    return rows


def write_json(result: duckdb.DuckDBPyConnection, out: TextIO) -> int:
    """Write the result as one JSON array of objects; return the number of rows."""
    rows = 0
    out.write("[")
    for frame in _frames(result):
        if len(frame):
            records = frame.to_json(orient="records", force_ascii=False, date_format="iso")
            out.write(("," if rows else "") + records[1:-1])  # the objects, without [ ]
            rows += len(frame)
    out.write("]\n")
    return rows


def _text(value: Any) -> str:
    """A value as a table shows it: NULL is empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _lines(text: str, width: int) -> list[str]:
    """A value folded onto lines of at most `width` cells (its own line breaks kept)."""
    if "\n" not in text and cell_len(text) <= width:
        return [text]
    return [piece for line in text.split("\n") for piece in (chop_cells(line, width) or [""])]


def _widths(rows: list[list[str]], widths: list[int], terminal: int | None) -> list[int]:
    """Column widths that fit these rows (and at least `widths`), capped and squeezed to fit
    the terminal."""
    fitted = [
        min(MAX_COLUMN_CELLS, max([w, *(cell_len(x) for row in rows for x in row[i].split("\n"))]))
        for i, w in enumerate(widths)
    ]
    if terminal:
        while sum(fitted) + 3 * len(fitted) - 1 > terminal and max(fitted) > MIN_COLUMN_CELLS:
            fitted[fitted.index(max(fitted))] -= 1
    return fitted


def _print_row(out: TextIO, cells: list[str], widths: list[int]) -> None:
    folded = [_lines(cell, width) for cell, width in zip(cells, widths, strict=True)]
    for k in range(max(len(lines) for lines in folded)):
        parts = [
            set_cell_size(lines[k] if k < len(lines) else "", width)
            for lines, width in zip(folded, widths, strict=True)
        ]
        out.write((" " + " │ ".join(parts)).rstrip() + "\n")


def _print_header(out: TextIO, names: list[str], widths: list[int]) -> None:
    _print_row(out, names, widths)
    out.write("─" + "─┼─".join("─" * w for w in widths) + "─\n")


def write_table(result: duckdb.DuckDBPyConnection, out: TextIO) -> int:
    """Write the result as an aligned text table; return the number of rows.

    Columns are as wide as the header and the first batch need, up to MAX_COLUMN_CELLS; a
    later batch with wider values widens them (up to the cap) and repeats the header, and
    longer values fold onto more lines within their column.
    """
    names = [d[0] for d in result.description or []]
    terminal = shutil.get_terminal_size().columns if out.isatty() else None
    widths = _widths([names], [1] * len(names), terminal)
    header: list[int] = []
    rows = 0
    while batch := [[_text(v) for v in row] for row in result.fetchmany(BATCH_ROWS)]:
        widths = _widths(batch, widths, terminal)
        if widths != header:
            _print_header(out, names, widths)
            header = widths
        for row in batch:
            _print_row(out, row, widths)
        rows += len(batch)
    if not header:
        _print_header(out, names, widths)
    return rows
