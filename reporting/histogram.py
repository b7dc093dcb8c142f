"""The capability report's histogram, written as SVG text: the bars of the measured values,
the fitted normal curve and the specification limits.

A report has one per supplier characteristic (80 in the demo, thousands for a large
supplier base). matplotlib takes 0.1 s a chart for this, most of a run's reporting time;
the same picture as plain SVG shapes takes a millisecond and scales in the browser."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

import numpy as np

WIDTH, HEIGHT = 500, 320
# The plot area inside the picture: room for the title above and the axis labels below.
LEFT, RIGHT, TOP, BOTTOM = 16, 484, 40, 280
BLUE, RED, GREY = "#1f5f99", "#b03a2e", "#7f7f7f"


def _limit(value: float | None) -> float | None:
    """A specification limit, or None for a one-sided characteristic (None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About `count` round tick values (steps of 1, 2 or 5 times a power of ten) in low..high."""
    if not high > low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [round(first + i * step, 12) for i in range(int((high - first) / step) + 1)]


def _tick_label(value: float, step: float) -> str:
    decimals = max(0, -math.floor(math.log10(step))) if step > 0 else 0
    return f"{value:.{decimals}f}"


def capability_histogram_svg(
    values: np.ndarray, lsl: float | None, usl: float | None, title: str
) -> str:
    """An SVG picture: density histogram of `values`, the normal curve with their mean and
    sample sigma, and a dashed line per specification limit that is given."""
    values = np.asarray(values, dtype=float)
    lsl, usl = _limit(lsl), _limit(usl)
    low = min([v for v in (lsl, float(values.min())) if v is not None])
    high = max([v for v in (usl, float(values.max())) if v is not None])
    span = (high - low) or abs(high) or 1.0
    x_min, x_max = low - 0.1 * span, high + 0.1 * span
    counts, edges = np.histogram(values, bins=min(20, max(5, len(values) // 5)), density=True)
    mean = float(np.mean(values))
    sigma = float(np.std(values, ddof=1)) if len(values) > 1 else 0.0
    grid = np.linspace(x_min, x_max, 200)
    curve = (
        np.exp(-0.5 * ((grid - mean) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
        if sigma > 0
        else None
    )
    y_max = 1.08 * max(float(counts.max()), float(curve.max()) if curve is not None else 0.0)
    y_max = y_max or 1.0

    def x(value: float) -> float:
        return LEFT + (value - x_min) / (x_max - x_min) * (RIGHT - LEFT)

    def y(density: float) -> float:
        return BOTTOM - density / y_max * (BOTTOM - TOP)

    shapes = [
        f'<rect x="{x(a):.1f}" y="{y(c):.1f}" width="{max(x(b) - x(a) - 0.5, 0.5):.1f}" '
        f'height="{BOTTOM - y(c):.1f}" fill="{BLUE}" fill-opacity="0.6"/>'
        for a, b, c in zip(edges[:-1], edges[1:], counts, strict=True)
        if c > 0
    ]
    if curve is not None:
        points = " ".join(f"{x(g):.1f},{y(d):.1f}" for g, d in zip(grid, curve, strict=True))
        shapes.append(f'<polyline points="{points}" fill="none" stroke="black" stroke-width="1"/>')
    for limit, name in ((lsl, "LSL"), (usl, "USL")):
        if limit is None:
            continue
        at = x(limit)
        # The label on the inner side of its line, so that it never runs off the picture.
        anchor, dx = ("end", -3) if name == "USL" else ("start", 3)
        shapes.append(
            f'<line x1="{at:.1f}" y1="{TOP}" x2="{at:.1f}" y2="{BOTTOM}" stroke="{RED}" '
            f'stroke-dasharray="5,3"/><text x="{at + dx:.1f}" y="{TOP + 12}" fill="{RED}" '
            f'font-size="11" text-anchor="{anchor}">{name} {limit:g}</text>'
        )
    ticks = nice_ticks(x_min, x_max)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 0.0
    axis = [f'<line x1="{LEFT}" y1="{BOTTOM}" x2="{RIGHT}" y2="{BOTTOM}" stroke="{GREY}"/>']
    for tick in ticks:
        axis.append(
            f'<line x1="{x(tick):.1f}" y1="{BOTTOM}" x2="{x(tick):.1f}" y2="{BOTTOM + 4}" '
            f'stroke="{GREY}"/><text x="{x(tick):.1f}" y="{BOTTOM + 17}" font-size="11" '
            f'text-anchor="middle">{_tick_label(tick, step)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>'
        f'<text x="{WIDTH / 2}" y="22" font-size="13" text-anchor="middle">{escape(title)}</text>'
        + "".join(shapes)
        + "".join(axis)
        + "</svg>\n"
    )
