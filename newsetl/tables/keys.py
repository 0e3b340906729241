"""Deterministic surrogate keys: the same content always gets the same key."""

from __future__ import annotations

import hashlib

FILE_HEX = 16  # hex digits of a file key after its "f"
GROUP_HEX = 16  # hex digits of a duplicate group's key after its "g"
NAME_HEX = 12  # hex digits of a person or entity key after its letter
SEQ_DIGITS = 3  # digits of an item's or a paragraph's number in its key
FILE_KEY_LENGTH = 1 + FILE_HEX  # f0123456789abcdef
ARTICLE_KEY_LENGTH = FILE_KEY_LENGTH + 1 + SEQ_DIGITS  # f0123456789abcdef:001


def file_of(key: str) -> str:
    """The file key an article, paragraph or anomaly key starts with."""
    return key[:FILE_KEY_LENGTH]


def _hex(*parts: str, n: int) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:n]


def file_id(path: str, sha256: str) -> str:
    """Key of one version of one page file."""
    return "f" + _hex(path, sha256, n=FILE_HEX)


def article_id(file_key: str, item_no: int) -> str:
    """Key of an item of a file version."""
    return f"{file_key}:{item_no:0{SEQ_DIGITS}d}"


def paragraph_id(article_key: str, seq: int) -> str:
    """Key of a paragraph of an item."""
    return f"{article_key}:{seq:0{SEQ_DIGITS}d}"


def anomaly_id(file_key: str, n: int) -> str:
    """Key of an anomaly of a file version."""
    return f"{file_key}:a{n:04d}"


def person_id(name: str) -> str:
    """Key of a person, by name."""
    return "p" + _hex(name, n=NAME_HEX)


def entity_id(name: str, entity_type: str) -> str:
    """Key of a named place, organisation or person found in the text."""
    return "e" + _hex(entity_type, name, n=NAME_HEX)


def group_id(kind: str, group_key: str) -> str:
    """Key of a duplicate group: its kind and key (a normalised-text hash, for a span
    prefixed by its paragraph)."""
    return "g" + _hex(kind, group_key, n=GROUP_HEX)


def date_key(iso_date: str) -> int:
    """yyyymmdd key of an ISO date."""
    return int(iso_date.replace("-", ""))
