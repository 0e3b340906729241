"""Pandera validation of a batch: failing rows are split off with their reasons."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.errors

from newsetl.tables import keys
from newsetl.tables.registry import KEY_COLUMNS, SCHEMAS

# Validation-only columns, dropped before loading: the page's length, and the file whose
# item a shared dimension row came from (so that a rejected one names its file).
CHECK_ONLY_COLUMNS = ("page_chars", "source_file_id")


@dataclass(frozen=True)
class Rejection:
    """One failed check on one row (or on a whole table when row_key is None)."""

    table: str
    row_key: str | None
    file_id: str | None
    check: str
    column: str | None
    value: str | None


def validate(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], list[Rejection]]:
    """Validate every table lazily; return the passing rows and one rejection per failure.

    A rejected file or article takes its dependent rows with it, and a rejected person or
    name its links, so the load never holds an orphan; rejected rows of the other tables are
    dropped alone.
    """
    rejections: list[Rejection] = []
    bad_rows: dict[str, set[int]] = {}
    for name, df in frames.items():
        try:
            SCHEMAS[name].validate(df, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            found = _rejections(name, df, exc.failure_cases)
            rejections.extend(found.values())
            rows = {index for index, _, _ in found}
            bad_rows[name] = set(df.index) if None in rows else rows
    good = {
        name: df.drop(index=list(bad_rows[name])) if name in bad_rows else df
        for name, df in frames.items()
    }
    good = _cascade(frames, good, bad_rows)
    return {name: _without_check_columns(df) for name, df in good.items()}, rejections


def _without_check_columns(df: pd.DataFrame) -> pd.DataFrame:
    dropped = [c for c in CHECK_ONLY_COLUMNS if c in df.columns]
    return df.drop(columns=dropped) if dropped else df


def _rejections(
    name: str, df: pd.DataFrame, cases: pd.DataFrame
) -> dict[tuple[int | None, str, str | None], Rejection]:
    """One rejection per failed row and check, by (row index, check, column).

    A check of whole rows (a dataframe check) lists every column of a failing row as a
    failure case: they make one rejection, with no column and no value. A failure of the
    whole table (a missing column, a wrong type) has no row: its index is None.
    """
    out: dict[tuple[int | None, str, str | None], Rejection] = {}
    for case in cases.itertuples(index=False):
        row_wide = case.schema_context == "DataFrameSchema"
        column = None if row_wide else _text(case.column)
        if case.index is None or pd.isna(case.index):
            key = (None, str(case.check), _text(case.column))
            out.setdefault(key, Rejection(name, None, None, key[1], key[2], None))
            continue
        key = (int(case.index), str(case.check), column)
        if key in out:
            continue
        row = df.loc[key[0]]
        out[key] = Rejection(
            table=name,
            row_key=str(row[KEY_COLUMNS[name]]),
            file_id=_file_of(row),
            check=key[1],
            column=column,
            value=None if row_wide else _text(case.failure_case),
        )
    return out


def _text(value: object) -> str | None:
    """A failure's column or value as text (None when missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)[:200]


def _file_of(row: pd.Series) -> str | None:
    for column in ("source_file_id", "file_id", "article_id", "paragraph_id", "anomaly_id"):
        if column in row and isinstance(row[column], str):
            return keys.file_of(row[column])
    return None


def _cascade(
    frames: dict[str, pd.DataFrame],
    good: dict[str, pd.DataFrame],
    bad_rows: dict[str, set[int]],
) -> dict[str, pd.DataFrame]:
    """Drop the rows of rejected files and articles, the links to rejected names, and the
    rows that point at a rejected paragraph or anomaly."""

    def bad(table: str, column: str) -> set:
        df = frames.get(table)
        return set() if df is None else set(df.loc[list(bad_rows.get(table, ()))][column])

    bad_files, bad_articles = bad("dim_source_file", "file_id"), bad("fact_article", "article_id")
    bad_links = {
        "bridge_article_person": ("person_id", bad("dim_person", "person_id")),
        "bridge_article_entity": ("entity_id", bad("dim_entity", "entity_id")),
    }
    bad_refs = {
        "paragraph_id": ("fact_paragraph", bad("fact_paragraph", "paragraph_id")),
        "anomaly_id": ("dq_anomaly", bad("dq_anomaly", "anomaly_id")),
    }
    if not (
        bad_files
        or bad_articles
        or any(ids for _, ids in bad_links.values())
        or any(ids for _, ids in bad_refs.values())
    ):
        return good
    out = {}
    for name, df in good.items():
        keep = pd.Series(True, index=df.index)
        if "file_id" in df.columns:
            keep &= ~df["file_id"].isin(bad_files)
        if "article_id" in df.columns:
            keep &= ~df["article_id"].isin(bad_articles)
            keep &= ~df["article_id"].fillna("").str.slice(0, keys.FILE_KEY_LENGTH).isin(bad_files)
        if name in bad_links:
            column, ids = bad_links[name]
            keep &= ~df[column].isin(ids)
        for column, (owner, ids) in bad_refs.items():
            if ids and name != owner and column in df.columns:
                keep &= ~df[column].isin(ids)
        out[name] = df[keep]
    return out
