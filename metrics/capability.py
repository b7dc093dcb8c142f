"""Process capability of a supplier's characteristic (docs/domain.md section 4): numpy in,
numbers out.

Within-subgroup sigma (for Cp, Cpk): average moving range / d2(2) = 1.128 for single
values; for subgroups the pooled standard deviation / c4(d + 1), d the pooled degrees of
freedom (the unbiasing Minitab applies). Overall sigma (for Pp, Ppk): the sample standard
deviation of all values. One-sided limits give only their side: no Cp or Pp.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

D2_SUBGROUP_OF_2 = 1.128
MIN_VALUES = 30
Z_95 = 1.959963984540054

# Cpk thresholds and the share of lots to inspect (docs/domain.md): below 1.33 every lot.
INSPECTION_LEVELS = ((1.33, "100 %"), (1.5, "30 %"), (1.67, "10 %"))
REDUCED_INSPECTION = "1 %"


def c4(n: int) -> float:
    """Unbiasing constant c4(n) = sqrt(2/(n-1)) Gamma(n/2) / Gamma((n-1)/2).

    c4(2) = 0.7979, c4(5) = 0.9400, c4(25) = 0.9896.
    """
    if n < 2:
        raise ValueError("c4 needs n >= 2")
    return math.sqrt(2.0 / (n - 1)) * math.exp(math.lgamma(n / 2.0) - math.lgamma((n - 1) / 2.0))


def sigma_within(values: np.ndarray, subgroups: np.ndarray | None = None) -> float:
    """Short-term sigma from moving ranges (single values) or pooled subgroups."""
    values = np.asarray(values, dtype=float)
    if subgroups is None or len(np.unique(subgroups)) == len(values):
        if len(values) < 2:
            return math.nan
        return float(np.mean(np.abs(np.diff(values))) / D2_SUBGROUP_OF_2)
    squares, freedom = 0.0, 0
    for key in np.unique(subgroups):
        group = values[subgroups == key]
        if len(group) > 1:
            squares += float(np.sum((group - group.mean()) ** 2))
            freedom += len(group) - 1
    if freedom == 0:
        return math.nan
    return math.sqrt(squares / freedom) / c4(freedom + 1)


def bissell_interval(cpk: float, n: int, z: float = Z_95) -> tuple[float, float]:
    """Bissell's approximate interval Cpk +- z sqrt(1/(9N) + Cpk^2 / (2(N-1))).

    N = 45 and Cpk = 1.15 give 0.89 .. 1.41.
    """
    half = z * math.sqrt(1.0 / (9.0 * n) + cpk**2 / (2.0 * (n - 1)))
    return cpk - half, cpk + half


def inspection_level(cpk: float | None) -> str:
    """Share of lots to inspect from a Cpk: < 1.33 all (100 %), 1.33-1.5 30 %, 1.5-1.67 10 %,
    above 1.67 1 %. No Cpk means inspect everything."""
    if cpk is None or math.isnan(cpk):
        return "100 %"
    for threshold, level in INSPECTION_LEVELS:
        if cpk < threshold:
            return level
    return "10 %" if cpk == INSPECTION_LEVELS[-1][0] else REDUCED_INSPECTION


def inspection_share(level: str) -> float:
    """The share of lots an inspection level means, as a number: "30 %" is 0.3. Levels
    compare by it (as text, "100 %" sorts between "10 %" and "30 %")."""
    return float(level.strip().rstrip("%").strip()) / 100


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


@dataclass(frozen=True)
class Capability:
    n: int
    status: str  # "ok" or "insufficient data"
    mean: float
    sigma_within: float
    sigma_overall: float
    cp: float | None
    cpu: float | None
    cpl: float | None
    cpk: float | None
    pp: float | None
    ppk: float | None
    cpk_ci_low: float | None
    cpk_ci_high: float | None
    expected_ppm: float | None
    inspection_level: str  # from the point Cpk
    inspection_level_lower_bound: str  # from the lower 95 % bound of Cpk


def capability(
    values,
    lsl: float | None,
    usl: float | None,
    subgroups=None,
    min_values: int = MIN_VALUES,
) -> Capability:
    """Cp, Cpk, Pp, Ppk, the Bissell interval, expected PPM and the inspection levels.

    Fewer than `min_values` values: status "insufficient data" and 100 % inspection, with
    the indices still reported where they can be computed.
    """
    x = np.asarray(values, dtype=float)
    if lsl is None and usl is None:
        raise ValueError("a characteristic needs at least one specification limit")
    groups = None if subgroups is None else np.asarray(subgroups)
    n = len(x)
    mean = float(x.mean()) if n else math.nan
    s_within = sigma_within(x, groups) if n else math.nan
    s_overall = float(x.std(ddof=1)) if n > 1 else math.nan

    def ratio(numerator: float, denominator: float) -> float | None:
        if denominator is None or math.isnan(denominator) or denominator <= 0:
            return None
        return numerator / denominator

    cpu = ratio(usl - mean, 3 * s_within) if usl is not None else None
    cpl = ratio(mean - lsl, 3 * s_within) if lsl is not None else None
    cp = ratio(usl - lsl, 6 * s_within) if usl is not None and lsl is not None else None
    ppu = ratio(usl - mean, 3 * s_overall) if usl is not None else None
    ppl = ratio(mean - lsl, 3 * s_overall) if lsl is not None else None
    pp = ratio(usl - lsl, 6 * s_overall) if usl is not None and lsl is not None else None
    sides = [v for v in (cpu, cpl) if v is not None]
    cpk = min(sides) if sides else None
    sides = [v for v in (ppu, ppl) if v is not None]
    ppk = min(sides) if sides else None
    low = high = None
    if cpk is not None and n > 1:
        low, high = bissell_interval(cpk, n)
    ppm = None
    if n > 1 and s_overall > 0:
        below = _normal_cdf((lsl - mean) / s_overall) if lsl is not None else 0.0
        # The upper tail as a lower one: 1 - cdf(z) would cancel away the digits.
        above = _normal_cdf((mean - usl) / s_overall) if usl is not None else 0.0
        ppm = (below + above) * 1e6
    enough = n >= min_values
    return Capability(
        n=n,
        status="ok" if enough else "insufficient data",
        mean=mean,
        sigma_within=s_within,
        sigma_overall=s_overall,
        cp=cp,
        cpu=cpu,
        cpl=cpl,
        cpk=cpk,
        pp=pp,
        ppk=ppk,
        cpk_ci_low=low,
        cpk_ci_high=high,
        expected_ppm=ppm,
        inspection_level=inspection_level(cpk) if enough else "100 %",
        inspection_level_lower_bound=inspection_level(low) if enough else "100 %",
    )
