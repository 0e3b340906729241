"""Contracts of the dimension tables."""

import pandera.pandas as pa
from pandera.typing import Series

from newsetl.tables import patterns
from newsetl.tables.text import Text


class SourceFileSchema(pa.DataFrameModel):
    """dim_source_file: one row per page file version, raw text verbatim."""

    file_id: Series[Text] = pa.Field(unique=True, str_matches=patterns.FILE_ID)
    path: Series[Text] = pa.Field(str_length={"min_value": 1})
    sha256: Series[Text] = pa.Field(str_matches=patterns.SHA256)
    size_bytes: Series[int] = pa.Field(gt=0)
    encoding: Series[Text] = pa.Field(isin=list(patterns.ENCODINGS))
    raw_text: Series[Text] = pa.Field(str_length={"min_value": 1})
    n_chars: Series[int] = pa.Field(gt=0)
    n_items: Series[int] = pa.Field(ge=0)
    status: Series[Text] = pa.Field(isin=list(patterns.FILE_STATUSES))

    @pa.dataframe_check(error="n_chars equals the length of raw_text")
    @classmethod
    def n_chars_matches_text(cls, df):
        return df["raw_text"].str.len() == df["n_chars"]


class DateSchema(pa.DataFrameModel):
    """dim_date: one row per calendar date articles refer to."""

    date_key: Series[int] = pa.Field(
        ge=patterns.MIN_YEAR * 10000 + 101, le=patterns.MAX_YEAR * 10000 + 1231
    )
    year: Series[int] = pa.Field(
        in_range={"min_value": patterns.MIN_YEAR, "max_value": patterns.MAX_YEAR}
    )
    month: Series[int] = pa.Field(in_range={"min_value": 1, "max_value": 12})
    day: Series[int] = pa.Field(in_range={"min_value": 1, "max_value": 31})

    @pa.dataframe_check(error="date_key is yyyymmdd of year, month and day")
    @classmethod
    def key_matches_parts(cls, df):
        return df["date_key"] == df["year"] * 10000 + df["month"] * 100 + df["day"]


class PersonSchema(pa.DataFrameModel):
    """dim_person: people named in bylines."""

    person_id: Series[Text] = pa.Field(str_matches=patterns.PERSON_ID)
    name: Series[Text] = pa.Field(str_matches=patterns.PERSON_NAME)


class EntitySchema(pa.DataFrameModel):
    """dim_entity: people, places and organisations named in the text."""

    entity_id: Series[Text] = pa.Field(str_matches=patterns.ENTITY_ID)
    name: Series[Text] = pa.Field(str_length={"min_value": 2, "max_value": 40})
    entity_type: Series[Text] = pa.Field(isin=list(patterns.ENTITY_TYPES))
