"""Decoding raw page bytes: BOM sniffing, UTF-8 / UTF-16 / GB18030, binary detection."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

# Control characters other than \t \n \v \f \r; code points outside ASCII and the CJK ranges.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
_IMPLAUSIBLE = re.compile("[\x80-\u2fff\ua000-\ufeff]")


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
    """How many characters are ASCII, CJK (U+3000–U+9FFF) or full-width forms (U+FF00 on)."""
    return len(text) - len(_IMPLAUSIBLE.findall(text))


def _utf16_without_bom(data: bytes) -> str | None:
    """Text in UTF-16 without a BOM: the byte order that decodes to the most plausible text."""
    if len(data) < 4 or len(data) % 2:
        return None
    best: tuple[int, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            continue
        score = _plausible(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best is None or best[0] < 0.9 * len(best[1]):
        return None
    return best[1]


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode page bytes; returns (text without BOM, encoding name). Line endings are kept."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise DecodeError("the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", data[3:], "utf-8")]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", data, "utf-16")]
    else:
        candidates = [("utf-8", data, "utf-8"), ("gb18030", data, "gb18030")]
    for name, payload, codec in candidates:
        try:
            text = payload.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            utf16 = _utf16_without_bom(data) if "\x00" in text else None
            if utf16 is not None:
                return utf16, "utf-16"
            raise DecodeError("the file is binary (NUL bytes or control characters), not text")
        if not text.strip():
            raise DecodeError("the file holds no text")
        return text, name
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16, "utf-16"
        raise DecodeError("the file is binary (NUL bytes), not text")
    raise DecodeError("the bytes are neither UTF-8, UTF-16 nor GB18030 text")


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
