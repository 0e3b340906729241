"""Contracts of the bridge tables, of the anomalies found in pages and of the copies a page
holds of its own text."""

import pandera.pandas as pa
from pandera.typing import Series

from newsetl.model import ANOMALY_TYPES
from newsetl.tables import patterns
from newsetl.tables.text import Text


class ArticlePersonSchema(pa.DataFrameModel):
    """bridge_article_person: who wrote, reported or photographed an item."""

    article_id: Series[Text] = pa.Field(str_matches=patterns.ARTICLE_ID)
    person_id: Series[Text] = pa.Field(str_matches=patterns.PERSON_ID)
    role: Series[Text] = pa.Field(isin=list(patterns.BYLINE_ROLES))

    class Config:
        unique = ("article_id", "person_id", "role")


class ArticleEntitySchema(pa.DataFrameModel):
    """bridge_article_entity: names mentioned in an article and how often."""

    article_id: Series[Text] = pa.Field(str_matches=patterns.ARTICLE_ID)
    entity_id: Series[Text] = pa.Field(str_matches=patterns.ENTITY_ID)
    mentions: Series[int] = pa.Field(ge=1)

    class Config:
        unique = ("article_id", "entity_id")


class AnomalySchema(pa.DataFrameModel):
    """dq_anomaly: anomalies found while parsing, located in the raw text."""

    anomaly_id: Series[Text] = pa.Field(unique=True, str_matches=patterns.ANOMALY_ID)
    file_id: Series[Text] = pa.Field(str_matches=patterns.FILE_ID)
    article_id: Series[Text] = pa.Field(nullable=True, str_matches=patterns.ARTICLE_ID)
    type: Series[Text] = pa.Field(isin=list(ANOMALY_TYPES))
    severity: Series[Text] = pa.Field(isin=["error", "warning", "info"])
    start_offset: Series[int] = pa.Field(ge=0)
    end_offset: Series[int] = pa.Field(ge=0)
    excerpt: Series[Text] = pa.Field()
    detail: Series[Text] = pa.Field()
    page_chars: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(error="an anomaly's offsets are ordered and inside the raw text")
    @classmethod
    def offsets_inside_text(cls, df):
        return (df["start_offset"] <= df["end_offset"]) & (df["end_offset"] <= df["page_chars"])


class PageCopySchema(pa.DataFrameModel):
    """dq_page_copy: each copy a page holds of its own text, located in the raw text."""

    file_id: Series[Text] = pa.Field(str_matches=patterns.FILE_ID)
    copy_no: Series[int] = pa.Field(ge=1)
    kind: Series[Text] = pa.Field(isin=list(patterns.COPY_KINDS))
    role: Series[Text] = pa.Field(isin=list(patterns.COPY_ROLES))
    group_id: Series[Text] = pa.Field(str_matches=patterns.GROUP_ID)
    norm_hash: Series[Text] = pa.Field(str_matches=patterns.SHA1)
    article_id: Series[Text] = pa.Field(nullable=True, str_matches=patterns.ARTICLE_ID)
    paragraph_id: Series[Text] = pa.Field(nullable=True, str_matches=patterns.PARAGRAPH_ID)
    anomaly_id: Series[Text] = pa.Field(nullable=True, str_matches=patterns.ANOMALY_ID)
    start_offset: Series[int] = pa.Field(ge=0)
    end_offset: Series[int] = pa.Field(ge=0)
    n_chars: Series[int] = pa.Field(ge=1)
    page_chars: Series[int] = pa.Field(ge=0)

    class Config:
        unique = ("file_id", "copy_no")

    @pa.dataframe_check(error="a copy's offsets are ordered and inside the raw text")
    @classmethod
    def offsets_inside_text(cls, df):
        return (df["start_offset"] <= df["end_offset"]) & (df["end_offset"] <= df["page_chars"])
