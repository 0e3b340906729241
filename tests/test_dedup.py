"""Duplicate detection: signatures, LSH pairs, repeated spans and the warehouse tables."""

from __future__ import annotations

import hashlib
import random

import duckdb
import numpy as np

from newsetl.checks import duplicates
from newsetl.enrich import copies, signatures
from newsetl.warehouse import store
from tests.conftest import rows

BASE = (
    "坚持在审批帮办、招商引资、项目建设等一线阵地历练干部。该区主动谋划靠前服务，项目前期由"
    "临时党支部牵头区发改委等部门召开审批加速推进会，按照一个项目、一套方案推进。"
)


def _mutate(text: str, n: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for _ in range(n):
        chars[rng.randrange(len(chars))] = chr(0x4E00 + rng.randrange(3000))
    return "".join(chars)


def test_signature_ignores_width_and_whitespace():
    folded = BASE.replace("，", ",").replace("。", "。 \n")
    assert signatures.signature(folded) == signatures.signature(BASE)
    assert len(signatures.signature(BASE)) == 4 * signatures.NUM_PERM
    assert signatures.signature("太短的段落") is None


def test_signature_estimate_tracks_jaccard():
    for n in (1, 3, 10):
        other = _mutate(BASE, n)
        a, b = (np.frombuffer(s, dtype=np.uint32) for s in signatures.signatures([BASE, other]))
        assert abs(float(np.mean(a == b)) - signatures.jaccard(BASE, other)) < 0.2


def test_near_pairs_finds_close_copies_only():
    texts = [BASE, _mutate(BASE, 1), _mutate(BASE, 25, seed=3), BASE[::-1]]
    texts += [_mutate(BASE, 60, seed=s) for s in range(20)]
    sigs = signatures.signatures(texts)
    pairs = signatures.near_pairs(sigs, texts)
    assert [(p.a, p.b) for p in pairs] == [(0, 1)]
    assert pairs[0].similarity >= signatures.NEAR_THRESHOLD


def test_candidate_pairs_scale_without_all_pairs():
    rng = np.random.default_rng(0)
    matrix = rng.integers(0, 2**32, size=(20_000, signatures.NUM_PERM), dtype=np.uint32)
    matrix[123] = matrix[4567]
    assert signatures.candidate_pairs(matrix).tolist() == [[123, 4567]]


def test_candidate_pairs_cap_each_bucket():
    matrix = np.zeros((50, signatures.NUM_PERM), dtype=np.uint32)  # one bucket of 50 in every band
    pairs = signatures.candidate_pairs(matrix).tolist()
    window = signatures.MAX_CANDIDATES
    assert pairs == [[i, j] for i in range(50) for j in range(i + 1, min(i + window, 49) + 1)]


def _paragraph_tables(paras: list[dict]) -> duckdb.DuckDBPyConnection:
    """An in-memory database holding just the columns the near-duplicate search reads."""
    con = duckdb.connect()
    con.execute("CREATE TABLE dim_source_file (file_id VARCHAR, path VARCHAR, status VARCHAR)")
    con.execute(
        "CREATE TABLE fact_paragraph (paragraph_id VARCHAR, article_id VARCHAR, file_id VARCHAR,"
        " norm_hash VARCHAR, minhash BLOB, text VARCHAR, start_offset INTEGER)"
    )
    for p in paras:
        con.execute(
            "INSERT INTO dim_source_file VALUES (?, ?, 'current')", [p["file_id"], p["file_id"]]
        )
        con.execute(
            "INSERT INTO fact_paragraph VALUES (?, ?, ?, ?, ?, ?, 0)",
            [
                p[k]
                for k in ("paragraph_id", "article_id", "file_id", "norm_hash", "minhash", "text")
            ],
        )
    return con


def test_near_pairs_link_one_copy_of_each_exact_group():
    near = _mutate(BASE, 1)
    paras = [
        {"paragraph_id": f"p{i}", "file_id": f"f{i}", "article_id": f"a{i}", "text": text,
         "norm_hash": hashlib.sha1(text.encode()).hexdigest(),
         "minhash": signatures.signature(text)}
        for i, text in enumerate([BASE, near, BASE, near, BASE])
    ]  # fmt: skip
    rows = duplicates._near_rows(_paragraph_tables(paras))
    assert [(r["paragraph_a"], r["paragraph_b"], r["scope"]) for r in rows] == [
        ("p0", "p1", "warehouse")
    ]
    assert duplicates._near_rows(_paragraph_tables(list(reversed(paras)))) == rows


def test_repeated_spans():
    repeat = "这是一段很长的重复文字内容用来测试能否找到它"
    texts = ["开头" + repeat + "中间" + repeat + "结尾", BASE, "抓项目、抓项目" * 2, ""]
    spans = signatures.repeated_spans(texts)
    assert spans == [signatures.RepeatedSpan(0, 2, 2 + len(repeat) + 2, len(repeat))]


def test_seed_duplicated_paragraph_is_one_group_of_three(seeded_warehouse):
    db, _ = seeded_warehouse
    groups = rows(
        db,
        "SELECT group_id, n_members, scope FROM dq_duplicate_group "
        "WHERE excerpt LIKE '到位资金11.24亿元%'",
    )
    assert len(groups) == 1 and groups[0][1] == 3 and groups[0][2] == "article"
    members = rows(
        db,
        "SELECT m.role, substr(f.raw_text, m.start_offset + 1, 12) FROM dq_duplicate_member m "
        f"JOIN dim_source_file f USING (file_id) WHERE group_id = '{groups[0][0]}' "
        "ORDER BY member_no",
    )
    assert [m[0] for m in members] == ["paragraph", "dropped", "dropped"]
    assert members[0][1].startswith("到位资金11.24")
    assert all("到位资金11.24" in m[1] for m in members)


def test_refresh_is_deterministic(seeded_warehouse, tmp_path):
    db, _ = seeded_warehouse
    copy = tmp_path / "news.duckdb"
    copy.write_bytes(db.read_bytes())
    query = "SELECT * FROM {} ORDER BY ALL"
    before = {t: rows(copy, query.format(t)) for t in duplicates.DUPLICATE_TABLES}
    with store.connection(copy) as con:
        counts = duplicates.refresh(con)
    assert counts.signed == 0  # the first refresh signed every long paragraph
    assert {t: rows(copy, query.format(t)) for t in duplicates.DUPLICATE_TABLES} == before
    unsigned = rows(
        copy, "SELECT count(*) FROM fact_paragraph WHERE minhash IS NULL AND n_chars >= 30"
    )
    assert unsigned == [(0,)]


def test_reprint_on_another_page_joins_a_warehouse_group(tmp_path, seeds_copy, prefect_server):
    from newsetl.orchestration.ingest import ingest

    source = sorted(seeds_copy.glob("*.txt"))[1]
    text = source.read_text(encoding="utf-8")
    (seeds_copy / "900_reprint.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "news.duckdb"
    ingest(seeds=str(seeds_copy), db=str(db), reports=str(tmp_path / "reports"))
    scopes = rows(db, "SELECT scope, n_files FROM dq_duplicate_group WHERE kind = 'paragraph'")
    assert ("warehouse", 2) in scopes


def test_normal_map_places_each_normalised_character():
    """The page-to-normalised map, vectorised or (for expanding characters) not."""
    from newsetl.language.textnorm import normalize_text

    for raw in ("ＡＢ　本报讯 c\td", "ﬁle ½ 本报"):
        norm, offsets = copies.normal_map(raw)
        assert norm == "".join(normalize_text(c) for c in raw)
        assert len(offsets) == len(norm)
        assert all(norm[i] in normalize_text(raw[o]) for i, o in enumerate(offsets.tolist()))
        assert offsets.tolist() == sorted(offsets.tolist())


_KEPT_PARAGRAPH = (
    "　　全市新建改建农村公路一百二十公里，沿线村庄的农产品当天就能运到城里的批发市场。"
)
_SPAN = "这条路修通以后，山里的果子和蔬菜再也不愁卖了"
# A paragraph printed twice at a column break, and a span printed twice inside a paragraph.
_COPYING_PAGE = (
    f"乡村公路通到家门口\n\n　　本报讯（记者 李华）{_SPAN}，村民们说，{_SPAN}。今年以来各地加快"
    f"建设。\n{_KEPT_PARAGRAPH}\n{_KEPT_PARAGRAPH}\n　　下一步将继续完善养护机制。\n"
)


def _copying_batch():
    import datetime as dt

    from newsetl.enrich.rows import Batch, SourceFile, add_page
    from newsetl.parsing import parse_page

    batch = Batch()
    page = parse_page(_COPYING_PAGE)
    add_page(batch, SourceFile("a.txt", "0" * 64, 10), page, "r", dt.datetime(2025, 1, 1))
    batch.find_copies()
    return batch


def test_a_page_lists_its_dropped_block_and_repeated_span_at_load():
    found = _copying_batch().rows["dq_page_copy"]
    located = [
        (r["kind"], r["role"], _COPYING_PAGE[r["start_offset"] : r["end_offset"]]) for r in found
    ]
    assert located == [
        ("paragraph", "paragraph", _KEPT_PARAGRAPH.strip()),
        ("paragraph", "dropped", _KEPT_PARAGRAPH.strip()),
        ("span", "span", _SPAN),
        ("span", "span", _SPAN),
    ]
    assert [r["copy_no"] for r in found] == [1, 2, 3, 4]
    kept, dropped = found[0], found[1]
    assert kept["paragraph_id"] and kept["anomaly_id"] is None
    assert dropped["anomaly_id"] and dropped["paragraph_id"] is None
    assert kept["group_id"] == dropped["group_id"] != found[2]["group_id"] == found[3]["group_id"]


def test_a_rejected_paragraph_takes_the_copies_it_holds():
    from newsetl.tables.validate import validate

    frames = _copying_batch().frames()
    paragraphs = frames["fact_paragraph"]
    held = frames["dq_page_copy"]["paragraph_id"].dropna().unique().tolist()
    paragraphs.loc[paragraphs["paragraph_id"] == held[0], "n_chars"] = -1
    good, rejections = validate(frames)
    assert {(r.table, r.row_key) for r in rejections} == {("fact_paragraph", held[0])}
    assert held[0] not in set(good["dq_page_copy"]["paragraph_id"].dropna())
    assert len(good["dq_page_copy"]) < len(frames["dq_page_copy"])


def test_seed_page_copies_make_their_group(seeded_warehouse):
    db, _ = seeded_warehouse
    copies_of = rows(
        db,
        "SELECT c.role, c.group_id FROM dq_page_copy c JOIN dq_duplicate_group g USING (group_id)"
        " WHERE g.excerpt LIKE '到位资金11.24亿元%' ORDER BY c.copy_no",
    )
    assert [role for role, _ in copies_of] == ["paragraph", "dropped", "paragraph", "dropped"]
    orphans = rows(
        db,
        "SELECT count(*) FROM dq_page_copy c JOIN dq_duplicate_group g USING (group_id) "
        "WHERE g.norm_hash <> c.norm_hash",
    )
    assert orphans == [(0,)]


def test_pages_loaded_before_copies_were_found_get_them_at_the_next_refresh(
    seeded_warehouse, tmp_path
):
    """A warehouse migrated from before dq_page_copy lists its pages as pending."""
    db, _ = seeded_warehouse
    copy = tmp_path / "news.duckdb"
    copy.write_bytes(db.read_bytes())
    tables = ("dq_page_copy", *duplicates.DUPLICATE_TABLES)
    before = {t: rows(copy, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    assert before["dq_page_copy"]
    with store.connection(copy) as con:
        con.execute("DELETE FROM dq_page_copy")
        con.execute("INSERT INTO dq_page_copy_pending SELECT file_id FROM dim_source_file")
        duplicates.refresh(con)
    assert {t: rows(copy, f"SELECT * FROM {t} ORDER BY ALL") for t in tables} == before
    assert rows(copy, "SELECT count(*) FROM dq_page_copy_pending") == [(0,)]
