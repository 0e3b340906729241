"""Focused rules of the page parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsetl.parsing import parse_file, parse_page
from newsetl.parsing.bylines import credit_names, people
from newsetl.parsing.dates import resolve
from newsetl.parsing.repeats import inline_repeats

ROOT = Path(__file__).resolve().parent.parent


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
        "紧密联系学习体会和卫东区区情民情",
        "二要塑造科技创新新优势",
        "爱心服务队到程庄村村民程全家",
        "构建共建共治共享的社会治理格局",
        "形成组织专找干事人、干事人不用分心找组织的氛围",
        "只见一垄垄茶树郁郁葱葱",
        "将一片片嫩芽采摘入篮",
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
        ("大抓项目、抓大项目、抓项目、抓项目热潮", "抓项目、抓项目"),
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
    assert (dated.text, dated.iso, dated.confidence) == ("2月23日至25日", "2021-02-23", 0.5)
    printed = resolve("2023年4月9日,会议举行。", "", "")
    assert (printed.text, printed.iso, printed.confidence) == ("2023年4月9日", "2023-04-09", 1.0)
    assert resolve("6月15日一早，民警赶到现场", "", "").text == "6月15日一早"
    ranged = resolve("决定自2023年5月10日至2023年6月30日封闭施工", "", "")
    assert (ranged.text, ranged.iso) == ("2023年5月10日至2023年6月30日", "2023-05-10")


@pytest.mark.parametrize(
    ("lead", "text", "iso"),
    [
        # plan and target years say nothing about the page year
        ("2月19日,会议开幕。", "国民经济和社会发展第十四个五年规划和2035年远景目标纲要", None),
        ("4月9日,会议举行。", "到2025年，全区建成示范村20个。", None),
        ("4月9日,会议举行。", "2021-2025年规划", None),
        # a whole past year reported in spring: the page is the next year
        ("4月10日,会议举行。", "2022年,该区累计走访困难群众2.6万余人次。", "2023-04-10"),
        ("6月21日,会议举行。", "为2022年度全市验收打下基础。", "2023-06-21"),
        ("4月10日,会议举行。", "交通事故较2022年同期下降12%。", "2023-04-10"),
        ("3月8日,会议举行。", "截至2022年底，全区累计建成示范村20个。", "2023-03-08"),
        # the same statement in autumn only bounds the year from below
        ("9月10日,会议举行。", "2022年,该区累计走访困难群众2.6万余人次。", "2022-09-10"),
        # this year and last year named outright
        ("3月1日,会议举行。", "去年（2022年）全区接待游客120万人次。", "2023-03-01"),
        ("3月1日,会议举行。", "今年（2023年）全区计划新建口袋公园3个。", "2023-03-01"),
        # a past event only: the year is at least that; the latest mention wins
        ("4月14日,会议举行。", "2020年,芦长平发动全村党员。2021年,村里建成游园。", "2021-04-14"),
        # no year at all: unknown
        ("4月14日,会议举行。", "近年来,该村发动全村党员。", None),
    ],
)
def test_year_inference(lead: str, text: str, iso: str | None) -> None:
    dated = resolve(lead, lead + text, lead + text)
    assert dated.iso == iso
    assert (dated.confidence is None) == (iso is None) == (dated.evidence is None)


def test_year_evidence_elsewhere_on_the_page_weighs_less() -> None:
    page = "2022年,该区累计走访困难群众2.6万余人次。\n4月10日,会议举行。"
    here = resolve("4月10日,会议举行。", page, page)
    there = resolve("4月10日,会议举行。", "4月10日,会议举行。", page)
    assert here.iso == there.iso == "2023-04-10"
    assert here.confidence is not None and there.confidence is not None
    assert there.confidence < here.confidence
    assert "2022年" in (there.evidence or "")


def test_seed_page_years() -> None:
    years = {}
    for name in ("000_ce01c7f7b77b431d.txt", "004_8ee853f1471c0237.txt"):
        page = parse_file(ROOT / "seeds" / name)
        years[name[:3]] = {it.date[:4] for it in page.items if it.date}
    assert years == {"000": {"2023"}, "004": {"2021"}}


def test_column_break_and_repeated_char_repaired() -> None:
    page = parse_page(
        "## 标题一\n\n本报讯（记者朱江森）近日，卫东区共同维护市\n\n容容貌。会议结束。\n"
    )
    [item] = page.items
    assert item.paragraphs[0].text == "近日，卫东区共同维护市容貌。会议结束。"
    assert {a.type for a in page.anomalies} >= {"broken_paragraph", "join_char_repeat"}


def test_char_shared_by_two_words_at_a_break_is_no_repeat() -> None:
    page = parse_page("## 标题一\n\n本报讯（记者朱江森）近日，严格落实区委常委\n\n会会议制度。\n")
    assert page.items[0].paragraphs[0].text == "近日，严格落实区委常委会会议制度。"
    assert "join_char_repeat" not in {a.type for a in page.anomalies}


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


def test_column_tag_in_ascii_brackets_after_a_title_is_not_mixed_width() -> None:
    # Online editions append the column to the title in ASCII brackets; the body is full-width.
    page = parse_page(
        "河畔新绿又一春(城乡观察)\n\n本报南京3月2日电（记者钱路）春分前后，"
        "沿河两岸的柳树抽出新芽，游人络绎不绝。\n\n管护人员说：“今年补种了三百株。”\n"
    )
    assert not [a for a in page.anomalies if a.type == "mixed_punctuation_width"]
    mixed = parse_page(
        "河畔新绿又一春\n\n本报南京3月2日电（记者钱路）春分前后(清明之前)，"
        "沿河两岸的柳树抽出新芽，游人络绎不绝。\n"
    )
    assert [a.type for a in mixed.anomalies].count("mixed_punctuation_width") == 1


def test_a_closing_slogan_line_is_not_a_cut_body() -> None:
    # A line of display type (phrases apart, no punctuation) ends the body before the next
    # marked headline: a slogan or promotion, not a sentence cut short.
    page = parse_page(
        "# 农家书屋开进村\n\n本报讯（记者周岚）日前，村里的农家书屋添置新书五百册。\n\n"
        "村民闲时来读书，孩子放学来写作业。\n\n读好书　　做新农\n\n\n"
        "# 新桥通车\n\n本报讯（记者李木）昨日，新桥正式通车。\n"
    )
    assert [it.headline_lines for it in page.items] == [["农家书屋开进村"], ["新桥通车"]]
    assert not [a for a in page.anomalies if a.type == "truncated_article"]
    cut = parse_page("农家书屋开进村\n\n本报讯（记者周岚）日前，村里的农家书屋添置新书\n")
    assert [a.type for a in cut.anomalies] == ["truncated_article"]


def test_intertitles_kept_apart_from_paragraphs() -> None:
    page = parse_file(ROOT / "seeds" / "003_552fdbae1823c7b1.txt")
    [feature] = [it for it in page.items if it.title == "探索实施“456”机制 打造人性化惠民体系"]
    assert feature.intertitles == [
        "“四个阵地”夯实特色化治理架构",
        "“五项机制”构建多元化参与格局",
        "“六种服务”打造人性化惠民体系",
    ]
    assert not set(feature.intertitles) & {p.text for p in feature.paragraphs}


INTERRUPTED = (
    "## 卫东区召开项目建设推进会\n\n"
    "本报讯（记者朱江森）4月9日，卫东区召开重点项目建设推进会，安排部署项目建设工作。\n\n"
    "会议要求，各单位要紧盯重点项目，加快项目建设进度。\n\n"
    "草莓俏销\n\n4月17日，市民在蒲城村采摘草莓。\n\n本报记者 朱江森 摄\n\n"
)


def test_article_resumed_after_a_photo_printed_inside_it() -> None:
    page = parse_page(INTERRUPTED + "会议强调，要强化项目服务保障，推动重点项目建设提速。\n")
    article, photo = page.items
    assert article.paragraphs[-1].text.startswith("会议强调")
    assert photo.kind == "photo" and photo.photographers == ["朱江森"]
    [flag] = [a for a in page.anomalies if a.type == "interleaved_article"]
    assert flag.excerpt == "草莓俏销"


def test_unrelated_text_after_a_photo_stays_apart() -> None:
    page = parse_page(INTERRUPTED + "这是一段没有标题的正文。它单独成篇。\n")
    assert [it.title for it in page.items] == ["卫东区召开项目建设推进会", "草莓俏销", None]
    assert "interleaved_article" not in {a.type for a in page.anomalies}


def test_traditional_chars_flagged_one_by_one_on_each_line() -> None:
    raw = (
        "## 國家標準發佈\r\n\r\n本报讯(记者朱江森)4月9日，市里召开會議。\r\n\r\n"
        "部署下一步工作。\r\n"
    )
    page = parse_page(raw)
    flags = [a for a in page.anomalies if a.type == "traditional_chars"]
    assert [(a.excerpt, a.detail) for a in flags] == [
        ("國", "國 → 国"),
        ("標", "標 → 标"),
        ("準", "準 → 准"),
        ("發", "發 → 发"),
        ("佈", "佈 → 布"),
        ("會", "會 → 会"),
        ("議", "議 → 议"),
    ]
    assert all(raw[a.start : a.end] == a.excerpt for a in flags)


def _items(text: str) -> list[dict]:
    return parse_page(text).to_json()["items"]


BODY = "该镇组织农机合作社对辖区680余台联合收割机进行检修保养，确保麦收期间机具不掉链子。"
MORE = "近年来，该镇大力发展茶产业，种植茶园1.2万亩，带动2000余户群众增收。"


@pytest.mark.parametrize(
    ("byline", "where"),
    [("文/图 本报记者 韩冰", "top"), ("本报记者 韩冰 文/图", "bottom")],
)
def test_bylines_on_a_line_of_their_own(byline: str, where: str) -> None:
    """Without brackets, under the headline or after the body: the item's people either way."""
    body = [byline, BODY, MORE] if where == "top" else [BODY, MORE, byline]
    after = ["下一条新闻", "通讯员 张明", BODY]
    text = "\n\n".join(["上一篇的结尾。（记者 李四）", "万亩茶园采茶忙", *body, *after])
    items = _items(text)
    assert [i["headline_lines"] for i in items] == [[], ["万亩茶园采茶忙"], ["下一条新闻"]]
    assert (items[1]["reporters"], items[1]["photographers"]) == (["韩冰"], ["韩冰"])
    assert items[1]["paragraphs"] == [BODY, MORE]
    assert items[2]["correspondents"] == ["张明"]


def test_column_heading_is_no_bare_byline() -> None:
    text = "记者走基层\n\n本报讯（记者 王磊）5月8日，记者走进田间地头。"
    [item] = _items(text)
    assert item["headline_lines"] == ["记者走基层"] and item["reporters"] == ["王磊"]


@pytest.mark.parametrize("credit", ["（通讯员 吕晓光 摄）", "(本报记者 李晓峰 摄)"])
def test_bracketed_photo_credit_makes_a_photo_item(credit: str) -> None:
    caption = "5月7日，在郏县安良镇农机服务中心，农机手正在检修联合收割机。"
    for lines in ([caption, credit], [caption + credit]):
        [item] = _items("农机“上岗” 助力“三夏”\n\n" + "\n\n".join(lines))
        assert item["kind"] == "photo"
        assert item["photographers"] == [credit.strip("()（）").split()[-2]]
        assert item["reporters"] == item["correspondents"] == []


def test_headline_with_a_short_label_and_a_colon() -> None:
    text = "叶县：“小网格”撬动“大治理”\n\n本报讯（记者 韩冰）5月8日，网格员走进居民家中。"
    [item] = _items(text)
    assert item["headline_lines"] == ["叶县：“小网格”撬动“大治理”"]


def test_agency_dispatch_is_a_dateline_that_dates_the_item() -> None:
    text = (
        "我省今年高考报名人数达131万\n\n"
        "新华社郑州5月9日电（记者 桂娟 韩朝阳）记者9日从河南省教育厅获悉，报名人数为131万。"
    )
    [item] = _items(text)
    assert item["dateline"] == "新华社郑州5月9日电（记者 桂娟 韩朝阳）"
    assert item["reporters"] == ["桂娟", "韩朝阳"] and item["date_text"] == "5月9日"


def test_continued_article_is_headless_not_truncated() -> None:
    page = parse_page(f"（上接第一版）\n\n{BODY}\n\n会议强调，要统筹发展和安全。")
    [item] = page.items
    assert [p.text for p in item.paragraphs] == [BODY, "会议强调，要统筹发展和安全。"]
    assert [a.type for a in item.anomalies] == ["headless_article"]


def test_jump_to_another_page_is_a_known_cut() -> None:
    page = parse_page("城市建设\n\n本报讯（记者 张明）城市建设加快推进，居民生活\n\n（下转第三版）")
    [item] = page.items
    assert [p.text for p in item.paragraphs] == ["城市建设加快推进，居民生活"]
    assert [(a.type, a.detail) for a in item.anomalies] == [
        ("truncated_article", "continues on another page")
    ]


def test_notice_with_list_items_and_a_signed_date() -> None:
    text = "\n\n".join(
        [
            "关于建设路部分路段封闭施工的通告",
            "因施工需要，决定对建设路实施全封闭施工。现将有关事项通告如下：",
            "一、施工期间，禁止机动车通行。",
            "二、请服从现场交通民警指挥。",
            "特此通告。",
            "平顶山市公安局交通管理支队",
            "2023年5月8日",
        ]
    )
    [item] = parse_page(text).items
    assert item.headline_lines == ["关于建设路部分路段封闭施工的通告"]
    assert [p.text[:2] for p in item.paragraphs] == [
        "因施",
        "一、",
        "二、",
        "特此",
        "平顶",
        "20",
    ]
    assert not [a for a in item.anomalies if a.type in ("broken_paragraph", "truncated_article")]


def test_indented_page_without_blank_lines() -> None:
    """Indentation starts paragraphs; an unindented line goes on the one before; table
    rows stay rows; the staff line belongs to no item."""
    text = "\n".join(
        [
            "菜价连续三周回落",
            "　　本报讯（记者 赵晓燕）记者5月12日从市价格监测中心了解到，蔬菜价格已连续三周回落。",
            "　　具体来看，大白菜每斤1.20元，环比下降7.7%；西红柿每斤2.80元，环比",
            "下降12.5%。",
            "　　附：主要蔬菜价格",
            "　　品种　　　　价格　　　　环比（%）",
            "　　大白菜　　　1.20元　　　-7.7",
            "责任编辑：王丽　美编：刘畅　校对：张勇",
        ]
    )
    [item] = parse_page(text).items
    assert item.headline_lines == ["菜价连续三周回落"]
    assert [p.text[:4] for p in item.paragraphs] == [
        "记者5月",
        "具体来看",
        "附：主要",
        "品种　　",
        "大白菜　",
    ]
    assert item.paragraphs[1].text.endswith("环比下降12.5%。")
    assert [a.type for a in item.anomalies] == ["broken_paragraph"]


@pytest.mark.parametrize(
    ("line", "people"),
    [
        ("□本报记者 刘文清", {"reporters": ["刘文清"]}),
        ("本报评论员", {}),
        (
            "本报记者 孙佳音　特约通讯员 何建平",
            {"reporters": ["孙佳音"], "correspondents": ["何建平"]},
        ),
    ],
)
def test_more_byline_forms(line: str, people: dict) -> None:
    text = f"上一篇的结尾。（记者 李四）\n\n莫让“僵尸车”霸占停车位\n\n{line}\n\n{BODY}"
    item = _items(text)[1]
    assert item["headline_lines"] == ["莫让“僵尸车”霸占停车位"]
    for field in ("reporters", "correspondents"):
        assert item[field] == people.get(field, [])
    assert item["paragraphs"] == [BODY]


def test_headline_asking_a_question() -> None:
    text = f"上一篇的结尾。（记者 李四）\n\n小区门口的路灯何时能亮？\n\n记者 王磊\n\n{BODY}"
    assert _items(text)[1]["headline_lines"] == ["小区门口的路灯何时能亮？"]


@pytest.mark.parametrize(
    ("lead", "dateline", "reporters"),
    [
        ("本报5月13日讯（记者 王海涛）记者13日获悉，", "本报5月13日讯（记者 王海涛）", ["王海涛"]),
        ("本报讯 记者/黄丽 通讯员/杜娟　近日，", "本报讯 记者/黄丽 通讯员/杜娟", ["黄丽"]),
    ],
)
def test_more_dateline_forms(lead: str, dateline: str, reporters: list[str]) -> None:
    [item] = _items(f"高温来袭 谨防中暑\n\n{lead}{BODY}")
    assert (item["dateline"], item["reporters"]) == (dateline, reporters)
    assert item["paragraphs"][0].startswith(lead[len(dateline) :].strip("　"))


def test_photo_credit_with_a_slash() -> None:
    text = "▲运动员在比赛中奋力拼搏。\n\n本报记者 马骁/摄"
    [item] = _items(text)
    assert (item["kind"], item["photographers"]) == ("photo", ["马骁"])


def test_a_short_line_quoted_from_earlier_text_is_kept() -> None:
    body = "公示时间：2024年5月14日至5月20日。如有异议，请向市妇联反映。"
    [item] = parse_page(f"关于最美家庭的公示\n\n{body}\n\n市妇女联合会\n\n2024年5月14日").items
    assert [p.text for p in item.paragraphs][-1] == "2024年5月14日"
    assert "duplicated_block" not in [a.type for a in item.anomalies]


def test_quoted_line_between_paragraphs_is_an_intertitle() -> None:
    text = f"守护生命线的女调度员\n\n本报讯（记者 孙佳音）{BODY}\n\n“电话那头，是一条命”\n\n{MORE}"
    [item] = parse_page(text).items
    assert item.intertitles == ["“电话那头，是一条命”"]
    assert [p.text for p in item.paragraphs] == [BODY, MORE]


@pytest.mark.parametrize(
    "headline",
    ["花800元买本“驾驶证” 一查竟是假的", "市民一周内被骗23万余元 警方：凡是刷单都是诈骗"],
)
def test_headlines_ending_in_de_or_with_a_labelled_phrase(headline: str) -> None:
    text = f"上一篇的结尾。（记者 李四）\n\n{headline}\n\n本报讯（记者 王磊）{BODY}"
    assert _items(text)[1]["headline_lines"] == [headline]


def test_words_and_pictures_credited_person_by_person() -> None:
    assert people("文/李然 图/赵一鸣") == {
        "reporters": ["李然"],
        "correspondents": [],
        "interns": [],
        "photographers": ["赵一鸣"],
    }
    assert people("文/本报记者 李然 图/本报记者 赵一鸣")["photographers"] == ["赵一鸣"]


def test_named_document_after_an_article_and_its_list() -> None:
    text = "\n\n".join(
        [
            "国家发展改革委：下半年将加大项目投资力度",
            f"新华社北京8月28日电（记者 安蓓）{BODY}",
            "临沂市人大常委会任免名单",
            "任命张三为临沂市教育局局长；",
            "任命李四为临沂市民政局局长；",
            "免去王五的临沂市教育局局长职务。",
        ]
    )
    items = parse_page(text).items
    assert [i.headline_lines for i in items] == [
        ["国家发展改革委：下半年将加大项目投资力度"],
        ["临沂市人大常委会任免名单"],
    ]
    assert [p.text[:4] for p in items[1].paragraphs] == ["任命张三", "任命李四", "免去王五"]
    assert "broken_paragraph" not in [a.type for a in items[1].anomalies]


def test_bracketed_section_mark_is_an_intertitle() -> None:
    text = f"网购退款陷阱多\n\n本报讯（记者 孙佳音）{BODY}\n\n【法官说法】\n\n{MORE}"
    [item] = parse_page(text).items
    assert item.intertitles == ["【法官说法】"]
    assert [p.text for p in item.paragraphs] == [BODY, MORE]
