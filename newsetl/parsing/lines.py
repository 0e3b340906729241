"""Splitting a page into classified line units with character offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsetl.parsing import patterns as P

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_TITLE_FORBIDDEN = re.compile(r"[。！？!?；;，,]|……")
# A headline may lead with a short label and a colon (`叶县：“小网格”撬动“大治理”`).
_LABEL_COLON = re.compile(r"^[^:：]{1,6}[:：][^:：]{2,}$")


@dataclass
class Unit:
    """One printed line (or part of one) with its kind and page offsets."""

    kind: str  # text | heading | dateline | credit | caption | byline | placeholder | figcap | jump
    text: str
    start: int
    end: int
    gap: int = 0  # blank lines before this unit
    level: int = 0  # markdown heading level, 0 when unmarked
    extra: str = ""  # dateline people text, or the credit / byline string


def _strip(line: str, start: int) -> tuple[str, int]:
    content = line.strip(" \t\u3000\ufeff")
    if not content or content[0] == line[0]:
        return content, start
    return content, start + len(line) - len(line.lstrip(" \t\u3000\ufeff"))


def title_like(text: str) -> bool:
    """A headline candidate: short, no sentence punctuation (a colon only after a short
    label), balanced quotes, not a bare date."""
    return (
        2 <= len(text) <= 42
        and not _TITLE_FORBIDDEN.search(text)
        and (not (":" in text or "：" in text) or bool(_LABEL_COLON.match(text)))
        and not P.DATE_ONLY.match(text)
        and P.quotes_balanced(text)
        and text[0] not in P.CLOSERS + "、"
        and not text.endswith(("、", "和", "的", "等", "及", "与", "并", "将", "把", "被", "对"))
    )


def _split_line(content: str, start: int, gap: int) -> list[Unit]:
    end = start + len(content)
    first = content[0]
    mark = P.HEADING_MARK.match(content) if first == "#" else None
    if mark and len(content) > mark.end():
        off = mark.end()
        return [Unit("heading", content[off:], start + off, end, gap, len(mark.group(1)))]
    if first == "图" and P.PLACEHOLDER.match(content):
        return [Unit("placeholder", content, start, end, gap)]
    if first == "图" and P.FIGURE_CAPTION.match(content):
        return [Unit("figcap", content, start, end, gap)]
    credited = content.endswith("摄")
    if credited and len(content) <= 30 and P.CREDIT_LINE.match(content):
        return [Unit("credit", content, start, end, gap, extra=content)]
    closed = content.endswith((")", "）"))
    jump = P.JUMP.search(content, max(0, len(content) - 12)) if closed else None
    if jump:
        note = Unit("jump", jump.group(0), start + jump.start(), end, 0, extra=jump.group(1))
        if jump.start() == 0:
            note.gap = gap
            return [note]
        return [*_split_line(content[: jump.start()].rstrip(" \t\u3000"), start, gap), note]
    whole = P.BRACKETED_CREDIT.match(content) if closed and content[0] in "(（" else None
    if whole:
        return [Unit("credit", content, start, end, gap, extra=whole.group(1))]
    if closed and P.CLOSING_BYLINE.fullmatch(content):
        return [Unit("byline", content, start, end, gap, extra=content)]
    if len(content) <= 40 and P.BARE_BYLINE.match(content):
        return [Unit("byline", content, start, end, gap, extra=content)]
    units: list[Unit] = []
    dl = None
    if content.startswith(("本报", "新华社", "中新社", "中国新闻社", "人民日报")):
        dl = P.DATELINE.match(content) or P.BARE_DATELINE.match(content)
    if dl and len(content) > dl.end():
        people = dl.group(2) if dl.re is P.DATELINE else ""
        units.append(
            Unit("dateline", dl.group(0).rstrip(), start, start + dl.end(), gap, extra=people)
        )
        content, start, gap = content[dl.end() :], start + dl.end(), 0
    credit = _trailing_credit(content)
    if credit is not None:
        cut, names = credit
        body = content[:cut].rstrip(" \t\u3000")
        kind = "text" if P.ends_sentence(body) else "caption"
        units.append(Unit(kind, body, start, start + len(body), gap))
        units.append(Unit("credit", content[cut:], start + cut, end, 0, extra=names))
        return units
    byline = P.CLOSING_BYLINE.search(content, max(0, len(content) - 70)) if closed else None
    if byline and byline.start() > 0 and P.ends_sentence(content[: byline.start()]):
        cut = byline.start()
        body = content[:cut].rstrip(" \t\u3000")
        units.append(Unit("text", body, start, start + len(body), gap))
        units.append(Unit("byline", byline.group(0), start + cut, end, 0, extra=byline.group(0)))
        return units
    units.append(Unit("text", content, start, end, gap))
    return units


def _trailing_credit(content: str) -> tuple[int, str] | None:
    """Where a photo credit after a caption starts, and the credit without brackets."""
    if content.endswith("摄"):
        m = P.TRAILING_CREDIT.search(content, max(0, len(content) - 40))
        if m and m.start() > 0:
            return m.start(1), m.group(1)
    elif content.endswith((")", "）")) and "摄" in content[-4:]:
        m = P.BRACKETED_CREDIT.search(content, max(0, len(content) - 40))
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
    """Classify every non-blank line of the page; blank lines become the next unit's gap."""
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
        units.extend(_split_line(content, start, gap))
        gap = 0
    return units
