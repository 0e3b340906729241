"""Deterministic surrogate keys: the same content always gets the same key."""

from __future__ import annotations

import hashlib


def _hex(*parts: str, n: int) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:n]


def file_id(path: str, sha256: str) -> str:
    """Key of one version of one page file."""
    return "f" + _hex(path, sha256, n=16)


def article_id(file_key: str, item_no: int) -> str:
    """Key of an item of a file version."""
    return f"{file_key}:{item_no:03d}"


def paragraph_id(article_key: str, seq: int) -> str:
    """Key of a paragraph of an item."""
    return f"{article_key}:{seq:03d}"


def anomaly_id(file_key: str, n: int) -> str:
    """Key of an anomaly of a file version."""
    return f"{file_key}:a{n:04d}"


def person_id(name: str) -> str:
    """Key of a person, by name."""
    return "p" + _hex(name, n=12)


def entity_id(name: str, entity_type: str) -> str:
    """Key of a named place, organisation or person found in the text."""
    return "e" + _hex(entity_type, name, n=12)


def date_key(iso_date: str) -> int:
    """yyyymmdd key of an ISO date."""
    return int(iso_date.replace("-", ""))
