"""Text normalisation shared by parsing, hashing and duplicate detection."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold_width(text: str) -> str:
    """Fold full-width ASCII punctuation, letters and digits to half width (NFKC)."""
    return unicodedata.normalize("NFKC", text)


def normalize_text(text: str) -> str:
    """Comparison form of a text: width folded, whitespace removed."""
    return _SPACE.sub("", fold_width(text))


def text_hash(text: str) -> str:
    """SHA-1 hex digest of the comparison form of a text."""
    return hashlib.sha1(normalize_text(text).encode("utf-8")).hexdigest()
