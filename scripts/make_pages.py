"""Write generated pages and their gold file (same format as seeds_gold.json)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsetl.devtools.synth import write_corpus

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out_dir")
    ap.add_argument("-n", "--pages", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--seeds", type=Path, default=SEEDS, help="the seed pages to draw from")
    args = ap.parse_args(argv)
    gold = write_corpus(args.out_dir, args.pages, args.seeds, args.seed)
    print(f"wrote {args.pages} pages and {gold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
