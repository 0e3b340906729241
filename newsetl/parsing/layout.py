"""Layout disorder: orphan headlines re-attached by content, truncated bodies."""

from __future__ import annotations

from newsetl.model import Anomaly
from newsetl.parsing.affinity import bigrams, containment, share
from newsetl.parsing.segment import Draft

BODYLESS_MATCH = 0.3
RESUME_MATCH = 0.02  # continuations measured at 0.02–0.39, unrelated text at 0
ONLY_PAIR_MATCH = 0.1  # one headline without body, one body without headline
LINE_MATCH = 0.4
MIN_ORPHAN_LINE = 10
SUFFIX_GAIN = 0.3
KEEP_MATCH = 0.3
# How many items before and after a crowded headline block its lines may belong to: a line
# printed away from its body is printed near it, and the search stays linear in page size.
NEARBY = 8


def _orphan(page: str, units: list, detail: str) -> Anomaly:
    start, end = units[0].start, units[-1].end
    return Anomaly("orphan_headline", start, end, page[start:end], detail)


def _headless(drafts: list[Draft]) -> list[Draft]:
    return [d for d in drafts if not d.headline and not d.triangle and d.frags and d.is_article]


def _attach_bodyless(page: str, drafts: list[Draft]) -> list[Anomaly]:
    """Bodyless headline blocks to headless bodies: by content, or as the only pair there is."""
    found: list[Anomaly] = []
    blocks = [d for d in drafts if d.headline and not d.frags and not d.dateline]
    only_pair = len(blocks) == 1 and len(_headless(drafts)) == 1
    for block in blocks:
        tb = bigrams("".join(u.text for u in block.headline))
        scored = [(share(tb, d.text()), d) for d in _headless(drafts)]
        if not scored:
            continue
        score, target = max(scored, key=lambda s: s[0])
        if score >= BODYLESS_MATCH or (only_pair and score >= ONLY_PAIR_MATCH):
            target.headline = block.headline
            target.captions.extend(block.captions)
            drafts.remove(block)
            found.append(_orphan(page, block.headline, f"headline matched to a body ({score:.2f})"))
    return found


def _split_suffix(d: Draft, line_units: list, k: int) -> Draft:
    cut = d.frags[k].start
    new = Draft(headline=line_units, frags=d.frags[k:], split_from_suffix=True)
    d.frags = d.frags[:k]
    for attr in ("credits", "bylines", "captions", "jumps", "notes"):
        keep = [u for u in getattr(d, attr) if u.start < cut]
        setattr(new, attr, [u for u in getattr(d, attr) if u.start >= cut])
        setattr(d, attr, keep)
    return new


def _best_suffix(tb: frozenset[str], own: frozenset[str], d: Draft) -> tuple[float, int]:
    """(gain, k): how much better the line fits d.frags[k:] than the text before it."""
    if len(d.frags) < 2 or share(tb, d.text(1)) < LINE_MATCH:
        return 0.0, 0  # no fragment after the first can reach LINE_MATCH
    scores = [(share(tb, u.text), share(own, u.text)) for u in d.frags]
    best = max(range(1, len(scores)), key=lambda j: scores[j][0], default=None)
    if best is None or scores[best][0] < LINE_MATCH:
        return 0.0, 0
    k = best
    while k - 1 >= 1 and scores[k - 1][0] > scores[k - 1][1]:
        k -= 1
    prefix = "\n".join(u.text for u in d.frags[:k])
    return share(tb, d.text(k)) - share(tb, prefix), k


def _fits(lines: list, body: str, labels: bool = False) -> bool:
    """Every remaining headline line still speaks of the body; with `labels`, lines too short
    to be more than a column label (`评论员文章`) need not."""
    return all(
        share(bigrams(u.text), body) >= KEEP_MATCH
        for u in lines
        if not labels or len(u.text) >= MIN_ORPHAN_LINE
    )


def _split_crowded_blocks(page: str, drafts: list[Draft]) -> list[Anomaly]:
    """A line of a block of three or more that belongs to another body: a headless one, or
    (not the block's first line) the tail of an article it fits better than its head."""
    found: list[Anomaly] = []
    for owner in [d for d in drafts if len(d.headline) >= 3]:
        for line in list(owner.headline):
            if len(line.text) < MIN_ORPHAN_LINE or len(owner.headline) < 3:
                continue
            rest = [u for u in owner.headline if u is not line]
            tb, own = bigrams(line.text), bigrams("".join(u.text for u in rest))
            at = drafts.index(owner)
            near = drafts[max(0, at - NEARBY) : at + NEARBY + 1]
            headless = [(share(tb, d.text()), d) for d in _headless(near)]
            score, target = max(headless, key=lambda s: s[0], default=(0.0, None))
            to_headless = target is not None and score >= BODYLESS_MATCH
            if to_headless and _fits(rest, owner.text(), labels=True):
                target.headline = [line]
            elif line is owner.headline[0]:
                continue  # a block's first line goes only to a body without a headline
            else:
                cands = [(_best_suffix(tb, own, d), d) for d in near if d.is_article]
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


def _merge(into: Draft, tail: Draft) -> None:
    for attr in ("frags", "credits", "bylines", "captions", "jumps", "notes"):
        getattr(into, attr).extend(getattr(tail, attr))
    into.frags.sort(key=lambda u: u.start)
    into.closed = into.closed or tail.closed


def _host(d: Draft) -> bool:
    return d.is_article and bool(d.headline) and bool(d.frags) and not d.bylines


def _claimed(body: Draft, drafts: list[Draft]) -> bool:
    """A bodyless headline block on the page matches this headless body best."""
    for block in [d for d in drafts if d.headline and not d.frags and not d.dateline]:
        tb = bigrams("".join(u.text for u in block.headline))
        score, best = max(((share(tb, d.text()), d) for d in _headless(drafts)), key=lambda s: s[0])
        if best is body and score >= BODYLESS_MATCH:
            return True
    return False


def _reads_on(rest: Draft, host: Draft, guest: Draft) -> bool:
    """The body shares more of its wording with the host article (its headline and body)
    than with the closed item."""
    # a whole body's bigrams: intersecting sets beats one substring search per bigram
    words = bigrams(rest.text())
    to_host = containment(words, bigrams("".join(u.text for u in host.headline) + host.text()))
    return to_host >= RESUME_MATCH and to_host > containment(
        words, bigrams("".join(u.text for u in guest.units()))
    )


def _resume_after_closed(drafts: list[Draft]) -> None:
    """A headless, dateline-less body right after a closed item continues the article before."""
    k = 2
    while k < len(drafts):
        host, guest, rest = drafts[k - 2], drafts[k - 1], drafts[k]
        if (
            _host(host)
            and guest.closed
            and guest.headline
            and not rest.headline
            and not rest.dateline
            and not rest.triangle
            and rest.is_article
            and rest.frags
            and not _claimed(rest, drafts)
            and _reads_on(rest, host, guest)
        ):
            _merge(host, rest)
            guest.interleaved = True
            del drafts[k]
            continue
        k += 1


def resume_interrupted(drafts: list[Draft]) -> None:
    """Put an article's paragraphs printed after a short item back into the article."""
    _resume_after_closed(drafts)


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
    head: tuple[str, str] | None = None
    if d.continued and not d.headline:
        head = ("headless_article", "continued from another page without its headline")
    elif starts_cut and d.is_article:
        head = ("truncated_article", "body starts without its lead")
    if head is not None and first is not None:
        s, e = first[0], min(first[1], first[0] + 24)
        out.append(Anomaly(head[0], s, e, page[s:e], head[1]))
    if ends_open and last is not None:
        s, e = last
        out.append(
            Anomaly(
                "truncated_article",
                max(s, e - 16),
                e,
                page[max(s, e - 16) : e],
                "continues on another page" if d.continues_elsewhere else "body ends mid-sentence",
            )
        )
    return out
