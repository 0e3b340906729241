"""Regular expressions and character classes shared by the parsing modules."""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Blanks a page prints inside or around a line: spaces of every width (U+00A0, U+3000, thin
# spaces), tabs, zero-width spaces and a stray BOM. Patterns match them with `\s` (a unit never
# holds a line break); strip() calls use this set.
BLANKS = " \t\u00a0\u1680\u202f\u205f\u3000\ufeff" + "".join(map(chr, range(0x2000, 0x200C)))
NAME = rf"[{CJK}][{CJK}·]{{1,3}}"
NAMES = rf"{NAME}(?:[\s、]+{NAME}){{0,3}}"
NAMES_LIST = rf"{NAME}(?:[、，,]{NAME}){{0,5}}"
# The names of a photo credit, where two-character names may be padded to three (`郑  川`).
CREDIT_NAMES = rf"[{CJK}][{CJK}·]{{0,3}}(?:[\s、]+[{CJK}][{CJK}·]{{0,3}}){{0,7}}"
SENTENCE_END = "。！？!?…"
CLOSERS = "”’』」）)》】\"'"
# The outlet a role may name first: `新华社记者`, `人民日报记者`, `本报通讯员`.
OUTLET = rf"(?:本报|新华社|中新社|[{CJK}]{{2,6}}?(?:社|报|台|网))"
ROLE = (
    rf"(?:{OUTLET})?(?:特约记者|见习记者|首席记者|全媒体记者|融媒体记者|摄影记者|记者"
    r"|特约通讯员|通讯员|实习生)|摄影|读者"
)
# Signatures that name no one: the paper's commentator, its editors.
ROLE_ONLY = r"本报评论员|本报特约评论员|特约评论员|评论员|本报编辑部"
# A mark some papers print before a byline: `□本报记者 刘文清`.
BYLINE_MARK = "□■◎●◆"

HEADING_MARK = re.compile(r"^(#{1,6})[\s]*")
# The dispatch head of a news agency or of the paper's own bureau: `新华社郑州5月9日电`.
# `据新华社…电`: a dispatch of the agency the paper took its text from.
DISPATCH = (
    rf"据?(?:本报|新华社|中新社|中国新闻社|人民日报)[{CJK}、]{{0,12}}?"
    rf"\d{{1,2}}月\d{{1,2}}日[电讯]"
)
# A dispatch printed at the end of the body instead of its head: `（本报柏林2月19日电）`.
# It may name its people: `（新华社北京5月17日电  记者朱超、魏忠杰）`.
CLOSING_DISPATCH = re.compile(rf"^[(（]{DISPATCH}(?:\s*((?:{ROLE})[^()（）]{{1,60}}))?[)）]$")
# The people in brackets name a role, or are only names (`（程焕、吴道禄）`: the reporters).
DATELINE = re.compile(
    rf"^(本报讯|{DISPATCH}|本报)[\s]*"
    rf"[(（]([^()（）]{{0,60}}?(?:记者|通讯员|实习生)[^()（）]{{0,60}}|{NAMES_LIST})[)）]"
)
BARE_DATELINE = re.compile(rf"^(?:本报讯|{DISPATCH})[\s]*")
# People after a dateline without brackets, ending at a space: `本报讯 记者/黄丽 通讯员/杜娟　`.
UNBRACKETED_PEOPLE = re.compile(  # used with match(text, pos): no ^
    rf"(?:(?:{ROLE})[/／:：]?[ \t]*{NAME}(?:[ \t、]+{NAME})*[ \t]*)+(?:报道)?(?=[\s])"
)
PLACEHOLDER = re.compile(r"^图[一二三四五六七八九十\d]{1,3}$")
FIGURE_CAPTION = re.compile(r"^图[一二三四五六七八九十\d]{1,3}[:：]")
# The end of a photo credit: `摄`, `摄影报道`, and the source a credit may name after it
# (`摄（影像中国）`, `摄(人民视觉)`).
CREDIT_END = rf"摄(?:影报道|影)?(?:[(（][{CJK}]{{2,8}}[)）])?"
CREDIT_LINE = re.compile(rf"^(?:(?:{ROLE})[\s]*)?({CREDIT_NAMES})[\s/／]*{CREDIT_END}$")
# A picture handed out by an agency, with no one named: `新华社发`, `新华社记者 王浩发`.
AGENCY_CREDIT = re.compile(rf"^{OUTLET}(?:记者[\s]*{NAMES})?[\s]*发$")
TRAILING_CREDIT = re.compile(
    rf"(?:(?<=[{SENTENCE_END}{CLOSERS}])|[\s]+)"
    rf"((?:(?:{ROLE})[\s]*)?{CREDIT_NAMES}[\s/／]*{CREDIT_END})$"
)
CLOSING_BYLINE = re.compile(rf"[(（][\s]*(?:{ROLE})[^()（）]{{1,60}}[)）]$")
# A photo credit in brackets, alone or after a caption: `（通讯员 吕晓光 摄）`.
BRACKETED_CREDIT = re.compile(rf"[(（][\s]*((?:(?:{ROLE})[\s]*)?{NAMES}[\s/／]*摄)[\s]*[)）]$")
# Both ways of crediting text and pictures to one person: `文/图`, `图/文`.
TEXT_AND_PHOTO = r"(?:文/图|图/文|文／图|图／文)"
# Who did the words and who the pictures, person by person: `文/李然 图/赵一鸣`.
WORK_PREFIX = r"(?:文|图片|图|摄影)[/／]"
_PERSON = (
    rf"(?:{WORK_PREFIX}[\s]*(?:(?:{ROLE})[\s:：]*)?{NAMES}"
    rf"|(?:{ROLE})[\s:：/／]+{NAMES})"
)
# A byline printed on a line of its own, without brackets: `文/图 本报记者 韩冰`,
# `本报记者 周敏 通讯员 宋法宣`, `文/李然 图/赵一鸣`.
BARE_BYLINE = re.compile(
    rf"^[{BYLINE_MARK}]?[\s]*(?:{TEXT_AND_PHOTO}[\s]*)?"
    rf"(?:(?:{_PERSON}[\s]*)+|(?:{ROLE_ONLY})[\s]*)"
    rf"(?:{TEXT_AND_PHOTO})?$"
)
# The page's staff line: `责任编辑：王丽　美编：刘畅　校对：张勇`.
# Page furniture that belongs to no item: the staff line (`责任编辑：王丽　美编：刘畅`), the
# credit of a chart or of the page's design (`本版制图：蔡华伟`), where data came from, a column's
# mailbox and a line that ends in an e-mail address (`欢迎供稿，邮箱：…@….com。`).
FOOTER = re.compile(
    r"^(?:责任编辑|责编|编辑|美编|校对|组版|版式|审读|(?:本版)?(?:制图|设计|版式设计)"
    r"|(?:数据|资料|图表)来源|(?:栏目)?(?:投稿)?邮箱)[:：]"
)
MAILBOX = re.compile(r"^(?:[^。；;@]{0,20}[:：])?[\w.+-]+@[\w-]+(?:\.[\w-]+)+。?$")
# A note on who the author is, after the body: `（作者为西藏分社记者）`, `（作者单位：…）`.
AUTHOR_NOTE = re.compile(r"^[(（]作者(?:为|系|是|单位)[^()（）]{2,60}[)）]$")
# The label of a box printed with an article: `核心阅读`, `编者按`, `人物小传`.
# The signature under an editor's note: `——编 者`.
SIGN_OFF = re.compile(rf"^[—－-]{{1,2}}\s*(?:[{CJK}]\s*){{1,4}}$")
BOX_LABEL = re.compile(
    r"^[【\[]?(?:核心阅读|编者按|编者的话|编后|编后语|人物小传|阅读提示|记者手记|延伸阅读|"
    r"相关链接|背景链接|链接|小贴士|短评)[】\]]?[:：]?$"
)
# A line of a table or of a contents box: cells apart by runs of spaces (`总额　　312.6亿元`).
CELLS = re.compile(r"[\s]{2,}\S+[\s]{2,}|[\s]{2,}\S*\d\S*$")
BULLET = "▶►●■◆◇★☆·•"
# A short line wholly in quotes or in 【】, with no sentence end: an intertitle
# (`“电话那头，是一条命”`, `【法官说法】`).
QUOTED_HEAD = re.compile(r"^(?:“[^“”。！？!?]{2,20}”|【[^【】]{2,20}】)$")
# A headline that names a kind of document: a notice, a list, a decision.
DOCUMENT_TITLE = re.compile(r"(?:公示|公告|通告|通知|名单|启事|决定|公报|倡议书|声明)$")
# A short line closed by a semicolon or colon: an entry of a list, a paragraph of its own.
LIST_ENTRY_END = ("；", ";", "：", ":")
# A note that the article continues from or on another page: `（上接第一版）`, `(下转第3版)`.
JUMP = re.compile(r"[(（][\s]*(上接|接上|下转|转)第?[一二三四五六七八九十\d]{1,3}版[\s]*[)）]$")
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
# A column's name in brackets after a headline: `反向过年，不变的是团圆（民生观）`.
COLUMN_LABEL = re.compile(rf"[（(][{CJK}·、\s]{{2,16}}[）)]$")
SPACED_PHRASES = re.compile(rf"[{CJK}”』」)）][\s]+[{CJK}“『「(（]")


_TWO_BLANKS = re.compile(r"\s\s")
_PUNCTUATION = re.compile(r"[，。、；：！？,.;:!?“”\"'‘’（）()《》]")
DISPLAY_MAX = 30
_BLANK = re.compile(r"\s")


def table_row(text: str) -> bool:
    """A line of table cells (`CELLS`); a line without two blanks in a row is none."""
    return _TWO_BLANKS.search(text) is not None and CELLS.search(text) is not None


def spaced_phrases(text: str) -> int:
    """How many places phrases are spaced apart in text (`SPACED_PHRASES`)."""
    return len(SPACED_PHRASES.findall(text)) if _BLANK.search(text) else 0


def display_line(text: str) -> bool:
    """A line of display type: short phrases spaced apart with no punctuation at all
    (`看天下大事　　听百姓心声`), a slogan or a promotion, never a sentence cut short."""
    return (
        len(text) <= DISPLAY_MAX and spaced_phrases(text) > 0 and _PUNCTUATION.search(text) is None
    )


def ends_sentence(text: str) -> bool:
    """True when text ends with sentence-final punctuation (closing quotes allowed after it)."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


QUOTE_PAIRS = (("“", "”"), ("『", "』"), ("「", "」"), ("‘", "’"))
_QUOTE_MARK = re.compile("[“”『』「」‘’]")


BRACKET_PAIRS = (("《", "》"), ("（", "）"), ("(", ")"), ("【", "】"))
_BRACKET_MARK = re.compile("[《》（）()【】]")


def quotes_balanced(text: str) -> bool:
    """True when every paired quotation mark in text is closed in order."""
    return _balanced(text, _QUOTE_MARK, QUOTE_PAIRS)


def brackets_balanced(text: str) -> bool:
    """True when every book-title mark and bracket in text is closed in order."""
    return _balanced(text, _BRACKET_MARK, BRACKET_PAIRS)


def _balanced(text: str, mark: re.Pattern[str], pairs: tuple[tuple[str, str], ...]) -> bool:
    marks = "".join(mark.findall(text))
    if not marks:
        return True
    for opener, closer in pairs:
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
