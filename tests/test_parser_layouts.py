"""The parser on the layouts and conventions of printed pages of other papers.

Every page here is written for the test (never copied from a real page): each shows one
convention a real page uses, in the few lines it takes.
"""

from __future__ import annotations

import pytest

from newsetl.parsing import parse_page
from newsetl.parsing.dates import resolve
from newsetl.parsing.repeats import inline_repeats


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


def test_more_space_before_a_line_than_between_paragraphs_starts_an_item() -> None:
    """A page that leaves one blank line between paragraphs and two between articles: the
    second headline has no dateline, byline or dated lead after it, and holds a comma."""
    page = parse_page(
        "春风里的新农人（乡村振兴一线）\n\n"
        "清晨，合作社的大棚里已经忙开了。返乡青年正在检查滴灌设备。\n\n"
        "他说，种地也能种出好日子来。\n\n\n"
        "小巷深处，老手艺有了新传人\n\n"
        "走进老城的巷子，竹编作坊里传出说笑声。几位年轻人围着老师傅学编竹篮。\n\n"
        "老师傅说，手艺不能断在自己手里。\n"
    )
    assert [it.headline_lines for it in page.items] == [
        ["春风里的新农人（乡村振兴一线）"],
        ["小巷深处，老手艺有了新传人"],
    ]
    assert not [a for a in page.anomalies if a.type == "broken_paragraph"]


def test_photo_credits_of_agencies_and_padded_names() -> None:
    page = parse_page(
        "雪后初晴\n\n"
        "1月8日，游客在景区观赏雪景。\n\n"
        "新华社记者 郑  川摄\n\n\n"
        "湖面上的冬捕\n\n"
        "渔民在冰面上收网。\n\n"
        "刘  洋  孙  跃摄影报道\n\n\n"
        "山谷里的晨雾\n\n"
        "晨雾在山谷间流动。\n\n"
        "王清泉摄（视觉中国）\n"
    )
    assert [it.photographers for it in page.items] == [["郑川"], ["刘洋", "孙跃"], ["王清泉"]]
    assert [it.kind for it in page.items] == ["photo"] * 3
    assert all(it.body.endswith("。") for it in page.items)


def test_closing_dispatch_author_note_box_label_and_furniture_are_not_body() -> None:
    page = parse_page(
        "港口迎来复航船只（国际观察）\n\n"
        "核心阅读\n\n"
        "港口恢复运营后，货运量逐步回升。\n\n"
        "当地官员表示，复航将带动沿岸经济。\n\n"
        "（本报开罗3月4日电）\n\n\n"
        "读书，让城市更有温度（书香漫笔）\n\n"
        "在地铁上读书的人多了起来，这是一个好现象。\n\n"
        "（作者为某大学文学院教授）\n\n"
        "栏目投稿邮箱：dushu@example.com\n\n"
        "本版制图：李  明\n"
    )
    first, second = page.items
    assert first.headline_lines == ["港口迎来复航船只（国际观察）"]
    assert first.body.startswith("港口恢复运营后") and first.body.endswith("沿岸经济。")
    assert second.headline_lines == ["读书，让城市更有温度（书香漫笔）"]
    assert second.body == "在地铁上读书的人多了起来，这是一个好现象。"


def test_dispatch_people_without_a_role_are_its_reporters() -> None:
    page = parse_page(
        "山村通了公交车\n\n本报遵义4月2日电  （陈立、吴晓峰）4月1日，山村首条公交线路开通。\n"
    )
    assert page.items[0].reporters == ["陈立", "吴晓峰"]
    assert page.items[0].date_text == "4月2日"


def test_a_page_that_marks_its_headlines_marks_them_all() -> None:
    """Unmarked short lines on a `#`-marked page are intertitles inside the article."""
    page = parse_page(
        "## 湖畔新城迎来第一批居民\n\n"
        "本报讯（记者 林夏）新城首批住宅近日交付，三百多户居民陆续入住。\n\n"
        "配套设施同步到位\n\n"
        "社区医院、菜市场和幼儿园已经开门。\n\n"
        "## 老厂房变身创意园\n\n"
        "本报讯（记者 林夏）废弃多年的纺织厂房改造完成，二十多家工作室入驻。\n"
    )
    first, second = page.items
    assert first.intertitles == ["配套设施同步到位"]
    assert first.body.endswith("幼儿园已经开门。")
    assert second.headline_lines == ["老厂房变身创意园"]
    assert not [a for a in page.anomalies if a.type == "broken_paragraph"]


def test_an_intertitle_on_an_indented_page_is_not_joined_to_the_paragraph_after_it() -> None:
    page = parse_page(
        "小城里的夜市\n"
        "\u3000\u3000天一黑，老街两旁的摊位就亮起了灯，小吃的香味飘满整条街。\n"
        "\u3000\u3000烟火气回来了\n"
        "\u3000\u3000摊主们说，今年的生意比往年好了不少，周末的客流翻了一番。\n"
    )
    (item,) = page.items
    assert [p.text[:4] for p in item.paragraphs] == ["天一黑，", "摊主们说"]
    assert not [a for a in page.anomalies if a.type == "broken_paragraph"]


def test_a_line_cut_inside_a_word_is_no_headline() -> None:
    """The first half of a paragraph broken by a column break, with extra space after it,
    stops inside a word (`老|年人`): it is joined, never read as a headline."""
    page = parse_page(
        "社区食堂开张\n\n"
        "本报讯（记者 林夏）社区食堂开张了，附近的居民排起了长队。\n\n"
        "为了方便社区里的老\n\n\n"
        "年人就餐，食堂还推出了送餐服务。\n"
    )
    (item,) = page.items
    assert item.paragraphs[-1].text == "为了方便社区里的老年人就餐，食堂还推出了送餐服务。"
    assert [a.type for a in page.anomalies] == ["broken_paragraph"]


def test_closing_dispatch_with_its_people_and_a_mailbox_line() -> None:
    page = parse_page(
        "边境小镇的春耕\n\n"
        "清晨的田野上，拖拉机来回穿梭，农民们忙着播种。\n\n"
        "（新华社昆明3月5日电\u00a0\u00a0记者杨敏、赵  川）\n\n"
        "欢迎来稿，邮箱：chungeng@example.com。\n"
    )
    (item,) = page.items
    assert item.reporters == ["杨敏", "赵川"]
    assert item.body == "清晨的田野上，拖拉机来回穿梭，农民们忙着播种。"


def test_parallel_intertitles_stay_in_their_article() -> None:
    """A feature whose intertitles look like headlines (short, between finished paragraphs,
    a dated lead after one): printed at one length, again after more body, they are the
    intertitles of one article."""
    page = parse_page(
        "老街巷里的新生活（城市更新观察）\n\n"
        "旧城改造进入第三年，街巷的面貌一天一个样。\n\n"
        "道路变宽了\n\n"
        "近日，老街完成了路面拓宽，车辆通行顺畅了许多。\n\n"
        "居民们说，出门再也不用绕远路。\n\n"
        "院子变美了\n\n"
        "近日，几处大杂院拆除了违建，腾出的空地种上了花草。\n\n"
        "傍晚时分，老人们在院里下棋聊天。\n"
    )
    (item,) = page.items
    assert item.intertitles == ["道路变宽了", "院子变美了"]
    assert item.body.endswith("老人们在院里下棋聊天。")


def test_headline_block_shape_on_a_page_without_spacing() -> None:
    """One line per paragraph, nothing between articles: a kicker ending in —— and a
    headline with a comma under a spaced couplet are read as headline blocks."""
    page = parse_page(
        "乡村学校添了新设备\n"
        "本报讯（记者 林夏）全县四十所乡村学校近日配齐了多媒体教室。\n"
        "孩子们说，上课更有意思了。\n"
        "各地加快推进农房改造，改善农民居住条件\n"
        "住得安心 过得舒心\n"
        "入冬以前，山区的危房改造全部完工，群众住进了新房。\n"
        "返乡创业的年轻人——\n"
        "把家乡的特产卖向全国\n"
        "大学毕业后，他回到村里办起了网店，一年卖出上万单山货。\n"
    )
    assert [it.headline_lines for it in page.items] == [
        ["乡村学校添了新设备"],
        ["各地加快推进农房改造，改善农民居住条件", "住得安心 过得舒心"],
        ["返乡创业的年轻人——", "把家乡的特产卖向全国"],
    ]


def test_the_first_line_of_a_page_with_a_long_headline() -> None:
    page = parse_page(
        "两国签署合作备忘录  在能源、交通和数字经济等领域深化务实合作\n"
        "合作迈上新台阶（国际观察）\n"
        "\u3000\u3000双方日前签署了多项合作文件，涉及能源、交通等领域。\n"
        "\u3000\u3000分析人士认为，这将为两国经贸往来注入新动力。\n"
    )
    (item,) = page.items
    assert item.headline_lines == [
        "两国签署合作备忘录  在能源、交通和数字经济等领域深化务实合作",
        "合作迈上新台阶（国际观察）",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "车间主任王丽丽介绍，新设备已经调试完毕。",  # a given name printed AA
        "下班后去江边吹吹风，散散步。",  # a verb doubled, alone or before its object
        "周末大家一起喝喝茶、聊聊天。",
        "远处连着座座青山。",  # a measure word doubled: every one of them
        "项目计划在2025年年底前完工。",  # the first copy is the number's unit
        "两人说着说着就笑了起来。",  # an ongoing action
        "他把问题一条一条记在本子上。",  # one after another
        "球员麦麦提江打进一球。",  # neither copy in a word: nothing shows one is extra
        "家长平时要多上上心。",
        "他连声喊：快走快走，车要开了。",  # a phrase said twice, no dictionary word
        "职业与成人教育司司长作了说明。",  # a word ends and a word starts on the character
        "村里为所有有需要的家庭送去米面。",  # the second copy is a verb of its own
    ],
)
def test_normal_doubling_is_not_a_slip(text: str) -> None:
    assert inline_repeats(text) == []


@pytest.mark.parametrize(
    ("text", "hit"),
    [
        ("会议强调要加强对对接工作的指导。", "对对"),  # a function word is never doubled
        ("这是我们们共同的家园。", "们们"),
        ("推动高质量发展发展的关键。", "发展发展"),
    ],
)
def test_slips_are_still_flagged(text: str, hit: str) -> None:
    assert [text[s:e] for s, e, _ in inline_repeats(text)] == [hit]


def test_a_doubling_the_page_prints_again_elsewhere_is_a_term() -> None:
    page = (
        "全县加强耕地保护\n\n本报讯 今年，全县耕地地力明显提升，粮食产量再创新高。\n\n"
        "县农业农村局已将耕地地力保护补贴发放到户，惠及两万多户农民。\n"
    )
    assert [a for a in parse_page(page).anomalies if a.type == "inline_char_repeat"] == []


def test_a_slip_copied_with_its_paragraph_is_still_a_slip() -> None:
    para = "本报讯 这是我们们共同的家园，大家要一起守护。"
    page = f"共同守护美丽家园\n\n{para}\n\n{para}\n"
    kinds = [a.excerpt for a in parse_page(page).anomalies if a.type == "inline_char_repeat"]
    assert kinds and set(kinds) == {"们们"}


def test_an_indented_page_that_never_cuts_inside_a_word_starts_a_paragraph_per_line() -> None:
    """Every line indented, none going on a word the line above left unfinished: a line
    without a closing mark (a long intertitle with commas) is no cut paragraph."""
    page = parse_page(
        "河道治理见成效\n"
        "\u3000\u3000今年以来，全市完成了十二条河道的清淤工作，水质明显好转。\n"
        "\u3000\u3000清淤只是治河的第一步，建立长效管护机制才能守住一河清水\n"
        "\u3000\u3000为此，各区建立了河长巡河制度，每周至少巡查两次。\n"
    )
    (item,) = page.items
    assert len(item.paragraphs) == 3
    assert not [a for a in page.anomalies if a.type == "broken_paragraph"]


def test_summary_points_and_a_line_leading_into_a_quote_end_their_paragraphs() -> None:
    page = parse_page(
        "新规明年起施行\n\n"
        "■企业开办时间压缩到三个工作日以内\n\n"
        "■证照办理全程网上进行\n\n"
        "本报北京6月2日电（记者 林夏）新规明确了多项便利措施。一位企业负责人感慨——\n\n"
        "“办事再也不用来回跑了。”\n"
    )
    (item,) = page.items
    assert [p.text[:4] for p in item.paragraphs] == ["■企业开", "■证照办", "新规明确", "“办事再"]
    assert item.reporters == ["林夏"]
    assert not [a for a in page.anomalies if a.type == "broken_paragraph"]


@pytest.mark.parametrize(
    ("lead", "text", "iso"),
    [
        ("三月八日，春风拂过校园。", "三月八日", None),  # in Chinese numerals, no year known
        ("十二月三十一日晚，烟花升起。", "十二月三十一日晚", None),
        ("国新办24日举行发布会。", "24日", None),  # a day alone
        ("新规自15日起施行。", "15日", None),
    ],
)
def test_dates_as_printed(lead: str, text: str, iso: str | None) -> None:
    date = resolve(lead, lead, "")
    assert (date.text, date.iso) == (text, iso)


def test_a_span_of_days_is_no_date() -> None:
    assert resolve("须在30日内办结。", "", "").text is None


def test_agency_dispatch_taken_by_the_paper_and_a_summed_up_byline() -> None:
    page = parse_page(
        "多地迎来降雪\n\n"
        "据新华社兰州1月5日电（记者马宁）甘肃多地迎来今冬首场降雪。\n\n\n"
        "各地冬季运动热度持续升温\n\n"
        "入冬以来，各地冰雪场馆迎来大批游客。\n\n"
        "（综合本报记者王宁、李想报道）\n\n\n"
        "雪后初晴\n\n"
        "雪后的山城格外美丽。\n\n"
        "新华社发\n"
    )
    first, second, photo = page.items
    assert first.reporters == ["马宁"] and first.date_text == "1月5日"
    assert second.reporters == ["王宁", "李想"]
    assert photo.kind == "photo" and photo.photographers == []


def test_a_marked_page_with_summary_points_over_its_dateline() -> None:
    """`#`-marked headlines, summary points between one and its dateline: an unmarked promo
    line before the next headline is none of its lines."""
    page = parse_page(
        "# 城市更新提速\n\n"
        "■老旧小区改造全面铺开\n\n"
        "本报讯（记者 林夏）今年全市计划改造老旧小区一百个。\n\n"
        "扫码看更多城市故事\n\n\n"
        "# 夜市经济回暖\n\n"
        "本报讯（记者 林夏）入夏以来，各区夜市人气渐旺。\n"
    )
    assert [it.headline_lines for it in page.items] == [["城市更新提速"], ["夜市经济回暖"]]


def test_a_character_printed_again_after_a_word_with_yi_at_a_break() -> None:
    """`一直|直鼓励`: 一直 is a word, so the second 直 is a slip, not a doubled measure word."""
    page = parse_page(
        "中医药走向世界\n\n本报讯（记者 林夏）近年来，国家一直\n\n直鼓励中医药走出去。\n"
    )
    assert page.items[0].paragraphs[0].text == "近年来，国家一直鼓励中医药走出去。"
    assert "join_char_repeat" in {a.type for a in page.anomalies}


def test_a_line_ending_in_a_quoted_phrase_after_a_conjunction_is_cut() -> None:
    """`…和“一网通办”|平台`: a conjunction before a closing quoted phrase leaves the noun
    phrase open, so the line is a cut paragraph, not an intertitle; `…的“三本账”` is whole."""
    page = parse_page(
        "政务服务更便捷\n\n"
        "本报讯（记者 林夏）今年以来，全区推行了容缺受理和“一网通办”\n\n"
        "平台，群众办事更方便。\n\n"
        "第一书记的“三本账”\n\n"
        "驻村三年，他记下了三本账。\n"
    )
    first, second = page.items
    assert first.paragraphs[0].text.endswith("和“一网通办”平台，群众办事更方便。")
    assert second.headline_lines == ["第一书记的“三本账”"]


def test_on_a_page_with_no_spacing_a_headline_is_told_by_what_follows_it() -> None:
    """Nothing sets articles apart and no dateline follows the second headline: its words
    come back in the lines after it and not in those before, so it heads a new article."""
    page = parse_page(
        "老街上的手艺人\n"
        "老街深处有一家修表铺，店主在这里修了四十年手表。\n"
        "街坊们说，谁家的表停了，都会拿到他这里来。\n"
        "湿地公园迎来越冬候鸟\n"
        "入冬以来，湿地公园迎来了上千只越冬候鸟。\n"
        "观鸟爱好者带着相机守在湖边，记录候鸟觅食的场景。\n"
    )
    assert [it.headline_lines for it in page.items] == [
        ["老街上的手艺人"],
        ["湿地公园迎来越冬候鸟"],
    ]


def test_a_standard_character_alone_is_not_traditional_but_a_run_of_them_is() -> None:
    """乾 (乾隆, 乾坤) is a standard simplified character too: alone it is no slip; a phrase
    printed in traditional form is."""
    kinds = ["traditional_chars"]
    alone = parse_page("学术史话\n\n本报讯 清代乾、嘉时期的学者重视考据。\n").anomalies
    assert [a for a in alone if a.type in kinds] == []
    run = parse_page("学术史话\n\n本报讯 这是一個實驗，大家都很认真。\n").anomalies
    assert [a.excerpt for a in run if a.type in kinds] == ["個", "實", "驗"]
