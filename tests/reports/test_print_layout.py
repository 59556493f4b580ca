"""Every demo HTML report on screen (headless Chromium, 1400 px wide) and on A4 (Chromium's PDF).

The hmu report is printed for the demo's year and for a quarter (2025Q3) as well.

Screen: a script added to a copy of the report measures, after layout, that the page does not
scroll sideways and that no table is wider than the box it sits in (nothing cut off). Paper: the
PDF (read with pdfplumber) has every character and every table line inside its page, page 1 holds
more than the header (no forced break before the first section), no page but the last is nearly
empty, every page says "Syntetiske data", and the page count is sane.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.desktop_apps import required_program

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("print_layout")]

CHECK = """
<script>
window.addEventListener("load", function () {
  var doc = document.documentElement, out = {page: doc.scrollWidth - doc.clientWidth, tables: []};
  document.querySelectorAll("table").forEach(function (t) {
    var box = t.parentElement, r = t.getBoundingClientRect(), b = box.getBoundingClientRect();
    out.tables.push({caption: t.caption ? t.caption.textContent.slice(0, 60) : "",
                     overflow: Math.round(r.right - Math.min(b.right, doc.clientWidth))});
  });
  var pre = document.createElement("pre"); pre.id = "layout"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>
"""
OFFLINE = ["--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]


@pytest.fixture(scope="module")
def chromium() -> str:
    return required_program(
        ("chromium", "chromium-browser"), "RUMMELIG_REQUIRE_BROWSER", "chromium"
    )


@pytest.fixture(scope="module")
def html_files(demo_warehouse, tmp_path_factory) -> list[Path]:
    """Every report the demo wrote (for the as_of year), and the hmu report for a quarter."""
    from reports.registry import run_report

    files = sorted(demo_warehouse.reports.glob("*.html"))
    assert {p.name.split("_")[0] for p in files} == {
        "benchmark",
        "hmu",
        "inklusion",
        "jobcenter",
        "kvote",
        "sygefravaer",
    }
    quarter = run_report(
        "hmu", demo_warehouse.database, quarter="2025Q3", out_dir=tmp_path_factory.mktemp("q")
    )
    return files + [p for p in quarter if p.suffix == ".html"]


def _run(browser: str, args: list[str], cwd: Path) -> str:
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", *OFFLINE, *args],
        check=True,
        timeout=180,
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    return done.stdout


def test_every_report_fits_a_1400_px_screen(html_files, chromium, tmp_path):
    for html in html_files:
        probe = tmp_path / html.name
        probe.write_text(html.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"))
        dom = _run(
            chromium,
            ["--window-size=1400,1000", "--virtual-time-budget=5000", "--dump-dom", probe.as_uri()],
            tmp_path,
        )
        found = re.search(r'<pre id="layout">(.*?)</pre>', dom, flags=re.S)
        assert found, html.name
        layout = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        assert layout["tables"], html.name
        assert layout["page"] <= 0, (html.name, "the page scrolls sideways")
        clipped = [t for t in layout["tables"] if t["overflow"] > 1]
        assert not clipped, (html.name, clipped)


def test_every_report_prints_on_a4_with_every_column_inside_the_page(
    html_files, chromium, tmp_path
):
    import pdfplumber

    for html in html_files:
        pdf_path = tmp_path / f"{html.stem}.pdf"
        _run(
            chromium,
            ["--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html.as_uri()],
            tmp_path,
        )
        with pdfplumber.open(pdf_path) as pdf:
            pages = pdf.pages
            assert 1 <= len(pages) <= 30, (html.name, len(pages))
            for i, page in enumerate(pages, 1):
                w, h = float(page.width), float(page.height)
                assert sorted((round(w), round(h))) == [595, 842], (html.name, i)  # A4
                right = max(
                    [c["x1"] for c in page.chars] + [r["x1"] for r in page.rects], default=0
                )
                assert right <= w - 10, (html.name, i, right, w)  # inside the page's margin
                text = page.extract_text() or ""
                assert "Syntetiske data" in text, (html.name, i)
                if i < len(pages):  # every page but the last is used for at least a third
                    bottom = max(
                        (c["bottom"] for c in page.chars if c["bottom"] < h - 40), default=0
                    )
                    assert bottom > h / 3, (html.name, i, bottom)
            first = pages[0].extract_text() or ""
            # the header does not stand alone on page 1: the first section starts there
            assert re.search(r"Enheder|Overblik|Udvikling|Resumé", first), html.name
            if html.name.startswith("hmu"):
                # the Resumé is whole on page 1, under the header
                assert "Resumé" in first, html.name
                assert re.search(r"måltal\s+for\s+kommunen", first), html.name
            if html.name.startswith("sygefravaer"):
                # the unit table's last column group (Inklusion) is on the page, with its header
                assert "Inklusion" in first and "Personer" in first
