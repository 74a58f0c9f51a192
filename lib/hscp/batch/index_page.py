"""outputs/index.html: every report on disk, grouped by partnership."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from hscp import geography, paths
from hscp.batch._common import TEMPLATES, WHOLE_PARTNERSHIP
from hscp.batch.rendering import _report_css

# --- the index page -------------------------------------------------------------------------

if TYPE_CHECKING:
    from hscp.batch.runner import Summary


def write_index(summary: Summary, out_dir: Path) -> Path:
    """outputs/index.html: every report on disk, grouped by partnership, with this run's
    failures and the verdict of the disclosure audit."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    this_run = {r["html"]: r for r in summary.reports if r["html"]}
    names = {p.slug: p.name for p in geography.partnerships()}
    groups: dict[str, list[dict]] = {}
    for rel in sorted(p.relative_to(out_dir) for p in out_dir.glob("*/*/*.html")):
        slug, area = rel.parts[0], rel.parts[1]
        r = this_run.get(rel.as_posix())
        groups.setdefault(slug, []).append(
            {
                "area": "Whole partnership"
                if area == WHOLE_PARTNERSHIP
                else _area_name(slug, area),
                "whole": area == WHOLE_PARTNERSHIP,
                "href": rel.as_posix(),
                "others": [
                    {"href": rel.with_suffix(f".{kind}").as_posix(), "label": label}
                    for kind, label in (("docx", "Word"), ("pdf", "PDF"))
                    if (out_dir / rel.with_suffix(f".{kind}")).exists()
                ],
                "title": _titles().get(rel.stem, rel.stem.replace("_", " ").capitalize()),
                "order": _order().get(rel.stem, 99),
                "when": {"ok": "this run", "skipped": "up to date"}.get(r["status"], "earlier run")
                if r
                else "earlier run",
            }
        )
    sections = [
        {
            "name": names.get(slug, slug),
            "rows": sorted(rows, key=lambda x: (not x["whole"], x["area"], x["order"], x["title"])),
        }
        for slug, rows in sorted(groups.items())
    ]
    env = Environment(loader=FileSystemLoader(TEMPLATES / "hscp"), autoescape=select_autoescape())
    page = env.get_template("batch_index.html.j2").render(
        css=_report_css(),
        summary=summary,
        rendered=sum(r["status"] == "ok" for r in summary.reports),
        skipped=sum(r["status"] == "skipped" for r in summary.reports),
        failed=summary.failed,
        sections=sections,
        answers=_answers(
            {row["href"].rsplit("/", 1)[-1][:-5] for s in sections for row in s["rows"]}
        ),
        audit=summary.audit,
    )
    path = out_dir / "index.html"
    tmp = path.with_suffix(f".html.tmp-{os.getpid()}")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _notebooks() -> dict[str, dict]:
    """Each notebook's metadata by its file's stem ("overview", "unscheduled_care")."""
    from hscp.batch.jobs import available_notebooks

    return {
        Path(nb).name: paths.notebook_metadata(nb).get("hscp", {}) for nb in available_notebooks()
    }


def _titles() -> dict[str, str]:
    return {stem: meta["title"] for stem, meta in _notebooks().items() if meta.get("title")}


def _order() -> dict[str, int]:
    """The overview first, then the analysis reports and the phase packs, as the default run."""
    from hscp import config

    order = [Path(nb).name for nb in config.load_defaults().notebooks]
    return {stem: i for i, stem in enumerate(order)}


def _answers(stems: set[str]) -> list[dict]:
    """What each report on the page answers, in reading order (notebook metadata)."""
    meta, order = _notebooks(), _order()
    return [
        {"title": meta[s].get("title", s), "answers": meta[s].get("answers", "")}
        for s in sorted(stems, key=lambda s: (order.get(s, 99), s))
        if s in meta and meta[s].get("answers")
    ]


def _area_name(partnership_slug: str, area_slug: str) -> str:
    for p in geography.partnerships():
        if p.slug == partnership_slug:
            for loc in p.localities:
                if geography.slugify(loc) == area_slug:
                    return loc
    return area_slug
