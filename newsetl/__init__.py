"""newsetl: ETL with data-quality checks for Chinese local-newspaper pages."""

__version__ = "0.1.0"
