"""Static SVG charts built as strings: no JavaScript, no external fonts, readable when printed.

Each chart starts with <title> and <desc> (screen readers) and every point or bar carries its own
<title> (a native tooltip). Callers pass already-suppressed values: None draws nothing and shows
'–', so a suppressed figure can never leak into the SVG.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date
from html import escape

from markupsafe import Markup

# Okabe–Ito colours (colour-blind safe), yellow left out: too pale on white paper.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999"]
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif"
WIDTH = 760


def _fmt(value: float | None, y_format: str, decimals: int | None = None) -> str:
    # Imported here: reports.common re-exports this module at its end.
    from reports.common import fmt_number, fmt_pct

    if y_format == "pct":
        return fmt_pct(value, 1 if decimals is None else decimals)
    if y_format == "dec1":
        return fmt_number(value, 1 if decimals is None else decimals)
    if y_format == "dec2":
        return fmt_number(value, 2 if decimals is None else decimals)
    return fmt_number(value, 0 if decimals is None else decimals)


def _month_label(d: date) -> str:
    from reports.common import MONTHS_DA_SHORT

    return f"{MONTHS_DA_SHORT[d.month - 1]} {d.year}"


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _chart_id(*parts: object) -> str:
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def nice_ticks(lo: float, hi: float, target: int = 5, integer: bool = False) -> list[float]:
    """Round axis ticks covering [lo, hi] (steps 1, 2, 2,5, 5 × 10^k; whole steps for counts)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / target
    mag = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * mag for m in steps if m * mag >= raw)
    if integer:
        step = max(1, round(step))
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t < hi + step * 0.999:
        ticks.append(round(t, 10))
        t += step
        if ticks[-1] >= hi:
            break
    return ticks


def _tick_decimals(ticks: list[float]) -> int:
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1
    return 0 if step >= 1 else (1 if step * 10 >= 1 - 1e-9 else 2)


def _svg_open(cid: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{cid}-t {cid}-d" style="{FONT}">',
        f'<title id="{cid}-t">{_e(title)}</title>',
        f'<desc id="{cid}-d">{_e(desc)}</desc>',
        f'<text x="8" y="20" font-size="15" font-weight="bold">{_e(title)}</text>',
    ]


def _legend_layout(names: list[str]) -> list[tuple[float, int]]:
    """(x, row) of each legend item, wrapping to new rows at the chart's width."""
    out, x, row = [], 64.0, 0
    for name in names:
        w = 17 + 7 * len(name) + 24
        if x + w > WIDTH and x > 64:
            x, row = 64.0, row + 1
        out.append((x, row))
        x += w
    return out


def _legend(names: list[str], y: int) -> list[str]:
    """Legend items (colour square + name) starting at baseline y, wrapped over rows."""
    out = []
    for i, (name, (x, row)) in enumerate(zip(names, _legend_layout(names), strict=True)):
        colour = PALETTE[i % len(PALETTE)]
        yy = y + 18 * row
        out.append(f'<rect x="{x:.0f}" y="{yy - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 17:.0f}" y="{yy}" font-size="12">{_e(name)}</text>')
    return out


def _legend_rows(names: list[str]) -> int:
    return 1 + max((row for _, row in _legend_layout(names)), default=0)


def svg_line_chart(
    series: dict[str, list[tuple[date, float | None]]],
    *,
    title: str,
    y_label: str = "",
    y_format: str = "pct",
    height: int = 320,
) -> Markup:
    """Line chart of several series over dates (e.g. month_end); None breaks the line.

    y_format: pct (values on the 0–100 scale) | int | dec1 | dec2.
    """
    cid = _chart_id("line", title, sorted(series))
    names = list(series)
    points = [(d, v) for pts in series.values() for d, v in pts]
    values = [v for _, v in points if v is not None]
    dates = sorted({d for d, _ in points})
    period = f"{_month_label(dates[0])} – {_month_label(dates[-1])}" if dates else "ingen data"
    desc = f"Linjediagram, {period}. Serier: {', '.join(names) or 'ingen'}."
    legend_rows = _legend_rows(names)
    left, right, top, bottom = 64, 40, 44, 48 + 18 * legend_rows
    pw, ph = WIDTH - left - right, height - top - bottom
    out = _svg_open(cid, height, title, desc)
    if not values:
        out.append(f'<text x="{left}" y="{top + ph / 2}" font-size="13">Ingen data</text>')
        return Markup("\n".join(out + ["</svg>"]))

    ticks = nice_ticks(min(0.0, min(values)), max(values), integer=y_format == "int")
    y_lo, y_hi = ticks[0], ticks[-1]
    dec = _tick_decimals(ticks)
    d0, d1 = dates[0].toordinal(), dates[-1].toordinal()

    def x_of(d: date) -> float:
        return left + (pw / 2 if d1 == d0 else pw * (d.toordinal() - d0) / (d1 - d0))

    def y_of(v: float) -> float:
        return top + ph - ph * (v - y_lo) / (y_hi - y_lo)

    # y grid and labels
    for t in ticks:
        y = y_of(t)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{_e(_fmt(t, y_format, dec))}</text>"
        )
    if y_label:
        out.append(
            f'<text x="14" y="{top + ph / 2:.1f}" font-size="11" text-anchor="middle" '
            f'transform="rotate(-90 14 {top + ph / 2:.1f})">{_e(y_label)}</text>'
        )
    # x labels: at most 8, preferring January (or quarter starts) when the span is long
    every = max(1, math.ceil(len(dates) / 8))
    if every > 1:
        every = next(s for s in (2, 3, 4, 6, 12, 24, 36, 60) if s >= every)
    anchor = dates[-1].month % every
    for d in dates:
        if d.month % every == anchor or len(dates) == 1:
            x = x_of(d)
            out.append(
                f'<line x1="{x:.1f}" y1="{top + ph}" x2="{x:.1f}" y2="{top + ph + 4}" '
                f'stroke="#333"/>'
            )
            out.append(
                f'<text x="{x:.1f}" y="{top + ph + 17}" font-size="11" text-anchor="middle">'
                f"{_e(_month_label(d))}</text>"
            )
    out.append(
        f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" stroke="#333"/>'
    )
    # series: one path per unbroken run; a circle with a tooltip per point
    for i, (name, pts) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        out.append(f'<g class="series" data-series="{_e(name)}">')
        out.append(f"<title>{_e(name)}</title>")
        runs: list[list[tuple[date, float]]] = [[]]
        for d, v in sorted(pts, key=lambda p: p[0]):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((d, v))
        for run in runs:
            if len(run) > 1:
                path = " ".join(
                    f"{'M' if j == 0 else 'L'}{x_of(d):.1f},{y_of(v):.1f}"
                    for j, (d, v) in enumerate(run)
                )
                # past the palette, colours repeat: dash the repeats apart
                dash = ' stroke-dasharray="6 3"' if i >= len(PALETTE) else ""
                out.append(
                    f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
                )
        for d, v in pts:
            if v is not None:
                out.append(
                    f'<circle cx="{x_of(d):.1f}" cy="{y_of(v):.1f}" r="2.5" fill="{colour}">'
                    f"<title>{_e(name)}, {_e(_month_label(d))}: {_e(_fmt(v, y_format))}</title>"
                    f"</circle>"
                )
        out.append("</g>")
    out += _legend(names, top + ph + 40)
    out.append("</svg>")
    return Markup("\n".join(out))


def svg_bar_chart(
    categories: list[str],
    series: dict[str, list[float | None]],
    *,
    title: str,
    y_label: str = "",
    y_format: str = "int",
    stacked: bool = False,
) -> Markup:
    """Horizontal bar chart: one row per category, bars per series (grouped or stacked).

    `series[name][i]` is the value for `categories[i]`; None draws no bar and labels '–'.
    Horizontal so long Danish category names stay readable.
    """
    cid = _chart_id("bar", title, categories, sorted(series))
    names = list(series)
    n = max(1, len(names))
    label_w = min(260, 16 + 7 * max((len(c) for c in categories), default=4))
    left, right, top = int(label_w), 70, 44
    bar_h = 16 if stacked else 12
    row_h = (bar_h if stacked else bar_h * n) + 10
    legend_h = 12 + 18 * _legend_rows(names) if len(names) > 1 else 0
    axis_h = 34 if y_label else 22
    height = top + row_h * max(1, len(categories)) + axis_h + legend_h + 10
    pw = WIDTH - left - right
    kind = "stablet" if stacked else "grupperet"
    desc = f"Søjlediagram ({kind}) over {', '.join(categories) or 'ingen kategorier'}."
    out = _svg_open(cid, height, title, desc)

    totals = [
        sum(v for v in (series[s][i] for s in names) if v is not None)
        if stacked
        else max((v for v in (series[s][i] for s in names) if v is not None), default=0)
        for i in range(len(categories))
    ]
    ticks = nice_ticks(0.0, max(totals, default=0) or 1.0, integer=y_format == "int")
    hi = ticks[-1]
    dec = _tick_decimals(ticks)

    def w_of(v: float) -> float:
        return pw * v / hi

    base_y = top + row_h * len(categories)
    for t in ticks:
        x = left + w_of(t)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{base_y}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{base_y + 14}" font-size="11" text-anchor="middle">'
            f"{_e(_fmt(t, y_format, dec))}</text>"
        )
    if y_label:
        out.append(
            f'<text x="{left + pw / 2:.1f}" y="{base_y + 30}" font-size="11" '
            f'text-anchor="middle">{_e(y_label)}</text>'
        )
    for i, cat in enumerate(categories):
        y0 = top + row_h * i + 5
        out.append(
            f'<text x="{left - 6}" y="{y0 + (row_h - 10) / 2 + 4:.1f}" font-size="11" '
            f'text-anchor="end">{_e(cat)}</text>'
        )
        x = float(left)
        for j, name in enumerate(names):
            v = series[name][i]
            colour = PALETTE[j % len(PALETTE)]
            y = y0 if stacked else y0 + j * bar_h
            tip = f"{_e(cat)}, {_e(name)}: {_e(_fmt(v, y_format))}"
            if v is None or v <= 0:
                if not stacked:
                    out.append(
                        f'<text x="{left + 3}" y="{y + bar_h - 2}" font-size="10">'
                        f"{_e(_fmt(v, y_format))}<title>{tip}</title></text>"
                    )
                continue
            w = w_of(v)
            out.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h - 1}" '
                f'fill="{colour}"><title>{tip}</title></rect>'
            )
            if stacked:
                x += w
            else:
                out.append(
                    f'<text x="{x + w + 3:.1f}" y="{y + bar_h - 2}" font-size="10">'
                    f"{_e(_fmt(v, y_format))}</text>"
                )
        if stacked:
            # a total without its suppressed parts would understate the group
            parts = [series[s][i] for s in names]
            total = None if any(v is None for v in parts) else totals[i]
            out.append(
                f'<text x="{x + 3:.1f}" y="{y0 + bar_h - 3}" font-size="10">'
                f"{_e(_fmt(total, y_format))}</text>"
            )
    out.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{base_y}" stroke="#333"/>')
    if len(names) > 1:
        out += _legend(names, height - legend_h + 8)
    out.append("</svg>")
    return Markup("\n".join(out))
