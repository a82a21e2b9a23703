"""Most similar CSPs: each CSP's nearest neighbours on standardised public variables.

The method follows the idea of the Home Office's Most Similar Groups: describe every CSP by a
few variables known to go with crime (size, density as the urban/rural measure, the share of
young adults, household size and renting, deprivation), standardise each to mean 0 and
standard deviation 1 across all CSPs of England and Wales, and take the CSPs nearest in
Euclidean distance. A variable missing for a CSP (deprivation, where the English index does
not cover Wales) is left out of that pair's distance, which is rescaled to the full number of
variables so distances stay comparable.

Example::

    >>> import pandas as pd
    >>> z = standardise(pd.DataFrame({"x": [1.0, 2.0, 3.0, 10.0]}, index=list("abcd")))
    >>> most_similar(z, 1)["peer_code"].tolist()
    ['b', 'a', 'b', 'c']
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

GROUP_SIZE = 15
"""How many most similar CSPs form a group (as in the Home Office's groups)."""

SIMILARITY_VARIABLES: tuple[str, ...] = (
    "log_population",
    "log_density",
    "share_aged_15_24",
    "persons_per_household",
    "share_households_rented",
    "imd_score",
)
"""The variables, in the order they are standardised; see ATTRIBUTION.md for their sources."""

METHOD_TEXT = (
    "Most similar CSPs: each CSP is described by six variables from public data (Census 2021 "
    "residents (log), residents per km² (log, the urban/rural measure), share aged 15-24, "
    "residents per household, share of households renting, and the English Index of Multiple "
    "Deprivation 2019 average score, population-weighted). Each variable is standardised to "
    "mean 0 and standard deviation 1 across the CSPs of England and Wales; the group is the "
    f"{GROUP_SIZE} CSPs nearest in Euclidean distance. Deprivation is not available for Welsh "
    "CSPs, so their distances use the other five variables, rescaled to six."
)


def standardise(values: pd.DataFrame) -> pd.DataFrame:
    """Each column to mean 0 and (population) standard deviation 1, ignoring missing values.

    A constant column becomes 0 everywhere rather than dividing by zero.
    """
    mean = values.mean(skipna=True)
    sd = values.std(ddof=0, skipna=True).replace(0.0, 1.0)
    return (values - mean) / sd


def distances(z: pd.DataFrame) -> np.ndarray:
    """Pairwise distances over the variables both CSPs have, rescaled to all variables."""
    data = z.to_numpy(dtype=float)
    present = ~np.isnan(data)
    filled = np.where(present, data, 0.0)
    n_vars = data.shape[1]
    squared = np.zeros((len(data), len(data)))
    shared = np.zeros((len(data), len(data)))
    for k in range(n_vars):
        col = filled[:, k]
        both = np.outer(present[:, k], present[:, k])
        squared += np.where(both, (col[:, None] - col[None, :]) ** 2, 0.0)
        shared += both
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(shared > 0, squared * n_vars / shared, np.inf)
    result: np.ndarray = np.sqrt(scaled)
    return result


def most_similar(z: pd.DataFrame, size: int = GROUP_SIZE) -> pd.DataFrame:
    """The ``size`` nearest rows to each row: columns csp_code, rank (1 = nearest), peer_code,
    distance. Ties are broken by code so the groups are reproducible."""
    codes = [str(c) for c in z.index]
    dist = distances(z)
    rows: list[tuple[str, int, str, float]] = []
    for i, code in enumerate(codes):
        order = sorted(
            (j for j in range(len(codes)) if j != i), key=lambda j: (dist[i, j], codes[j])
        )
        for rank, j in enumerate(order[:size], start=1):
            d = float(dist[i, j])
            rows.append((code, rank, codes[j], round(d, 4) if math.isfinite(d) else d))
    return pd.DataFrame(rows, columns=["csp_code", "rank", "peer_code", "distance"])
