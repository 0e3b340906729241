"""Write the parser's exact output on every page of the repository as golden files.

Each page of `seeds/*.txt` and `tests/pages/*.txt` gets `tests/golden/<corpus>/<stem>.json`
(corpus `seeds` or `pages`): every item with every field, every anomaly with its offsets, and
the page named by its path relative to the repository. `tests/test_parser_golden.py` holds
the parser to them.

    python scripts/generate_parser_goldens.py          # rewrite those that differ, drop orphans
    python scripts/generate_parser_goldens.py --check  # only list them, exit 1 if any
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsetl.parsing import parse_page
from newsetl.source.decode import read_page

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
CORPORA = {"seeds": ROOT / "seeds", "pages": ROOT / "tests" / "pages"}


def pages() -> list[tuple[str, Path]]:
    """Every (corpus, page file) pair, in a stable order."""
    return [(name, p) for name, folder in CORPORA.items() for p in sorted(folder.glob("*.txt"))]


def golden_path(corpus: str, page: Path) -> Path:
    """The golden file of one page."""
    return GOLDEN / corpus / f"{page.stem}.json"


def parse_golden(page: Path) -> dict[str, Any]:
    """The parse of one page as its golden holds it (plain JSON values, relative source)."""
    text, encoding = read_page(page)
    parsed = parse_page(text, source=page.relative_to(ROOT).as_posix(), encoding=encoding)
    return json.loads(json.dumps(parsed.to_json()))


def render(golden: dict[str, Any]) -> str:
    """A golden's file text."""
    return json.dumps(golden, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the pages that differ (exit 1 if any)",
    )
    args = ap.parse_args(argv)
    wanted: set[Path] = set()
    changed = False
    for corpus, page in pages():
        path = golden_path(corpus, page)
        wanted.add(path)
        text = render(parse_golden(page))
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        changed = True
        if args.check:
            state = "parses differently" if path.is_file() else "has no golden"
            print(f"{page.relative_to(ROOT)}: {state} ({path.relative_to(ROOT)})")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: written")
    for path in sorted(set(GOLDEN.glob("*/*.json")) - wanted):
        changed = True
        if args.check:
            print(f"{path.relative_to(ROOT)}: has no page")
        else:
            path.unlink()
            print(f"{path.relative_to(ROOT)}: removed (no page)")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
