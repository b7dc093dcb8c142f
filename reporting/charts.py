"""Charts people would rather look at than read: Lorenz curve, Stobachoff curve, S-curve.
Each function takes plain arrays and returns PNG bytes (matplotlib, no display needed)."""

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
    fig.savefig(buffer, format="png", dpi=110)
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


def s_curve_chart(names: list[str], profits: np.ndarray, title: str) -> bytes:
    """Ranked profit bars (most profitable first) with cumulative profit on a second axis."""
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
    ax.set_title(title)
    return _png(fig)


def quadrant_chart(
    x: np.ndarray,
    y: np.ndarray,
    labels: list[str],
    x_line: float,
    y_line: float,
    xlabel: str,
    ylabel: str,
    title: str,
) -> bytes:
    """A scatter with the two threshold lines that split it into quadrants."""
    fig, ax = plt.subplots(figsize=(6.5, 5))
    ax.scatter(x, y, color=BLUE)
    for xi, yi, label in zip(x, y, labels, strict=True):
        ax.annotate(label, (xi, yi), textcoords="offset points", xytext=(4, 3), fontsize=8)
    ax.axvline(x_line, color=RED, linestyle="--", linewidth=1)
    ax.axhline(y_line, color=RED, linestyle="--", linewidth=1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return _png(fig)


def stacked_bar_chart(
    categories: list[str], parts: dict[str, np.ndarray], ylabel: str, title: str
) -> bytes:
    """Horizontal bars per category, one stacked segment per part."""
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(categories) + 1.5))
    left = np.zeros(len(categories))
    for (name, values), color in zip(parts.items(), (BLUE, RED, GREY), strict=False):
        ax.barh(categories, values, left=left, color=color, label=name)
        left = left + values
    ax.set_xlabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False)
    return _png(fig)
