"""The formats a report is published in besides its HTML: Word (.docx) for board papers
and PDF (Chromium's print of the HTML, with the report's print styles).

Word is written with python-docx from the page itself: the banner, the key messages
and headings as text an officer can edit, every table as a real Word table (its
suppressed cells as "c") and every chart as an image with its caption and source.
What the HTML hides from print (the contents list, the download links) is left out.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from pathlib import Path

from hscp.batch._common import BatchError

FORMATS = ("html", "docx", "pdf")


def parse_formats(text: str | None) -> tuple[str, ...]:
    """'html,docx,pdf' -> ('html', 'docx', 'pdf'); HTML is always made (the other formats
    are made from it). An unknown format is an error that lists the known ones."""
    asked = [f.strip().lower() for f in (text or "html").split(",") if f.strip()]
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        raise BatchError(f"--formats: unknown {', '.join(unknown)} (known: {', '.join(FORMATS)})")
    if "pdf" in asked and chromium() is None:
        raise BatchError(
            "--formats pdf needs Chromium (Debian: apt-get install chromium), or set "
            "HSCP_CHROMIUM to its path"
        )
    return tuple(f for f in FORMATS if f in {"html", *asked})


def chromium() -> str | None:
    return (
        os.environ.get("HSCP_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


# --- PDF ------------------------------------------------------------------------------------


def to_pdf(html: Path, pdf: Path, timeout: int = 120) -> None:
    """Print the HTML to A4 PDF with headless Chromium (offline: the page loads nothing)."""
    browser = chromium()
    if browser is None:
        raise BatchError("PDF needs Chromium (apt-get install chromium)")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--no-pdf-header-footer",
         "--run-all-compositor-stages-before-draw", f"--print-to-pdf={pdf}",
         html.resolve().as_uri()],
        capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    if not pdf.exists() or pdf.stat().st_size == 0:
        raise BatchError(f"Chromium did not print {html.name}: {done.stderr[-500:]}")


# --- Word -----------------------------------------------------------------------------------

PURPLE = (0x3F, 0x36, 0x85)


def to_docx(page: str, path: Path) -> None:
    """The report as a Word document: headings, paragraphs, bullet lists, tables and
    figures in the order of the page."""
    from bs4 import BeautifulSoup
    from docx import Document
    from docx.shared import Cm, Pt, RGBColor

    soup = BeautifulSoup(page, "html.parser")
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10.5)
    banner = soup.select_one(".hscp-banner")
    if banner is not None:
        for element in banner.find_all(["p", "h1"]):
            text = _text(element)
            if element.name == "h1":
                heading = doc.add_heading(text, level=0)
                heading.runs[0].font.color.rgb = RGBColor(*PURPLE)
            elif text:
                doc.add_paragraph(text)
    main = soup.select_one("main") or soup.body or soup
    for element in _blocks(main):
        _add(doc, element)
    doc.save(path)


def _text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).replace("¶", "").split())


def _blocks(root):
    """The page's content in order: headings, paragraphs, lists, figures, tables."""
    for element in root.find_all(["h2", "h3", "h4", "p", "ul", "ol", "figure", "table"]):
        if element.find_parent(["figure", "nav", "ul", "ol", "table"]) is not None:
            continue
        if element.find_parent(class_="hscp-banner") is not None:
            continue
        if element.name == "table" and "hscp-table" not in (element.get("class") or []):
            continue
        yield element


def _add(doc, element) -> None:
    from docx.shared import Pt

    name = element.name
    if name in ("h2", "h3", "h4"):
        text = _text(element)
        if text:
            doc.add_heading(text, level={"h2": 1, "h3": 2, "h4": 3}[name])
    elif name == "p":
        text = _text(element)
        if text:
            paragraph = doc.add_paragraph(text)
            if "hscp-source" in (element.get("class") or []):
                paragraph.runs[0].font.size = Pt(8.5)
    elif name in ("ul", "ol"):
        style = "List Bullet" if name == "ul" else "List Number"
        for item in element.find_all("li", recursive=False):
            doc.add_paragraph(_text(item), style=style)
    elif name == "figure":
        _figure(doc, element)
    elif name == "table":
        _table(doc, element)


def _figure(doc, figure) -> None:
    from docx.shared import Cm, Pt

    caption = figure.find("figcaption")
    image = figure.find("img")
    if image is not None and str(image.get("src", "")).startswith("data:image/png;base64,"):
        data = base64.b64decode(image["src"].split(",", 1)[1])
        doc.add_picture(io.BytesIO(data), width=Cm(16.5))
        if image.get("alt"):
            doc.inline_shapes[-1]._inline.docPr.set("descr", image["alt"])
    if caption is not None:
        paragraph = doc.add_paragraph()
        paragraph.add_run(_text(caption)).bold = True
    table = figure.find("table", class_="hscp-table")
    if table is not None:
        _table(doc, table)
    source = figure.find(class_="hscp-source")
    if source is not None:
        for link in source.find_all("a", class_="hscp-download"):
            link.decompose()
        text = _text(source)
        if text:
            doc.add_paragraph(text).runs[0].font.size = Pt(8.5)


def _table(doc, table) -> None:
    from docx.shared import Pt

    rows = table.find_all("tr")
    if not rows:
        return
    width = max(len(r.find_all(["th", "td"])) for r in rows)
    out = doc.add_table(rows=0, cols=width)
    out.style = "Table Grid"
    for row in rows:
        cells = row.find_all(["th", "td"])
        added = out.add_row().cells
        for i, cell in enumerate(cells[:width]):
            added[i].text = _text(cell)
            run = added[i].paragraphs[0].runs
            if run:
                run[0].font.size = Pt(8.5)
                run[0].bold = cell.name == "th"
            if "num" in (cell.get("class") or []):
                added[i].paragraphs[0].alignment = 2  # right
    doc.add_paragraph()
