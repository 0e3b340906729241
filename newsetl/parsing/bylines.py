"""People in datelines, closing bylines and photo credits."""

from __future__ import annotations

import re

from newsetl.parsing import patterns

_ROLE = re.compile(patterns.ROLE)
_CREDIT_END = re.compile(rf"[\s/／]*{patterns.CREDIT_END}$")
_SEP = re.compile(r"[\s、，,/]+")
_VALID = re.compile(rf"^{patterns.NAME}$")
_WORK = re.compile(r"(?<![文图][/／])(文|图片|图|摄影)[/／](?![文图])")
_WORK_FIELD = {
    "文": "reporters",
    "图": "photographers",
    "图片": "photographers",
    "摄影": "photographers",
}
_ROLE_FIELD = {
    "本报记者": "reporters",
    "特约记者": "reporters",
    "见习记者": "reporters",
    "记者": "reporters",
    "首席记者": "reporters",
    "全媒体记者": "reporters",
    "融媒体记者": "reporters",
    "通讯员": "correspondents",
    "特约通讯员": "correspondents",
    "实习生": "interns",
    "摄影记者": "photographers",
    "摄影": "photographers",
}


def _unpad(parts: list[str]) -> list[str]:
    """Two-character names printed padded to three (`王  婷`, `银  燕  牟  健`) joined again."""
    out: list[str] = []
    k = 0
    while k < len(parts):
        if len(parts[k]) == 1 and k + 1 < len(parts) and len(parts[k + 1]) == 1:
            out.append(parts[k] + parts[k + 1])
            k += 2
        else:
            out.append(parts[k])
            k += 1
    return out


def _names(chunk: str) -> list[str]:
    chunk = re.sub(r"文[/／]?图|图[/／]?文|摄影报道$|摄影$|摄$|报道$", " ", chunk)
    parts = _unpad([n for n in _SEP.split(chunk) if n])
    return [n for n in parts if _VALID.match(n) and len(n) <= 4]


def _role_field(role: str) -> str | None:
    """The field of a role word, whatever outlet it names first (`新华社记者`: reporters)."""
    field = _ROLE_FIELD.get(role)
    return field or next((f for r, f in _ROLE_SUFFIXES if role.endswith(r)), None)


_ROLE_SUFFIXES = sorted(_ROLE_FIELD.items(), key=lambda rf: -len(rf[0]))


def people(text: str) -> dict[str, list[str]]:
    """Names by role field from a dateline or byline such as `记者A 通讯员B` or `文/A 图/B`.

    A work prefix (`文/`, `图/`, `摄影/`) says what its person did, before a role too
    (`图/本报记者 B` is a photographer).
    """
    text = text.strip("()（）" + patterns.BLANKS + patterns.BYLINE_MARK)
    out: dict[str, list[str]] = {f: [] for f in set(_ROLE_FIELD.values())}
    work = list(_WORK.finditer(text))
    roles = [
        m for m in _ROLE.finditer(text) if not any(w.start() <= m.start() < w.end() for w in work)
    ]
    marks = sorted([*work, *roles], key=lambda m: m.start())
    pending: str | None = None  # the field a work prefix gives the role after it
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        field = _WORK_FIELD[m.group(1)] if m.re is _WORK else _role_field(m.group(0))
        field, pending = pending or field, None
        names = _names(text[m.end() : end])
        if m.re is _WORK and not names:
            pending = field
        for name in names:
            if field and name not in out[field]:  # a reader signs, and is no staff
                out[field].append(name)
    if not marks:  # a dispatch's bracket of bare names: its reporters
        out["reporters"] = _names(text)
    if re.search(r"文[/／]?图|图[/／]?文", text):
        for name in out["reporters"]:
            if name not in out["photographers"]:
                out["photographers"].append(name)
    return out


def credit_names(credit: str) -> list[str]:
    """Photographers named in a credit such as `本报记者 朱江森 摄`."""
    return _names(_ROLE.sub(" ", _CREDIT_END.sub("", credit.strip())))
