"""Pandera validation of a batch: failing rows are split off with their reasons."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.errors

from schemas import SCHEMAS

# Validation-only columns, dropped before loading.
CHECK_ONLY_COLUMNS = ("page_chars",)
# Children of an item: they go wherever their article goes.
ARTICLE_CHILDREN = (
    "bridge_article_person",
    "bridge_article_entity",
    "fact_paragraph",
    "fact_article_keyword",
    "dq_anomaly",
)
KEY_COLUMNS = {
    "dim_source_file": "file_id",
    "dim_date": "date_key",
    "dim_person": "person_id",
    "dim_entity": "entity_id",
    "fact_article": "article_id",
    "bridge_article_person": "article_id",
    "bridge_article_entity": "article_id",
    "fact_paragraph": "paragraph_id",
    "fact_article_keyword": "article_id",
    "dq_anomaly": "anomaly_id",
}


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

    A rejected file or article takes its dependent rows with it, so the load never holds an
    orphan; rejected rows of the other tables are dropped alone.
    """
    rejections: list[Rejection] = []
    bad_rows: dict[str, set[int]] = {}
    for name, df in frames.items():
        try:
            SCHEMAS[name].validate(df, lazy=True)
        except pandera.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            rows = set()
            for case in cases.itertuples(index=False):
                index = case.index
                whole_table = index is None or pd.isna(index)
                row = None if whole_table else df.loc[int(index)]
                rejections.append(
                    Rejection(
                        table=name,
                        row_key=None if row is None else str(row[KEY_COLUMNS[name]]),
                        file_id=None if row is None else _file_of(row),
                        check=str(case.check),
                        column=_text(case.column),
                        value=_text(case.failure_case),
                    )
                )
                rows.update(df.index if whole_table else [int(index)])
            bad_rows[name] = rows
    good = {name: df.drop(index=list(bad_rows.get(name, ()))) for name, df in frames.items()}
    good = _cascade(frames, good, bad_rows)
    return {
        name: df.drop(columns=[c for c in CHECK_ONLY_COLUMNS if c in df.columns])
        for name, df in good.items()
    }, rejections


def _text(value: object) -> str | None:
    """A failure's column or value as text (None when missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)[:200]


def _file_of(row: pd.Series) -> str | None:
    for column in ("file_id", "article_id", "paragraph_id", "anomaly_id"):
        if column in row and isinstance(row[column], str):
            return row[column][:17]
    return None


def _cascade(
    frames: dict[str, pd.DataFrame],
    good: dict[str, pd.DataFrame],
    bad_rows: dict[str, set[int]],
) -> dict[str, pd.DataFrame]:
    files = frames.get("dim_source_file")
    bad_files = (
        set()
        if files is None
        else set(files.loc[list(bad_rows.get("dim_source_file", ()))]["file_id"])
    )
    articles = frames.get("fact_article")
    bad_articles = (
        set()
        if articles is None
        else set(articles.loc[list(bad_rows.get("fact_article", ()))]["article_id"])
    )
    if not bad_files and not bad_articles:
        return good
    out = {}
    for name, df in good.items():
        keep = pd.Series(True, index=df.index)
        if "file_id" in df.columns:
            keep &= ~df["file_id"].isin(bad_files)
        if "article_id" in df.columns:
            keep &= ~df["article_id"].isin(bad_articles)
            keep &= ~df["article_id"].fillna("").str.slice(0, 17).isin(bad_files)
        out[name] = df[keep]
    return out
