"""Charts as static SVG from matplotlib: no JavaScript, no network, Danish formats via Babel.

Every chart gets a <title> and <desc> for screen readers. The x axis is categorical: the caller
passes one label per point (from reports.formatting, e.g. "jan. 2025", "2025", "1. kvt. 2025"),
so yearly values are drawn as years and never at a month. A point flagged `partial` (a month
that is not over yet) is drawn hollow with a dashed line to it, and the caller says so in the
figure caption (`note` also goes into the SVG description). Callers pass already-protected
values: None draws nothing. A line chart may carry targets (a dashed step line in the colour of
the series it belongs to) and labelled spans of x (e.g. the rule version in force), whose
boundaries are drawn as dotted vertical lines.
"""

from __future__ import annotations

import functools
import io
import math
import re
import textwrap
from html import escape
from types import ModuleType

from markupsafe import Markup

from reports.formatting import fmt_number, fmt_pct

# Okabe–Ito colours (colour-blind safe), yellow left out: too pale on white paper.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#999999"]
WIDTH_IN = 7.6  # inches; 100 % of the column on screen, fits an A4 portrait text width
STYLE = {
    "svg.fonttype": "none",  # text stays text: small files, the page's fonts, searchable
    "svg.hashsalt": "rummelig",  # stable element ids: the same data gives the same file
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
}


@functools.cache
def pyplot() -> ModuleType:
    """matplotlib's pyplot on the Agg backend (no display), imported on first use: ~0.5 s that
    a build without reports (and `rummelig dev`'s code server) does not need to spend."""
    import matplotlib

    matplotlib.use("Agg")  # must come before pyplot
    import matplotlib.pyplot

    return matplotlib.pyplot


def _style(overrides: dict | None = None) -> dict:
    """STYLE with the palette as colour cycle and a chart's own rc settings, for
    `pyplot().rc_context`."""
    import matplotlib

    return {**STYLE, "axes.prop_cycle": matplotlib.cycler(color=PALETTE), **(overrides or {})}


def _decimals(ticks: list[float]) -> int:
    """The fewest decimals that write every tick exactly (2,5 needs one)."""
    for d in range(4):
        if all(abs(round(t, d) - t) < 1e-9 for t in ticks):
            return d
    return 3


def _axis_formatter(y_format: str, ticks_of):
    from matplotlib.ticker import FuncFormatter

    def fmt(value: float, _pos) -> str:
        d = _decimals(list(ticks_of()))
        return fmt_pct(value, d) if y_format == "pct" else fmt_number(value, d)

    return FuncFormatter(fmt)


def _svg(fig, title: str, desc: str) -> Markup:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    pyplot().close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]  # drop the XML prolog and DOCTYPE: inline in HTML
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.S)
    # Scalable: the viewBox stays, the width follows the page (CSS .chart).
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", text, count=1)
    # Natural size at most (1 pt = 4/3 px): every chart is drawn at the same scale, and a
    # chart without a legend is not blown up to fill the width.
    view = re.search(r'viewBox="0 0 ([\d.]+) ', text)
    natural = f' style="max-width: {float(view.group(1)) * 4 / 3:.0f}px"' if view else ""
    text = text.replace(
        "<svg",
        f'<svg class="chart" role="img" aria-label="{escape(title, quote=True)}"{natural}',
        1,
    )
    head_end = text.index(">", text.index("<svg")) + 1
    text = (
        text[:head_end]
        + f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>"
        + text[head_end:]
    )
    return Markup(text)


def _ticks_for(n: int, max_labels: int = 12) -> list[int]:
    """Indices of the x labels to print: at most max_labels, always the last."""
    if n <= max_labels:
        return list(range(n))
    step = next(s for s in (2, 3, 4, 6, 12, 24) if n / s <= max_labels)
    last = n - 1
    return sorted({i for i in range(last, -1, -step)})


def line_chart(
    x_labels: list[str],
    series: dict[str, list[float | None]],
    *,
    title: str,
    y_label: str,
    y_format: str = "int",
    partial: list[bool] | None = None,
    invert_y: bool = False,
    note: str | None = None,
    height_in: float = 3.0,
    targets: dict[str, list[float | None]] | None = None,
    spans: list[tuple[float, float, str]] | None = None,
) -> Markup:
    """Lines over categorical x (one label per point); None breaks a line.

    y_format: pct (0–100 scale) | int | dec1 | dec2. invert_y: rank axes (1 at the top).
    targets: series name → a target per point, drawn as a dashed step line in that series'
    colour and named "Mål: <series>" in the legend. spans: (x from, x to, label) in point
    units (point i covers i − 0,5 … i + 0,5), labelled at the bottom of the plot, every other
    one shaded, a dotted line at each inner boundary.
    """
    partial = partial or [False] * len(x_labels)
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height_in))
        xs = list(range(len(x_labels)))
        drawn = False
        colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
        for i, (name, values) in enumerate(series.items()):
            colour = colours[name]
            style = "--" if i >= len(PALETTE) else "-"
            full = [v if not p else None for v, p in zip(values, partial, strict=True)]
            ys = [float("nan") if v is None else v for v in full]
            ax.plot(xs, ys, style, color=colour, linewidth=2, marker="o", markersize=3, label=name)
            for j, (v, p) in enumerate(zip(values, partial, strict=True)):
                if p and v is not None:
                    ax.plot([j], [v], "o", color=colour, markerfacecolor="white", markersize=5)
                    if j > 0 and values[j - 1] is not None:
                        ax.plot([j - 1, j], [values[j - 1], v], ":", color=colour, linewidth=1.5)
            drawn = drawn or any(v is not None for v in values)
        for name, values in (targets or {}).items():
            if any(v is not None for v in values):
                ys = [float("nan") if v is None else v for v in values]
                ax.step(xs, ys, "--", where="mid", color=colours.get(name, PALETTE[-1]),
                        linewidth=1.2, label=f"Mål: {name}")  # fmt: skip
        if not drawn:
            ax.text(0.5, 0.5, "Ingen tal at vise", transform=ax.transAxes, ha="center")
        ticks = _ticks_for(len(x_labels))
        ax.set_xticks(ticks, [x_labels[i] for i in ticks], rotation=0 if len(ticks) < 7 else 45,
                      ha="center" if len(ticks) < 7 else "right")  # fmt: skip
        ax.yaxis.set_major_locator(
            MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10], integer=y_format == "int")
        )
        if not invert_y and drawn:
            ax.set_ylim(bottom=min(0, ax.get_ylim()[0]))
        ax.yaxis.set_major_formatter(_axis_formatter(y_format, ax.get_yticks))
        if invert_y:
            ax.invert_yaxis()
        ax.set_ylabel(y_label)
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
        _draw_spans(ax, spans or [])
        if any(p for p, v in zip(partial, x_labels, strict=True) if p):
            ax.plot([], [], "o", color="#444444", markerfacecolor="white",
                    label="Måneden er ikke slut")  # fmt: skip
        if len(series) > 1 or any(partial) or targets:
            # beside the plot, so it never collides with the x labels
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        desc = (
            f"Linjediagram fra {x_labels[0]} til {x_labels[-1]}. Serier: {', '.join(series)}."
            if x_labels
            else "Linjediagram uden data."
        )
        if targets:
            desc += f" Stiplede linjer: mål for {', '.join(targets)}."
        if spans:
            desc += " Markerede perioder: " + "; ".join(label for _, _, label in spans) + "."
        return _svg(fig, title, desc + (f" {note}" if note else ""))


def _draw_spans(ax, spans: list[tuple[float, float, str]]) -> None:
    """Labelled spans of x: every other one shaded, dotted lines at the inner boundaries, the
    labels of neighbouring spans at two heights so that narrow spans do not overprint."""
    for i, (start, end, text) in enumerate(spans):
        if i % 2:
            ax.axvspan(start, end, color="#000000", alpha=0.05, linewidth=0)
        if i:
            ax.axvline(start, color="#444444", linestyle=":", linewidth=1)
        ax.text(start, 0.02 + 0.07 * (i % 2), f" {text}", transform=ax.get_xaxis_transform(),
                ha="left", va="bottom", fontsize=7.5, color="#333333")  # fmt: skip


def bar_chart(
    categories: list[str],
    values: list[float | None],
    *,
    title: str,
    x_label: str,
    value_format: str = "int",
) -> Markup:
    """Horizontal bars (long Danish category names stay readable); None = hidden, labelled '–'."""
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    with plt.rc_context(_style({"axes.grid.axis": "x"})):
        height = 0.9 + 0.28 * max(1, len(categories))
        fig, ax = plt.subplots(figsize=(WIDTH_IN, height))
        ys = list(range(len(categories)))
        widths = [0 if v is None else v for v in values]
        ax.barh(ys, widths, color=PALETTE[0], height=0.6)
        for y, v in zip(ys, values, strict=True):
            text = fmt_pct(v) if value_format == "pct" else fmt_number(v, 0)
            ax.text((v or 0), y, f" {text}", va="center", fontsize=8)
        ax.set_yticks(ys, categories)
        ax.invert_yaxis()  # first category at the top, as in the table
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10], integer=True))
        ax.xaxis.set_major_formatter(_axis_formatter(value_format, ax.get_xticks))
        ax.set_xlabel(x_label)
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
        desc = f"Søjlediagram over {', '.join(categories) or 'ingen kategorier'}."
        return _svg(fig, title, desc)


def year_wheel(
    month_labels: list[str],
    topics: dict[int, str],
    *,
    highlighted: set[int],
    current: int | None,
    centre: str,
    centre_note: str,
    title: str,
    highlight_label: str,
    current_label: str,
) -> Markup:
    """A ring of the 12 months (January at 12 o'clock, clockwise), e.g. an HMU årshjul.

    Months with a topic are filled and carry the topic outside the ring; the `highlighted`
    months (1–12) get a band outside the ring and the `current` month a black outline, so
    neither depends on colour alone. The legend names all three; `centre` is the big text in
    the middle (the period), `centre_note` the small one under it.
    """
    inner_text = {True: "white", False: "#333333"}
    from matplotlib.patches import Patch, Wedge

    plt = pyplot()
    with plt.rc_context(_style({"axes.grid": False})):
        fig, ax = plt.subplots(figsize=(WIDTH_IN, 5.2))
        ax.set_aspect("equal")
        ax.axis("off")
        radius, width = 1.0, 0.38
        for month in range(1, 13):
            end = 90 - 30 * (month - 1)  # degrees, counter-clockwise from 3 o'clock
            start = end - 30
            meeting = month in topics
            ax.add_patch(
                Wedge(
                    (0, 0),
                    radius,
                    start,
                    end,
                    width=width,
                    edgecolor="white",
                    linewidth=2,
                    facecolor=PALETTE[0] if meeting else "#e8ecf0",
                )  # fmt: skip
            )
            if month in highlighted:
                ax.add_patch(
                    Wedge(
                        (0, 0),
                        radius + 0.1,
                        start + 0.6,
                        end - 0.6,
                        width=0.065,
                        facecolor=PALETTE[1],
                        edgecolor="none",
                    )  # fmt: skip
                )
            if month == current:
                ax.add_patch(
                    Wedge(
                        (0, 0),
                        radius,
                        start,
                        end,
                        width=width,
                        facecolor="none",
                        edgecolor="black",
                        linewidth=2.4,
                    )  # fmt: skip
                )
            mid = math.radians((start + end) / 2)
            cos, sin = math.cos(mid), math.sin(mid)
            label_r = radius - width / 2
            ax.text(label_r * cos, label_r * sin, month_labels[month - 1], ha="center",
                    va="center", fontsize=8.5, color=inner_text[meeting],
                    fontweight="bold" if month == current else "normal")  # fmt: skip
            if meeting:
                ax.plot([(radius + 0.13) * cos, (radius + 0.22) * cos],
                        [(radius + 0.13) * sin, (radius + 0.22) * sin],
                        color="#888888", linewidth=0.8)  # fmt: skip
                x, y = (radius + 0.26) * cos, (radius + 0.26) * sin
                ha = "left" if x > 0.05 else "right" if x < -0.05 else "center"
                ax.text(x, y, "\n".join(textwrap.wrap(topics[month], 30)), ha=ha, va="center",
                        fontsize=7.5)  # fmt: skip
        ax.text(0, 0.08, centre, ha="center", va="center", fontweight="bold",
                fontsize=16 if len(centre) <= 6 else 12)  # fmt: skip
        ax.text(0, -0.14, centre_note, ha="center", va="center", fontsize=8)
        ax.set_xlim(-2.35, 2.35)
        ax.set_ylim(-1.5, 1.5)
        legend = [
            Patch(facecolor=PALETTE[0], label="Møde i HMU"),
            Patch(facecolor="#e8ecf0", label="Intet møde"),
            Patch(facecolor=PALETTE[1], label=highlight_label),
        ]
        if current is not None:
            legend.append(Patch(facecolor="white", edgecolor="black", linewidth=2,
                                label=current_label))  # fmt: skip
        ax.legend(handles=legend, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=2,
                  frameon=False, fontsize=8)  # fmt: skip
        ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
        meetings = "; ".join(f"{month_labels[m - 1]}: {t}" for m, t in sorted(topics.items()))
        desc = f"Årshjul med årets tolv måneder. Møder: {meetings or 'ingen'}."
        if highlighted:
            desc += (
                f" {highlight_label}: "
                + ", ".join(month_labels[m - 1] for m in sorted(highlighted))
                + "."
            )
        if current is not None:
            desc += f" {current_label}: {month_labels[current - 1]}."
        return _svg(fig, title, desc)
