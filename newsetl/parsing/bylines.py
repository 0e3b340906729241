"""People in datelines, closing bylines and photo credits."""

from __future__ import annotations

import re

from newsetl.parsing import patterns as P

_ROLE = re.compile(P.ROLE)
_SEP = re.compile(r"[\s、，,/]+")
_VALID = re.compile(rf"^{P.NAME}$")
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
    """Names by role field from a dateline or closing byline such as `记者A 通讯员B`."""
    text = text.strip("()（） \t\u3000" + P.BYLINE_MARK)
    out: dict[str, list[str]] = {f: [] for f in set(_ROLE_FIELD.values())}
    marks = list(_ROLE.finditer(text))
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        for name in _names(text[m.end() : end]):
            field = _ROLE_FIELD.get(m.group(0))  # a reader signs, and is no staff
            if field and name not in out[field]:
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
