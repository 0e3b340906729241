"""Walking the classified units of a page and grouping them into draft items."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsetl.parsing import patterns
from newsetl.parsing.affinity import bigrams, containment, share
from newsetl.parsing.conventions import PageConventions
from newsetl.parsing.lines import Unit, title_like
from newsetl.parsing.repeats import runs_on

INTERTITLE_AFFINITY = 0.5
COHESION_LINES = 8  # lines before a block its words are looked for in
COHESION_GAIN = 0.3  # how much more of them the three lines after it must hold
COHESION_BEFORE = 0.15  # the most of them the lines before it may hold


@dataclass
class Draft:
    """An item under construction: its units grouped by role."""

    headline: list[Unit] = field(default_factory=list)
    dateline: Unit | None = None
    frags: list[Unit] = field(default_factory=list)  # text and intertitle units, page order
    credits: list[Unit] = field(default_factory=list)
    bylines: list[Unit] = field(default_factory=list)
    captions: list[Unit] = field(default_factory=list)
    jumps: list[Unit] = field(default_factory=list)  # continued from / on another page
    notes: list[Unit] = field(default_factory=list)  # after the body: author, dispatch
    triangle: bool = False
    closed: bool = False
    interleaved: bool = False
    split_from_suffix: bool = False

    @property
    def is_article(self) -> bool:
        return not self.triangle and not (self.credits and not self.dateline and not self.bylines)

    def text(self, skip: int = 0) -> str:
        return "\n".join(u.text for u in self.frags[skip:])

    @property
    def start(self) -> int:
        return min(u.start for u in self.units())

    def units(self) -> list[Unit]:
        head = [self.dateline] if self.dateline else []
        parts = self.frags + self.credits + self.bylines + self.captions + self.jumps + self.notes
        return self.headline + head + parts

    @property
    def continued(self) -> bool:
        """Its body starts on another page (`上接第一版`)."""
        return any(u.extra in ("上接", "接上") for u in self.jumps)

    @property
    def continues_elsewhere(self) -> bool:
        """Its body goes on on another page (`下转第三版`)."""
        return any(u.extra in ("下转", "转") for u in self.jumps)


def _is_candidate(u: Unit, loose: bool = False) -> bool:
    return (
        u.kind == "text"
        and not u.indent
        and u.text[0] not in patterns.TRIANGLE
        and title_like(u.text, loose)
    )


def _strong_headline(units: list[Unit], i: int, prev_open: bool) -> bool:
    """Evidence from what follows: a dateline, a marked heading, or a photo credit."""
    j = i + 1
    while j < len(units) and j <= i + 4 and _is_candidate(units[j]):
        j += 1
    if j >= len(units):
        return j > i + 1 or not prev_open
    nxt = units[j]
    if nxt.kind in ("dateline", "heading") or _leads_body(units, j):
        return True
    spaced = patterns.spaced_phrases(units[i].text) > 0
    if (prev_open and not spaced) or not (spaced or patterns.DATE_LEAD.match(nxt.text)):
        return False
    for k in range(i + 1, min(len(units), i + 6)):
        u = units[k]
        if u.kind == "credit":
            return k > i + 1 and units[k - 1].kind == "text"
        if u.kind != "text" or u.text[0] in patterns.TRIANGLE or _is_candidate(u):
            return False
    return False


def _leads_body(units: list[Unit], j: int) -> bool:
    """A byline on its own line with the body after it: the byline under a headline."""
    return (
        units[j].kind == "byline"
        and j + 1 < len(units)
        and units[j + 1].kind in ("text", "dateline")
        and not _is_candidate(units[j + 1])
    )


def _block_end(units: list[Unit], i: int) -> int:
    """End of the run of heading-like lines (commas allowed) that starts at i, four at most."""
    j = i + 1
    while j < len(units) and j < i + 4 and _is_candidate(units[j], loose=True):
        j += 1
    return j


def _shaped(units: list[Unit], i: int) -> bool:
    """The run of lines from i is shaped like a headline block: phrases spaced apart, a
    column label in brackets at a line's end, a subtitle (`——记…`) or a kicker (`…——`)."""
    block = units[i : _block_end(units, i)]
    return any(
        patterns.spaced_phrases(u.text)
        or patterns.COLUMN_LABEL.search(u.text)
        or u.text.endswith("——")
        or (k and u.text.startswith("——"))
        for k, u in enumerate(block)
    )


def _weak_headline(units: list[Unit], i: int, prev_open: bool, fresh: bool = False) -> bool:
    """Two of: the text before is closed, a block shaped like a headline, a dated lead after,
    a document's name (`…的公示`),
    `fresh`: no item is open (the page starts, or the last item was signed off)."""
    score = int(not prev_open) + int(_shaped(units, i))
    score += int(fresh) + int(bool(patterns.DOCUMENT_TITLE.search(units[i].text)))
    nxt = units[i + 1] if i + 1 < len(units) else None
    score += int(
        nxt is not None and nxt.kind == "text" and bool(patterns.DATE_LEAD.match(nxt.text))
    )
    return score >= 2


def _open_feature(drafts: list[Draft]) -> Draft | None:
    """The latest article without dateline or closing byline that may be resumed."""
    for d in reversed(drafts[:-1]):
        if d.is_article and d.headline and not d.dateline and not d.bylines and d.frags:
            return d
        if d.bylines or (d.is_article and not d.dateline):
            return None
    return None


def _lift(text: frozenset[str], target: frozenset[str], others: list[frozenset[str]]) -> float:
    base = sum(containment(o, target) for o in others) / len(others) if others else 0.0
    return containment(text, target) / (base + 0.05)


class Segmenter:
    """Turns the unit stream of one page into drafts."""

    def __init__(self, units: list[Unit]) -> None:
        self.units = units
        self.page = PageConventions.read(units)
        self.drafts: list[Draft] = []
        self.pending: list[Unit] = []  # figure captions and placeholders waiting for an item

    @property
    def cur(self) -> Draft | None:
        return self.drafts[-1] if self.drafts else None

    def _new(self, **kw: object) -> Draft:
        d = Draft(**kw)  # type: ignore[arg-type]
        d.captions.extend(self.pending)
        self.pending.clear()
        self.drafts.append(d)
        return d

    def _prev_open(self) -> bool:
        d = self.cur
        if d is None or d.closed or not d.frags:
            return False
        last = d.frags[-1]
        return last.kind == "text" and not patterns.ends_sentence(last.text)

    def _resume(self, feature: Draft) -> None:
        """Move the tail of the interrupting item back to the feature it interrupted."""
        cur = self.cur
        assert cur is not None
        idx = self.drafts.index(feature)
        others = [bigrams(u.text) for d in self.drafts for u in d.frags]
        feat_set = bigrams(feature.text() + "".join(u.text for u in feature.headline))
        core = bigrams("".join(u.text for u in cur.headline) + cur.text()[: len(cur.frags[0].text)])
        diffs = [
            _lift(fb, feat_set, others) - _lift(fb, core, others)
            for fb in (bigrams(u.text) for u in cur.frags[1:])
        ]
        gains = [sum(diffs[j:]) for j in range(len(diffs) + 1)]
        k = 1 + max(range(len(gains)), key=lambda j: (gains[j], -j))
        feature.frags.extend(cur.frags[k:])
        del cur.frags[k:]
        feature.frags.sort(key=lambda u: u.start)
        for d in self.drafts[idx + 1 :]:
            d.interleaved = True
        self.drafts.remove(feature)
        self.drafts.append(feature)

    def _intertitle_target(self, u: Unit) -> Draft | None:
        cur = self.cur
        if cur is None or len(u.text) < 6:
            return None
        tb = bigrams(u.text)
        if (
            cur.is_article
            and not cur.dateline
            and cur.headline
            and len(cur.frags) >= 2
            and share(tb, cur.text()) >= INTERTITLE_AFFINITY
        ):
            return cur
        feature = _open_feature(self.drafts)
        if feature is not None and share(tb, feature.text()) >= INTERTITLE_AFFINITY:
            return feature
        return None

    def run(self) -> list[Draft]:
        units = self.units
        i = 0
        while i < len(units):
            u = units[i]
            if self._quoted_intertitle(i):
                u.kind = "intertitle"
            elif u.kind == "heading" or (
                not self.page.marked
                and self._candidate(i)
                and not self._leads_on(i)
                and self._headline_here(i)
            ):
                i = self._headline_block(i)
                continue
            self._place(u, units[i - 1] if i else None)
            i += 1
        if self.pending:  # figure captions after the last item, or on a page of nothing else
            (self.drafts[-1] if self.drafts else self._new()).captions.extend(self.pending)
        return self.drafts

    def _candidate(self, i: int) -> bool:
        """A line that may start a headline block: heading-like, or with commas where the
        page sets it apart or the lines from it are shaped like a headline block."""
        u = self.units[i]
        if _is_candidate(u):
            return True
        return _is_candidate(u, loose=True) and (self._set_apart(i) or _shaped(self.units, i))

    def _set_apart(self, i: int) -> bool:
        """The page sets this line apart from the text before it: the page starts, or more
        blank lines than between paragraphs come after a finished paragraph."""
        if i == 0:
            return True
        wide = self.units[i].gap > self.page.paragraph_gap
        return self.page.spaced_items and wide and not self._prev_open()

    def _cut_short(self, i: int) -> bool:
        """The line stops inside a word the next line finishes: a cut line, not a headline."""
        nxt = self.units[i + 1] if i + 1 < len(self.units) else None
        return nxt is not None and nxt.kind == "text" and runs_on(self.units[i].text, nxt.text)

    def _headline_here(self, i: int) -> bool:
        if self._cut_short(i):
            return False
        if self._set_apart(i):
            return True
        prev_open = self._prev_open()
        if _strong_headline(self.units, i, prev_open):
            return True
        if prev_open:
            return False
        target = self._intertitle_target(self.units[i])
        if target is not None:
            if target is not self.cur:
                self._resume(target)
            self.units[i].kind = "intertitle"
            return False
        fresh = self.cur is None or self.cur.closed
        if i in self.page.parallel and not fresh:
            self.units[i].kind = "intertitle"
            return False
        # where the page's spacing sets no item apart, the words of a block tell
        heads = not self.page.spaced_items and self._speaks_of_what_follows(i)
        return _weak_headline(self.units, i, prev_open, fresh or heads)

    def _speaks_of_what_follows(self, i: int) -> bool:
        """The block's words come back in the text after it, not in the text before it: it
        heads what follows rather than going on with what came before."""
        units = self.units
        if patterns.ENUMERATOR.match(units[i].text):
            return False  # a numbered entry (`二、不老村`) goes on with its list
        j = _block_end(units, i)
        tb = bigrams("".join(u.text for u in units[i:j]))
        before = "".join(u.text for u in units[max(0, i - COHESION_LINES) : i] if u.kind == "text")
        after = "".join(u.text for u in units[j : j + 3] if u.kind == "text")
        held_before = share(tb, before)
        return held_before < COHESION_BEFORE and share(tb, after) - held_before >= COHESION_GAIN

    def _leads_on(self, i: int) -> bool:
        """The unit is the rest of a line that starts with a dateline: the lead."""
        before = self.units[i - 1] if i else None
        return (
            before is not None and before.kind == "dateline" and before.end == self.units[i].start
        )

    def _quoted_intertitle(self, i: int) -> bool:
        """A short line in quotes or in 【】 between two paragraphs of an article."""
        u, cur = self.units[i], self.cur
        return (
            u.kind == "text"
            and u.text[0] in "“【"
            and cur is not None
            and cur.is_article
            and bool(cur.frags)
            and not cur.closed
            and not self._prev_open()
            and i + 1 < len(self.units)
            and self.units[i + 1].kind == "text"
            and bool(patterns.QUOTED_HEAD.match(u.text))
        )

    def _headline_block(self, i: int) -> int:
        block: list[Unit] = []
        units = self.units
        apart = self._set_apart(i)
        while i < len(units) and (
            units[i].kind == "heading"
            or not block
            or (apart and len(block) < 4 and self._goes_on(block[-1], i))
            or (_is_candidate(units[i]) and self._continues_block(i))
        ):
            units[i].kind = "heading"
            block.append(units[i])
            i += 1
        self._new(headline=block)
        return i

    def _goes_on(self, last: Unit, i: int) -> bool:
        """A line printed like the headline line above it, with no more space between."""
        u = self.units[i]
        return (
            _is_candidate(u, loose=True)
            and u.gap <= self.page.paragraph_gap
            and u.flush == last.flush
            and not self._cut_short(i)
        )

    def _continues_block(self, i: int) -> bool:
        j = i
        while j < len(self.units) and _is_candidate(self.units[j]) and j < i + 4:
            j += 1
        return (
            j >= len(self.units)
            or self.units[j].kind in ("dateline", "heading")
            or _leads_body(self.units, j)
            or _strong_headline(self.units, i, False)
            # below a headline line, no item is open: one more sign will do
            or _weak_headline(self.units, i, False, fresh=True)
        )

    def _place(self, u: Unit, before: Unit | None) -> None:
        """Put a unit into the item it belongs to (`before`: the unit printed above it)."""
        cur = self.cur
        if u.kind == "footer":
            return  # the page's staff line belongs to no item
        if u.kind == "label":  # a box's label inside an item: read like an intertitle
            u.kind = "intertitle"
            (cur if cur is not None and not cur.closed else self._new()).frags.append(u)
            return
        if u.kind == "note":
            cur = cur or self._new()
            cur.notes.append(u)
            cur.closed = True
            return
        if u.kind in ("placeholder", "figcap"):
            self.pending.append(u)
        elif u.kind == "dateline":
            lead_in = all(f.text[0] in patterns.BULLET for f in cur.frags) if cur else False
            if cur is None or cur.dateline or not lead_in or cur.closed or not cur.headline:
                cur = self._new()  # summary points (`■…`) may stand between headline and dateline
            cur.dateline = u
        elif u.kind == "credit":
            cur = cur or self._new()
            cur.credits.append(u)
            cur.closed = cur.closed or before is None or before.kind != "caption"
        elif u.kind == "caption" and cur is not None and not cur.closed:
            cur.captions.append(u)
        elif u.kind == "caption":
            u.kind = "text"
            self._new().frags.append(u)
        elif u.kind == "byline" and cur is not None and cur.headline and not cur.frags:
            cur.bylines.append(u)  # under the headline: the body follows
        elif u.kind == "byline":
            feature = _open_feature(self.drafts)
            if cur is not None and cur.dateline and feature is not None:
                self._resume(feature)
                cur = feature
            if cur is None:
                cur = self._new()
            cur.bylines.append(u)
            cur.closed = True
        elif u.kind == "jump" and u.extra in ("上接", "接上"):
            if cur is None or cur.frags or cur.closed or cur.dateline:
                cur = self._new()
            cur.jumps.append(u)
        elif u.kind == "jump":
            cur = cur or self._new()
            cur.jumps.append(u)
            cur.closed = True
        elif u.kind == "intertitle":
            assert cur is not None
            cur.frags.append(u)
        else:
            if u.text[0] in patterns.TRIANGLE or cur is None or cur.closed:
                cur = self._new(triangle=u.text[0] in patterns.TRIANGLE)
            cur.frags.append(u)


def segment(units: list[Unit]) -> list[Draft]:
    """Group a page's units into draft items (before orphan and repair passes)."""
    return Segmenter(units).run()
