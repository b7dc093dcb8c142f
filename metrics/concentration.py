"""Concentration of customer revenue and profit (docs/domain.md section 3): numpy in,
numbers out. No I/O, no warehouse: Dagster assets move data in and out of these.

Revenue (Lorenz curve, Gini, vulnerability index SI) and profit (S-curve, Stobachoff
curve, coefficient S, vulnerability index SS). The Stobachoff S and SS definitions are the
project's own (the seed thesis's formulas were lost in its text extraction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np

ArrayLike = np.ndarray | list[float] | tuple[float, ...]


def _array(values: ArrayLike) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError("expected a one-dimensional sequence of values")
    if not np.all(np.isfinite(array)):
        raise ValueError("values must be finite numbers")
    return array


def _trapezoid_area(y: np.ndarray) -> float:
    """Area under points y_0..y_n at x_k = k/n, by the trapezoid rule."""
    n = len(y) - 1
    return float(np.sum((y[:-1] + y[1:]) / 2.0) / n)


# --- revenue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RevenueConcentration:
    """Concentration of revenue over the customers with positive revenue.

    n: customers on the curve (revenue > 0); excluded: customers with revenue <= 0, left
    out of the curve and counted here. gini is NaN when n = 0; for n = 1 it is 0.
    """

    n: int
    excluded: int
    gini: float
    gini_corrected: float
    vulnerability_index: float
    top_20_percent_share: float
    customers_for_80_percent: int


def lorenz_curve(revenues: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Lorenz curve points (x_k, L_k), k = 0..n, of the positive revenues.

    Revenues are sorted ascending; x_k = k/n, L_k = (r_(1) + .. + r_(k)) / sum r, L_0 = 0.
    Revenues <= 0 are left out (Gini is for non-negative values). Empty input or no
    positive revenue gives the single point (0, 0).
    """
    r = _array(revenues)
    r = np.sort(r[r > 0])
    n = len(r)
    if n == 0:
        return np.zeros(1), np.zeros(1)
    x = np.arange(n + 1) / n
    y = np.concatenate([[0.0], np.cumsum(r) / r.sum()])
    return x, y


def gini(revenues: ArrayLike) -> float:
    """Gini coefficient G = 1 - 2B, B the trapezoid area under the Lorenz curve.

    Exact from the data (never a fitted curve). Range 0 .. (n-1)/n: 0 when all revenues are
    equal or n = 1. NaN when no revenue is positive. Revenues <= 0 are left out.
    """
    x, y = lorenz_curve(revenues)
    if len(y) == 1:
        return math.nan
    return 1.0 - 2.0 * _trapezoid_area(y)


def gini_corrected(revenues: ArrayLike) -> float:
    """Small-sample Gini G x n / (n - 1), so that one customer holding everything gives 1.

    NaN for n < 2 (undefined for one customer).
    """
    r = _array(revenues)
    n = int(np.sum(r > 0))
    if n < 2:
        return math.nan
    return gini(r) * n / (n - 1)


def vulnerability_index(revenues: ArrayLike) -> float:
    """SI = 1 - n*/n, n* = customers with revenue strictly above the mean.

    High SI: most customers are below average and revenue rests on a few. 1..5 gives 0.6;
    the thesis's 18 groups give n* = 8, SI = 0.56. When all revenues are equal no customer
    stands out and SI is 0 ("at or above the mean" would give 0.4 for 1..5, contradicting
    the worked example, so the strict reading is used). NaN when empty. Only revenues > 0
    count, as for the Lorenz curve.

    Each revenue is compared with the mean exactly, in decimal arithmetic on the values as
    written (0.1 is 0.1, not its binary neighbour): a float mean's rounding depends on the
    order of the sum, so a revenue equal to the mean would count as above it in one order
    and not in another. A member equal to the mean is never above it.
    """
    r = _array(revenues)
    r = r[r > 0]
    if len(r) == 0:
        return math.nan
    exact = [Decimal(repr(value)) for value in r.tolist()]
    if all(value == exact[0] for value in exact):
        return 0.0
    with localcontext() as context:
        context.prec = 80  # every sum of 17-digit floats of this world is exact
        total = sum(exact, Decimal(0))
        above = sum(1 for value in exact if value * len(exact) > total)
    return 1.0 - above / len(r)


def top_share(revenues: ArrayLike, share_of_customers: float = 0.2) -> float:
    """Share of revenue from the top ceil(share x n) customers (top 20 % by default)."""
    r = np.sort(_array(revenues))[::-1]
    r = r[r > 0]
    if len(r) == 0:
        return math.nan
    k = max(1, math.ceil(share_of_customers * len(r) - 1e-9))
    return float(r[:k].sum() / r.sum())


def customers_for_share(values: ArrayLike, share: float = 0.8) -> int:
    """How many of the largest positive values it takes to reach `share` of their total."""
    v = np.sort(_array(values))[::-1]
    v = v[v > 0]
    if len(v) == 0:
        return 0
    cumulative = np.cumsum(v) / v.sum()
    return int(np.searchsorted(cumulative, share - 1e-12) + 1)


def revenue_concentration(revenues: ArrayLike) -> RevenueConcentration:
    r = _array(revenues)
    return RevenueConcentration(
        n=int(np.sum(r > 0)),
        excluded=int(np.sum(r <= 0)),
        gini=gini(r),
        gini_corrected=gini_corrected(r),
        vulnerability_index=vulnerability_index(r),
        top_20_percent_share=top_share(r, 0.2),
        customers_for_80_percent=customers_for_share(r, 0.8),
    )


# --- profit ------------------------------------------------------------------------------


def s_curve(profits: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Profits sorted descending and cumulative profit as a share of the total.

    The peak of the cumulative share is what the company would earn without its
    loss-making customers. The share is NaN throughout when total profit is 0.
    """
    p = np.sort(_array(profits))[::-1]
    total = p.sum()
    share = np.cumsum(p) / total if total != 0 else np.full(len(p), math.nan)
    return p, share


@dataclass(frozen=True)
class ProfitConcentration:
    """Stobachoff measures. When total profit <= 0 they are undefined: `defined` is False,
    `state` says why and the measures are None (a state, not a number or an exception).

    u: area under the Stobachoff curve; s: Stobachoff coefficient 1 - 1/(2U);
    ss: vulnerability index m*/m (share of customers losing money, defined whenever n > 0);
    peak: P+/P; loss_ratio: P-/P+; customers_for_90_percent: the fewest most-profitable
    customers whose cumulative profit reaches 90 % of total profit.
    """

    n: int
    defined: bool
    state: str
    u: float | None
    s: float | None
    ss: float | None
    peak: float | None
    loss_ratio: float | None
    customers_for_90_percent: int | None
    share_of_customers_for_90_percent: float | None


def stobachoff_curve(profits: ArrayLike) -> tuple[np.ndarray, np.ndarray] | None:
    """Stobachoff curve points (x_k, y_k), k = 0..n: profits sorted descending, x_k = k/n,
    y_k = cumulative profit / total profit, y_0 = 0. It rises above 1 while profitable
    customers are added, peaks at P+/P and ends at 1. None when total profit <= 0 or n = 0.
    """
    p = np.sort(_array(profits))[::-1]
    total = p.sum()
    if len(p) == 0 or total <= 0:
        return None
    x = np.arange(len(p) + 1) / len(p)
    y = np.concatenate([[0.0], np.cumsum(p) / total])
    return x, y


def profit_concentration(profits: ArrayLike) -> ProfitConcentration:
    """All Stobachoff measures of one set of customer profits.

    Worked example (docs/domain.md): 50, 30, 20, 10, -5, -15 give U = 0.907, S = 0.449,
    SS = 0.333, peak 1.222, loss ratio 0.18. S = 0 when all profits are equal; S < 0.5 when
    no customer loses money; S > 0.5 when profitable customers carry loss-makers.
    """
    p = _array(profits)
    n = len(p)
    ss = float(np.sum(p < 0)) / n if n else None
    curve = stobachoff_curve(p)
    if curve is None:
        state = "no customers" if n == 0 else "undefined: total profit <= 0"
        return ProfitConcentration(n, False, state, None, None, ss, None, None, None, None)
    _, y = curve
    u = _trapezoid_area(y)
    positive = float(p[p > 0].sum())
    losses = float(-p[p < 0].sum())
    k90 = int(np.searchsorted(y[1:], 0.9 - 1e-12) + 1)
    return ProfitConcentration(
        n=n,
        defined=True,
        state="defined",
        u=u,
        s=1.0 - 1.0 / (2.0 * u),
        ss=ss,
        peak=float(y.max()),
        loss_ratio=losses / positive,
        customers_for_90_percent=k90,
        share_of_customers_for_90_percent=k90 / n,
    )


# --- uncertainty -------------------------------------------------------------------------


def bootstrap_interval(
    values: ArrayLike,
    statistic_of_rows,
    resamples: int = 1000,
    seed: int = 2010,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of a statistic over customers resampled with replacement.

    `statistic_of_rows` maps a (resamples x customers) matrix to the statistic of each row
    (gini_of_rows, stobachoff_s_of_rows): all resamples at once, not a Python call each.
    Resamples whose statistic is undefined (NaN) are dropped; (NaN, NaN) when fewer than
    half remain. Fixed seed: the same data give the same interval.
    """
    v = _array(values)
    if len(v) < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(v), size=(resamples, len(v)))
    stats = statistic_of_rows(v[idx])
    stats = stats[np.isfinite(stats)]
    if len(stats) < resamples / 2:
        return math.nan, math.nan
    alpha = (1.0 - level) / 2.0
    low, high = np.quantile(stats, [alpha, 1.0 - alpha])
    return float(low), float(high)


def _area_of_rows(cumulative: np.ndarray, total: np.ndarray, n: np.ndarray) -> np.ndarray:
    """_trapezoid_area of each row's curve y_k = cumulative_k / total over n points, x_k = k/n
    (leading zero columns of cumulative add nothing)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (2.0 * cumulative.sum(axis=1) - total) / (2.0 * total * n)


def gini_of_rows(revenues: np.ndarray) -> np.ndarray:
    """gini() of each row of a matrix; revenues <= 0 left out, NaN when none is positive."""
    r = np.sort(np.where(revenues > 0, revenues, 0.0), axis=1)
    cumulative = np.cumsum(r, axis=1)
    n = np.count_nonzero(r, axis=1)
    area = _area_of_rows(cumulative, cumulative[:, -1], n)
    return np.where(n > 0, 1.0 - 2.0 * area, math.nan)


def stobachoff_s_of_rows(profits: np.ndarray) -> np.ndarray:
    """The Stobachoff coefficient S of each row of a matrix; NaN when total profit <= 0."""
    cumulative = np.cumsum(-np.sort(-profits, axis=1), axis=1)
    total = cumulative[:, -1]
    with np.errstate(invalid="ignore", divide="ignore"):
        s = 1.0 - 1.0 / (2.0 * _area_of_rows(cumulative, total, profits.shape[1]))
    return np.where(total > 0, s, math.nan)
