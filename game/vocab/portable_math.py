"""Products, logarithms and powers that give the same bits on every processor.

NumPy picks some of its code by the processor it runs on, and two kinds of that code round
differently from one processor to the next:

- products of vectors and matrices (``@``, ``dot``) go to the BLAS, whose kernels are chosen by
  the processor: with AVX-512 a dot product of three terms is fused and summed in another order,
  so the same deal came out at another price (and then another history) than on a processor
  without it;
- with AVX-512, NumPy's ``exp``, ``log``, ``arcsin`` and ``power`` of float64 use vector code
  that differs from the C library's in the last bit; without it they are the C library's.

The simulation uses ``dot``, ``log_each`` and ``powers`` below, and ``math`` for single
numbers: each rounds as the histories were first made (on a processor without AVX-512: the C
library's functions, and the BLAS's plain left-to-right sums, which is what it does for fewer
than 16 terms) on every processor. ``tests/test_arithmetic.py`` keeps NumPy's
processor-dependent functions out of the simulation.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["dot", "log_each", "powers"]


def dot(weights, values):
    """``weights @ values`` for a vector of weights and a vector (a float) or a matrix (a
    vector: row ``i`` of ``values`` weighed by ``weights[i]``), added left to right from 0,
    each product and each sum rounded."""
    weights = weights.tolist() if isinstance(weights, np.ndarray) else list(weights)
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        if len(weights) != values.size:
            raise ValueError(f"dot: {len(weights)} weights for {values.size} values")
        total = 0.0
        for weight, value in zip(weights, values.tolist()):
            total += weight * value
        return total
    if len(weights) != len(values):
        raise ValueError(f"dot: {len(weights)} weights for {len(values)} rows")
    total = np.zeros(values.shape[1:])
    for weight, row in zip(weights, values):
        total += weight * row
    return total


def _log(value: float) -> float:
    if value > 0.0:
        return math.log(value)  # inf stays inf
    return -math.inf if value == 0.0 else math.nan  # as NumPy's log: 0 is -inf, below it (or nan) nan


def log_each(values) -> np.ndarray:
    """The natural logarithm of each value, by the C library's ``log`` (NumPy's ``log``
    without its warnings: -inf for 0, nan below 0)."""
    values = np.asarray(values, dtype=float)
    return np.array([_log(value) for value in values.ravel().tolist()], dtype=float).reshape(values.shape)


def powers(base: float, exponents) -> np.ndarray:
    """``base ** exponent`` for each exponent, by the C library's ``pow`` (``base`` at least 0)."""
    base = float(base)
    if not base >= 0.0:
        raise ValueError(f"powers: the base must be at least 0, got {base!r}")
    exponents = np.asarray(exponents, dtype=float)
    return np.array([base ** exponent for exponent in exponents.ravel().tolist()], dtype=float).reshape(exponents.shape)
