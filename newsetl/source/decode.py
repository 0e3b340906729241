"""Decoding raw page bytes: BOMs, UTF-8, UTF-16, UTF-32, GB18030 and Big5, binary detection.

A page with a BOM is in that encoding, and bytes that are valid UTF-8 are UTF-8. Other bytes
are read as GB18030 and as Big5 (Microsoft's code page 950): GB18030 turns almost any bytes
into characters, so a decoding counts only if its text is plausible Chinese, that is, if most
of its characters are common ones (GB2312 level 1 or Big5 level 1). The most plausible one is
kept, GB18030 on a tie; when neither is plausible the page is refused rather than loaded as
mojibake.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from pathlib import Path

# Control characters other than \t \n \v \f \r; code points outside ASCII and the CJK ranges.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
_IMPLAUSIBLE = re.compile("[\x80-\u2fff\ua000-\ufeff\U00010000-\U0001ffff\U00040000-\U0010ffff]")
# Characters that say nothing of the encoding: ASCII, spaces, punctuation and symbols common
# in Chinese text (·, ×, general punctuation, ℃, ①, ■, CJK punctuation, full-width forms).
_NEUTRAL = re.compile(
    r"[\x00-\x7f\s\u00b7\u00d7\u2000-\u206f\u2100-\u214f\u2460-\u24ff\u25a0-\u25ff"
    r"\u3000-\u303f\uff00-\uffef]+"
)
# A GB18030 or Big5 decoding is plausible when this share of its other characters is common.
PLAUSIBLE_SHARE = 0.7
_SAMPLE_CHARS = 20_000  # the share is measured on the start of the text
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),  # before UTF-16: it starts with UTF-16 LE's BOM
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)
_LEGACY = (("gb18030", "gb18030"), ("cp950", "big5"))  # (codec, encoding name), tie order
_WITHOUT_BOM = (  # (codec, encoding name, bytes per code unit)
    ("utf-32-le", "utf-32", 4),
    ("utf-32-be", "utf-32", 4),
    ("utf-16-le", "utf-16", 2),
    ("utf-16-be", "utf-16", 2),
)


class DecodeError(ValueError):
    """Raised when page bytes cannot be turned into text; the message is one sentence."""


def _looks_binary(text: str) -> bool:
    """NUL characters, or more than 1% (at least 3) other control characters."""
    if "\x00" in text:
        return True
    if _CONTROL.search(text) is None:
        return False
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def _plausible(text: str) -> int:
    """How many characters are ASCII, CJK (U+3000–U+9FFF, planes 2 and 3) or full-width forms."""
    return len(text) - len(_IMPLAUSIBLE.findall(text))


@cache
def _common_chars() -> frozenset[str]:
    """GB2312 level 1 (3,755 simplified) and Big5 level 1 (5,401 traditional) characters."""
    chars = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            chars.add(bytes([lead, trail]).decode("gb2312", "ignore"))
    for lead in range(0xA4, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            if (lead, trail) <= (0xC6, 0x7E):
                chars.add(bytes([lead, trail]).decode("big5", "ignore"))
    chars.discard("")
    return frozenset(chars)


def common_share(text: str) -> float:
    """The share of common Chinese characters among the characters that are not neutral."""
    rest = _NEUTRAL.sub("", text[:_SAMPLE_CHARS])
    if not rest:
        return 1.0
    common = _common_chars()
    return sum(ch in common for ch in rest) / len(rest)


def _unicode_without_bom(data: bytes) -> tuple[str, str] | None:
    """Text in UTF-32 or UTF-16 without a BOM: the form whose text is the most plausible."""
    best: tuple[int, str, str] | None = None
    for codec, name, width in _WITHOUT_BOM:
        if len(data) < 2 * width or len(data) % width:
            continue
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    if best is None or best[0] < 0.9 * len(best[1]):
        return None
    return best[1], best[2]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode page bytes; returns (text without BOM, encoding name). Line endings are kept."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise DecodeError("the file is empty")
    bom = next((b for b in _BOMS if data.startswith(b[0])), None)
    candidates = [bom[1:]] if bom else [("utf-8", "utf-8"), *_LEGACY]
    legacy: list[tuple[float, str, str]] = []
    for codec, name in candidates:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            wide = _unicode_without_bom(data) if "\x00" in text else None
            if wide is not None:
                return wide
            raise DecodeError("the file is binary (NUL bytes or control characters), not text")
        if not text.strip():
            raise DecodeError("the file holds no text")
        if (codec, name) not in _LEGACY:
            return text, name
        legacy.append((common_share(text), text, name))
    if legacy:
        share, text, name = max(legacy, key=lambda c: c[0])  # the first on a tie
        if share < PLAUSIBLE_SHARE:
            raise DecodeError(
                "the text is not plausible Chinese in GB18030 or Big5 (at best "
                f"{share:.0%} of its characters are common ones)"
            )
        return text, name
    if b"\x00" in data:
        wide = _unicode_without_bom(data)
        if wide is not None:
            return wide
        raise DecodeError("the file is binary (NUL bytes), not text")
    raise DecodeError("the bytes are neither UTF-8, UTF-16, UTF-32, GB18030 nor Big5 text")


def read_page(path: str | Path) -> tuple[str, str]:
    """Read and decode one page file; DecodeError messages name the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DecodeError(f"{path}: cannot be read ({exc.strerror or exc}).") from exc
    try:
        return decode_bytes(data)
    except DecodeError as exc:
        raise DecodeError(f"{path}: {exc}.") from None
