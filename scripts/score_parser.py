"""Score the page parser against a gold file: items, fields and anomalies."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from newsetl.scoring import format_table, score_corpus
from newsetl.synth import GOLD

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", default=GOLD)
    ap.add_argument("--pages", default=ROOT / "seeds", help="directory holding the gold's pages")
    ap.add_argument("--json", action="store_true", help="print the score as JSON")
    ap.add_argument("--misses", action="store_true", help="list every miss")
    ap.add_argument(
        "--unexplained", action="store_true", help="list reported anomalies no gold explains"
    )
    args = ap.parse_args(argv)
    score = score_corpus(args.gold, args.pages)
    if args.json:
        print(json.dumps(score.to_json(), ensure_ascii=False, indent=2))
    else:
        print(format_table(score))
        if args.misses:
            print("\n".join(score.misses))
        if args.unexplained:
            print("\n".join(score.unexplained))
    return 0


if __name__ == "__main__":
    sys.exit(main())
