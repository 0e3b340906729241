"""Benchmark duplicate detection on a synthetic warehouse of many paragraphs.

Paragraphs are built from sentences of the seed pages, with exact reprints, near copies (a few
characters changed) and spans repeated inside a paragraph mixed in at known rates. Prints the
time of each step and of a whole `duplicates.refresh`, cold (signatures computed) and warm.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

from newsetl.checks import duplicates
from newsetl.enrich import signatures
from newsetl.language.textnorm import text_hash
from newsetl.tables import keys
from newsetl.warehouse import store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PARAS_PER_FILE = 100


def sentences() -> list[str]:
    """Sentences of the seed pages."""
    text = "".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(SEEDS.glob("*")))
    return [s for s in re.findall(r"[^。！？\n]{8,}[。！？]", text) if "#" not in s]


def paragraphs(n: int, seed: int) -> list[str]:
    """n paragraphs; 1% reprints, 1% near copies (1 character in 100 changed), 0.2% with
    a repeated span; the rest are seed sentences with a fifth of their characters replaced."""
    rng = random.Random(seed)
    pool = sentences()
    out: list[str] = []
    for _ in range(n):
        roll = rng.random()
        if out and roll < 0.01:
            out.append(rng.choice(out))
        elif out and roll < 0.02:
            chars = list(rng.choice(out))
            for _ in range(max(1, len(chars) // 100)):
                chars[rng.randrange(len(chars))] = chr(0x4E00 + rng.randrange(5000))
            out.append("".join(chars))
        else:
            chars = list("".join(rng.sample(pool, rng.randint(1, 6))))
            for _ in range(len(chars) // 5):  # every paragraph its own text
                chars[rng.randrange(len(chars))] = chr(0x4E00 + rng.randrange(5000))
            text = "".join(chars)
            if roll > 0.998:
                text += text[: max(signatures.MIN_SPAN_CHARS, len(text) // 2)]
            out.append(text)
    return out


def build(db: Path, texts: list[str]) -> None:
    """A warehouse holding the paragraphs, PARAS_PER_FILE per page file."""
    now = dt.datetime(2024, 1, 1)
    files, articles, paras = [], [], []
    for f0 in range(0, len(texts), PARAS_PER_FILE):
        chunk = texts[f0 : f0 + PARAS_PER_FILE]
        path = f"bench/{f0 // PARAS_PER_FILE:05d}.txt"
        fid = keys.file_id(path, text_hash(path))
        raw = "\n".join(chunk)
        files.append(
            {
                "file_id": fid,
                "path": path,
                "sha256": text_hash(path),
                "size_bytes": len(raw) * 3,
                "encoding": "utf-8",
                "raw_text": raw,
                "n_chars": len(raw),
                "n_items": 1,
                "status": "current",
                "loaded_run": "bench",
                "loaded_at": now,
            }
        )
        aid = keys.article_id(fid, 1)
        articles.append(
            {
                "article_id": aid,
                "file_id": fid,
                "item_no": 1,
                "kind": "article",
                "headline_lines": [],
                "body": raw,
                "n_paragraphs": len(chunk),
                "n_chars": len(raw),
                "n_tokens": 1,
                "start_offset": 0,
                "end_offset": len(raw),
                "is_truncated": False,
                "is_orphan_headline": False,
                "is_interleaved": False,
                "n_anomalies": 0,
            }
        )
        pos = 0
        for seq, text in enumerate(chunk, 1):
            paras.append(
                {
                    "paragraph_id": keys.paragraph_id(aid, seq),
                    "article_id": aid,
                    "file_id": fid,
                    "seq": seq,
                    "text": text,
                    "n_chars": len(text),
                    "norm_hash": text_hash(text),
                    "tokens": [],
                    "n_tokens": 1,
                    "start_offset": pos,
                    "end_offset": pos + len(text),
                }
            )
            pos += len(text) + 1
    with store.connection(db) as con:
        store.migrate(con)
    con = store.connect(db)
    for name, rows in (
        ("dim_source_file", files),
        ("fact_article", articles),
        ("fact_paragraph", paras),
    ):
        con.register("_rows", pa.Table.from_pylist(rows))
        cols = ", ".join(rows[0])
        con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _rows")
        con.unregister("_rows")
    con.close()


def timed(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    print(f"{label:<44} {time.perf_counter() - start:7.2f} s")
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-n", "--paragraphs", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    texts = paragraphs(args.paragraphs, args.seed)
    chars = sum(map(len, texts))
    print(
        f"{len(texts)} paragraphs, {chars / 1e6:.1f} M characters, "
        f"{sum(len(t.encode()) for t in texts) / 1e6:.1f} MB of UTF-8"
    )
    sigs = timed("signatures (numpy, one-permutation MinHash)", signatures.signatures, texts)
    signed = [i for i, s in enumerate(sigs) if s is not None]
    pairs = timed(
        "near pairs (MinHashLSH + exact Jaccard)",
        signatures.near_pairs,
        [sigs[i] for i in signed],
        [texts[i] for i in signed],
    )
    spans = timed("repeated spans inside paragraphs", signatures.repeated_spans, texts)
    print(f"  {len(pairs)} near pairs, {len(spans)} repeated spans")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        timed("build the warehouse", build, db, texts)
        for label in ("refresh, cold (signs every paragraph)", "refresh, warm (a re-run)"):
            con = store.connect(db)
            counts = timed(label, duplicates.refresh, con)
            con.close()
            print(f"  {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
