"""Focused rules of the page parser."""

from __future__ import annotations

import pytest

from newsetl.parsing import parse_page
from newsetl.parsing.bylines import credit_names, people
from newsetl.parsing.dates import resolve
from newsetl.parsing.repeats import inline_repeats


@pytest.mark.parametrize(
    "text",
    [
        "实实在在的变化",
        "家家户户",
        "红红火火",
        "垂柳依依",
        "频频点头",
        "人人参与",
        "层层剖析",
        "周周有活动、月月有主题",
        "朗朗上口",
        "原原本本",
        "认真学习习近平法治思想",
    ],
)
def test_reduplication_not_flagged(text: str) -> None:
    assert inline_repeats(text) == []


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("正确的的人生观", "的的"),
        ("24字家家训", "家家"),
        ("高质量发展发展的", "发展发展"),
        ("疫情疫情防控", "疫情疫情"),
        ("抓项目、抓项目热潮", "抓项目、抓项目"),
    ],
)
def test_accidental_repeats_flagged(text: str, hit: str) -> None:
    assert [text[s:e] for s, e, _ in inline_repeats(text)] == [hit]


def test_dateline_and_closing_byline_people() -> None:
    assert people("记者朱江森 通讯员刘媛媛 实习生李曼琪")["interns"] == ["李曼琪"]
    closing = people("（本报记者 朱江森 文/图）")
    assert closing["reporters"] == closing["photographers"] == ["朱江森"]
    assert people("(本报记者 朱江森 通讯员 古国凡)")["correspondents"] == ["古国凡"]
    assert credit_names("本报记者 朱江森 摄") == ["朱江森"]


def test_dates() -> None:
    assert resolve("7月22日下午4点,卫东区", "", "").text == "7月22日下午4点"
    assert resolve("近日,卫东区召开", "", "").text is None
    dated = resolve("2月23日至25日,会议举行。", "2021年要重点做好", "")
    assert (dated.text, dated.iso, dated.confidence) == ("2月23日至25日", "2021-02-23", 0.6)


def test_column_break_and_repeated_char_repaired() -> None:
    page = parse_page(
        "## 标题一\n\n本报讯（记者朱江森）近日，卫东区共同维护市\n\n容容貌。会议结束。\n"
    )
    [item] = page.items
    assert item.paragraphs[0].text == "近日，卫东区共同维护市容貌。会议结束。"
    assert {a.type for a in page.anomalies} >= {"broken_paragraph", "join_char_repeat"}


def test_repeated_paragraph_dropped_once_per_copy() -> None:
    para = "该区累计走访困难群众2.6万余人次，做到困有所救。"
    page = parse_page(
        f"标题甲乙\n\n本报讯(记者甲乙丙)4月9日,开会。\n\n{para}\n\n{para}\n\n{para}\n"
    )
    assert [p.text for p in page.items[0].paragraphs].count(para) == 1
    assert sum(a.type == "duplicated_block" for a in page.anomalies) == 2


def test_photo_news_and_triangle_caption() -> None:
    page = parse_page(
        "夜经济火爆\n\n6月26日，市民在广场上品尝美食。\n\n罗通 摄\n\n"
        "▲7月21日，南村组织人员对电线进行规整。\n\n朱泉荣 摄\n"
    )
    assert [(i.kind, i.headline_lines, i.photographers) for i in page.items] == [
        ("photo", ["夜经济火爆"], ["罗通"]),
        ("photo", [], ["朱泉荣"]),
    ]


def test_mixed_width_is_one_page_anomaly() -> None:
    page = parse_page("标题甲乙\n\n本报讯(记者甲乙丙)4月9日,开会,讨论,决定。“好”。\n")
    assert sum(a.type == "mixed_punctuation_width" for a in page.anomalies) == 1
