"""The parse result of one page: items, anomalies and their offsets."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ItemKind = Literal["article", "photo"]

ANOMALY_TYPES = (
    "duplicated_block",
    "near_duplicate",
    "join_char_repeat",
    "broken_paragraph",
    "orphan_headline",
    "headless_article",
    "interleaved_article",
    "truncated_article",
    "traditional_chars",
    "inline_char_repeat",
    "unbalanced_quotes",
    "image_placeholder",
    "mixed_punctuation_width",
    "encoding_repaired",
    "missing_dateline",
    "undated",
)

# Anomaly types that mean the text as printed is wrong, not just repaired; and those that
# only record a repair or a trait of the page.
ERROR_TYPES = frozenset({"truncated_article", "encoding_repaired"})
INFO_TYPES = frozenset({"mixed_punctuation_width", "image_placeholder", "broken_paragraph"})


def severity(anomaly_type: str) -> str:
    """Severity of an anomaly type: error, warning or info."""
    if anomaly_type in ERROR_TYPES:
        return "error"
    return "info" if anomaly_type in INFO_TYPES else "warning"


@dataclass
class Anomaly:
    """One repair or flag, located by character offsets into the decoded page text."""

    type: str
    start: int
    end: int
    excerpt: str
    detail: str = ""


@dataclass
class Paragraph:
    """One repaired body paragraph and the page spans it was assembled from."""

    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Item:
    """One article or photo item of a page."""

    kind: ItemKind
    title: str | None = None
    headline_lines: list[str] = field(default_factory=list)
    page_banner: str | None = None
    dateline: str | None = None
    reporters: list[str] = field(default_factory=list)
    correspondents: list[str] = field(default_factory=list)
    interns: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)
    date_text: str | None = None
    date: str | None = None
    date_confidence: float | None = None
    date_evidence: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    anomalies: list[Anomaly] = field(default_factory=list)
    intertitles: list[str] = field(default_factory=list)  # section heads inside the body

    @property
    def body(self) -> str:
        """Reading text: the repaired paragraphs joined by newlines."""
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class Page:
    """A decoded page and everything parsed from it."""

    source: str
    encoding: str
    text: str
    items: list[Item] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `newsetl parse` JSON contract (paragraphs as strings)."""
        items = []
        for item in self.items:
            d = asdict(item)
            d["paragraphs"] = [p.text for p in item.paragraphs]
            d["paragraph_spans"] = [p.spans for p in item.paragraphs]
            items.append(d)
        return {
            "source": self.source,
            "encoding": self.encoding,
            "items": items,
            "anomalies": [asdict(a) for a in self.anomalies],
        }
