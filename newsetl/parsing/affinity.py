"""Content affinity between short texts (headlines) and bodies: character-bigram containment."""

from __future__ import annotations

import re

from newsetl.parsing.patterns import CJK

_RUN = re.compile(rf"[{CJK}A-Za-z0-9]+")


def bigrams(text: str) -> set[str]:
    """Character bigrams inside runs of CJK / alphanumerics (punctuation and spaces break runs)."""
    grams: set[str] = set()
    for run in _RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    return grams


def containment(short: set[str], long: set[str]) -> float:
    """Share of the short text's bigrams that occur in the long text."""
    return len(short & long) / len(short) if short else 0.0
