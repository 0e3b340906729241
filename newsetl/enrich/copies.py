"""Copies a page holds of its own text, found where the page is at hand (when it is loaded):
each block the parser dropped as a repeat, beside the copy it kept, and each long span a
paragraph prints twice. Rows of `dq_page_copy`; the duplicate refresh groups them with the
warehouse's repeated paragraphs (`newsetl.checks.duplicates`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import cache

import numpy as np

from newsetl.enrich.signatures import RepeatedSpan, repeated_spans
from newsetl.language.textnorm import normalize_text, text_hash
from newsetl.tables.keys import group_id

EXCERPT_CHARS = 80
DROPPED_TYPE = "duplicated_block"  # the anomaly of a block the parser dropped

_normal_char = cache(normalize_text)


def _sha1(norm: str) -> str:
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def normal_map(raw: str) -> tuple[str, np.ndarray]:
    """The normalised text of a page and the raw offset of each of its characters.

    Each distinct character is normalised once (into none, one or more characters); the
    page is then mapped in numpy.
    """
    table = {c: _normal_char(c) for c in set(raw)}
    chars = np.array([ord(c) for c in table], dtype=np.uint32)
    order = np.argsort(chars)
    pool = np.frombuffer("".join(table.values()).encode("utf-32-le"), np.uint32)
    sizes = np.fromiter(map(len, table.values()), np.int64, len(table))
    starts, sizes = (np.cumsum(sizes) - sizes)[order], sizes[order]
    at = np.searchsorted(chars[order], np.frombuffer(raw.encode("utf-32-le"), np.uint32))
    n = sizes[at]
    offsets = np.repeat(np.arange(len(raw), dtype=np.int64), n)
    within = np.arange(len(offsets)) - np.repeat(np.cumsum(n) - n, n)
    return pool[np.repeat(starts[at], n) + within].tobytes().decode("utf-32-le"), offsets


def _kept_copy(text: str, norm: str, offsets: np.ndarray, dropped: list[tuple[int, int]]):
    """(start, end, normalised text) of the first copy of dropped `text` left in the page."""
    candidates = [text]
    if len(text) > 2 and text[0] == text[1]:
        candidates.append(text[1:])  # the copy began with a character repeated at a break
    for target in candidates:
        at = norm.find(target)
        while at >= 0:
            start, end = int(offsets[at]), int(offsets[at + len(target) - 1]) + 1
            if not any(s < end and start < e for s, e in dropped):
                return start, end, target
            at = norm.find(target, at + 1)
    return None


def _row(kind: str, role: str, key: str, text: str, file_id: str, start: int, end: int, **ids):
    group_key = ids.get("paragraph_id", "") + key if kind == "span" else key
    return {
        "file_id": file_id,
        "kind": kind,
        "role": role,
        "group_id": group_id(kind, group_key),
        "norm_hash": key,
        "article_id": ids.get("article_id"),
        "paragraph_id": ids.get("paragraph_id"),
        "anomaly_id": ids.get("anomaly_id"),
        "start_offset": start,
        "end_offset": end,
        "n_chars": len(text),
        "excerpt": text[:EXCERPT_CHARS],
    }


def dropped_copies(raw: str, file_id: str, dropped: list[dict], paras: list[dict]) -> list[dict]:
    """The kept and the dropped copy of each block the parser dropped from one page.

    `dropped` are the page's duplicated_block anomalies, `paras` its paragraphs in offset
    order (rows with their ids, offsets and text). The kept copy is the first occurrence of
    the dropped text, normalised, outside every dropped block; a copy the page no longer
    holds exactly is matched with its most similar paragraph.
    """
    norm, offsets = normal_map(raw)
    spans = [(c["start_offset"], c["end_offset"]) for c in dropped]
    out = []
    for copy in dropped:
        start, end = copy["start_offset"], copy["end_offset"]
        n0, n1 = np.searchsorted(offsets, [start, end]).tolist()
        kept = _kept_copy(norm[n0:n1], norm, offsets, spans)
        if kept is not None:
            ks, ke, text = kept
            holder = next((p for p in paras if p["start_offset"] <= ks < p["end_offset"]), None)
        else:
            text = norm[n0:n1]
            holder = max(
                paras,
                key=lambda p: (
                    SequenceMatcher(None, text, normalize_text(p["text"])).find_longest_match().size
                ),
                default=None,
            )
            if holder is None:
                continue
            ks, ke = holder["start_offset"], holder["end_offset"]
            text = normalize_text(holder["text"])
        key = _sha1(text)
        held = {k: holder[k] for k in ("article_id", "paragraph_id")} if holder else {}
        owner = copy["article_id"] or held.get("article_id")
        out.append(_row("paragraph", "paragraph", key, text, file_id, ks, ke, **held))
        out.append(
            _row(
                "paragraph",
                "dropped",
                key,
                text,
                file_id,
                start,
                end,
                article_id=owner,
                anomaly_id=copy["anomaly_id"],
            )
        )
    return out


def _span_copies(p: dict, s: RepeatedSpan, page: str) -> list[dict]:
    """The two copies of one repeated span, placed in the page where they are found."""
    text = p["text"][s.first : s.first + s.length]
    key = text_hash(text)
    r1 = page.find(text, p["start_offset"], p["end_offset"])
    r2 = page.find(text, r1 + len(text), p["end_offset"]) if r1 >= 0 else -1
    ids = {"article_id": p["article_id"], "paragraph_id": p["paragraph_id"]}
    return [
        _row("span", "span", key, text, p["file_id"], *place, **ids)
        for place in (
            (r, r + len(text)) if r >= 0 else (p["start_offset"], p["end_offset"]) for r in (r1, r2)
        )
    ]


def _page_order(p: dict) -> tuple[str, int, str]:
    return p["file_id"], p["start_offset"], p["paragraph_id"]


def page_copies(
    pages: Iterable[dict], paragraphs: list[dict], anomalies: Iterable[dict]
) -> list[dict]:
    """The dq_page_copy rows of some pages, numbered per page: its dropped blocks' copies in
    offset order, then its repeated spans in paragraph order.

    `pages` need `file_id` and `raw_text`; `paragraphs` and `anomalies` are the pages' rows.
    """
    by_page: dict[str, list[dict]] = {}
    for a in anomalies:
        if a["type"] == DROPPED_TYPE:
            by_page.setdefault(a["file_id"], []).append(a)
    in_order = sorted(
        paragraphs, key=lambda p: (p["file_id"], p["start_offset"], p["paragraph_id"])
    )
    paras_of: dict[str, list[dict]] = {}
    for p in in_order:
        paras_of.setdefault(p["file_id"], []).append(p)
    spans_of: dict[str, list[tuple[dict, RepeatedSpan]]] = {}
    for s in repeated_spans([p["text"] for p in in_order]):
        p = in_order[s.index]
        spans_of.setdefault(p["file_id"], []).append((p, s))
    out = []
    for page in pages:
        fid, raw = page["file_id"], page["raw_text"]
        rows = []
        if fid in by_page:
            dropped = sorted(by_page[fid], key=lambda a: (a["start_offset"], a["anomaly_id"]))
            rows += dropped_copies(raw, fid, dropped, paras_of.get(fid, []))
        for p, s in spans_of.get(fid, ()):
            rows += _span_copies(p, s, raw)
        out += [{**row, "copy_no": n} for n, row in enumerate(rows, start=1)]
    return out
