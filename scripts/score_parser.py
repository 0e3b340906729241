"""Score the page parser against gold files: items, fields and anomalies.

With no arguments, scores the three corpora there are: the seed pages, the pages written
after the parser (`tests/pages`), and the real printed pages in `../shared/realpages` when
that folder is present (they are read from there, never copied into the repository).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsetl.devtools.scoring import format_table, score_corpus
from newsetl.devtools.synth import GOLD

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "realpages"
CORPORA = {
    "seeds": (GOLD, ROOT / "seeds"),
    "tests/pages": (ROOT / "tests" / "pages" / "gold.json", ROOT / "tests" / "pages"),
    "realpages": (REAL / "truth.json", REAL / "pages"),
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, help="one gold file to score (with --pages)")
    ap.add_argument(
        "--pages", type=Path, help="directory of the gold's pages (default: its pages/ or its own)"
    )
    ap.add_argument(
        "--strict", action="store_true", help="a body must start with the gold's first characters"
    )
    ap.add_argument("--per-page", action="store_true", help="item F1 of every page")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument(
        "--unexplained", action="store_true", help="list reported anomalies no gold explains"
    )
    args = ap.parse_args(argv)
    if args.gold:
        beside = args.gold.parent / "pages"
        pages = args.pages or (beside if beside.is_dir() else args.gold.parent)
        corpora = {str(args.gold): (args.gold, pages)}
    else:
        corpora = {k: v for k, v in CORPORA.items() if v[0].exists()}
    scores = {name: score_corpus(g, p, args.strict) for name, (g, p) in corpora.items()}
    if args.json:
        out = {name: s.to_json() for name, s in scores.items()}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for name, score in scores.items():
        print(f"== {name}")
        print(format_table(score, args.per_page))
        if args.misses:
            print("\n".join(score.misses))
        if args.unexplained:
            print("\n".join(score.unexplained))
    return 0


if __name__ == "__main__":
    sys.exit(main())
