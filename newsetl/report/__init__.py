"""Stage 6, the data-quality report (HTML, offline)."""
