"""Rebuilding paragraphs: column-break joins, repeated characters at breaks, repeated copies."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from newsetl.model import Anomaly
from newsetl.parsing import patterns as P
from newsetl.parsing.lines import Unit
from newsetl.parsing.repeats import accidental_pair
from newsetl.textnorm import normalize_text

NEAR_DUPLICATE = 0.9
MIN_DUPLICATE = 8


@dataclass
class Para:
    """A paragraph being assembled, with a page offset for every character."""

    text: str = ""
    offsets: list[int] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    anchor: int = 0  # where the printed paragraph starts (its dateline, if any)

    def add(self, text: str, start: int) -> None:
        self.text += text
        self.offsets.extend(range(start, start + len(text)))
        self.spans.append((start, start + len(text)))


class ParagraphBuilder:
    """Assembles one item's fragments into repaired paragraphs; shares seen copies page-wide."""

    def __init__(self, page: str, seen: list[str]) -> None:
        self.page = page
        self.seen = seen  # normalised fragments already accepted on the page
        self.anomalies: list[Anomaly] = []

    def _flag(self, kind: str, start: int, end: int, detail: str) -> None:
        start, end = max(0, start), min(len(self.page), end)
        self.anomalies.append(Anomaly(kind, start, end, self.page[start:end], detail))

    def _is_copy(self, norm: str, item_text: str) -> bool:
        if len(norm) < MIN_DUPLICATE:
            return False
        if norm in item_text or norm in self.seen:
            return True
        for other in self.seen:
            if abs(len(other) - len(norm)) <= 0.15 * len(norm):
                sm = SequenceMatcher(None, norm, other, autojunk=False)
                if sm.quick_ratio() >= NEAR_DUPLICATE and sm.ratio() >= NEAR_DUPLICATE:
                    return True
        return False

    def build(self, frags: list[Unit], anchor: int | None) -> tuple[list[Para], list[str]]:
        """Paragraphs and intertitles of one item."""
        paras: list[Para] = []
        intertitles: list[str] = []
        item_norm = ""
        open_para: Para | None = None
        for unit in frags:
            if unit.kind == "intertitle":
                intertitles.append(unit.text)
                open_para = None
                continue
            text, start = unit.text, unit.start
            if len(text) >= 3 and accidental_pair(text, 0):
                self._flag("join_char_repeat", start, start + 2, f"{text[0]} printed twice")
                text, start = text[1:], start + 1
            elif open_para is not None and open_para.text and text[:1] == open_para.text[-1]:
                joined = open_para.text[-6:] + text[:8]
                k = len(open_para.text[-6:]) - 1
                if accidental_pair(joined, k):
                    prev_end = open_para.spans[-1][1]
                    self._flag("join_char_repeat", prev_end - 1, start + 1, f"{text[0]} repeated")
                    text, start = text[1:], start + 1
            norm = normalize_text(text)
            if self._is_copy(norm, item_norm):
                self._flag("duplicated_block", unit.start, unit.end, "repeated copy dropped")
                continue
            item_norm += norm
            self.seen.append(norm)
            if open_para is not None:
                prev_end = open_para.spans[-1][1]
                self._flag(
                    "broken_paragraph",
                    max(prev_end - 8, 0),
                    start + 8,
                    "paragraph re-joined across a column break",
                )
                open_para.add(text, start)
            else:
                open_para = Para(anchor=anchor if anchor is not None and not paras else start)
                open_para.add(text, start)
                paras.append(open_para)
            if P.ends_sentence(open_para.text):
                open_para = None
        return [p for p in paras if p.text], intertitles
