"""Decoding page bytes: encodings, BOMs, line endings and clear failures."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsetl.parsing import parse_file, parse_page
from newsetl.source.decode import DecodeError, _looks_binary, _plausible, decode_bytes, read_page

PAGE = "草莓俏销\n\n4月17日，市民在蒲城村采摘草莓。\n\n本报记者 朱江森 摄\n"
# A page in traditional characters, as a Taiwanese or Hong Kong paper prints it.
TRADITIONAL = (
    "社區服務中心舉行開放日活動\n\n本報訊（記者 王立新）十月十二日上午，城南社區服務中心"
    "舉行開放日活動，附近居民帶著孩子來到中心，參觀了圖書室、健身房和老年活動室。\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (PAGE.encode("utf-8"), "utf-8"),
        (PAGE.encode("utf-8-sig"), "utf-8-sig"),
        (PAGE.encode("utf-16"), "utf-16"),
        (PAGE.encode("utf-16-le"), "utf-16"),
        (PAGE.encode("gb18030"), "gb18030"),
        (PAGE.encode("utf-32"), "utf-32"),
        (PAGE.encode("utf-32-be"), "utf-32"),
        (PAGE.encode("utf-32-le"), "utf-32"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    assert decode_bytes(data) == (PAGE, encoding)


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_a_big5_page_is_read_as_big5_never_as_gb18030(codec: str) -> None:
    data = TRADITIONAL.encode(codec)
    assert data.decode("gb18030") != TRADITIONAL  # GB18030 would read it, as mojibake
    assert decode_bytes(data) == (TRADITIONAL, "big5")
    assert decode_bytes(TRADITIONAL.encode("gb18030")) == (TRADITIONAL, "gb18030")


def test_bytes_that_read_only_as_mojibake_are_refused() -> None:
    japanese = "今日はとても良い天気ですね。明日は雨が降るそうです。図書館へ行きましょう。"
    data = japanese.encode("shift_jis")
    data.decode("gb18030")  # it decodes, to characters no Chinese page is made of
    with pytest.raises(DecodeError, match="not plausible Chinese"):
        decode_bytes(data)


_BIG5_COMMON = [
    ch
    for lead in range(0xA4, 0xC6)
    for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF))
    if (ch := bytes([lead, trail]).decode("big5", "ignore"))
]
_GB_COMMON = [
    ch
    for lead in range(0xB0, 0xD8)
    for trail in range(0xA1, 0xFF)
    if (ch := bytes([lead, trail]).decode("gb2312", "ignore"))
]


@settings(max_examples=200)
@given(
    st.lists(st.sampled_from(_BIG5_COMMON), min_size=20, max_size=200),
    # a page holds more than a character or two: two bytes can be valid UTF-8 and GB18030
    st.lists(st.sampled_from(_GB_COMMON), min_size=20, max_size=200),
)
def test_common_text_is_read_in_the_encoding_it_was_written_in(big5: list, gb: list) -> None:
    traditional, simplified = "。".join(big5), "，".join(gb)
    assert decode_bytes(traditional.encode("big5")) == (traditional, "big5")
    assert decode_bytes(simplified.encode("gb18030")) == (simplified, "gb18030")


def test_bom_removed_and_crlf_kept() -> None:
    text, encoding = decode_bytes(PAGE.replace("\n", "\r\n").encode("utf-8-sig"))
    assert encoding == "utf-8-sig"
    assert not text.startswith("\ufeff") and "\r\n" in text


def test_crlf_offsets_point_into_crlf_text() -> None:
    raw = "## 标题\r\n\r\n本报讯(记者朱江森)4月9日,会议在区里召\r\n\r\n开。树立正确的的人生观。\r\n"
    page = parse_page(raw)
    assert page.anomalies
    for a in page.anomalies:
        assert 0 <= a.start <= a.end <= len(raw)
        assert raw[a.start : a.end] == a.excerpt
    repeat = next(a for a in page.anomalies if a.type == "inline_char_repeat")
    assert raw[repeat.start : repeat.end] == "的的"
    assert page.items[0].paragraphs[0].text == "4月9日,会议在区里召开。树立正确的的人生观。"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (bytes(range(1, 32)) * 20, "binary"),
        (b"\xff\xfe\xfd\xfc\x80\x80abc", "neither"),
    ],
)
def test_bad_input_raises_one_clear_sentence(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


def test_read_page_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 10)
    with pytest.raises(DecodeError, match=r"broken\.txt: .*binary"):
        read_page(bad)
    with pytest.raises(DecodeError, match=r"missing\.txt"):
        parse_file(tmp_path / "missing.txt")


def test_parse_file_reports_encoding(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(PAGE.encode("gb18030"))
    page = parse_file(path)
    assert page.encoding == "gb18030"
    assert page.items[0].photographers == ["朱江森"]


def test_garbage_collector_restored_after_a_parse() -> None:
    assert gc.isenabled()
    parse_page(PAGE)
    assert gc.isenabled()
    with pytest.raises(AttributeError):
        parse_page(None)  # type: ignore[arg-type]
    assert gc.isenabled()
    gc.disable()
    try:
        parse_page(PAGE)
        assert not gc.isenabled()
    finally:
        gc.enable()


_CONTROL_OK = "\n\r\t\f\v"


@settings(max_examples=300)
@given(
    st.text(
        st.one_of(
            st.characters(max_codepoint=0x7F),
            st.characters(min_codepoint=0x2FF0, max_codepoint=0x3010),
            st.characters(min_codepoint=0x9FF0, max_codepoint=0xA010),
            st.characters(min_codepoint=0xFEF0, max_codepoint=0xFF10),
            st.characters(min_codepoint=0x10000, max_codepoint=0x10010),
            st.characters(min_codepoint=0x1FFF0, max_codepoint=0x20010),
        ),
        max_size=400,
    )
)
def test_text_checks_count_what_they_describe(text: str) -> None:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in _CONTROL_OK)
    binary = "\x00" in text or controls > max(2, len(text) // 100)
    plausible = sum(
        1
        for ch in text
        if ch.isascii()
        or "\u3000" <= ch <= "\u9fff"
        or "\uff00" <= ch <= "\uffff"
        or "\U00020000" <= ch <= "\U0003ffff"
    )
    assert _looks_binary(text) == binary
    assert _plausible(text) == plausible
