"""Every demo HTML report rendered by headless Chromium with the network cut off: the charts
must show up on screen, not just be present in the source.

The proof is a pixel count: the chart palette's colours in a screenshot of the report, minus the
same count for the report with its SVG charts removed. Chromium comes from Debian (`make test`
installs it when it can); without it the test skips, unless RUMMELIG_REQUIRE_BROWSER=1 (set by
.ci/run) turns the skip into a failure.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from reports.charts import PALETTE
from tests.support.desktop_apps import required_program

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser_render")]

# Colours that only the charts use: the palette without black and grey (text and axes).
CHART_RGB = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in PALETTE[:6]]
MIN_CHART_PIXELS = 500  # a single 760 px wide line series alone draws more than this


@pytest.fixture(scope="module")
def chromium() -> str:
    return required_program(
        ("chromium", "chromium-browser"), "RUMMELIG_REQUIRE_BROWSER", "chromium"
    )


def _screenshot(browser: str, html: Path, png: Path) -> None:
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            # Offline: every request that is not a local file goes to a closed port.
            "--proxy-server=http://127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--window-size=1200,5000",
            f"--screenshot={png}",
            html.as_uri(),
        ],
        check=True,
        timeout=120,
        capture_output=True,
        cwd=png.parent,
    )


def _chart_pixels(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    wanted = set(CHART_RGB)
    return sum(count for count, rgb in colours if rgb in wanted)


def test_every_report_shows_its_charts_offline(demo_warehouse, chromium, tmp_path):
    html_files = sorted(demo_warehouse.reports.glob("*.html"))
    assert {p.name.split("_")[0] for p in html_files} >= {
        "hmu",
        "inklusion",
        "jobcenter",
        "kvote",
        "sygefravaer",
    }
    for html in html_files:
        source = html.read_text(encoding="utf-8")
        without_charts = tmp_path / f"nochart_{html.name}"
        without_charts.write_text(re.sub(r"<svg\b.*?</svg>", "", source, flags=re.S), "utf-8")

        shot, control = tmp_path / f"{html.stem}.png", tmp_path / f"{html.stem}_nochart.png"
        _screenshot(chromium, html, shot)
        _screenshot(chromium, without_charts, control)

        drawn = _chart_pixels(shot) - _chart_pixels(control)
        assert drawn >= MIN_CHART_PIXELS, f"{html.name}: only {drawn} chart pixels on screen"


RESOURCES = """
<script>
window.addEventListener("load", function () {
  var pre = document.createElement("pre"); pre.id = "resources";
  pre.textContent = JSON.stringify(performance.getEntriesByType("resource").map(function (e) {
    return e.name; }));
  document.body.appendChild(pre);
});
</script>
"""
# A request for anything outside the file: in an attribute, in CSS, or as an import.
REMOTE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//)|url\(\s*["']?(?:https?:)?//|@import"""
)


def test_hmu_year_and_quarter_offline_without_console_messages(demo_warehouse, chromium, tmp_path):
    """The hmu report for the demo's year and for a quarter: nothing to fetch (no remote
    reference in the source; the page's own resource list is empty with the network cut off)
    and not a single console message (no script error) in headless Chromium."""
    import json

    from reports.registry import run_report

    year = demo_warehouse.reports / "hmu_2025.html"
    quarter = next(
        p
        for p in run_report("hmu", demo_warehouse.database, quarter="2025Q3", out_dir=tmp_path)
        if p.suffix == ".html"
    )
    for html in (year, quarter):
        source = html.read_text(encoding="utf-8")
        assert not REMOTE.search(source), (html.name, REMOTE.search(source))
        probe = tmp_path / f"probe_{html.name}"
        probe.write_text(source.replace("</body>", RESOURCES + "</body>"), encoding="utf-8")
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
             "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000", "--dump-dom",
             probe.as_uri()],
            check=True, timeout=120, capture_output=True, text=True, cwd=tmp_path,
        )  # fmt: skip
        console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
        assert console == [], (html.name, console)
        found = re.search(r'<pre id="resources">(.*?)</pre>', done.stdout, flags=re.S)
        assert found, html.name
        assert json.loads(found.group(1).replace("&quot;", '"')) == [], html.name
        assert "Resumé" in done.stdout and "Årshjul" in done.stdout


# Put first in <head>: records every error and every resource the page asks for, so a script
# error or a request to the network anywhere in the page is caught, not only after the body.
PROBE = """<script>
window.__errors = [];
window.addEventListener("error", function (e) {
  window.__errors.push(e.message || ("kunne ikke hente " + (e.target.src || e.target.href)));
}, true);
window.addEventListener("load", function () {
  var out = {errors: window.__errors,
             requests: performance.getEntriesByType("resource").map(function (r) {
               return r.name; })};
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _console_and_requests(browser: str, source: str, probe: Path) -> tuple[list, list, list]:
    """(console lines, script/load errors, requests) of `source` rendered offline."""
    import html as html_lib
    import json

    probe.write_text(source.replace("<head>", "<head>" + PROBE, 1), "utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu",
         "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=5000",
         "--dump-dom", probe.as_uri()],
        check=True, timeout=120, capture_output=True, text=True, cwd=probe.parent,
    )  # fmt: skip
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, flags=re.S)
    assert found, probe.name
    seen = json.loads(html_lib.unescape(found.group(1)))
    return console, seen["errors"], seen["requests"]


def test_the_console_probe_catches_a_script_error_and_a_network_request(chromium, tmp_path):
    broken = (
        "<!DOCTYPE html><html><head><title>x</title></head><body><script>nope();</script>"
        '<img src="http://example.com/logo.png"></body></html>'
    )
    console, errors, requests = _console_and_requests(chromium, broken, tmp_path / "x.html")
    assert any("nope is not defined" in line for line in console)
    assert len(errors) == 2 and requests == ["http://example.com/logo.png"]


def test_every_report_runs_without_console_errors_and_asks_nothing_of_the_network(
    demo_warehouse, chromium, tmp_path
):
    """Chromium's console (logged to stderr) stays silent and the page loads no resource
    that is not inside the file: no script error, no CDN, no web font, no image from afar."""
    html_files = sorted(demo_warehouse.reports.glob("*.html"))
    assert "jobcenter" in {p.name.split("_")[0] for p in html_files}
    for report in html_files:
        console, errors, requests = _console_and_requests(
            chromium, report.read_text(encoding="utf-8"), tmp_path / report.name
        )
        assert console == [] and errors == [], (report.name, console, errors)
        assert [r for r in requests if not r.startswith("file:")] == [], report.name
