"""No silent loss: every item shape the parser emits loads; a failing row is named, once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from newsetl.enrich.rows import Batch, SourceFile, add_page
from newsetl.orchestration.artifacts import SUMMARY_KEY
from newsetl.orchestration.ingest import ingest
from newsetl.parsing import parse_page
from newsetl.tables.validate import validate
from tests.conftest import rows
from tests.test_artifacts import _read

# One page per item shape, written for these tests.
SHAPES = {
    "article.txt": (
        "县里召开春耕生产会议\n\n本报讯（记者 赵明）3月5日，县里召开春耕生产会议，部署今年农业"
        "生产工作。\n\n会议要求，要抓好种子化肥供应，保障春耕顺利进行。\n"
    ),
    "continued.txt": (
        "（上接第一版）\n\n会议要求，各乡镇要把防汛工作摆在突出位置，压实责任，确保群众安全。\n\n"
        "会议强调，要加强值班值守，及时发布预警信息，做到早发现、早处置。\n"
    ),
    "one_line.txt": "本市自下周一起调整部分公交线路的首末班时间，请市民留意站牌通知。\n",
    "brief.txt": "简讯\n\n本报讯 近日，县图书馆新增图书三千余册，面向读者免费借阅。\n",
    "photo.txt": "夜市开张\n\n6月2日，市民在夜市品尝各地小吃。\n\n王强 摄\n",
    "untitled_photo.txt": "▲孩子们在公园里放风筝。（本报记者 周亮 摄）\n",
    "headline_and_photo.txt": "春耕时节\n\n▲农民在田间播种。\n\n李华 摄\n",
    "captions_only.txt": "图一\n\n图二\n\n李华 摄\n",
    "photo_without_text.txt": "乡村振兴\n\n[图片]\n\n图一\n\n本报记者 李华 摄\n",
}
OLD_PAGE = (
    "县里召开春耕生产会议\n\n本报讯（记者 赵明）1948年3月5日，县里召开春耕生产会议，部署今年农业"
    "生产工作。\n\n会议要求，要抓好种子化肥供应。\n\n乡村学校开学\n\n本报讯（记者 钱丽）2024年"
    "9月1日，乡村学校迎来新学期，孩子们走进新教室。\n"
)


def test_every_item_shape_reaches_fact_article(prefect_server, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    expected = []
    for name, text in SHAPES.items():
        (folder / name).write_text(text, encoding="utf-8")
        for no, item in enumerate(parse_page(text).items, start=1):
            expected.append((name, no, item.kind, item.title, item.body, item.captions))
    shapes = {
        (kind, bool(title), bool(body), bool(caps)) for _, _, kind, title, body, caps in expected
    }
    assert shapes >= {
        ("article", True, True, False),  # an article
        ("article", False, True, False),  # a headless continuation, a one-line notice
        ("article", True, False, False),  # a headline whose text is a photo's
        ("photo", True, True, False),  # photo news
        ("photo", False, True, False),  # a captioned photo without a headline
        ("photo", False, False, True),  # captions only
        ("photo", True, False, True),  # a headline over a photo not printed
    }
    db = tmp_path / "news.duckdb"
    summary = ingest(seeds=str(folder), db=str(db), reports=str(tmp_path / "reports"))
    assert summary["status"] == "completed"
    assert summary["counts"]["loaded"] == len(SHAPES)
    assert summary["counts"]["items"] == len(expected) and summary["rejected"] == []
    loaded = rows(
        db,
        "SELECT f.path, a.item_no, a.kind, a.title, a.body, a.captions FROM fact_article a"
        " JOIN dim_source_file f USING (file_id) ORDER BY f.path, a.item_no",
    )
    assert loaded == sorted(expected)
    assert rows(db, "SELECT count(*) FROM quarantine") == [(0,)]
    flags = rows(
        db,
        "SELECT f.path, an.type FROM dq_anomaly an JOIN dim_source_file f USING (file_id)"
        " WHERE an.type IN ('headless_article', 'truncated_article') ORDER BY 1",
    )
    assert ("continued.txt", "headless_article") in flags
    assert ("one_line.txt", "truncated_article") in flags  # "body starts without its lead"


def test_a_failing_row_is_one_quarantine_row_per_check(prefect_server, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "old.txt").write_text(OLD_PAGE, encoding="utf-8")
    (folder / "good.txt").write_text(SHAPES["article.txt"], encoding="utf-8")
    db, out = tmp_path / "news.duckdb", tmp_path / "reports"
    summary = ingest(seeds=str(folder), db=str(db), reports=str(out))
    assert summary["counts"]["loaded"] == 2 and summary["counts"]["items"] == 2
    assert summary["counts"]["rejected_items"] == 1
    quarantined = rows(
        db,
        "SELECT table_name, row_key, check_name, column_name FROM quarantine"
        " WHERE path = 'old.txt' ORDER BY ALL",
    )
    (article_id,) = {key for table, key, _, _ in quarantined if table == "fact_article"}
    assert article_id.endswith(":001")
    assert [(t, c) for t, _, _, c in quarantined] == [
        ("dim_date", "date_key"),
        ("dim_date", "year"),
        ("fact_article", "date_key"),
    ]
    (reason,) = rows(db, "SELECT reason FROM etl_file_outcome WHERE path = 'old.txt'")[0]
    assert reason.startswith("1 item rejected by checks")
    named = {(r["path"], r["table"], r["row_key"]) for r in summary["rejected"]}
    assert ("old.txt", "fact_article", article_id) in named and len(summary["rejected"]) == 3
    html = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="rejected"' in html and article_id in html and "old.txt" in html
    [artifact] = [a for a in _read(SUMMARY_KEY) if summary["run_id"] in (a.description or "")]
    assert article_id in artifact.data and "old.txt" in artifact.data


def _frames(*shapes: str) -> dict:
    """The unvalidated frames of a batch of the named item shapes, one page each."""
    batch = Batch()
    for name in shapes:
        page = parse_page(SHAPES[name])
        add_page(batch, SourceFile(name, "0" * 64, 10), page, "r", dt.datetime(2025, 1, 1))
    return batch.frames()


def test_a_row_failing_a_table_wide_check_is_rejected_once() -> None:
    frames = _frames("article.txt")
    frames["fact_article"].loc[0, "end_offset"] = 10**6  # past the end of the page
    good, rejections = validate(frames)
    assert [(r.table, r.check, r.column) for r in rejections] == [
        ("fact_article", "an article's offsets are ordered and inside the raw text", None)
    ]
    assert "fact_article" not in good or good["fact_article"].empty


def test_a_non_text_value_in_a_text_column_is_rejected_by_its_row() -> None:
    """A text column holding a number fails its type check on that row alone, with the value
    named, as pandera's own string type reports it; the other rows pass."""
    frames = _frames("article.txt", "photo.txt")
    titles = frames["fact_article"]["title"].astype(object)
    titles.iloc[0] = 42
    frames["fact_article"]["title"] = titles
    good, rejections = validate(frames)
    typed = [r for r in rejections if r.check.startswith("dtype(")]
    assert [(r.table, r.column, r.value) for r in typed] == [("fact_article", "title", "42")]
    assert typed[0].row_key == frames["fact_article"]["article_id"].iloc[0]
    assert len(good["fact_article"]) == len(frames["fact_article"]) - 1


def test_a_paragraph_of_two_lines_is_rejected() -> None:
    """A paragraph's tokens are stored one per line, so its text must be one line."""
    frames = _frames("article.txt")
    text = frames["fact_paragraph"].loc[0, "text"]
    frames["fact_paragraph"].loc[0, "text"] = text[:3] + "\n" + text[4:]
    _, rejections = validate(frames)
    assert [(r.table, r.check, r.column) for r in rejections] == [
        ("fact_paragraph", "a paragraph is one line (its tokens are stored one per line)", "text")
    ]
