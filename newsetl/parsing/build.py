"""From draft items to model Items: headline parts, people, paragraphs, dates, flags."""

from __future__ import annotations

from newsetl.model import Anomaly, Item, Paragraph
from newsetl.parsing import patterns
from newsetl.parsing.bylines import credit_names, people
from newsetl.parsing.dates import resolve
from newsetl.parsing.flags import paragraph_flags
from newsetl.parsing.headlines import headline_parts
from newsetl.parsing.layout import truncation
from newsetl.parsing.repairs import ParagraphBuilder
from newsetl.parsing.segment import Draft


def _add(names: list[str], new: list[str]) -> None:
    names.extend(n for n in new if n not in names)


def build_item(page: str, d: Draft, builder: ParagraphBuilder) -> Item:
    """One Item from a draft, its paragraphs repaired and its anomalies attached."""
    banner, lines, title = headline_parts(d.headline)
    before = len(builder.anomalies)
    anchor = d.dateline.start if d.dateline else None
    paras, intertitles = builder.build(d.frags, anchor)
    anomalies: list[Anomaly] = builder.anomalies[before:]
    kind = "article" if d.is_article else "photo"
    item = Item(kind=kind, title=title, headline_lines=lines, page_banner=banner)
    item.intertitles = intertitles
    if d.dateline:
        item.dateline = d.dateline.text
        for field, names in people(d.dateline.extra).items():
            _add(getattr(item, field), names)
    for byline in d.bylines:
        for field, names in people(byline.extra).items():
            _add(getattr(item, field), names)
    for credit in d.credits:
        _add(item.photographers, credit_names(credit.extra))
    item.captions = [u.text for u in d.captions]
    item.paragraphs = [Paragraph(p.text, p.spans) for p in paras]
    lead = paras[0].text if paras else ""
    if d.dateline:  # a dispatch head (`新华社郑州5月9日电`) dates the item
        lead = f"{d.dateline.text}\n{lead}"
    date = resolve(lead, item.body, page)
    item.date_text, item.date = date.text, date.iso
    item.date_confidence, item.date_evidence = date.confidence, date.evidence
    for p in paras:
        anomalies.extend(paragraph_flags(page, p, builder.scan))
    for u in d.captions:
        if u.kind == "placeholder":
            anomalies.append(
                Anomaly("image_placeholder", u.start, u.end, u.text, "image not printed")
            )
    last_text = paras[-1].text if paras else ""
    ends_open = bool(paras) and not (
        patterns.ends_sentence(last_text)
        or patterns.DATE_ONLY.match(last_text)
        or patterns.table_row(last_text)
        or patterns.display_line(last_text)
    )  # a notice ends signed and dated, a table with a row, a box with a slogan
    first = paras[0].spans[0] if paras else None
    last = paras[-1].spans[-1] if paras else None
    anomalies.extend(truncation(page, d, first, last, ends_open))
    if d.interleaved and d.headline:
        h = d.headline
        anomalies.append(
            Anomaly(
                "interleaved_article",
                h[0].start,
                h[-1].end,
                page[h[0].start : h[-1].end],
                "printed inside another article",
            )
        )
    units = d.units()
    item.start = min(u.start for u in units)
    item.end = max(u.end for u in units)
    item.anomalies = sorted(anomalies, key=lambda a: (a.start, a.type))
    return item
