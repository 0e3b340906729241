"""Contracts of the article, paragraph and keyword fact tables."""

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from newsetl.tables import keys, patterns
from newsetl.tables.text import Text


class ArticleSchema(pa.DataFrameModel):
    """fact_article: one row per item (article or photo news) of a page.

    Real pages print items without a headline (a body continued from another page, a
    one-line notice, a captioned photo) and headlines over no text (a photo not printed):
    each is an item, as long as it has a headline, a body or a caption.
    """

    article_id: Series[Text] = pa.Field(unique=True, str_matches=patterns.ARTICLE_ID)
    file_id: Series[Text] = pa.Field(str_matches=patterns.FILE_ID)
    item_no: Series[int] = pa.Field(ge=1)
    kind: Series[Text] = pa.Field(isin=list(patterns.ITEM_KINDS))
    title: Series[Text] = pa.Field(nullable=True, str_length={"min_value": 1, "max_value": 120})
    date_key: Series[pd.Int64Dtype] = pa.Field(
        nullable=True,
        coerce=True,
        ge=patterns.MIN_YEAR * 10000 + 101,
        le=patterns.MAX_YEAR * 10000 + 1231,
    )
    date_confidence: Series[float] = pa.Field(
        nullable=True, coerce=True, in_range={"min_value": 0, "max_value": 1}
    )
    body: Series[Text] = pa.Field()
    n_paragraphs: Series[int] = pa.Field(ge=0)
    n_chars: Series[int] = pa.Field(ge=0)
    n_tokens: Series[int] = pa.Field(ge=0)
    start_offset: Series[int] = pa.Field(ge=0)
    end_offset: Series[int] = pa.Field(ge=0)

    page_chars: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(error="an article's offsets are ordered and inside the raw text")
    @classmethod
    def offsets_inside_text(cls, df):
        return (df["start_offset"] <= df["end_offset"]) & (df["end_offset"] <= df["page_chars"])

    @pa.dataframe_check(error="an item has a headline, a body or a caption")
    @classmethod
    def item_has_text(cls, df):
        titled = df["title"].fillna("").str.strip().str.len().gt(0)
        return titled | df["n_paragraphs"].gt(0) | df["captions"].map(len).gt(0)

    @pa.dataframe_check(error="the body is empty exactly when the item has no paragraph")
    @classmethod
    def body_matches_paragraphs(cls, df):
        return df["body"].eq("") == df["n_paragraphs"].eq(0)

    @pa.dataframe_check(error="the article id extends its file id")
    @classmethod
    def id_extends_file(cls, df):
        return df["article_id"].str.slice(0, keys.FILE_KEY_LENGTH) == df["file_id"]


class ParagraphSchema(pa.DataFrameModel):
    """fact_paragraph: one row per repaired body paragraph."""

    paragraph_id: Series[Text] = pa.Field(unique=True, str_matches=patterns.PARAGRAPH_ID)
    article_id: Series[Text] = pa.Field(str_matches=patterns.ARTICLE_ID)
    file_id: Series[Text] = pa.Field(str_matches=patterns.FILE_ID)
    seq: Series[int] = pa.Field(ge=1)
    text: Series[Text] = pa.Field(str_length={"min_value": 1})
    n_chars: Series[int] = pa.Field(gt=0)
    norm_hash: Series[Text] = pa.Field(str_matches=patterns.SHA1)
    n_tokens: Series[int] = pa.Field(gt=0)
    start_offset: Series[int] = pa.Field(ge=0)
    end_offset: Series[int] = pa.Field(ge=0)
    page_chars: Series[int] = pa.Field(ge=0)

    @pa.dataframe_check(error="a paragraph's offsets are ordered and inside the raw text")
    @classmethod
    def offsets_inside_text(cls, df):
        return (df["start_offset"] <= df["end_offset"]) & (df["end_offset"] <= df["page_chars"])

    @pa.check("text", error="a paragraph is one line (its tokens are stored one per line)")
    @classmethod
    def one_line(cls, text):
        return ~text.str.contains("\n", regex=False)

    @pa.dataframe_check(error="n_chars equals the length of text")
    @classmethod
    def n_chars_matches_text(cls, df):
        return df["text"].str.len() == df["n_chars"]

    @pa.dataframe_check(error="the paragraph id extends its article id")
    @classmethod
    def id_extends_article(cls, df):
        return df["paragraph_id"].str.slice(0, keys.ARTICLE_KEY_LENGTH) == df["article_id"]


class ArticleKeywordSchema(pa.DataFrameModel):
    """fact_article_keyword: ranked keywords of an article by method."""

    article_id: Series[Text] = pa.Field(str_matches=patterns.ARTICLE_ID)
    method: Series[Text] = pa.Field(isin=list(patterns.KEYWORD_METHODS))
    rank: Series[int] = pa.Field(ge=1)
    keyword: Series[Text] = pa.Field(str_length={"min_value": 1, "max_value": 40})
    weight: Series[float] = pa.Field(gt=0)

    class Config:
        unique = ("article_id", "method", "keyword")
