"""The live preview in a real browser: headless Chromium on 127.0.0.1, driven by Selenium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.analyse import Analyser
from briefing.ingest import read_files
from briefing.preview import Preview, Running, start
from briefing.scaffold import scaffold
from tests.conftest import EXAMPLES, ROOT, SEED_DATE, needs_chromium

pytestmark = [needs_chromium, pytest.mark.slow]  # run by `pytest -m slow` (README)


@pytest.fixture()
def desk(tmp_path: Path) -> Path:
    folder = tmp_path / "desk"
    scaffold(folder)
    return folder


@pytest.fixture()
def running(desk: Path, analyser: Analyser) -> Iterator[Running]:
    analysis = analyser(read_files(sorted(EXAMPLES.glob("*.txt")), SEED_DATE))
    server = start(Preview(analysis, desk / "config.yaml", SEED_DATE, None), port=0)
    yield server
    server.close()


def _wait_for(browser, text: str, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    # the page reloads itself while we look: elements may vanish between two calls
    WebDriverWait(
        browser,
        seconds,
        poll_frequency=0.2,
        ignored_exceptions=(NoSuchElementException, StaleElementReferenceException),
    ).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def test_preview_renders_and_reloads_on_template_change(
    running: Running,
    browser,
    desk: Path,  # type: ignore[no-untyped-def]
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(running.url)
    _wait_for(browser, "Prepared for the analysis desk")
    headings = [h.text for h in browser.find_elements(By.TAG_NAME, "h2")]
    assert headings[:2] == ["Bottom line", "Contents"] and headings[-2:] == ["Actors", "Sources"]
    assert "China, Japan and South Korea pledge to speed up free trade talks" in headings
    sections = [h.text for h in browser.find_elements(By.TAG_NAME, "h3")]
    assert sections.count("Outlook") == 4 and sections.count("Key claims") == 4
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "very likely (80–95 %)" in body
    colour = browser.find_element(By.CSS_SELECTOR, ".classification").value_of_css_property("color")
    assert colour == "rgba(138, 28, 28, 1)"  # the stylesheet is applied
    shots = ROOT / "out"
    shots.mkdir(exist_ok=True)
    browser.save_screenshot(str(shots / "preview-analyst.png"))

    template = desk / "templates" / "analyst.md.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            "Prepared for the analysis desk", "Revised live"
        ),
        encoding="utf-8",
    )
    _wait_for(browser, "Revised live")  # the open page reloaded itself, no restart

    template.write_text("{% block header %}{{ broken( %}", encoding="utf-8")
    _wait_for(browser, "The brief could not be rendered")
    _wait_for(browser, "analyst.md.j2, line 1")


def test_preview_follows_config_changes(running: Running, browser, desk: Path) -> None:  # type: ignore[no-untyped-def]
    browser.get(running.url)
    _wait_for(browser, "UNCLASSIFIED")
    config = desk / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "classification: UNCLASSIFIED", "classification: RESTRICTED DESK"
        ),
        encoding="utf-8",
    )
    _wait_for(browser, "RESTRICTED DESK")


def test_every_audience_and_its_pdf_from_the_page(running: Running, browser) -> None:  # type: ignore[no-untyped-def]
    import io
    import urllib.request

    import pypdf
    from selenium.webdriver.common.by import By

    browser.get(running.url)
    _wait_for(browser, "Prepared for the analysis desk")
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav.briefing-preview a")]
    assert names == ["analyst", "executive", "press", "PDF"]
    browser.find_element(By.LINK_TEXT, "press").click()
    _wait_for(browser, "What to watch")  # the press template's own heading
    assert "audience=press" in browser.current_url
    assert "Prepared for the analysis desk" not in browser.find_element(By.TAG_NAME, "body").text
    pdf_url = browser.find_element(By.LINK_TEXT, "PDF").get_attribute("href")
    assert pdf_url.endswith("/brief.pdf?audience=press")
    with urllib.request.urlopen(pdf_url, timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        reader = pypdf.PdfReader(io.BytesIO(response.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Naledi Khumalo" in text
    browser.get(pdf_url)  # Chromium opens the served PDF itself
    assert browser.execute_script("return document.contentType") == "application/pdf"
