"""`newsetl query` output, written as the rows arrive: memory follows one batch, not the result.

Each format reads the open DuckDB result `BATCH_ROWS` rows at a time and writes them before
fetching the next. Values are written as other tools read them: dates and times in ISO 8601,
NULL as an empty CSV cell or JSON `null`, integers as integers, lists and structs as JSON
arrays and objects (in CSV cells too), booleans as `true`/`false`.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import math
import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import duckdb
from rich.cells import cell_len, chop_cells, set_cell_size

BATCH_ROWS = 2048
MAX_COLUMN_CELLS = 40  # a table column's widest, in terminal cells (a CJK character is 2)
MIN_COLUMN_CELLS = 6  # the narrowest a column is squeezed to, to fit the terminal


def _batches(result: duckdb.DuckDBPyConnection) -> Iterator[list[tuple]]:
    """The result's rows, a batch at a time."""
    while batch := result.fetchmany(BATCH_ROWS):
        yield batch


def _plain(value: Any) -> Any:
    """A value as JSON holds it: ISO dates and times, exact numbers, text for the rest."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot write a {type(value).__name__}")


def _json(value: Any) -> str:
    """JSON text of a value (a float that is not finite is null: JSON has no NaN)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "null"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)


def _cell(value: Any) -> str:
    """A value as a CSV cell or a table shows it: NULL is empty, containers are JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    if isinstance(value, list | tuple | dict):
        return _json(value)
    plain = _plain(value)
    return plain if isinstance(plain, str) else str(plain)


def parameters(pairs: list[str]) -> dict[str, Any]:
    """`name=value` pairs as the query's named parameters (`$name`): integers and decimals
    become numbers, anything else stays text."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.isidentifier():
            raise ValueError(f"--param takes name=value, not {pair!r}")
        for kind in (int, float):
            try:
                values[name] = kind(text)
                break
            except ValueError:
                continue
        else:
            values[name] = text
    return values


@contextmanager
def destination(path: Path | None) -> Iterator[TextIO]:
    """stdout, or a file written beside `path` and renamed over it once complete (a failed
    query leaves no partial file)."""
    if path is None:
        yield sys.stdout
        return
    temp = path.with_name(f".{path.name}.part-{os.getpid()}")
    try:
        with temp.open("w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_csv(result: duckdb.DuckDBPyConnection, out: TextIO) -> int:
    """Write the result as CSV with a header line; return the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([d[0] for d in result.description or []])
    rows = 0
    for batch in _batches(result):
        writer.writerows([_cell(v) for v in row] for row in batch)
        rows += len(batch)
    return rows


def write_json(result: duckdb.DuckDBPyConnection, out: TextIO) -> int:
    """Write the result as one JSON array of objects; return the number of rows."""
    names = [d[0] for d in result.description or []]
    rows = 0
    out.write("[")
    for batch in _batches(result):
        for row in batch:
            record = ",".join(f"{_json(n)}:{_json(v)}" for n, v in zip(names, row, strict=True))
            out.write(("," if rows else "") + "{" + record + "}")
            rows += 1
    out.write("]\n")
    return rows


def _lines(text: str, width: int) -> list[str]:
    """A value folded onto lines of at most `width` cells (its own line breaks kept)."""
    if "\n" not in text and cell_len(text) <= width:
        return [text]
    return [piece for line in text.split("\n") for piece in _fold(line, width)]


def _fold(line: str, width: int) -> list[str]:
    """One line folded at spaces where it has them (English), else anywhere (Chinese); a
    word wider than the column is cut."""
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if cell_len(candidate) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        pieces = chop_cells(word, width) or [""]
        out.extend(pieces[:-1])
        current = pieces[-1]
    out.append(current)
    return out


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
    while batch := [[_cell(v) for v in row] for row in result.fetchmany(BATCH_ROWS)]:
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


WRITERS = {"csv": write_csv, "json": write_json, "table": write_table}
