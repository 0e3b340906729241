"""DuckDB DDL and views of the newsetl warehouse, applied in file-name order."""

from pathlib import Path

DDL_DIR = Path(__file__).parent
