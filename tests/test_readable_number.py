"""``readable_number``: a number in a refusal, as people read it, and never the bound it broke.

Beyond the magnitudes written out whole it wrote ``{:g}``'s six digits, so 9.9999999e-07, refused
for being less than 0.000001, was said back as "1e-06", and 1,000,000,000,000,001 as "1e+15"."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from game.action_base import MIN_QUANTITY
from game.actions import action_from_dict
from game.quoting import readable_number
from game.scenario.assumptions import AssumptionError, check_value


@pytest.mark.parametrize("value", [9.9999999e-07, 9.999999e-07, 1e-6 - 1e-16, -9.9999999e-07, 1e15 + 2.0,
                                   1_000_000_000_000_001, np.float64(9.9999999e-07), np.int64(10**17 + 1),
                                   2**53 + 1, 5e-324, 1.7976931348623157e308])
def test_a_number_beyond_those_written_out_reads_back_as_itself(value):
    text = readable_number(value)
    assert float(text.replace(",", "")) == float(value), text
    if isinstance(value, (int, np.integer)):
        assert Decimal(text.replace(",", "")) == int(value), text


@pytest.mark.parametrize("value, said", [(1e300, "1e+300"), (5e-324, "5e-324"), (1e15, "1e+15"), (1e-7, "1e-07"),
                                         (1e-6, "0.000001"), (1e9, "1,000,000,000"), (-0.0, "0"),
                                         (float("inf"), "inf"), (float("nan"), "nan"), (10**400, "a whole number of 401 digits"),
                                         (-10**400, "a negative whole number of 401 digits"),
                                         (10**300 + 1, "a whole number of 301 digits"),
                                         (-(10**30 + 1), "a negative whole number of 31 digits")])
def test_numbers_keep_their_short_forms(value, said):
    assert readable_number(value) == said


def test_a_whole_number_past_pythons_digit_limit_is_told_by_its_size():
    assert readable_number(10**5000) == "a whole number of about 5,001 digits"
    assert readable_number(-(10**5000)) == "a negative whole number of about 5,001 digits"


def test_an_action_just_below_the_least_quantity_is_not_said_to_be_it():
    with pytest.raises(ValueError) as refused:
        action_from_dict({"kind": "buy_stockpile", "material": "ndpr", "tonnes": 9.9999999e-07})
    message = str(refused.value)
    assert readable_number(MIN_QUANTITY) in message and "got 9.9999999e-7" in message, message


def test_an_assumption_just_below_the_least_size_is_not_said_to_be_it():
    with pytest.raises(AssumptionError) as refused:
        check_value("run_rate_cost_band", 9.9999999e-07)
    assert "got 9.9999999e-7" in refused.value.message, refused.value.message
