"""Write generated pages and their gold file (same format as seeds_gold.json)."""

from __future__ import annotations

import argparse
import sys

from newsetl.devtools.synth import write_corpus


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out_dir")
    ap.add_argument("-n", "--pages", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    gold = write_corpus(args.out_dir, args.pages, args.seed)
    print(f"wrote {args.pages} pages and {gold}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
