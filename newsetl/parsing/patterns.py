"""Regular expressions and character classes shared by the parsing modules."""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
NAME = rf"[{CJK}][{CJK}·]{{1,3}}"
NAMES = rf"{NAME}(?:[ \t\u3000、]+{NAME}){{0,3}}"
SENTENCE_END = "。！？!?…"
CLOSERS = "”’』」）)》】\"'"
ROLE = r"本报记者|特约记者|见习记者|记者|通讯员|实习生|摄影记者|摄影"

HEADING_MARK = re.compile(r"^(#{1,6})[ \t\u3000]*")
# The dispatch head of a news agency or of the paper's own bureau: `新华社郑州5月9日电`.
DISPATCH = rf"(?:本报|新华社|中新社|中国新闻社|人民日报)[{CJK}]{{0,10}}?\d{{1,2}}月\d{{1,2}}日电"
DATELINE = re.compile(
    rf"^(本报讯|{DISPATCH}|本报)[ \t\u3000]*"
    r"[(（]([^()（）]{0,60}?(?:记者|通讯员|实习生)[^()（）]{0,60})[)）]"
)
BARE_DATELINE = re.compile(rf"^(?:本报讯|{DISPATCH})[ \t\u3000]*")
PLACEHOLDER = re.compile(r"^图[一二三四五六七八九十\d]{1,3}$")
FIGURE_CAPTION = re.compile(r"^图[一二三四五六七八九十\d]{1,3}[:：]")
CREDIT_LINE = re.compile(rf"^(?:(?:{ROLE})[ \t\u3000]*)?({NAMES})[ \t\u3000]*摄$")
TRAILING_CREDIT = re.compile(
    rf"(?:(?<=[{SENTENCE_END}{CLOSERS}])|[ \t\u3000]+)"
    rf"((?:(?:{ROLE})[ \t\u3000]*)?{NAMES}[ \t\u3000]*摄)$"
)
CLOSING_BYLINE = re.compile(rf"[(（][ \t\u3000]*(?:{ROLE})[^()（）]{{1,60}}[)）]$")
# A photo credit in brackets, alone or after a caption: `（通讯员 吕晓光 摄）`.
BRACKETED_CREDIT = re.compile(
    rf"[(（][ \t\u3000]*((?:(?:{ROLE})[ \t\u3000]*)?{NAMES}[ \t\u3000]*摄)[ \t\u3000]*[)）]$"
)
# Both ways of crediting text and pictures to one person: `文/图`, `图/文`.
TEXT_AND_PHOTO = r"(?:文/图|图/文|文／图|图／文)"
# A byline printed on a line of its own, without brackets: `文/图 本报记者 韩冰`,
# `本报记者 周敏 通讯员 宋法宣`.
BARE_BYLINE = re.compile(
    rf"^(?:{TEXT_AND_PHOTO}[ \t\u3000]*)?"
    rf"(?:(?:{ROLE})[ \t\u3000:：]+{NAMES}[ \t\u3000]*)+"
    rf"(?:{TEXT_AND_PHOTO})?$"
)
# A note that the article continues from or on another page: `（上接第一版）`, `(下转第3版)`.
JUMP = re.compile(
    r"[(（][ \t\u3000]*(上接|接上|下转|转)第?[一二三四五六七八九十\d]{1,3}版[ \t\u3000]*[)）]$"
)
TRIANGLE = "▲△"
DATE_LEAD = re.compile(
    r"^[▲△]?(?:\d{1,2}月\d{1,2}日|近日|日前|昨天|昨日|今天|今年|去年|当天|近年来)"
)
# A line that is only a date: a notice's sign-off, never a headline or part of a sentence.
DATE_ONLY = re.compile(r"^(?:\d{4}年)?\d{1,2}月\d{1,2}日$|^\d{4}[-./]\d{1,2}[-./]\d{1,2}$")
# The marker of a list item, which starts a paragraph of its own: `一、` `（二）` `3.`.
ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]{1,3}、|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[.．、](?!\d))"
)
SPACED_PHRASES = re.compile(rf"[{CJK}”』」)）][ \t\u3000]+[{CJK}“『「(（]")


def ends_sentence(text: str) -> bool:
    """True when text ends with sentence-final punctuation (closing quotes allowed after it)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


QUOTE_PAIRS = (("“", "”"), ("『", "』"), ("「", "」"), ("‘", "’"))
_QUOTE_MARK = re.compile("[“”『』「」‘’]")


def quotes_balanced(text: str) -> bool:
    """True when every paired quotation mark in text is closed in order."""
    marks = "".join(_QUOTE_MARK.findall(text))
    if not marks:
        return True
    for opener, closer in QUOTE_PAIRS:
        opened = marks.count(opener)
        if opened != marks.count(closer):
            return False
        if not opened:
            continue
        depth = 0
        for ch in marks:
            if ch == opener:
                depth += 1
            elif ch == closer:
                depth -= 1
                if depth < 0:
                    return False
    return True
