"""Layout disorder: orphan headlines re-attached by content, truncated bodies."""

from __future__ import annotations

from newsetl.model import Anomaly
from newsetl.parsing.affinity import bigrams, containment
from newsetl.parsing.segment import Draft

BODYLESS_MATCH = 0.3
LINE_MATCH = 0.4
MIN_ORPHAN_LINE = 10
SUFFIX_GAIN = 0.3
KEEP_MATCH = 0.3


def _orphan(page: str, units: list, detail: str) -> Anomaly:
    start, end = units[0].start, units[-1].end
    return Anomaly("orphan_headline", start, end, page[start:end], detail)


def _headless(drafts: list[Draft]) -> list[Draft]:
    return [d for d in drafts if not d.headline and not d.triangle and d.frags and d.is_article]


def _attach_bodyless(page: str, drafts: list[Draft]) -> list[Anomaly]:
    found: list[Anomaly] = []
    for block in [d for d in drafts if d.headline and not d.frags and not d.dateline]:
        tb = bigrams("".join(u.text for u in block.headline))
        scored = [(containment(tb, bigrams(d.text())), d) for d in _headless(drafts)]
        if not scored:
            continue
        score, target = max(scored, key=lambda s: s[0])
        if score >= BODYLESS_MATCH:
            target.headline = block.headline
            target.captions.extend(block.captions)
            drafts.remove(block)
            found.append(_orphan(page, block.headline, f"headline matched to a body ({score:.2f})"))
    return found


def _split_suffix(d: Draft, line_units: list, k: int) -> Draft:
    cut = d.frags[k].start
    new = Draft(headline=line_units, frags=d.frags[k:], split_from_suffix=True)
    d.frags = d.frags[:k]
    for attr in ("credits", "bylines", "captions"):
        keep = [u for u in getattr(d, attr) if u.start < cut]
        setattr(new, attr, [u for u in getattr(d, attr) if u.start >= cut])
        setattr(d, attr, keep)
    return new


def _best_suffix(tb: set[str], own: set[str], d: Draft) -> tuple[float, int]:
    """(gain, k): how much better the line fits d.frags[k:] than the text before it."""
    scores = [
        (containment(tb, bigrams(u.text)), containment(own, bigrams(u.text))) for u in d.frags
    ]
    best = max(range(1, len(scores)), key=lambda j: scores[j][0], default=None)
    if best is None or scores[best][0] < LINE_MATCH:
        return 0.0, 0
    k = best
    while k - 1 >= 1 and scores[k - 1][0] > scores[k - 1][1]:
        k -= 1
    prefix = "\n".join(u.text for u in d.frags[:k])
    return containment(tb, bigrams(d.text(k))) - containment(tb, bigrams(prefix)), k


def _fits(lines: list, body: str) -> bool:
    """Every remaining headline line still speaks of the body."""
    bb = bigrams(body)
    return all(containment(bigrams(u.text), bb) >= KEEP_MATCH for u in lines)


def _split_crowded_blocks(page: str, drafts: list[Draft]) -> list[Anomaly]:
    """A line inside a block of three or more that belongs to another (headless) body."""
    found: list[Anomaly] = []
    for owner in [d for d in drafts if len(d.headline) >= 3]:
        for line in list(owner.headline[1:]):
            if len(line.text) < MIN_ORPHAN_LINE or len(owner.headline) < 3:
                continue
            rest = [u for u in owner.headline if u is not line]
            tb, own = bigrams(line.text), bigrams("".join(u.text for u in rest))
            headless = [(containment(tb, bigrams(d.text())), d) for d in _headless(drafts)]
            score, target = max(headless, key=lambda s: s[0], default=(0.0, None))
            if target is not None and score >= BODYLESS_MATCH and _fits(rest, owner.text()):
                target.headline = [line]
            else:
                cands = [(_best_suffix(tb, own, d), d) for d in drafts if d.is_article]
                ((score, k), target) = max(cands, key=lambda c: c[0][0], default=((0.0, 0), None))
                if target is None or score < SUFFIX_GAIN:
                    continue
                kept = (
                    owner.text()
                    if target is not owner
                    else "\n".join(u.text for u in owner.frags[:k])
                )
                if not _fits(rest, kept):
                    continue
                drafts.insert(drafts.index(target) + 1, _split_suffix(target, [line], k))
            owner.headline.remove(line)
            found.append(_orphan(page, [line], f"headline line matched to a body ({score:.2f})"))
    return found


def reattach_orphans(page: str, drafts: list[Draft]) -> list[Anomaly]:
    """Give headless bodies the far-away headline that matches them clearly; flag each move."""
    return _attach_bodyless(page, drafts) + _split_crowded_blocks(page, drafts)


def truncation(
    page: str,
    d: Draft,
    first: tuple[int, int] | None,
    last: tuple[int, int] | None,
    ends_open: bool,
) -> list[Anomaly]:
    """Bodies that start without their lead (split off or headless) or end mid-sentence."""
    out: list[Anomaly] = []
    starts_cut = d.split_from_suffix or (not d.headline and not d.dateline and not d.triangle)
    if starts_cut and first is not None and d.is_article:
        s, e = first
        out.append(
            Anomaly(
                "truncated_article",
                s,
                min(e, s + 24),
                page[s : min(e, s + 24)],
                "body starts without its lead",
            )
        )
    if ends_open and last is not None:
        s, e = last
        out.append(
            Anomaly(
                "truncated_article",
                max(s, e - 16),
                e,
                page[max(s, e - 16) : e],
                "body ends mid-sentence",
            )
        )
    return out
