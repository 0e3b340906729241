"""Reading a headline block: page banner, kicker, main title, subtitle."""

from __future__ import annotations

from newsetl.parsing.lines import Unit


def headline_parts(block: list[Unit]) -> tuple[str | None, list[str], str | None]:
    """(page_banner, headline_lines, title) of a block of headline units."""
    units = list(block)
    banner = None
    if len(units) >= 3:
        banner = units.pop(0).text
    lines = [u.text for u in units]
    if not lines:
        return banner, [], None
    marked = [u for u in units if u.level]
    if marked:
        top = min(u.level for u in marked)
        return banner, lines, next(u.text for u in marked if u.level == top)
    for k, line in enumerate(lines):
        if k and line.startswith(("——", "--", "—")):
            return banner, lines, lines[k - 1]
    return banner, lines, lines[0]
