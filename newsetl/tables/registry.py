"""Pandera contracts, one DataFrameModel per warehouse table, checked before every load."""

from newsetl.tables.articles import ArticleKeywordSchema, ArticleSchema, ParagraphSchema
from newsetl.tables.dimensions import DateSchema, EntitySchema, PersonSchema, SourceFileSchema
from newsetl.tables.links import AnomalySchema, ArticleEntitySchema, ArticlePersonSchema

SCHEMAS = {
    "dim_source_file": SourceFileSchema,
    "dim_date": DateSchema,
    "dim_person": PersonSchema,
    "dim_entity": EntitySchema,
    "fact_article": ArticleSchema,
    "bridge_article_person": ArticlePersonSchema,
    "bridge_article_entity": ArticleEntitySchema,
    "fact_paragraph": ParagraphSchema,
    "fact_article_keyword": ArticleKeywordSchema,
    "dq_anomaly": AnomalySchema,
}

__all__ = ["SCHEMAS"]
