"""Score the parser on the real pages printed again in layouts they were not printed in.

Each page of `../shared/realpages` (read from there, never copied into the repository) is
reduced to its lines, with whether each was indented and whether more space than between
paragraphs came before it, and printed again in each layout:

- `indented`: paragraphs indented, a blank line between articles only;
- `indented_blank`: paragraphs indented, a blank line between paragraphs, two between articles;
- `blank_wide`: nothing indented, a blank line between lines, two between articles;
- `blank`: nothing indented, one blank line between all lines (nothing sets articles apart);
- `indented_flat`: paragraphs indented, no blank lines at all;
- `flat`: nothing indented, no blank lines at all.

The items are scored as `score_parser.py` does (anomalies are left out: their offsets belong
to the printed layout). Pages printed with `#` marks are skipped (the marks would have to be
kept or dropped by hand), and so are pages printed flat (they carry no layout to keep).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsetl.devtools.scoring import FIELDS, Score, score_page
from newsetl.parsing import parse_page

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "realpages"
INDENT = "\u3000\u3000"
LAYOUTS = ("indented", "indented_blank", "blank_wide", "blank", "indented_flat", "flat")


def _lines(text: str, paragraph_gap: int) -> list[tuple[bool, bool, str]]:
    """(indented, set apart, text) of every printed line."""
    out: list[tuple[bool, bool, str]] = []
    gap = 0
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            gap += 1
            continue
        out.append((line.startswith(INDENT), bool(out) and gap > paragraph_gap, line.strip()))
        gap = 0
    return out


def reprint(lines: list[tuple[bool, bool, str]], layout: str) -> str:
    """The lines printed in one layout."""
    indent = layout.startswith("indented")
    printed: list[str] = []
    for k, (indented, apart, text) in enumerate(lines):
        if k and layout in ("indented_blank", "blank_wide", "blank"):
            printed.append("")
        if k and apart and layout in ("indented", "indented_blank", "blank_wide"):
            printed.append("")
        printed.append((INDENT if indent and indented else "") + text)
    return "\n".join(printed) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", type=Path, default=REAL, help="the real-page benchmark folder")
    ap.add_argument("layouts", nargs="*", default=LAYOUTS, help=f"of {', '.join(LAYOUTS)}")
    args = ap.parse_args(argv)
    truth = json.loads((args.real / "truth.json").read_text(encoding="utf-8"))["files"]
    for layout in args.layouts:
        total = Score()
        for name, entry in truth.items():
            if entry["format"] in ("hash", "flat"):
                continue
            text = (args.real / "pages" / name).read_text(encoding="utf-8")
            gap = 1 if entry["format"] in ("indent_blank", "blank") else 0
            page = parse_page(reprint(_lines(text, gap), layout), source=name)
            total.add(score_page(page, {**entry, "anomalies": []}))
        fields = "  ".join(f"{f} {total.field_accuracy(f):.3f}" for f in FIELDS)
        print(f"{layout:<15} item P/R/F1 {total.precision:.3f} / {total.recall:.3f} / ", end="")
        print(f"{total.f1:.3f}  ({total.gold_items} items)  {fields}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
