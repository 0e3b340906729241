"""Content affinity between short texts (headlines) and bodies: character-bigram containment."""

from __future__ import annotations

import operator
import re
from functools import lru_cache

from newsetl.parsing.patterns import CJK

_RUN = re.compile(rf"[{CJK}A-Za-z0-9]+")


@lru_cache(maxsize=2048)
def bigrams(text: str) -> frozenset[str]:
    """Character bigrams inside runs of CJK / alphanumerics (punctuation and spaces break runs)."""
    grams: set[str] = set()
    for run in _RUN.findall(text):
        grams.update(map(operator.add, run, run[1:]))
    return frozenset(grams)


def containment(short: frozenset[str], long: frozenset[str]) -> float:
    """Share of the short text's bigrams that occur in the long text."""
    return len(short & long) / len(short) if short else 0.0


def share(short: frozenset[str], text: str) -> float:
    """Share of the short text's bigrams found in text (containment without text's bigram set)."""
    return sum(map(text.__contains__, short)) / len(short) if short else 0.0
