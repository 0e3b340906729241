"""Splitting a page into classified line units with character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from newsetl.parsing import patterns
from newsetl.parsing.repeats import last_word_whole, runs_on

# The share of body lines printed indented above which indentation marks paragraphs.
INDENTED_PAGE = 0.6
TITLE_MAX = 42  # the longest headline line
# The longest headline line with a comma in it (longer ones read as a sentence cut short).
LOOSE_TITLE = 30
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TITLE_FORBIDDEN = re.compile(r"[。！？!?；;，,]|……")
# Where the page sets a line apart, a headline may hold commas and, in a quote, ！ or ？
# (`“我们回来了！”`).
_LOOSE_FORBIDDEN = re.compile(r"[。；;]|……|[！？!?](?![”’』」])")
# A headline phrase may lead with a short label and a colon (`叶县：“小网格”撬动“大治理”`,
# `市民被骗23万元 警方：凡是…都是诈骗`).
_LABEL_COLON = re.compile(r"^[^:：]{1,10}[:：][^:：]{2,}$")
_PHRASES = re.compile(r"\s+")
# Endings of a line a column break cut off (`…的`), unless it reads as a whole (`竟是假的`)
# or the character ends a word (`参与`).
_FRAGMENT_ENDS = ("、", "和", "的", "等", "及", "与", "并", "将", "把", "被", "对")
_JOINING = ("和", "及", "与", "并", "把", "被", "对", "将", "、")
_WHOLE_DE = re.compile(r"[是了来][^，。；、]{0,8}的$")


@dataclass
class Unit:
    """One printed line (or part of one) with its kind and page offsets."""

    # text | heading | dateline | credit | caption | byline | placeholder | figcap | jump | footer
    # | label (a box's label: `核心阅读`) | note (after the body: who the author is, the dispatch)
    kind: str
    text: str
    start: int
    end: int
    gap: int = 0  # blank lines before this unit
    level: int = 0  # markdown heading level, 0 when unmarked
    extra: str = ""  # dateline people text, or the credit / byline string
    indent: bool = False  # printed indented, on a page whose paragraphs start indented
    flush: bool = False  # printed flush left, on a page whose body lines are indented
    indented: bool = False  # printed indented, on a page that starts paragraphs so


def _strip(line: str, start: int) -> tuple[str, int]:
    content = line.strip(patterns.BLANKS)
    if not content or content[0] == line[0]:
        return content, start
    return content, start + len(line) - len(line.lstrip(patterns.BLANKS))


def title_like(text: str, loose: bool = False) -> bool:
    """A headline candidate: short, no sentence punctuation (a colon only after a short
    label, a question or exclamation mark only at the end), balanced quotes, not a bare
    date, a bullet or a row of table cells. `loose` allows commas and marks inside quotes."""
    return 2 <= len(text) <= TITLE_MAX and _title_like(text, loose)


@lru_cache(maxsize=8192)
def _title_like(text: str, loose: bool) -> bool:
    """title_like of a text of a headline's length (each line is asked several times)."""
    core = text[:-1] if text[-1:] in "？！?!" else text  # `路灯何时能亮？`
    if _TITLE_FORBIDDEN.search(core):
        if not loose or _LOOSE_FORBIDDEN.search(core) or len(text) > LOOSE_TITLE:
            return False
        if text.endswith(("，", ",", "、")):
            return False
    return (
        text[0] not in patterns.BULLET
        and not patterns.table_row(text)
        and (
            not (":" in text or "：" in text)
            or all(_LABEL_COLON.match(p) for p in _PHRASES.split(text) if ":" in p or "：" in p)
        )
        and not patterns.DATE_ONLY.match(text)
        and patterns.quotes_balanced(text)
        and patterns.brackets_balanced(text)
        and text[0] not in patterns.CLOSERS + "、"
        and (
            not text.endswith(_FRAGMENT_ENDS)
            or bool(_WHOLE_DE.search(text))
            or last_word_whole(text)
        )
        and not _joins_a_quote(text)
    )


def _joins_a_quote(text: str) -> bool:
    """A conjunction or preposition before a quoted phrase at the end (`走访和“互联网+”`): the
    phrase starts a longer noun phrase, cut at the line's end."""
    if not text.endswith("”"):
        return False
    head = text[: text.rfind("“")]
    return head.endswith(_JOINING) and not last_word_whole(head)


def _split_line(content: str, start: int, gap: int) -> list[Unit]:
    end = start + len(content)
    first = content[0]
    mark = patterns.HEADING_MARK.match(content) if first == "#" else None
    if mark and len(content) > mark.end():
        off = mark.end()
        return [Unit("heading", content[off:], start + off, end, gap, len(mark.group(1)))]
    if patterns.FOOTER.match(content) or ("@" in content and patterns.MAILBOX.match(content)):
        return [Unit("footer", content, start, end, gap)]
    if first == "图" and patterns.PLACEHOLDER.match(content):
        return [Unit("placeholder", content, start, end, gap)]
    if first == "图" and patterns.FIGURE_CAPTION.match(content):
        return [Unit("figcap", content, start, end, gap)]
    short = len(content) <= 40
    if short and "摄" in content[-14:] and patterns.CREDIT_LINE.match(content):
        return [Unit("credit", content, start, end, gap, extra=content)]
    if short and content[-1] == "发" and patterns.AGENCY_CREDIT.match(content):
        return [Unit("credit", content, start, end, gap)]  # names no one
    if len(content) <= 10 and (
        patterns.BOX_LABEL.match(content) or patterns.SIGN_OFF.match(content)
    ):
        return [Unit("label", content, start, end, gap)]
    closed = content.endswith((")", "）"))
    dispatch = patterns.CLOSING_DISPATCH.match(content) if closed else None
    if dispatch and dispatch.group(1):
        return [Unit("byline", content, start, end, gap, extra=dispatch.group(1))]
    if dispatch or (closed and patterns.AUTHOR_NOTE.match(content)):
        return [Unit("note", content, start, end, gap)]
    jump = patterns.JUMP.search(content, max(0, len(content) - 12)) if closed else None
    if jump:
        note = Unit("jump", jump.group(0), start + jump.start(), end, 0, extra=jump.group(1))
        if jump.start() == 0:
            note.gap = gap
            return [note]
        return [*_split_line(content[: jump.start()].rstrip(patterns.BLANKS), start, gap), note]
    whole = patterns.BRACKETED_CREDIT.match(content) if closed and content[0] in "(（" else None
    if whole:
        return [Unit("credit", content, start, end, gap, extra=whole.group(1))]
    if closed and patterns.CLOSING_BYLINE.fullmatch(content):
        return [Unit("byline", content, start, end, gap, extra=content)]
    if len(content) <= 40 and patterns.BARE_BYLINE.match(content):
        return [Unit("byline", content, start, end, gap, extra=content)]
    units: list[Unit] = []
    dl = None
    if content.startswith(("本报", "新华社", "中新社", "中国新闻社", "人民日报", "据")):
        dl = patterns.DATELINE.match(content) or patterns.BARE_DATELINE.match(content)
    if dl and len(content) > dl.end():
        cut, people = dl.end(), dl.group(2) if dl.re is patterns.DATELINE else ""
        named = (
            patterns.UNBRACKETED_PEOPLE.match(content, cut)
            if dl.re is patterns.BARE_DATELINE
            else None
        )
        if named:  # `本报讯 记者/黄丽 通讯员/杜娟　近日，…`
            rest = content[named.end() :]
            cut, people = len(content) - len(rest.lstrip(patterns.BLANKS)), named.group(0)
        # A dateline heads a lead: one that a sentence end follows straight away heads none.
        if len(content) > cut and content[cut] not in patterns.SENTENCE_END:
            head = content[:cut].rstrip(patterns.BLANKS)
            units.append(Unit("dateline", head, start, start + cut, gap, extra=people))
            content, start, gap = content[cut:], start + cut, 0
    credit = _trailing_credit(content)
    if credit is not None:
        cut, names = credit
        body = content[:cut].rstrip(patterns.BLANKS)
        kind = "text" if patterns.ends_sentence(body) else "caption"
        units.append(Unit(kind, body, start, start + len(body), gap))
        units.append(Unit("credit", content[cut:], start + cut, end, 0, extra=names))
        return units
    byline = patterns.CLOSING_BYLINE.search(content, max(0, len(content) - 70)) if closed else None
    if byline and byline.start() > 0 and patterns.ends_sentence(content[: byline.start()]):
        cut = byline.start()
        body = content[:cut].rstrip(patterns.BLANKS)
        units.append(Unit("text", body, start, start + len(body), gap))
        units.append(Unit("byline", byline.group(0), start + cut, end, 0, extra=byline.group(0)))
        return units
    units.append(Unit("text", content, start, end, gap))
    return units


def _trailing_credit(content: str) -> tuple[int, str] | None:
    """Where a photo credit after a caption starts, and the credit without brackets."""
    if "摄" not in content[-14:]:
        return None
    m = patterns.TRAILING_CREDIT.search(content, max(0, len(content) - 50))
    if m and m.start() > 0:
        return m.start(1), m.group(1)
    if content.endswith((")", "）")):
        m = patterns.BRACKETED_CREDIT.search(content, max(0, len(content) - 40))
        if m and m.start() > 0:
            return m.start(), m.group(1)
    return None


def _lines(text: str) -> Iterator[tuple[str, int]]:
    """(line without its line break, start offset) for every line of text."""
    if text.count("\r") == text.count("\r\n"):
        pos = 0
        crlf = "\r" in text
        for line in text.split("\n"):
            yield (line[:-1] if crlf and line.endswith("\r") else line), pos
            pos += len(line) + 1
        return
    for m in _LINE.finditer(text):
        if not m.group(0):
            break
        yield m.group(0).rstrip("\r\n"), m.start()


def page_units(text: str) -> list[Unit]:
    """Classify every non-blank line of the page; blank lines become the next unit's gap.

    On a page whose paragraphs start indented (`　　`) and whose other lines do not, each
    line's first unit records whether it was; elsewhere no unit records it.
    """
    units: list[Unit] = []
    gap = 0
    for line, pos in _lines(text):
        if not line or line.isspace():
            gap += 1
            continue
        content, start = _strip(line, pos)
        if not content:
            gap += 1
            continue
        line_units = _split_line(content, start, gap)
        line_units[0].indent = line.startswith(("\u3000", "  ", "\t"))
        units.extend(line_units)
        gap = 0
    indented = _indented_page(units)
    if indented:
        keeps = _keeps_paragraphs_indented(units)
        for u in units:
            u.flush, u.indented = not u.indent, u.indent and keeps
    if not (indented and _indent_marks_paragraphs(units)):
        for u in units:
            u.indent = False
    return units


def _body_lines(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.kind == "text" and len(u.text) >= 20]


def _indented_page(units: list[Unit]) -> bool:
    """Most body lines start indented: a line printed flush left is set apart by that."""
    body = _body_lines(units)
    return len(body) >= 3 and sum(u.indent for u in body) >= INDENTED_PAGE * len(body)


def _keeps_paragraphs_indented(units: list[Unit]) -> bool:
    """No indented line of the page goes on a word that the line above it left unfinished:
    the page starts a paragraph with every indented line (pages that indent the second half
    of a cut line too show a cut inside a word somewhere)."""
    return not any(
        a.kind == b.kind == "text" and b.indent and runs_on(a.text, b.text)
        for a, b in pairwise(units)
        if not patterns.ends_sentence(a.text)
    )


def _indent_marks_paragraphs(units: list[Unit]) -> bool:
    """On an indented page, a line going on with a sentence broken off above it is not
    indented: then indentation, not the sentence, tells where a paragraph starts. (Some
    pages indent every line, a column break's second half too.)"""
    return any(
        a.kind == b.kind == "text"
        and not b.indent
        and not patterns.ends_sentence(a.text)
        and not title_like(a.text)
        and not title_like(b.text)
        for a, b in pairwise(units)
    )
