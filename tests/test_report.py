"""The HTML report: content, escaping, and rendering in headless Chromium."""

from __future__ import annotations

import re
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsetl.report import build

SCRIPT = "<script>alert(1)</script>"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def hostile_report(prefect_server, tmp_path_factory) -> Path:
    """A report of the seed pages plus a paragraph holding a script tag, via the real flow."""
    from newsetl.orchestration.artifacts import check_and_report
    from newsetl.orchestration.ingest import ingest
    from tests.conftest import SEEDS

    root = tmp_path_factory.mktemp("hostile")
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    page = sorted(seeds.glob("*.txt"))[0]
    text = page.read_text(encoding="utf-8")
    cut = text.index("到位资金11.24")
    page.write_text(
        text[:cut] + f"有人在版面里写了{SCRIPT}这样的文字，报告必须原样显示。\n\n" + text[cut:],
        encoding="utf-8",
    )
    db, out = root / "news.duckdb", root / "reports"
    summary = ingest(seeds=str(seeds), db=str(db), reports=str(out))
    (out / "gx").mkdir()  # left by an earlier version, which built Data Docs here
    (out / "gx" / "index.html").write_text('<script src="https://cdn.example/x.js">', "utf-8")
    check_and_report(db, summary["run_id"] + "-again", out)
    return out / "index.html"


def test_report_sections_and_links(hostile_report):
    html = hostile_report.read_text(encoding="utf-8")
    for anchor in ('id="summary"', 'id="checks"', 'id="plots"', 'id="duplicates"', 'id="trend"'):
        assert anchor in html
    assert not (hostile_report.parent / "gx").exists()
    for page in hostile_report.parent.rglob("*.html"):  # offline: nothing from the internet
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", text), page
    pages = list((hostile_report.parent / "pages").glob("*.html"))
    assert len(pages) == 5
    assert "到位资金11.24亿元" in html


def test_page_text_is_escaped(hostile_report):
    out = hostile_report.parent
    texts = [p.read_text(encoding="utf-8") for p in (out / "pages").glob("*.html")]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in t for t in texts)
    assert not any(SCRIPT in t for t in [*texts, hostile_report.read_text(encoding="utf-8")])


def test_report_bounds_what_it_lists(seeded_warehouse, tmp_path, monkeypatch):
    db, _ = seeded_warehouse
    out = tmp_path / "reports"
    (out / "pages").mkdir(parents=True)
    (out / "pages" / "stale.html").write_text("an earlier report", encoding="utf-8")
    monkeypatch.setattr(build, "ANOMALIES_PER_TYPE", 1)
    monkeypatch.setattr(build, "PAGES_WRITTEN", 2)
    data = build.gather(db)
    types = [t["type"] for t in data["by_type"]]
    assert sorted(a["type"] for a in data["anomalies"]) == sorted(types)
    assert data["totals"]["anomalies"] == sum(t["n"] for t in data["by_type"]) > len(types)
    html = build.write_report(db, out, data).read_text(encoding="utf-8")
    written = sorted(p.stem for p in (out / "pages").glob("*.html"))
    assert written == sorted(data["written"]) and len(written) == 2
    linked = set(re.findall(r'href="pages/([^".]+)\.html', html))
    assert linked and linked <= set(written)
    assert "SELECT * FROM dq_anomaly WHERE type = " in html


def test_anchor_keeps_links_relative():
    assert build.anchor("f0123456789abcdef:004") == "f0123456789abcdef-004"


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("chromium and chromedriver are not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
        "--window-size=1280,2000",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_report_renders_without_console_errors(browser, hostile_report, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(hostile_report.as_uri())
    assert _errors(browser) == []
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert headings[:3] == ["Latest run", "Rejected input", "Checks"]
    assert "Every anomaly in context" in headings
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.anomaly")) >= 20
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr.check")) >= 60
    assert len(browser.find_elements(By.CSS_SELECTOR, "#trend polyline")) >= 5
    assert len(browser.find_elements(By.CSS_SELECTOR, "figure svg rect")) >= 10
    shot = tmp_path / "report.png"
    assert browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 50_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_script_in_a_page_renders_as_text(browser, hostile_report):
    from selenium.webdriver.common.by import By

    link = None
    for page in (hostile_report.parent / "pages").glob("*.html"):
        if "&lt;script&gt;" in page.read_text(encoding="utf-8"):
            link = page
    browser.get(link.as_uri())
    assert _errors(browser) == []
    assert SCRIPT in browser.find_element(By.ID, "page-text").text
    assert browser.find_elements(By.CSS_SELECTOR, "#page-text script") == []
    assert browser.find_elements(By.CSS_SELECTOR, "#page-text mark")


def test_anomaly_links_open_the_article(browser, hostile_report):
    from selenium.webdriver.common.by import By

    browser.get(hostile_report.as_uri())
    row = browser.find_elements(By.CSS_SELECTOR, "tr.anomaly")[0]
    href = row.find_elements(By.TAG_NAME, "a")[1].get_attribute("href")
    browser.get(href)
    target = href.split("#", 1)[1]
    assert browser.find_elements(By.ID, target)
    assert _errors(browser) == []


def _small_files() -> None:
    """In the child: files may not grow past 16 KB (a full disk, as far as writes see)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (16_000, 16_000))


def test_a_report_that_cannot_be_written_names_its_page(seeded_warehouse, tmp_path):
    db, _ = seeded_warehouse
    out = tmp_path / "reports"
    newsetl = Path(sys.executable).with_name("newsetl")
    done = subprocess.run(
        [str(newsetl), "report", "--db", str(db), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=_small_files,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    [line] = [x for x in done.stderr.splitlines() if "Cannot write the report page" in x]
    assert str(out) in line and "File too large" in line
    assert not list(out.rglob("*.tmp"))


def test_anomalies_filter_and_sort_in_the_page(browser, hostile_report):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(hostile_report.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.anomaly")
    types = {r.get_attribute("data-type") for r in rows}
    assert len(types) > 2

    def shown() -> list:
        return [r for r in browser.find_elements(By.CSS_SELECTOR, "tr.anomaly") if r.is_displayed()]

    Select(browser.find_element(By.ID, "filter-type")).select_by_visible_text("broken_paragraph")
    assert shown() and {r.get_attribute("data-type") for r in shown()} == {"broken_paragraph"}
    count = browser.find_element(By.ID, "filter-count").text
    assert count == f"{len(shown())} of {len(rows)} shown."
    Select(browser.find_element(By.ID, "filter-type")).select_by_visible_text("all")
    browser.find_element(By.ID, "filter-text").send_keys("zzz-no-such-text")
    assert shown() == []
    browser.find_element(By.ID, "filter-text").clear()
    browser.execute_script(
        "document.getElementById('filter-text').dispatchEvent(new Event('input'))"
    )
    assert len(shown()) == len(rows)

    type_head = browser.find_elements(By.CSS_SELECTOR, "#anomaly-table th")[2]
    type_head.click()
    listed = [r.get_attribute("data-type") for r in shown()]
    assert listed == sorted(listed)
    type_head.click()
    assert [r.get_attribute("data-type") for r in shown()] == sorted(listed, reverse=True)
    assert _errors(browser) == []


def test_failed_checks_are_summarised_by_what_they_mean(hostile_report):
    html = hostile_report.read_text(encoding="utf-8")
    table = html[
        html.index('id="checks-table"') : html.index("</table>", html.index("checks-table"))
    ]
    rows = [re.sub(r"<[^>]+>", " ", r) for r in table.split('<tr class="check failing">')[1:]]
    [cut] = [r for r in rows if "no article is cut off" in r]  # one line, two tables
    assert "rows of dq_anomaly.type" in cut and "rows of fact_article.is_truncated" in cut
    assert "True" not in table and "truncated_article," not in table  # each type named once
    assert len(rows) < table.count("rows of ")  # checks of one meaning share a line
