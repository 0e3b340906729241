"""Generating unseen pages (with their gold) from the seed items.

Items taken from the seed pages are shuffled across new pages; each page gets its own
punctuation width, heading marks, encoding and line endings, and known damage is injected
at known places: column breaks inside sentences, a character repeated at a break, a repeated
paragraph. The gold has the same format as seeds_gold.json, so the same scorer applies.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rjieba

from newsetl.parsing import parse_file
from newsetl.parsing import patterns as P
from newsetl.parsing.repeats import REDUPLICATED
from newsetl.textnorm import normalize_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT.parent / "shared" / "gold" / "seeds_gold.json"
ENCODINGS = (("utf-8", 5), ("utf-8-sig", 2), ("utf-16", 1), ("gb18030", 2))
_TO_HALF = str.maketrans("，；：（）！？", ",;:()!?")
_TO_FULL = str.maketrans(",;:()!?", "，；：（）！？")
_FIELDS = ("reporters", "correspondents", "interns", "photographers")


@dataclass
class PoolItem:
    """One seed item as printed parts: headline block, dateline, paragraphs, credit."""

    kind: str
    headline_lines: list[str]
    page_banner: str | None
    dateline: str | None
    people: dict[str, list[str]]
    date_text: str | None
    paragraphs: list[str]
    closing: str | None = None  # closing byline or photo credit line
    caption: str | None = None  # photo caption with credit printed inside an article


@dataclass
class _Page:
    lines: list[str] = field(default_factory=list)
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)


def _closing(g: dict[str, Any]) -> str | None:
    if g["kind"] == "photo":
        return " ".join(g["photographers"]) + " 摄" if g["photographers"] else None
    if g["dateline"] or not g["reporters"]:
        return None
    parts = ["本报记者 " + " ".join(g["reporters"])]
    if g["correspondents"]:
        parts.append("通讯员 " + " ".join(g["correspondents"]))
    suffix = " 文/图" if g["photographers"] == g["reporters"] else ""
    return "（" + " ".join(parts) + suffix + "）"


def _inline_caption(captions: list[str], g: dict[str, Any]) -> str | None:
    printed = [c for c in captions if not P.PLACEHOLDER.match(c) and not P.FIGURE_CAPTION.match(c)]
    if g["kind"] != "article" or not g["dateline"] or not g["photographers"] or not printed:
        return None
    return printed[0] + " " + " ".join(g["photographers"]) + " 摄"


def load_pool(seeds_dir: str | Path = SEEDS, gold_path: str | Path = GOLD) -> list[PoolItem]:
    """Seed items that end on a full sentence, with the parser's repaired paragraphs."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    pool: list[PoolItem] = []
    for name, entry in gold["files"].items():
        page = parse_file(Path(seeds_dir) / name)
        for g in entry["items"]:
            first = normalize_text(g["body_first"])
            item = next(
                (it for it in page.items if normalize_text(it.body).startswith(first)), None
            )
            if item is None or not P.ends_sentence(g["body_last"]):
                continue
            if g["kind"] == "photo" and not g["photographers"]:
                continue
            pool.append(
                PoolItem(
                    kind=g["kind"],
                    headline_lines=list(g["headline_lines"]),
                    page_banner=g["page_banner"],
                    dateline=g["dateline"],
                    people={f: list(g[f]) for f in _FIELDS},
                    date_text=g["date_text"],
                    paragraphs=[p.text for p in item.paragraphs],
                    closing=_closing(g),
                    caption=_inline_caption(item.captions, g),
                )
            )
    return pool


def _width(text: str, style: str) -> str:
    return text.translate(_TO_HALF if style == "half" else _TO_FULL)


def _break_point(rng: random.Random, text: str) -> int | None:
    """A position inside a sentence where a column break may fall."""
    spots = [
        i
        for i in range(6, len(text) - 6)
        if not P.ends_sentence(text[:i])
        and text[i] not in "，,、；;：:"
        and text[i - 1] not in "“『"
    ]
    return rng.choice(spots) if spots else None


def _emit_paragraph(
    rng: random.Random, page: _Page, text: str, lead: str = "", closing: str = ""
) -> None:
    """Print one paragraph, maybe broken by a column break, maybe with a doubled character."""
    cut = _break_point(rng, text) if rng.random() < 0.3 and len(text) > 30 else None
    if cut is None:
        page.lines += [lead + text + closing, ""]
        return
    head, tail = text[:cut], text[cut:]
    gap = rng.choice((1, 1, 1, 2, 3))
    if rng.random() < 0.3 and _doubling_is_slip(head, tail):
        page.anomalies.append(
            {"type": "join_char_repeat", "snippet": tail[0] + tail[:6], "count": 1}
        )
        tail = tail[0] + tail
    snippet = head[-8:] + "\n" * (gap + 1) + tail[:8]
    page.anomalies.append({"type": "broken_paragraph", "snippet": snippet, "count": 1})
    page.lines += [lead + head, *[""] * gap, tail + closing, ""]


def _doubling_is_slip(head: str, tail: str) -> bool:
    """Doubling tail's first character makes no word (容容, not 人人 or 平平)."""
    c = tail[0]
    if not "\u4e00" <= c <= "\u9fff" or tail[1:2] == c or head[-1:] == c:
        return False
    return c + c not in REDUPLICATED and rjieba.cut(c + c, False) != [c + c]


def _emit_item(rng: random.Random, page: _Page, item: PoolItem, marks: bool, style: str) -> None:
    w = [_width(p, style) for p in item.paragraphs]
    heads = [_width(h, style) for h in item.headline_lines]
    if item.page_banner:
        page.lines += [("### " if marks else "") + item.page_banner, ""]
    for k, h in enumerate(heads):
        mark = ("## " if k == 0 else "### ") if marks else ""
        page.lines += [mark + h, ""]
    repeat = rng.randrange(1, len(w)) if len(w) > 2 and rng.random() < 0.2 else None
    for k, para in enumerate(w):
        lead = _width(item.dateline, style) if k == 0 and item.dateline else ""
        last = k == len(w) - 1 and item.closing and item.kind == "article"
        _emit_paragraph(rng, page, para, lead, _width(item.closing, style) if last else "")
        if k == 0 and item.caption:
            page.lines += [item.caption, ""]
        if k == repeat:
            page.lines += [para, ""]
            page.anomalies.append({"type": "duplicated_block", "snippet": para[:20], "count": 1})
    if item.kind == "photo" and item.closing:
        page.lines += [item.closing, ""]
    page.lines.append("")
    page.items.append(
        {
            "kind": item.kind,
            "title": heads[0] if heads else None,
            "headline_lines": heads,
            "page_banner": item.page_banner,
            "dateline": _width(item.dateline, style) if item.dateline else None,
            **item.people,
            "date_text": item.date_text,
            "body_first": w[0][:20],
            "body_last": w[-1][-20:],
            "paragraphs": len(w),
            "notes": f"generated; width {style}, marks {marks}",
        }
    )


def make_page(rng: random.Random, pool: list[PoolItem]) -> tuple[bytes, str, dict[str, Any]]:
    """(page bytes, encoding, gold entry) of one new page."""
    page = _Page(lines=["", ""])
    marks = rng.random() < 0.4
    styles = [rng.choice(("full", "half", "full")) for _ in range(3)]
    for item in rng.sample(pool, k=min(len(pool), rng.randint(4, 8))):
        _emit_item(rng, page, item, marks, rng.choice(styles))
    text = "\n".join(page.lines)
    half = [i for i, ch in enumerate(text) if ch in ",;:()!?" and _cjk_near(text, i)]
    if half and any(ch in "，；：（）！？" for ch in text):
        i = half[0]
        page.anomalies.append(
            {"type": "mixed_punctuation_width", "snippet": text[i : i + 6], "count": 1}
        )
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    names, weights = zip(*ENCODINGS, strict=True)
    encoding = rng.choices(names, weights)[0]
    data = text.encode(encoding)
    return data, encoding, {"items": page.items, "anomalies": page.anomalies}


def _cjk_near(text: str, i: int) -> bool:
    near = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
    return any("\u4e00" <= ch <= "\u9fff" for ch in near)


def iter_pages(
    n_pages: int, seed: int, pool: list[PoolItem] | None = None
) -> Iterator[tuple[str, bytes, dict[str, Any]]]:
    """(file name, bytes, gold entry) for n_pages new pages, reproducible from seed."""
    rng = random.Random(seed)
    pool = pool if pool is not None else load_pool()
    for k in range(n_pages):
        data, encoding, gold = make_page(rng, pool)
        yield f"gen_{seed}_{k:06d}_{encoding}.txt", data, gold


def write_corpus(out_dir: str | Path, n_pages: int, seed: int = 0) -> Path:
    """Write n_pages pages and gold.json into out_dir, page by page; returns the gold path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gold_path = out / "gold.json"
    with gold_path.open("w", encoding="utf-8") as gold:
        gold.write('{"version": 1, "files": {')
        for k, (name, data, entry) in enumerate(iter_pages(n_pages, seed)):
            (out / name).write_bytes(data)
            gold.write(("," if k else "") + "\n" + json.dumps(name) + ": ")
            gold.write(json.dumps(entry, ensure_ascii=False))
        gold.write("\n}}\n")
    return gold_path
