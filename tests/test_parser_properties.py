"""Properties of parse_page on arbitrary text: no crash, offsets in range, no lost sentence."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsetl.model import Page
from newsetl.parsing import parse_page
from newsetl.parsing.repeats import inline_repeats
from newsetl.parsing.scan import PageScan

PIECES = [
    "卫东区",
    "召开",
    "会议",
    "的",
    "的",
    "人人",
    "发展",
    "群众",
    "容",
    "市",
    "資料庫",
    "。",
    "，",
    ",",
    "、",
    "！",
    "?",
    "“",
    "”",
    "『",
    "』",
    "(",
    ")",
    "（",
    "）",
    "\n",
    "\n\n",
    "\n\n\n",
    "\r\n",
    "\r",
    " ",
    "\u3000",
    "本报讯(记者朱江森)",
    "本报讯（记者朱江森 通讯员刘媛媛）",
    "本报(记者王孟鹤)",
    "（本报记者 朱江森 文/图）",
    "(本报记者 朱江森 通讯员 古国凡)",
    "本报记者 朱江森 摄",
    "罗通 摄",
    "# ",
    "## ",
    "### ",
    "▲",
    "图一",
    "图一：义警巡防",
    "4月9日",
    "2月23日至25日",
    "2022年",
    "——",
    "……",
    "草莓俏销",
    "村子更美 日子更甜",
]
page_text = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
    st.text(max_size=300),
)
SENTENCE = re.compile(r"[^。！？!?]*[。！？!?][”’』」]*")
ENDERS = "。！？!?"


def _squeeze(text: str) -> str:
    """Comparison form: width folded, whitespace gone, runs of one character collapsed."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return re.sub(r"(.)\1+", r"\1", text)


def _reading(page: Page) -> str:
    parts: list[str] = []
    for item in page.items:
        parts += [item.page_banner or "", *item.headline_lines, item.dateline or ""]
        parts += [p.text for p in item.paragraphs] + item.captions
    return _squeeze("".join(parts))


def _sentences(text: str) -> list[tuple[int, str]]:
    """Sentences that end on sentence-final punctuation within one printed line."""
    out = []
    for line in re.finditer(r"[^\r\n]+", text):
        body = re.sub(r"^[ \t\u3000\ufeff]*#+", lambda m: " " * len(m.group(0)), line.group(0))
        for m in SENTENCE.finditer(body):
            if len(_squeeze(m.group(0).strip(ENDERS + "”’』」"))) >= 2:
                out.append((line.start() + m.start(), m.group(0)))
    return out


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_text)
@example("的\n的")  # a fragment left empty by a dropped repeated character
def test_never_raises_and_offsets_in_range(text: str) -> None:
    page = parse_page(text)
    for a in page.anomalies:
        assert 0 <= a.start <= a.end <= len(text)
        assert a.excerpt == text[a.start : a.end]
    for item in page.items:
        for p in item.paragraphs:
            assert all(0 <= s <= e <= len(text) for s, e in p.spans)
    item_anomalies = {id(a) for it in page.items for a in it.anomalies}
    assert item_anomalies <= {id(a) for a in page.anomalies}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_text)
@example("本报讯(记者朱江森)▲。")  # a dateline whose item holds nothing else
@example("本报讯(记者朱江森)。卫东区卫东区本报记者 朱江森 摄\n的")  # "。" after a dateline
def test_no_sentence_disappears_except_dropped_copies(text: str) -> None:
    page = parse_page(text)
    reading = _reading(page)
    dropped = [(a.start, a.end) for a in page.anomalies if a.type == "duplicated_block"]
    for start, sentence in _sentences(text):
        if any(s <= start < e for s, e in dropped):
            continue
        assert _squeeze(sentence) in reading, (sentence, reading)


def test_sentence_helper_sees_every_printed_sentence() -> None:
    found = [s for _, s in _sentences("## 标题\n本报讯(记者甲乙)他说。“好！”\r\n走了?")]
    assert found == ["本报讯(记者甲乙)他说。", "“好！”", "走了?"]


repeat_text = st.lists(
    st.sampled_from(["的", "人", "发展", "项目", "抓", "、", "，", "。", "区", "新", "情", "A"]),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(page_text, repeat_text))
@example("卫东区卫东区的卫东区的的")  # overlapping doubled words: the first one found wins
def test_candidate_spots_lose_no_repeat(text: str) -> None:
    """The page scan's cheap candidates cover every repeat a full check of the text finds."""
    full = {(s, e) for s, e, _ in inline_repeats(text)}
    spotted = {(s, e) for s, e, _ in inline_repeats(text, PageScan(text).repeats)}
    assert full <= spotted


@settings(max_examples=200, deadline=None)
@given(page_text)
def test_scan_comparison_text_is_the_folded_text(text: str) -> None:
    scan = PageScan(text)
    for start, end in ((0, len(text)), (len(text) // 3, len(text) // 2)):
        expected = "".join(
            chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else c
            for c in text[start:end]
            if not c.isspace()
        )
        assert scan.norm(start, end) == expected
