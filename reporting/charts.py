"""Charts people would rather look at than read: Lorenz curve, Stobachoff curve, S-curve
(with the spread of each member's profit over the sensitivity draws), scenario changes and
the tornado. Each function takes plain arrays and returns PNG bytes (matplotlib, no
display needed)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # files only, no screen
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

BLUE, RED, GREY = "#1f5f99", "#b03a2e", "#7f7f7f"


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    # "tight": a legend placed below the plot is part of the picture.
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def lorenz_chart(
    x: np.ndarray, y: np.ndarray, gini: float, title: str, members: str = "customers"
) -> bytes:
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="equality")
    ax.plot(x, y, color=BLUE, marker="o" if len(x) <= 40 else None, label="Lorenz curve")
    ax.fill_between(x, y, x, color=BLUE, alpha=0.12)
    ax.set_xlabel(f"share of {members} (smallest revenue first)")
    ax.set_ylabel("share of net revenue")
    ax.set_title(title)
    ax.text(0.05, 0.85, f"Gini = {gini:.3f}", transform=ax.transAxes, fontsize=12)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.8), frameon=False)
    return _png(fig)


def stobachoff_chart(
    x: np.ndarray, y: np.ndarray, s: float, title: str, members: str = "customers"
) -> bytes:
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="equality")
    ax.axhline(1.0, color=GREY, linewidth=0.8, label="100 % of profit")
    ax.plot(x, y, color=RED, marker="o" if len(x) <= 40 else None, label="Stobachoff curve")
    peak = int(np.argmax(y))
    ax.annotate(
        f"peak {y[peak]:.0%}",
        (x[peak], y[peak]),
        textcoords="offset points",
        xytext=(-70, 10),
        arrowprops={"arrowstyle": "-", "color": RED},
    )
    ax.set_xlabel(f"share of {members} (most profitable first)")
    ax.set_ylabel("cumulative share of total profit")
    ax.set_title(title)
    ax.text(0.55, 0.12, f"S = {s:.3f}", transform=ax.transAxes, fontsize=12)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, max(1.05, float(y.max()) * 1.08))
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 0.2), frameon=False)
    return _png(fig)


def s_curve_chart(
    names: list[str],
    profits: np.ndarray,
    title: str,
    band: tuple[np.ndarray, np.ndarray] | None = None,
) -> bytes:
    """Ranked profit bars (most profitable first) with cumulative profit on a second axis;
    `band` (low, high per member): the range of each member's profit, drawn over its bar."""
    order = np.argsort(-profits, kind="stable")
    profits = profits[order]
    names = [names[i] for i in order]
    cumulative = np.cumsum(profits)
    # Up to 40 named bars widen the chart to keep their names legible; more members than
    # that are drawn unnamed, side by side, in a chart of the same width as the others.
    named = len(profits) <= 40
    fig, ax = plt.subplots(figsize=(max(6, len(profits) * 0.35) if named else 10, 5))
    positions = np.arange(len(profits))
    if named:
        colors = [BLUE if p >= 0 else RED for p in profits]
        ax.bar(positions, profits / 1e6, color=colors)
        ax.set_xticks(positions, names, rotation=60, ha="right", fontsize=8)
    else:
        # Touching bars drawn as one filled step outline per sign: one artist instead of
        # one per member (1,386 bars took 2.3 s to draw).
        for sign, color in ((profits >= 0, BLUE), (profits < 0, RED)):
            ax.fill_between(positions, profits / 1e6, where=sign, step="mid", color=color)
        ax.set_xlabel("customers ranked by profit")
    if band is not None:
        low, high = band[0][order] / 1e6, band[1][order] / 1e6
        if named:
            ax.errorbar(
                positions, profits / 1e6, yerr=[profits / 1e6 - low, high - profits / 1e6],
                fmt="none", ecolor="black", elinewidth=1, capsize=2, label="5-95 % of draws",
            )  # fmt: skip
        else:
            ax.fill_between(
                positions, low, high, step="mid", color=GREY, alpha=0.45,
                label="5-95 % of draws",
            )  # fmt: skip
        ax.legend(loc="lower left", frameon=False, fontsize=8)
    ax.set_ylabel("net profit, MNOK")
    ax2 = ax.twinx()
    ax2.plot(
        positions,
        cumulative / 1e6,
        color="black",
        marker="." if named else None,
        label="cumulative profit",
    )
    ax2.set_ylabel("cumulative profit, MNOK")
    ax2.axhline(cumulative[-1] / 1e6, color=GREY, linestyle=":", linewidth=0.8)
    ax.axhline(0, color=GREY, linewidth=0.8)
    share_zero(ax, ax2)
    ax.set_title(title)
    return _png(fig)


def share_zero(ax, ax2) -> None:
    """Set two overlaid y-axes so that both show zero, at the same height: a bar below the
    line and the cumulative curve below it mean the same thing (a loss)."""
    (low1, high1), (low2, high2) = ax.get_ylim(), ax2.get_ylim()
    low1, low2, high1, high2 = min(low1, 0), min(low2, 0), max(high1, 0), max(high2, 0)
    # The larger share of either axis below zero, for both.
    below = max(-low1 / ((high1 - low1) or 1), -low2 / ((high2 - low2) or 1))
    for axis, low, high in ((ax, low1, high1), (ax2, low2, high2)):
        if below >= 1:  # everything at or below zero: zero at the top of both
            axis.set_ylim(low, 0)
        elif -low / ((high - low) or 1) < below:
            # Keep the top and lower the bottom to the shared zero.
            axis.set_ylim(-below / (1 - below) * high, high)
        else:  # the axis that sets the share: as it is, with zero in it
            axis.set_ylim(low, high)


def quadrant_chart(
    x: np.ndarray,
    y: np.ndarray,
    labels: list[str],
    x_line: float,
    y_line: float,
    xlabel: str,
    ylabel: str,
    title: str,
    quadrant_names: dict[str, str],
) -> bytes:
    """A scatter with the two threshold lines that split it into quadrants, each quadrant
    named in its outer corner (`quadrant_names` by "top_left", "top_right",
    "bottom_left", "bottom_right") and each point by its member's name."""
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    ax.scatter(x, y, color=BLUE, zorder=3)
    for xi, yi, label in zip(x, y, labels, strict=True):
        ax.annotate(label, (xi, yi), textcoords="offset points", xytext=(4, 3), fontsize=8)
    ax.axvline(x_line, color=RED, linestyle="--", linewidth=1)
    ax.axhline(y_line, color=RED, linestyle="--", linewidth=1)
    # Both lines inside the picture, with room on each side for the quadrants' names.
    x_high = max([x_line * 2, *(x * 1.1)]) if len(x) else x_line * 2
    y_high = max([y_line * 2, *(y * 1.1)]) if len(y) else y_line * 2
    # A little room below zero, so that a point on an axis is not cut in half.
    ax.set_xlim(-0.02 * x_high, x_high)
    ax.set_ylim(-0.03 * y_high, y_high)
    style = {"fontsize": 9, "color": GREY, "fontstyle": "italic", "transform": ax.transAxes}
    for corner, (cx, cy, ha, va) in {
        "top_left": (0.02, 0.98, "left", "top"),
        "top_right": (0.98, 0.98, "right", "top"),
        "bottom_left": (0.02, 0.02, "left", "bottom"),
        "bottom_right": (0.98, 0.02, "right", "bottom"),
    }.items():
        ax.text(cx, cy, quadrant_names[corner], ha=ha, va=va, **style)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return _png(fig)


def stacked_bar_chart(
    categories: list[str],
    parts: dict[str, np.ndarray],
    ylabel: str,
    title: str,
    marks: tuple[str, np.ndarray] | None = None,
) -> bytes:
    """Horizontal bars per category, one stacked segment per part; `marks` (name, values):
    a black mark per category on the same scale (an external quote against the bars)."""
    fig, ax = plt.subplots(figsize=(7.5, 0.6 * len(categories) + 2.2))
    left = np.zeros(len(categories))
    for (name, values), color in zip(parts.items(), (BLUE, RED, GREY), strict=False):
        ax.barh(categories, values, left=left, color=color, label=name)
        left = left + values
    if marks is not None:
        name, values = marks
        ax.scatter(values, categories, marker="|", s=900, color="black", zorder=3, label=name)
    ax.set_xlabel(ylabel)
    ax.set_title(title)
    # Below the plot: a legend inside it covered the bars.
    ax.legend(
        frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.32), ncol=2, markerscale=0.3
    )
    return _png(fig)


def change_bars_chart(labels: list[str], series: dict[str, np.ndarray], title: str) -> bytes:
    """Horizontal bars side by side per label, one per series (a change in NOK): what a
    scenario does to the customers' net profit and to the company's."""
    fig, ax = plt.subplots(figsize=(7.5, 0.75 * len(labels) + 2.2))
    height = 0.8 / max(len(series), 1)
    positions = np.arange(len(labels))
    for i, ((name, values), color) in enumerate(
        zip(series.items(), (BLUE, RED, GREY), strict=False)
    ):
        ax.barh(positions + (i - (len(series) - 1) / 2) * height, values / 1e6, height,
                color=color, label=name)  # fmt: skip
    ax.set_yticks(positions, labels, fontsize=8)
    ax.invert_yaxis()  # the first label on top
    ax.axvline(0, color=GREY, linewidth=0.8)
    ax.set_xlabel("change against actual, MNOK")
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    return _png(fig)


def tornado_chart(panels: list[tuple[str, list[str], np.ndarray, np.ndarray, float]]) -> bytes:
    """Tornadoes one under the other, a panel (title, labels, at_low, at_high, actual) a
    member: one bar per estimate from the profit at its low time to the profit at its high
    time, the widest on top, around the member's profit at the most likely times."""
    heights = [0.4 * len(labels) + 1.0 for _, labels, *_ in panels]
    fig, axes = plt.subplots(
        len(panels), 1, figsize=(7.5, sum(heights) + 0.8), squeeze=False,
        gridspec_kw={"height_ratios": heights},
    )  # fmt: skip
    for ax, (title, labels, at_low, at_high, actual) in zip(axes[:, 0], panels, strict=True):
        order = np.argsort(-np.abs(at_high - at_low), kind="stable")
        positions = np.arange(len(labels))
        low, high, centre = at_low[order] / 1e6, at_high[order] / 1e6, actual / 1e6
        ax.barh(positions, low - centre, left=centre, color=BLUE, label="at the low time")
        ax.barh(positions, high - centre, left=centre, color=RED, label="at the high time")
        ax.set_yticks(positions, [labels[i] for i in order], fontsize=8)
        ax.invert_yaxis()
        ax.axvline(centre, color="black", linewidth=0.8)
        ax.set_title(title, fontsize=10)
    axes[-1, 0].set_xlabel("net profit, MNOK (line: at the most likely times)")
    axes[-1, 0].legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    return _png(fig)
