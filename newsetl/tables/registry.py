"""The tables a batch loads, in load order (parents before children), each with its key, its
Pandera model and its Great Expectations suite (`newsetl/tables/suites/<name>.json`).

The DDL is in `newsetl/warehouse/migrations`; `tests/test_contracts.py` checks that the
migrated tables, the models and the suites name the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from newsetl.tables.articles import ArticleKeywordSchema, ArticleSchema, ParagraphSchema
from newsetl.tables.dimensions import DateSchema, EntitySchema, PersonSchema, SourceFileSchema
from newsetl.tables.links import (
    AnomalySchema,
    ArticleEntitySchema,
    ArticlePersonSchema,
    PageCopySchema,
)


@dataclass(frozen=True)
class Table:
    """One warehouse table a batch writes."""

    name: str
    model: type[pa.DataFrameModel]
    key: str  # the column a rejected row is named by
    shared: bool = False  # a dimension shared by every file: a key is inserted once
    per_file: bool = True  # its rows belong to one file version (deleted with it)
    # Columns stored but not checked row by row before loading: free text and lists as the
    # parser gave them, flags derived from the anomalies, values set by the load or the DDL.
    unchecked: tuple[str, ...] = ()
    # Unchecked columns that no check reads either: left out of the frame that is validated.
    unread: tuple[str, ...] = ()


TABLES = (
    Table("dim_source_file", SourceFileSchema, "file_id", unchecked=("loaded_run", "loaded_at")),
    Table(
        "dim_date",
        DateSchema,
        "date_key",
        shared=True,
        per_file=False,
        unchecked=("date", "iso_week", "weekday"),
    ),
    Table("dim_person", PersonSchema, "person_id", shared=True, per_file=False),
    Table("dim_entity", EntitySchema, "entity_id", shared=True, per_file=False),
    Table(
        "fact_article",
        ArticleSchema,
        "article_id",
        unchecked=(
            "headline_lines",
            "intertitles",
            "page_banner",
            "dateline",
            "date_text",
            "date_evidence",
            "is_truncated",
            "is_orphan_headline",
            "is_interleaved",
            "n_anomalies",
            "captions",
        ),
    ),
    Table("bridge_article_person", ArticlePersonSchema, "article_id"),
    Table("bridge_article_entity", ArticleEntitySchema, "article_id"),
    Table(
        "fact_paragraph",
        ParagraphSchema,
        "paragraph_id",
        unchecked=("minhash", "token_text"),
        unread=("minhash", "token_text"),
    ),
    Table("fact_article_keyword", ArticleKeywordSchema, "article_id"),
    Table("dq_anomaly", AnomalySchema, "anomaly_id"),
    Table("dq_page_copy", PageCopySchema, "file_id", unchecked=("excerpt",), unread=("excerpt",)),
)
BY_NAME = {t.name: t for t in TABLES}
SCHEMAS = {t.name: t.model for t in TABLES}
KEY_COLUMNS = {t.name: t.key for t in TABLES}
# Lineage tables written with each batch's loads: they grow with every run.
LINEAGE_TABLES = ("etl_file_outcome", "quarantine")
LOAD_ORDER = (*(t.name for t in TABLES), *LINEAGE_TABLES)
# Rows of one file version, children before parents (dim_source_file keeps its versions).
FILE_TABLES = tuple(t.name for t in reversed(TABLES) if t.per_file and t.name != "dim_source_file")
DIMENSION_KEYS = {t.name: t.key for t in TABLES if t.shared}
