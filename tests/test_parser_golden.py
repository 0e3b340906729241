"""The parser's exact output on every page of the repository, against its golden file.

`tests/golden/<corpus>/<stem>.json` holds every item, field and anomaly the parser made of
the page when the golden was written, so any change in what it makes of a page fails here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scripts.generate_parser_goldens import GOLDEN, ROOT, golden_path, pages, parse_golden

PAGES = pages()
REGENERATE = "if the change is intended, run `python scripts/generate_parser_goldens.py`"


def first_difference(golden: Any, parsed: Any, where: str = "page") -> str | None:
    """Where two JSON values first differ (`items[2].reporters[0]`), and what each holds."""
    if isinstance(golden, dict) and isinstance(parsed, dict):
        for key in [*parsed, *(k for k in golden if k not in parsed)]:
            if key not in golden or key not in parsed:
                return f"{where}.{key}: only in the {'golden' if key in golden else 'parse'}"
            found = first_difference(golden[key], parsed[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(golden, list) and isinstance(parsed, list):
        for k, (g, p) in enumerate(zip(golden, parsed, strict=False)):
            found = first_difference(g, p, f"{where}[{k}]")
            if found:
                return found
        if len(golden) != len(parsed):
            return f"{where}: {len(golden)} in the golden, {len(parsed)} parsed"
        return None
    return None if golden == parsed else f"{where}: golden {golden!r}, parsed {parsed!r}"


@pytest.mark.parametrize(
    ("corpus", "page"), PAGES, ids=[f"{corpus}/{page.stem}" for corpus, page in PAGES]
)
def test_parse_matches_golden(corpus: str, page: Path) -> None:
    golden = json.loads(golden_path(corpus, page).read_text(encoding="utf-8"))
    difference = first_difference(golden, parse_golden(page))
    assert difference is None, f"{difference}; {REGENERATE}"


def test_every_page_has_a_golden_and_every_golden_a_page() -> None:
    wanted = {golden_path(corpus, page) for corpus, page in PAGES}
    present = set(GOLDEN.glob("*/*.json"))
    missing = sorted(str(p.relative_to(ROOT)) for p in wanted - present)
    orphans = sorted(str(p.relative_to(ROOT)) for p in present - wanted)
    assert not missing and not orphans, f"no golden: {missing}, no page: {orphans}; {REGENERATE}"
