"""Rendered reports opened in a real browser (headless Chromium): offline, and not blank."""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def open_report(open_page, path: Path, screenshot: Path):
    page, requests = open_page(path)
    page.screenshot(path=str(screenshot), full_page=False)
    return page, requests


def not_blank(png: Path) -> float:
    """Standard deviation of the screenshot's pixel values: near 0 means a blank page."""
    from matplotlib.image import imread

    return float(imread(str(png))[..., :3].std())


def test_report_loads_nothing_from_outside_and_is_not_blank(open_page, rendered, tmp_path):
    out, _ = rendered
    html = out / "clackmannanshire-and-stirling" / "clackmannanshire" / "delayed_discharges.html"
    page, requests = open_report(open_page, html, tmp_path / "report.png")
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == []
    assert not_blank(tmp_path / "report.png") > 0.05
    assert page.locator("header.hscp-banner h1").inner_text() == "Delayed discharges"
    assert page.locator("nav.hscp-toc a").count() >= 4
    assert page.locator("figure.hscp-figure img").count() >= 3
    for img in page.locator("figure.hscp-figure img").all():
        assert img.get_attribute("alt")  # every chart has alt text
        assert img.evaluate("i => i.naturalWidth") > 300  # and it decoded
    assert page.locator(".jp-CodeMirrorEditor, .jp-InputPrompt, .jp-OutputPrompt").count() == 0
    page.close()


def test_index_links_open_the_reports(open_page, rendered, tmp_path):
    out, _ = rendered
    page, requests = open_report(open_page, out / "index.html", tmp_path / "index.png")
    links = page.locator("main a[href$='.html']")
    assert links.count() == 2
    links.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("delayed_discharges.html")
    assert [u for u in requests if not u.startswith(("file://", "data:"))] == []
    page.close()
