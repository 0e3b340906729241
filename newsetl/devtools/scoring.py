"""Scoring parse output against a gold file (the seeds_gold.json format)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsetl.language.textnorm import normalize_text
from newsetl.model import ANOMALY_TYPES, Item, Page
from newsetl.parsing import parse_file

FIELDS = (
    "headline_lines",
    "reporters",
    "correspondents",
    "interns",
    "photographers",
    "date_text",
    "kind",
)
NEAR = 40
ONE_PER_PAGE = {"mixed_punctuation_width"}
# How far into a parsed body the gold's first characters may start (a short deck or label
# before the lead is either reading of the item).
LEAD_WINDOW = 40
_QUOTE = str.maketrans({c: '"' for c in "“”„‟「」『』〝〞＂"} | {c: "'" for c in "‘’‚‛"})


@dataclass
class Score:
    """Counts behind item precision / recall, field accuracy and anomaly recall."""

    gold_items: int = 0
    parsed_items: int = 0
    matched_items: int = 0
    field_right: Counter = field(default_factory=Counter)
    gold_anomalies: Counter = field(default_factory=Counter)
    found_anomalies: Counter = field(default_factory=Counter)
    reported_anomalies: Counter = field(default_factory=Counter)
    explained_anomalies: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    unexplained: list[str] = field(default_factory=list)
    pages: dict[str, Score] = field(default_factory=dict)

    def add(self, other: Score) -> None:
        self.gold_items += other.gold_items
        self.parsed_items += other.parsed_items
        self.matched_items += other.matched_items
        self.field_right.update(other.field_right)
        self.gold_anomalies.update(other.gold_anomalies)
        self.found_anomalies.update(other.found_anomalies)
        self.reported_anomalies.update(other.reported_anomalies)
        self.explained_anomalies.update(other.explained_anomalies)
        self.misses.extend(other.misses)
        self.unexplained.extend(other.unexplained)
        self.pages.update(other.pages)

    @property
    def precision(self) -> float:
        return self.matched_items / self.parsed_items if self.parsed_items else 0.0

    @property
    def recall(self) -> float:
        return self.matched_items / self.gold_items if self.gold_items else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def field_accuracy(self, name: str) -> float:
        return self.field_right[name] / self.matched_items if self.matched_items else 0.0

    @property
    def anomaly_recall(self) -> float:
        total = sum(self.gold_anomalies.values())
        return sum(self.found_anomalies.values()) / total if total else 1.0

    def type_recall(self, kind: str) -> float:
        n = self.gold_anomalies[kind]
        return self.found_anomalies[kind] / n if n else 1.0

    @property
    def anomaly_precision(self) -> float:
        """Share of reported anomalies that a gold anomaly of the same type explains."""
        total = sum(self.reported_anomalies.values())
        return sum(self.explained_anomalies.values()) / total if total else 1.0

    def type_precision(self, kind: str) -> float:
        n = self.reported_anomalies[kind]
        return self.explained_anomalies[kind] / n if n else 1.0

    def false_flags(self, kinds: set[str]) -> int:
        """Reported anomalies of these types that no gold anomaly explains."""
        return sum(self.reported_anomalies[t] - self.explained_anomalies[t] for t in kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": {
                "gold": self.gold_items,
                "parsed": self.parsed_items,
                "matched": self.matched_items,
                "precision": round(self.precision, 4),
                "recall": round(self.recall, 4),
                "f1": round(self.f1, 4),
            },
            "fields": {f: round(self.field_accuracy(f), 4) for f in FIELDS},
            "anomalies": {
                "recall": round(self.anomaly_recall, 4),
                "precision": round(self.anomaly_precision, 4),
                "by_type": {
                    t: [self.found_anomalies[t], n] for t, n in sorted(self.gold_anomalies.items())
                },
                "reported_by_type": {
                    t: [self.explained_anomalies[t], n]
                    for t, n in sorted(self.reported_anomalies.items())
                },
            },
            "pages": {name: round(p.f1, 4) for name, p in self.pages.items()},
            "misses": self.misses,
            "unexplained": self.unexplained,
        }


def _norm(text: str) -> str:
    """Comparison form: width folded, whitespace and `#` marks removed, quotes unified."""
    return normalize_text(text).replace("#", "").translate(_QUOTE)


def _field(item: Item | dict[str, Any], name: str) -> Any:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    if name == "headline_lines":  # kicker, title, subtitle and banner, in any order
        banner = get("page_banner")
        return sorted(
            {_norm(x) for x in ([banner] if banner else []) + list(get("headline_lines"))}
        )
    value = get(name)
    if isinstance(value, list):
        return sorted(value)
    return _norm(value) if isinstance(value, str) else value


def _occurrences(text: str, snippet: str) -> list[tuple[int, int]]:
    spots: list[tuple[int, int]] = []
    for variant in {snippet, snippet.replace("\n", "\r\n")}:
        spots += [
            (m.start(), m.start() + len(variant)) for m in re.finditer(re.escape(variant), text)
        ]
    return spots


def _matches(body: str, first: str, last: str, strict: bool) -> bool:
    """The body ends with the gold's last characters and starts with its first ones (or,
    unless strict, holds them within its first LEAD_WINDOW characters)."""
    if not body.endswith(last):
        return False
    return body.startswith(first) if strict else first in body[: LEAD_WINDOW + len(first)]


def score_page(page: Page, gold: dict[str, Any], strict: bool = False) -> Score:
    """Score one parsed page against its gold entry."""
    s = Score(gold_items=len(gold["items"]), parsed_items=len(page.items))
    bodies = [_norm(it.body) for it in page.items]
    used: set[int] = set()
    for g in gold["items"]:
        first, last = _norm(g["body_first"]), _norm(g["body_last"])
        k = next(
            (k for k, b in enumerate(bodies) if k not in used and _matches(b, first, last, strict)),
            None,
        )
        if k is None:
            s.misses.append(f"{page.source}: item not found: {g['body_first']}…{g['body_last']}")
            continue
        used.add(k)
        s.matched_items += 1
        for name in FIELDS:
            if _field(page.items[k], name) == _field(g, name):
                s.field_right[name] += 1
            else:
                s.misses.append(
                    f"{page.source}: {name} of {g['body_first'][:10]}: "
                    f"{_field(page.items[k], name)} != {_field(g, name)}"
                )
    gold_spots: dict[str, list[tuple[int, int]]] = {}
    for a in gold.get("anomalies", []):
        if a["type"] not in ANOMALY_TYPES:
            continue
        s.gold_anomalies[a["type"]] += 1
        spots = _occurrences(page.text, a["snippet"])
        gold_spots.setdefault(a["type"], []).extend(spots)
        need = 1 if a["type"] in ONE_PER_PAGE else a.get("count", 1)
        near = [
            x
            for x in page.anomalies
            if x.type == a["type"]
            and any(x.start <= e + NEAR and x.end >= b - NEAR for b, e in spots)
        ]
        if spots and len(near) >= need:
            s.found_anomalies[a["type"]] += 1
        else:
            s.misses.append(
                f"{page.source}: anomaly {a['type']} x{need} at {a['snippet']!r}: {len(near)} near"
                + ("" if spots else " (snippet not in page)")
            )
    for x in page.anomalies:
        s.reported_anomalies[x.type] += 1
        spots = gold_spots.get(x.type, [])
        if (x.type in ONE_PER_PAGE and x.type in gold_spots) or any(
            x.start <= e + NEAR and x.end >= b - NEAR for b, e in spots
        ):
            s.explained_anomalies[x.type] += 1
        else:
            s.unexplained.append(f"{page.source}: {x.type} at {x.start}: {x.excerpt!r} {x.detail}")
    return s


def score_corpus(gold_path: str | Path, pages_dir: str | Path, strict: bool = False) -> Score:
    """Parse every page named in the gold file and add up the scores (kept per page too)."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    total = Score()
    for name, entry in gold["files"].items():
        page = score_page(parse_file(Path(pages_dir) / name), entry, strict)
        total.add(page)
        total.pages[name] = page
    return total


def format_table(score: Score, per_page: bool = False) -> str:
    """A plain-text report of a score; with `per_page`, each page's item F1 too."""
    repairs = {"broken_paragraph", "join_char_repeat", "duplicated_block"}
    rows = [
        f"items     gold {score.gold_items}  parsed {score.parsed_items}  "
        f"matched {score.matched_items}",
        f"item P/R/F1  {score.precision:.3f} / {score.recall:.3f} / {score.f1:.3f}",
        "field accuracy (matched items):",
        *(f"  {f:<16}{score.field_accuracy(f):.3f}" for f in FIELDS),
        f"anomaly recall  {score.anomaly_recall:.3f}   (found / injected or labelled)",
        *(
            f"  {t:<26}{score.found_anomalies[t]}/{n}  {score.type_recall(t):.3f}"
            for t, n in sorted(score.gold_anomalies.items())
        ),
        f"anomaly precision  {score.anomaly_precision:.3f}   (explained by gold / reported)",
        *(
            f"  {t:<26}{score.explained_anomalies[t]}/{n}  {score.type_precision(t):.3f}"
            for t, n in sorted(score.reported_anomalies.items())
        ),
        f"false flags of types other than {', '.join(sorted(repairs))}: "
        f"{score.false_flags(set(score.reported_anomalies) - repairs)}",
    ]
    if per_page:
        rows.append("item F1 per page:")
        rows += [
            f"  {name:<28}{p.f1:.3f}  "
            f"({p.matched_items} of {p.gold_items}, {p.parsed_items} parsed)"
            for name, p in score.pages.items()
        ]
    return "\n".join(rows)
