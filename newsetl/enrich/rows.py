"""Warehouse rows of parsed pages: one pyarrow table per warehouse table."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from newsetl.enrich import copies, keywords, signatures
from newsetl.language import tokens
from newsetl.language.textnorm import text_hash
from newsetl.model import Page, severity
from newsetl.tables import keys

ROLES = {
    "reporters": "reporter",
    "correspondents": "correspondent",
    "interns": "intern",
    "photographers": "photographer",
}


@dataclass(frozen=True)
class SourceFile:
    """A page file as read from the folder."""

    path: str
    sha256: str
    size_bytes: int


@dataclass
class Batch:
    """Rows of a batch of pages, accumulated per table."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    # (article id, tokens) of the articles whose keywords are still to be ranked
    unranked: list[tuple[str, list[str]]] = field(default_factory=list)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows[table].append(row)

    def extend(self, other: Batch) -> None:
        """Append every row of another batch."""
        for table, rows in other.rows.items():
            self.rows[table].extend(rows)
        self.unranked.extend(other.unranked)

    def sign_paragraphs(self) -> None:
        """Give every paragraph row its MinHash signature (for the near-duplicate search)."""
        unsigned = [r for r in self.rows["fact_paragraph"] if "minhash" not in r]
        for row, sig in zip(
            unsigned, signatures.signatures([r["text"] for r in unsigned]), strict=True
        ):
            row["minhash"] = sig

    def find_copies(self) -> None:
        """Add the copies each page holds of its own text (dq_page_copy)."""
        pages = self.rows["dim_source_file"]
        chars = {p["file_id"]: p["n_chars"] for p in pages}
        found = copies.page_copies(pages, self.rows["fact_paragraph"], self.rows["dq_anomaly"])
        for row in found:
            self.add("dq_page_copy", {**row, "page_chars": chars[row["file_id"]]})

    def rank_keywords(self) -> None:
        """Add the TF-IDF keywords of every unranked article, all at once.

        TextRank runs after the ingest, over the loaded articles (`warehouse.textrank`).
        """
        ranked = keywords.tfidf_many([words for _, words in self.unranked])
        for (aid, _), words in zip(self.unranked, ranked, strict=True):
            for rank, (word, weight) in enumerate(words, start=1):
                self.add(
                    "fact_article_keyword",
                    {
                        "article_id": aid,
                        "method": "tfidf",
                        "rank": rank,
                        "keyword": word,
                        "weight": weight,
                    },
                )
        self.unranked = []

    def frames(self) -> dict[str, pd.DataFrame]:
        """One DataFrame per warehouse table that has rows."""
        return {name: pd.DataFrame(rows) for name, rows in self.rows.items() if rows}

    def tables(self) -> dict[str, pa.Table]:
        """One Arrow table per warehouse table that has rows (a table's rows share their keys)."""
        return {name: pa.Table.from_pylist(rows) for name, rows in self.rows.items() if rows}


def add_page(batch: Batch, src: SourceFile, page: Page, run_id: str, now: dt.datetime) -> float:
    """Append the rows of one parsed page to a batch; return the seconds spent segmenting.

    Keywords wait for `Batch.rank_keywords`, which ranks a whole batch at once.
    """
    segmenting = 0.0
    fid = keys.file_id(src.path, src.sha256)
    batch.add(
        "dim_source_file",
        {
            "file_id": fid,
            "path": src.path,
            "sha256": src.sha256,
            "size_bytes": src.size_bytes,
            "encoding": page.encoding,
            "raw_text": page.text,
            "n_chars": len(page.text),
            "n_items": len(page.items),
            "status": "current",
            "loaded_run": run_id,
            "loaded_at": now,
        },
    )
    anomaly_owner: dict[tuple[str, int, int], str] = {}
    for item_no, item in enumerate(page.items, start=1):
        aid = keys.article_id(fid, item_no)
        for a in item.anomalies:
            anomaly_owner[(a.type, a.start, a.end)] = aid
        tagged_all: list[tuple[str, str]] = []
        words_all: list[str] = []
        for seq, para in enumerate(item.paragraphs, start=1):
            started = time.perf_counter()
            tagged = tokens.tag(para.text)
            segmenting += time.perf_counter() - started
            words = [w for w, _ in tagged]
            tagged_all.extend(tagged)
            words_all.extend(words)
            spans = para.spans or [(item.start, item.start)]
            batch.add(
                "fact_paragraph",
                {
                    "paragraph_id": keys.paragraph_id(aid, seq),
                    "article_id": aid,
                    "file_id": fid,
                    "seq": seq,
                    "text": para.text,
                    "n_chars": len(para.text),
                    "norm_hash": text_hash(para.text),
                    "token_text": "\n".join(words),
                    "n_tokens": len(words),
                    "start_offset": spans[0][0],
                    "end_offset": spans[-1][1],
                    "page_chars": len(page.text),
                },
            )
        date_key = None
        if item.date:
            date_key = keys.date_key(item.date)
            d = dt.date.fromisoformat(item.date)
            batch.add(
                "dim_date",
                {
                    "date_key": date_key,
                    "date": d,
                    "year": d.year,
                    "month": d.month,
                    "day": d.day,
                    "iso_week": d.isocalendar().week,
                    "weekday": d.strftime("%A"),
                    "source_file_id": fid,
                },
            )
        types = {a.type for a in item.anomalies}
        batch.add(
            "fact_article",
            {
                "article_id": aid,
                "file_id": fid,
                "item_no": item_no,
                "kind": item.kind,
                "title": item.title,
                "headline_lines": list(item.headline_lines),
                "intertitles": list(item.intertitles),
                "page_banner": item.page_banner,
                "dateline": item.dateline,
                "date_text": item.date_text,
                "date_key": date_key,
                "date_confidence": item.date_confidence,
                "date_evidence": item.date_evidence,
                "body": item.body,
                "captions": list(item.captions),
                "n_paragraphs": len(item.paragraphs),
                "n_chars": len(item.body),
                "n_tokens": len(words_all),
                "start_offset": item.start,
                "end_offset": item.end,
                "is_truncated": "truncated_article" in types,
                "is_orphan_headline": "orphan_headline" in types,
                "is_interleaved": "interleaved_article" in types,
                "n_anomalies": len(item.anomalies),
                "page_chars": len(page.text),
            },
        )
        seen_people: set[tuple[str, str]] = set()
        for attr, role in ROLES.items():
            for name in getattr(item, attr):
                if (name, role) in seen_people:
                    continue
                seen_people.add((name, role))
                pid = keys.person_id(name)
                batch.add("dim_person", {"person_id": pid, "name": name, "source_file_id": fid})
                batch.add(
                    "bridge_article_person", {"article_id": aid, "person_id": pid, "role": role}
                )
        started = time.perf_counter()
        names = tokens.entities(tagged_all)
        batch.unranked.append((aid, words_all))
        segmenting += time.perf_counter() - started
        for (name, etype), mentions in sorted(names.items()):
            eid = keys.entity_id(name, etype)
            batch.add(
                "dim_entity",
                {"entity_id": eid, "name": name, "entity_type": etype, "source_file_id": fid},
            )
            batch.add(
                "bridge_article_entity", {"article_id": aid, "entity_id": eid, "mentions": mentions}
            )
    for n, a in enumerate(sorted(page.anomalies, key=lambda a: (a.start, a.end, a.type)), 1):
        batch.add(
            "dq_anomaly",
            {
                "anomaly_id": keys.anomaly_id(fid, n),
                "file_id": fid,
                "article_id": anomaly_owner.get((a.type, a.start, a.end)),
                "type": a.type,
                "severity": severity(a.type),
                "start_offset": a.start,
                "end_offset": a.end,
                "excerpt": a.excerpt,
                "detail": a.detail,
                "page_chars": len(page.text),
            },
        )
    return segmenting
