"""The simulation adds up as Python 3.11's sum() did, on every Python, and multiplies vectors
and takes logarithms, powers and arcsines as a processor without AVX-512 does, on every
processor (game.vocab.arithmetic, game.vocab.portable_math)."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import numpy as np
import pytest

from game.vocab.arithmetic import added_up
from game.vocab.portable_math import dot, log_each, powers

ROOT = Path(__file__).resolve().parent.parent


def test_numbers_are_added_left_to_right_each_addition_rounded():
    # A compensated sum (Python 3.12's sum, math.fsum) gives 1.0 here; the histories were made by
    # plain addition, which loses the 1.0 in the first step.
    assert added_up([1e16, 1.0, -1e16]) == 0.0
    assert added_up([0.1] * 10) == 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1 + 0.1
    assert added_up(x for x in (0.5, 0.25)) == 0.75


def test_it_takes_what_sum_takes():
    assert added_up([]) == 0 and added_up([], 2.5) == 2.5
    assert added_up([1, 2, 3]) == 6 and isinstance(added_up([1, 2, 3]), int)
    assert added_up(iter([np.float64(0.5), 1])) == 1.5
    total = added_up((np.array([1.0, 2.0]), np.array([0.5, 0.5])), np.zeros(2))
    assert total.tolist() == [1.5, 2.5]


def test_a_dot_product_adds_its_products_left_to_right_each_rounded():
    # With AVX-512 the BLAS fused these into one rounding per term and gave 1.0000000000000002
    # where the plain sum gives 1.0 (or the other way about): one bit that became another deal.
    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 8, 20):
        for _ in range(200):
            a, b = rng.random(n) * 100, rng.random(n) * 3 - 1
            total = 0.0
            for x, y in zip(a.tolist(), b.tolist()):
                total += x * y
            assert dot(a, b) == total and isinstance(dot(a, b), float)
    assert dot([], np.zeros(0)) == 0.0
    assert dot(np.array([1, 2]), [0.5, 0.25]) == 1.0  # whole weights, a list of values


def test_a_vector_times_a_matrix_weighs_its_rows_in_order():
    rng = np.random.default_rng(1)
    weights, rows = rng.random(3) * 100, rng.random((3, 13)) * 50
    expected = np.zeros(13)
    for weight, row in zip(weights.tolist(), rows):
        expected = expected + weight * row
    assert dot(weights, rows).tolist() == expected.tolist()
    with pytest.raises(ValueError, match="2 weights for 3 rows"):
        dot(weights[:2], rows)
    with pytest.raises(ValueError, match="3 weights for 13 values"):
        dot(weights, rows[0])


def test_logarithms_and_powers_are_the_c_librarys():
    values = np.array([1e-300, 0.5, 1.0, 2.718281828459045, 3.0, 1e300])
    assert log_each(values).tolist() == [math.log(v) for v in values.tolist()]
    assert log_each(values.reshape(2, 3)).shape == (2, 3)
    edges = log_each(np.array([0.0, -1.0, np.inf, np.nan]))
    assert edges[0] == -np.inf and np.isnan(edges[1]) and edges[2] == np.inf and np.isnan(edges[3])
    ages = np.arange(7, -1, -1, dtype=float)
    assert powers(0.97, ages).tolist() == [0.97 ** a for a in ages.tolist()]
    assert powers(0.0, [0.0, 1.0]).tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="at least 0"):
        powers(-0.5, [0.5])


#: NumPy's functions whose result depends on the processor: products that go to the BLAS, and
#: float64 functions with AVX-512 code of their own.
PROCESSOR_DEPENDENT = {"dot", "matmul", "inner", "vdot", "tensordot", "einsum", "linalg", "exp", "exp2", "expm1",
                       "log", "log2", "log10", "log1p", "logaddexp", "logaddexp2", "power", "float_power", "sin",
                       "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "arcsinh",
                       "arccosh", "arctanh", "cbrt", "hypot", "convolve", "correlate", "cov", "corrcoef", "polyfit"}
#: Where they may be used: the window's own sounds and drawings, which no history holds.
OUTSIDE_HISTORY = ("game/ui/",)


def test_no_history_code_uses_numpy_functions_that_depend_on_the_processor():
    found = []
    for path in sorted([*ROOT.glob("agents/**/*.py"), *ROOT.glob("game/**/*.py")]):
        name = path.relative_to(ROOT).as_posix()
        if name.startswith(OUTSIDE_HISTORY) or name == "game/vocab/portable_math.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult):
                found.append(f"{name}:{node.lineno} @ (use game.vocab.portable_math.dot)")
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id in ("np", "numpy") and node.attr in PROCESSOR_DEPENDENT):
                found.append(f"{name}:{node.lineno} np.{node.attr}")
            elif isinstance(node, ast.Attribute) and node.attr == "dot":
                found.append(f"{name}:{node.lineno} .dot (an array's dot goes to the BLAS)")
    assert not found, "histories would depend on the processor: " + "; ".join(found)
