"""HTML rendering (Jinja2, inline CSS, offline) and writing a report's pair of files."""

from __future__ import annotations

from pathlib import Path

import jinja2

from reports.formatting import (
    fmt_date,
    fmt_datetime,
    fmt_month,
    fmt_month_short,
    fmt_number,
    fmt_pct,
    fmt_pp,
    fmt_value,
)
from reports.periods import fmt_period
from reports.xlsx import Workbook, write_xlsx

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


def _jinja_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Jinja's own filters (int, round, …) are left alone: `num` is the Danish number.
    env.filters.update(
        num=fmt_number,
        pct=fmt_pct,
        pp=fmt_pp,
        value=fmt_value,
        dkdate=fmt_date,
        dkdatetime=fmt_datetime,
        month=fmt_month,
        month_short=fmt_month_short,
        period=fmt_period,
    )
    return env


_ENV: jinja2.Environment | None = None


def jinja_env() -> jinja2.Environment:
    global _ENV
    if _ENV is None:
        _ENV = _jinja_env()
    return _ENV


def render_html(template_name: str, context: dict, out_path: Path) -> Path:
    """Render reports/templates/<template_name> (which extends base.html) to out_path (UTF-8).

    base.html uses `title`, and when present `meta` (report_meta), `period` (a Period),
    `subtitle`, `sections` (list of (anchor, heading) for the table of contents), `footnotes`
    and `disclosure` (the sentence on hidden figures).
    """
    ctx = {
        "subtitle": None,
        "sections": [],
        "footnotes": [],
        "period": None,
        "disclosure": None,
        **context,
    }
    html = jinja_env().get_template(template_name).render(**ctx)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(html, encoding="utf-8")
    return out_path


def write_report(
    out_dir: Path, stem: str, template: str, context: dict, workbook: Workbook
) -> list[Path]:
    """A report's pair of files: out_dir/<stem>.html (from `template`) and out_dir/<stem>.xlsx."""
    out_dir = Path(out_dir)
    html = render_html(template, context, out_dir / f"{stem}.html")
    return [html, write_xlsx(out_dir / f"{stem}.xlsx", workbook)]
