"""People in datelines, closing bylines and photo credits."""

from __future__ import annotations

import re

from newsetl.parsing import patterns as P

_ROLE = re.compile(P.ROLE)
_SEP = re.compile(r"[\s、，,/]+")
_VALID = re.compile(rf"^{P.NAME}$")
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


def _names(chunk: str) -> list[str]:
    chunk = re.sub(r"文[/／]?图|图[/／]?文|摄$", " ", chunk)
    return [n for n in _SEP.split(chunk) if n and _VALID.match(n) and len(n) <= 4]


def people(text: str) -> dict[str, list[str]]:
    """Names by role field from a dateline or byline such as `记者A 通讯员B` or `文/A 图/B`.

    A work prefix (`文/`, `图/`, `摄影/`) says what its person did, before a role too
    (`图/本报记者 B` is a photographer).
    """
    text = text.strip("()（）" + P.BLANKS + P.BYLINE_MARK)
    out: dict[str, list[str]] = {f: [] for f in set(_ROLE_FIELD.values())}
    work = list(_WORK.finditer(text))
    roles = [
        m for m in _ROLE.finditer(text) if not any(w.start() <= m.start() < w.end() for w in work)
    ]
    marks = sorted([*work, *roles], key=lambda m: m.start())
    pending: str | None = None  # the field a work prefix gives the role after it
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        field = _WORK_FIELD[m.group(1)] if m.re is _WORK else _ROLE_FIELD.get(m.group(0))
        field, pending = pending or field, None
        names = _names(text[m.end() : end])
        if m.re is _WORK and not names:
            pending = field
        for name in names:
            if field and name not in out[field]:  # a reader signs, and is no staff
                out[field].append(name)
    if re.search(r"文[/／]?图|图[/／]?文", text):
        for name in out["reporters"]:
            if name not in out["photographers"]:
                out["photographers"].append(name)
    return out


def credit_names(credit: str) -> list[str]:
    """Photographers named in a credit such as `本报记者 朱江森 摄`."""
    text = _ROLE.sub(" ", credit.strip())
    return _names(text.removesuffix("摄"))
