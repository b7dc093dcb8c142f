"""How sure the profitability ranking is, when the time per driver unit of each activity
is an estimate (an interview, a stopwatch on a few orders) with a low, most likely and
high value.

Time-driven costing makes a member's activity cost linear in each time: the cost of
activity a for member m is C[m, a] x t_a / likely_a, at rates that do not change (they
are the pool over practical capacity; a longer time only uses more of it). So a draw of
all the times is one matrix product over the member x estimate cost totals, and thousands
of draws are one product of a (draws x estimates) matrix with a (estimates x members)
one: no loop over lines, no rebuild per draw.

Pure numpy: arrays in, arrays out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUANTILES = (0.05, 0.5, 0.95)


def pert_draws(
    low: np.ndarray, likely: np.ndarray, high: np.ndarray, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """`draws` values of each estimate from its PERT distribution (a beta on [low, high]
    with mode `likely` and shape 4): shape (draws, estimates). A zero-width range gives
    its value every time."""
    low, likely, high = (np.asarray(x, dtype=float) for x in (low, likely, high))
    width = high - low
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(width > 0, 1 + 4 * (likely - low) / width, 1.0)
        beta = np.where(width > 0, 1 + 4 * (high - likely) / width, 1.0)
    unit = rng.beta(alpha, beta, size=(draws, len(low)))
    return low + unit * width


def pert_mean(low, likely, high):
    """The mean of the PERT distribution, (low + 4 likely + high) / 6."""
    return (np.asarray(low) + 4 * np.asarray(likely) + np.asarray(high)) / 6


@dataclass(frozen=True)
class Draws:
    """Net profit of every member in every draw, and what summarises it."""

    profit: np.ndarray  # (draws, members)
    revenue: np.ndarray  # (members,)


def simulate(
    profit: np.ndarray, revenue: np.ndarray, time_cost: np.ndarray, factors: np.ndarray
) -> Draws:
    """Each member's net profit when each estimate's time is `factors` times its most
    likely value. profit, revenue: (members,), at the most likely times; time_cost:
    (members, estimates), the cost of each estimate's activity time in the member's costs
    at the most likely time; factors: (draws, estimates)."""
    change = (1.0 - np.asarray(factors, dtype=float)) @ np.asarray(time_cost, dtype=float).T
    return Draws(np.asarray(profit, dtype=float)[None, :] + change, np.asarray(revenue, float))


def ranks(profit: np.ndarray) -> np.ndarray:
    """Rank of each member in each row, 1 = the most profitable (ties: the order given)."""
    order = np.argsort(-profit, axis=-1, kind="stable")
    ranked = np.empty_like(order)
    positions = np.arange(1, profit.shape[-1] + 1)
    np.put_along_axis(ranked, order, np.broadcast_to(positions, order.shape), axis=-1)
    return ranked


def spearman_with(reference: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """Spearman's rank correlation of each row of `ranked` with the ranks `reference`
    (ranks without ties: 1 - 6 sum d^2 / (n (n^2 - 1)))."""
    n = ranked.shape[-1]
    if n < 2:
        return np.ones(ranked.shape[0])
    d = ranked - reference[None, :]
    return 1 - 6 * (d.astype(float) ** 2).sum(axis=1) / (n * (n**2 - 1))


@dataclass(frozen=True)
class Summary:
    probability_profitable: np.ndarray  # (members,)
    profit_quantiles: np.ndarray  # (3, members): 5, 50, 95 %
    relative_quantiles: np.ndarray  # (3, members); NaN where revenue is 0
    rank_low: np.ndarray  # (members,): 5 % quantile of the rank (the best it gets)
    rank_high: np.ndarray  # (members,): 95 %
    actual_rank: np.ndarray  # (members,)
    spearman: np.ndarray  # (draws,)


def summarise(draws: Draws, actual_profit: np.ndarray) -> Summary:
    profit = draws.profit
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(draws.revenue != 0, profit / draws.revenue, np.nan)
    ranked = ranks(profit)
    actual_rank = ranks(np.asarray(actual_profit, dtype=float)[None, :])[0]
    rank_q = np.quantile(ranked, [0.05, 0.95], axis=0, method="inverted_cdf")
    return Summary(
        probability_profitable=(profit > 0).mean(axis=0),
        profit_quantiles=np.quantile(profit, QUANTILES, axis=0),
        relative_quantiles=np.quantile(relative, QUANTILES, axis=0),
        rank_low=rank_q[0],
        rank_high=rank_q[1],
        actual_rank=actual_rank,
        spearman=spearman_with(actual_rank, ranked),
    )


def tornado(
    profit: np.ndarray, time_cost: np.ndarray, low_factor: np.ndarray, high_factor: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's net profit with one estimate at its low (and, apart, its high) time and
    every other at its most likely: two (members, estimates) arrays."""
    profit = np.asarray(profit, dtype=float)[:, None]
    time_cost = np.asarray(time_cost, dtype=float)
    at_low = profit + time_cost * (1 - np.asarray(low_factor, dtype=float))[None, :]
    at_high = profit + time_cost * (1 - np.asarray(high_factor, dtype=float))[None, :]
    return at_low, at_high
