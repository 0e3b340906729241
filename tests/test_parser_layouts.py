"""The parser on the layouts and conventions of printed pages of other papers.

Every page here is written for the test (never copied from a real page): each shows one
convention a real page uses, in the few lines it takes.
"""

from __future__ import annotations

from newsetl.parsing import parse_page


def test_dateline_with_non_breaking_spaces_before_the_people() -> None:
    page = parse_page(
        "河滩地里种出了新希望\n\n"
        "本报洛阳3月2日电\u00a0\u00a0（记者周明远）春耕时节，河滩地里一片忙碌。\n\n"
        "村民们说，今年的收成有了指望。\n"
    )
    (item,) = page.items
    assert item.dateline == "本报洛阳3月2日电\u00a0\u00a0（记者周明远）"
    assert item.reporters == ["周明远"]
    assert item.body.startswith("春耕时节")
