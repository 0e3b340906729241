"""Page parser: raw page text to items with repaired paragraphs and located anomalies."""

from __future__ import annotations

import gc
from pathlib import Path

from newsetl.model import Anomaly, Page
from newsetl.parsing.build import build_item
from newsetl.parsing.flags import mixed_width, traditional_chars
from newsetl.parsing.layout import reattach_orphans, resume_interrupted
from newsetl.parsing.lines import page_units
from newsetl.parsing.repairs import ParagraphBuilder
from newsetl.parsing.scan import PageScan
from newsetl.parsing.segment import segment
from newsetl.source.decode import read_page

__all__ = ["parse_file", "parse_page"]


def _owner(items: list, pos: int) -> int | None:
    for k, item in enumerate(items):
        if item.start <= pos < item.end:
            return k
    return None


def parse_page(text: str, source: str = "<text>", encoding: str = "utf-8") -> Page:
    """Parse one decoded page into items and anomalies (offsets into `text`).

    The cyclic garbage collector is paused meanwhile (a parse allocates many short-lived
    objects and keeps no cycles); it is re-enabled afterwards if it was on.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, source, encoding)
    finally:
        if paused:
            gc.enable()


def _parse(text: str, source: str, encoding: str) -> Page:
    scan = PageScan(text)
    drafts = segment(page_units(text))
    resume_interrupted(drafts)
    layout = reattach_orphans(text, drafts)
    drafts = [d for d in drafts if d.frags or d.headline or d.dateline or d.captions]
    drafts.sort(key=lambda d: d.start)
    builder = ParagraphBuilder(text, scan)
    items = [build_item(text, d, builder) for d in drafts]
    items = [it for it in items if it.paragraphs or it.headline_lines or it.captions or it.dateline]
    headlines = [(u.start, u.end) for d in drafts for u in d.headline]
    page_only: list[Anomaly] = mixed_width(text, scan, headlines)
    for a in layout + traditional_chars(text, scan):
        k = _owner(items, a.start)
        if k is None:
            page_only.append(a)
        else:
            items[k].anomalies.append(a)
            items[k].anomalies.sort(key=lambda x: (x.start, x.type))
    every = page_only + [a for it in items for a in it.anomalies]
    every.sort(key=lambda a: (a.start, a.end, a.type))
    return Page(source=source, encoding=encoding, text=text, items=items, anomalies=every)


def parse_file(path: str | Path) -> Page:
    """Decode and parse one page file."""
    text, encoding = read_page(path)
    return parse_page(text, source=str(path), encoding=encoding)
