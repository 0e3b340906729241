"""Generating unseen pages (with their gold) from the seed items.

Items taken from the seed pages are shuffled across new pages and printed the way different
layout systems print them: punctuation width, heading marks (or none), dateline and byline
bracket styles and spacing, indentation, trailing spaces, blank-line runs, photo credits on
their own line or after the caption, CRLF and four encodings, pages of one to eight items.
Known damage is injected at known places, chosen without the parser's rules or dictionary:
column breaks inside sentences (some with a repeated character), repeated paragraphs, a
doubled function word or word, traditional characters, a dropped opening quote, a headline
printed far from its body, a short item printed inside another article, and a last article
cut off mid-sentence. The gold has the seeds_gold.json format, so the same scorer applies;
anomalies that the seed gold records inside reused paragraphs are carried over.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from newsetl.language.textnorm import normalize_text
from newsetl.parsing import parse_file, patterns

GOLD = Path(__file__).resolve().parent / "seeds_gold.json"
ENCODINGS = (("utf-8", 5), ("utf-8-sig", 2), ("utf-16", 1), ("gb18030", 2))
_TO_HALF = str.maketrans("，；：（）！？", ",;:()!?")
_TO_FULL = str.maketrans(",;:()!?", "，；：（）！？")
_FIELDS = ("reporters", "correspondents", "interns", "photographers")
_ROLES = (("reporters", "记者"), ("correspondents", "通讯员"), ("interns", "实习生"))
CARRIED = ("inline_char_repeat", "traditional_chars", "unbalanced_quotes")
# Function words that Chinese never doubles: doubling one is always a slip.
NEVER_DOUBLED = "的是在和与对为从把被及并而向于其"
_CLAUSE_END = "，。、；,;"
_CJK_LO, _CJK_HI = "\u4e00", "\u9fff"
_HALF_BY_CJK = re.compile(r"(?<=[\u4e00-\u9fff])[,;:()!?]|[,;:()!?](?=[\u4e00-\u9fff])")


def _cjk(ch: str) -> bool:
    return _CJK_LO <= ch <= _CJK_HI


@dataclass
class PoolItem:
    """One seed item as printed parts: headline block, people, paragraphs, seed anomalies."""

    kind: str
    headline_lines: list[str]
    page_banner: str | None
    dateline: str | None
    people: dict[str, list[str]]
    date_text: str | None
    paragraphs: list[str]
    caption: str | None = None  # photo caption printed inside an article (without its credit)
    carried: list[dict[str, Any]] = field(default_factory=list)  # seed gold anomalies in the text


@dataclass
class Para:
    """A paragraph to print, with ranges that a column break must not split."""

    text: str
    keep: list[tuple[int, int]] = field(default_factory=list)
    anomalies: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Block:
    """Printed lines (blank lines as "") of one paragraph, caption, copy or closing line."""

    kind: str  # para | copy | caption | closing | credit | item
    lines: list[str]
    anomalies: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Printed:
    """One item's printed headline lines and body blocks, and its gold entry."""

    head: list[str]
    body: list[Block]
    gold: dict[str, Any]

    def lines(self) -> list[str]:
        return self.head + [line for b in self.body for line in b.lines]

    def anomalies(self) -> list[dict[str, Any]]:
        return [a for b in self.body for a in b.anomalies]


@dataclass
class Style:
    """How the page's layout system prints things."""

    marks: str  # none | marked | mixed
    indent: str
    trailing: float
    bracket: str  # full | half | mixed


def load_pool(seeds_dir: str | Path, gold_path: str | Path = GOLD) -> list[PoolItem]:
    """Items of the seed pages in `seeds_dir` (the pages `gold_path` describes) that end on a
    full sentence, with the parser's repaired paragraphs."""
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    pool: list[PoolItem] = []
    for name, entry in gold["files"].items():
        page = parse_file(Path(seeds_dir) / name)
        seed_flags = [a for a in entry.get("anomalies", []) if a["type"] in CARRIED]
        for g in entry["items"]:
            first = normalize_text(g["body_first"])
            item = next(
                (it for it in page.items if normalize_text(it.body).startswith(first)), None
            )
            if item is None or not patterns.ends_sentence(g["body_last"]):
                continue
            if g["kind"] == "photo" and not g["photographers"]:
                continue
            paragraphs = [p.text for p in item.paragraphs]
            printed = [
                c for c in item.captions if not patterns.PLACEHOLDER.match(c) and ":" not in c[:4]
            ]
            caption = None
            if g["kind"] == "article" and g["dateline"] and g["photographers"] and printed:
                caption = patterns.TRAILING_CREDIT.sub("", printed[0]).rstrip() or None
            snippets = [(a, patterns.DATELINE.sub("", a["snippet"])) for a in seed_flags]
            carried = [
                {"type": a["type"], "snippet": snippet, "count": a.get("count", 1)}
                for a, snippet in snippets
                if any(snippet in p for p in paragraphs)
            ]
            pool.append(
                PoolItem(
                    kind=g["kind"],
                    headline_lines=list(g["headline_lines"]),
                    page_banner=g["page_banner"],
                    dateline=g["dateline"],
                    people={f: list(g[f]) for f in _FIELDS},
                    date_text=g["date_text"],
                    paragraphs=paragraphs,
                    caption=caption,
                    carried=carried,
                )
            )
    return pool


def _width(text: str, style: str) -> str:
    return text.translate(_TO_HALF if style == "half" else _TO_FULL)


@cache
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


# ---- damage inside a paragraph --------------------------------------------------------------


def _double(rng: random.Random, para: Para) -> None:
    """Double a function word, or a clause-final two-character word, inside a sentence."""
    t = para.text
    chars = [
        i
        for i in range(4, len(t) - 4)
        if t[i] in NEVER_DOUBLED and t[i - 1] != t[i] != t[i + 1] and _cjk(t[i + 1])
    ]
    words = [
        i
        for i in range(4, len(t) - 4)
        if t[i + 2] in _CLAUSE_END
        and _cjk(t[i - 1])
        and _cjk(t[i])
        and _cjk(t[i + 1])
        and len({t[i - 1], t[i], t[i + 1]}) == 3
    ]
    spots = [(i, 1) for i in chars] + [(i, 2) for i in words]
    spots = [(i, n) for i, n in spots if not _kept(para, i - 6, i + 8)]
    if not spots:
        return
    i, n = rng.choice(spots)
    para.text = t[: i + n] + t[i : i + n] + t[i + n :]
    _shift(para, i, n)
    para.keep.append((i - 4, i + 2 * n + 4))
    snippet = para.text[i - 4 : i + 2 * n + 4]
    para.anomalies.append({"type": "inline_char_repeat", "snippet": snippet, "count": 1})


def _traditional(rng: random.Random, para: Para) -> None:
    """Print a few characters of the paragraph in traditional form (opencc s2t)."""
    t = para.text
    starts = list(range(2, max(2, len(t) - 8)))
    rng.shuffle(starts)
    for i in starts[:40]:
        window = t[i : i + 4]
        if not all(_cjk(c) for c in window) or _kept(para, i, i + 4):
            continue
        trad = _s2t().convert(window)
        if trad == window or len(trad) != 4 or _t2s().convert(trad) != window:
            continue
        para.text = t[:i] + trad + t[i + 4 :]
        para.keep.append((i, i + 4))
        changed = sum(a != b for a, b in zip(window, trad, strict=True))
        para.anomalies.append({"type": "traditional_chars", "snippet": trad, "count": changed})
        return


def _drop_quote(para: Para) -> bool:
    """Drop the first opening quotation mark of a paragraph whose quotes pair up."""
    t = para.text
    i = t.find("“")
    if i < 0 or not patterns.quotes_balanced(t) or _kept(para, 0, 16) or _kept(para, i, i + 1):
        return False
    para.text = t[:i] + t[i + 1 :]
    _shift(para, i, -1)
    para.keep.append((0, 16))
    para.anomalies.append({"type": "unbalanced_quotes", "snippet": para.text[:12], "count": 1})
    return True


def _kept(para: Para, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in para.keep)


def _shift(para: Para, at: int, by: int) -> None:
    para.keep = [(s + by if s > at else s, e + by if e > at else e) for s, e in para.keep]


def _carry(item: PoolItem, paras: list[Para], style: str) -> None:
    for a in item.carried:
        snippet = _width(a["snippet"], style)
        for p in paras:
            k = p.text.find(snippet)
            if k >= 0:
                p.keep.append((k, k + len(snippet)))
                p.anomalies.append({**a, "snippet": snippet})
                break


# ---- printing -------------------------------------------------------------------------------


def _decorate(rng: random.Random, line: str, style: Style) -> str:
    if line and rng.random() < style.trailing:
        return line + rng.choice((" ", "\u3000", "  ", "\t"))
    return line


def _break_point(rng: random.Random, para: Para) -> int | None:
    """A position inside a sentence where a column break may fall (None if none is found)."""
    text = para.text
    if len(text) < 13:
        return None
    for _ in range(40):
        i = rng.randrange(6, len(text) - 6)
        if (
            not patterns.ends_sentence(text[i - 6 : i])
            and text[i] not in "，,、；;：:”’』」)）"
            and text[i - 1] not in "“『(（"
            and not _kept(para, i - 8, i + 8)
        ):
            return i
    return None


def _print_paragraph(
    rng: random.Random, style: Style, para: Para, lead: str = "", closing: str = ""
) -> Block:
    """Lines of one paragraph, maybe split by a column break, maybe with a doubled character."""
    text = para.text
    cut = _break_point(rng, para) if rng.random() < 0.3 and len(text) > 30 else None
    gap_after = [""] * rng.choice((1, 1, 1, 1, 2))
    anomalies = list(para.anomalies)
    if cut is None:
        line = _decorate(rng, style.indent + lead + text + closing, style)
        return Block("para", [line, *gap_after], anomalies)
    head, tail = text[:cut], text[cut:]
    if rng.random() < 0.3 and tail[0] in NEVER_DOUBLED and head[-1] != tail[0] != tail[1]:
        anomalies.append({"type": "join_char_repeat", "snippet": tail[0] + tail[:6], "count": 1})
        tail = tail[0] + tail
    first = _decorate(rng, style.indent + lead + head, style)
    second = _decorate(rng, style.indent + tail + closing, style)
    gap = rng.choice((1, 1, 1, 2, 3, 4))
    snippet = first[-8:] + "\n" * (gap + 1) + second[:8]
    anomalies.append({"type": "broken_paragraph", "snippet": snippet, "count": 1})
    return Block("para", [first, *[""] * gap, second, *gap_after], anomalies)


def _dateline(rng: random.Random, people: dict[str, list[str]], bracket: str) -> str:
    opener, closer = ("（", "）") if bracket == "full" else ("(", ")")
    spaced = rng.random() < 0.5
    sep = " " if spaced else ""
    parts = []
    for field_name, role in _ROLES:
        if people[field_name]:
            names = (" " if spaced else rng.choice((" ", "、"))).join(people[field_name])
            parts.append(role + sep + names)
    lead = rng.choice(("本报讯", "本报讯", "本报讯 ", "本报"))
    return lead + opener + " ".join(parts) + closer


def _closing_byline(rng: random.Random, people: dict[str, list[str]], bracket: str) -> str:
    opener, closer = ("（", "）") if bracket == "full" else ("(", ")")
    parts = ["本报记者 " + " ".join(people["reporters"])]
    if people["correspondents"]:
        parts.append("通讯员 " + " ".join(people["correspondents"]))
    suffix = " 文/图" if people["photographers"] == people["reporters"] else ""
    return opener + " ".join(parts) + suffix + closer


def _credit(rng: random.Random, names: list[str]) -> str:
    role = rng.choice(("", "", "本报记者 ", "记者 "))
    return role + " ".join(names) + rng.choice((" 摄", " 摄", "  摄"))


def _heading(rng: random.Random, style: Style, text: str, level: int) -> str:
    marked = style.marks == "marked" or (style.marks == "mixed" and rng.random() < 0.5)
    if not marked:
        return text
    return "#" * min(3, level + rng.choice((0, 0, 1))) + rng.choice((" ", " ", "")) + text


def print_item(rng: random.Random, item: PoolItem, style: Style) -> Printed:
    """An item's lines with damage injected, and its gold entry."""
    width = rng.choice(("full", "half", "full"))
    bracket = width if style.bracket != "mixed" else rng.choice(("full", "half"))
    paras = [Para(_width(p, width)) for p in item.paragraphs]
    heads = [_width(h, width) for h in item.headline_lines]
    _carry(item, paras, width)
    if rng.random() < 0.3:
        _double(rng, rng.choice(paras))
    if rng.random() < 0.12:
        _traditional(rng, rng.choice(paras))
    if rng.random() < 0.2:
        for para in rng.sample(paras, len(paras)):
            if _drop_quote(para):
                break
    head: list[str] = []
    if item.page_banner:
        head += [_heading(rng, style, item.page_banner, 3), ""]
    for k, h in enumerate(heads):
        head += [_heading(rng, style, h, 1 if k == 0 else 2), ""]
    dateline = _dateline(rng, item.people, bracket) if item.dateline else ""
    feature = item.kind == "article" and not item.dateline and item.people["reporters"]
    closing = _closing_byline(rng, item.people, bracket) if feature else ""
    same_line = rng.random() < 0.5
    body: list[Block] = []
    repeat = rng.randrange(1, len(paras)) if len(paras) > 2 and rng.random() < 0.15 else None
    for k, para in enumerate(paras):
        end = closing if k == len(paras) - 1 and closing and same_line else ""
        body.append(_print_paragraph(rng, style, para, dateline if k == 0 else "", end))
        if k == 0 and item.caption:
            credit = _credit(rng, item.people["photographers"])
            body.append(Block("caption", [_width(item.caption, width) + " " + credit, ""]))
        if k == repeat:
            copy = {"type": "duplicated_block", "snippet": para.text[:20], "count": 1}
            body.append(Block("copy", [style.indent + para.text, ""], [copy]))
    if closing and not same_line:
        body.append(Block("closing", [closing, ""]))
    if item.kind == "photo":
        credit = _credit(rng, item.people["photographers"])
        if same_line and patterns.ends_sentence(body[-1].lines[0]):
            body[-1].lines[0] = body[-1].lines[0].rstrip() + " " + credit
        else:
            body.append(Block("credit", [credit, ""]))
    gold = {
        "kind": item.kind,
        "title": heads[0] if heads else None,
        "headline_lines": heads,
        "page_banner": item.page_banner,
        "dateline": dateline or None,
        **item.people,
        "date_text": item.date_text,
        "body_first": paras[0].text[:20],
        "body_last": paras[-1].text[-20:],
        "paragraphs": len(paras),
        "notes": f"generated; width {width}, marks {style.marks}",
    }
    return Printed(head, body, gold)


# ---- page-level layout damage ---------------------------------------------------------------


def _truncate(rng: random.Random, printed: Printed) -> dict[str, Any] | None:
    """Cut the item's last paragraph mid-sentence and drop whatever followed it."""
    paras = [k for k, b in enumerate(printed.body) if b.kind == "para"]
    if len(paras) < 2:
        return None
    k = paras[-1]
    line = printed.body[k].lines[0].rstrip()
    marked = [(line.find(a["snippet"]), len(a["snippet"])) for a in printed.body[k].anomalies]
    cuts = [
        i
        for i in range(20, len(line) - 10)
        if _cjk(line[i - 1]) and _cjk(line[i]) and not any(0 <= p < i < p + n for p, n in marked)
    ]
    if not cuts:
        return None
    cut = line[: rng.choice(cuts)]
    paired = cut.count("“") == cut.count("”")
    kept = [
        a
        for a in printed.body[k].anomalies
        if a["snippet"] in cut and (a["type"] != "unbalanced_quotes" or not paired)
    ]
    if not paired and not any(a["type"] == "unbalanced_quotes" for a in kept):
        kept.append({"type": "unbalanced_quotes", "snippet": cut.strip()[:12], "count": 1})
    printed.body[k:] = [Block("para", [cut, ""], kept)]
    printed.gold["body_last"] = cut.strip()[-20:]
    printed.gold["notes"] += "; cut off mid-sentence"
    if not printed.gold["dateline"]:  # the closing byline went with the cut
        printed.gold.update({f: [] for f in _FIELDS if f != "photographers"})
        if printed.gold["kind"] == "article":
            printed.gold["photographers"] = []
    return {"type": "truncated_article", "snippet": cut.strip()[-12:], "count": 1}


def _interleave(
    rng: random.Random, printed: list[Printed], busy: list[Printed]
) -> dict[str, Any] | None:
    """Print a short item between two paragraphs of an article (at a sentence boundary)."""
    hosts = [
        p
        for p in printed
        if p.gold["kind"] == "article" and p not in busy and len(p.body) >= 3 and p.head
    ]
    guests = [
        p for p in printed if p not in hosts and p not in busy and p.head and len(p.body) <= 3
    ]
    if not hosts or not guests:
        return None
    host = rng.choice(hosts)
    if host.gold["dateline"]:  # only a closed item can be told apart from the host's text
        guests = [p for p in guests if p.gold["kind"] == "photo"]
    if not guests:
        return None
    guest = rng.choice(guests)
    spots = [
        k
        for k in range(1, len(host.body))
        if host.body[k - 1].kind == "para" and host.body[k].kind == "para"
    ]
    if not spots:
        return None
    at = rng.choice(spots)
    host.body.insert(at, Block("item", guest.lines(), guest.anomalies()))
    guest.head, guest.body = [], []
    main = guest.gold["headline_lines"][0]
    return {"type": "interleaved_article", "snippet": main, "count": 1}


def make_page(rng: random.Random, pool: list[PoolItem]) -> tuple[bytes, str, dict[str, Any]]:
    """(page bytes, encoding, gold entry) of one new page."""
    style = Style(
        marks=rng.choice(("none", "marked", "marked", "mixed")),
        indent=rng.choice(("", "", "", "\u3000\u3000", "  ")),
        trailing=rng.choice((0.0, 0.0, 0.1, 0.3)),
        bracket=rng.choice(("full", "half", "mixed")),
    )
    n = 1 if rng.random() < 0.08 else rng.randint(2, 8)
    printed = [print_item(rng, item, style) for item in rng.sample(pool, k=min(len(pool), n))]
    golds = [p.gold for p in printed]
    layout: list[dict[str, Any]] = []
    tail: list[str] = []
    busy: list[Printed] = []
    roll = rng.random()
    articles = [p for p in printed[:-1] if p.gold["kind"] == "article" and p.gold["dateline"]]
    if roll < 0.25 and articles:  # a headline printed far from its body, at the page end
        victim = rng.choice(articles)
        tail, victim.head = victim.head, []
        busy.append(victim)
        layout.append(
            {"type": "orphan_headline", "snippet": victim.gold["headline_lines"][0], "count": 1}
        )
    elif roll < 0.5 and printed[-1].gold["kind"] == "article":  # the last article cut off
        found = _truncate(rng, printed[-1])
        if found:
            busy.append(printed[-1])
            layout.append(found)
    if rng.random() < 0.3 and len(printed) >= 3:
        found = _interleave(rng, printed, busy)
        layout += [found] if found else []
    lines = ["", ""]
    for p in printed:
        lines += p.lines() + [""] * rng.choice((1, 1, 2, 3))
    text = "\n".join(lines + tail)
    anomalies = [a for p in printed for a in p.anomalies()] + layout
    half = _HALF_BY_CJK.search(text)
    if half and any(ch in text for ch in "，；：（）！？。、“”"):
        i = half.start()
        anomalies.append(
            {"type": "mixed_punctuation_width", "snippet": text[i : i + 6], "count": 1}
        )
    if rng.random() < 0.3:
        text = text.replace("\n", "\r\n")
    names, weights = zip(*ENCODINGS, strict=True)
    encoding = rng.choices(names, weights)[0]
    return text.encode(encoding), encoding, {"items": golds, "anomalies": anomalies}


def iter_pages(
    n_pages: int, seed: int, pool: list[PoolItem]
) -> Iterator[tuple[str, bytes, dict[str, Any]]]:
    """(file name, bytes, gold entry) for n_pages new pages from `pool`, reproducible from seed."""
    rng = random.Random(seed)
    for k in range(n_pages):
        data, encoding, gold = make_page(rng, pool)
        yield f"gen_{seed}_{k:06d}_{encoding}.txt", data, gold


def write_corpus(out_dir: str | Path, n_pages: int, seeds_dir: str | Path, seed: int = 0) -> Path:
    """Write n_pages pages made of the seed pages' items (`load_pool`) and gold.json into
    out_dir, page by page; returns the gold path."""
    pool = load_pool(seeds_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gold_path = out / "gold.json"
    with gold_path.open("w", encoding="utf-8") as gold:
        gold.write('{"version": 1, "files": {')
        for k, (name, data, entry) in enumerate(iter_pages(n_pages, seed, pool)):
            (out / name).write_bytes(data)
            gold.write(("," if k else "") + "\n" + json.dumps(name) + ": ")
            gold.write(json.dumps(entry, ensure_ascii=False))
        gold.write("\n}}\n")
    return gold_path
