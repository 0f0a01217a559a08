"""The seeds a world may start from: what NumPy's generator takes, and so what the command line,
a sweep, a save, a scenario code and a workshop's results may name."""

import operator
import reprlib

#: ``numpy.random.default_rng`` takes any non-negative integer; the game keeps seeds below 2**63
#: so that every seed fits the 64-bit integers of a Parquet column and a scenario code.
MAX_SEED = 2**63 - 1


#: How a refusal writes a value: as Python does (-1, 1.0, '1', None), about 40 characters at most.
_REPR = reprlib.Repr()  # (keyword arguments only from Python 3.12)
_REPR.maxstring = _REPR.maxother = 40


def _shown(value: object) -> str:
    """A value as a refusal shows it, as Python writes it, so that 1.0 and '1.0' differ (the str
    of either was quoted, as if both were text); its type where it cannot be shown."""
    try:
        if getattr(value, "shape", None) == () and hasattr(value, "item"):  # NumPy's np.float64(1.5): 1.5
            value = value.item()
        return _REPR.repr(value)
    except Exception:  # noqa: BLE001 - an object of the caller's whose repr() fails
        return f"a value of type {type(value).__name__}"


def checked_seed(seed: object) -> int:
    """``seed`` as the int a world starts from; ValueError naming it if it is not one (a bool, a
    fraction, a negative number or one beyond ``MAX_SEED``: NumPy took True as 1 and 2**70 as is)."""
    try:
        if isinstance(seed, bool):
            raise TypeError
        value = operator.index(seed)  # an int, a NumPy integer or a 0-d integer array: an int, or TypeError
    except (TypeError, ValueError, OverflowError):  # not a whole number (an array of several: TypeError)
        raise ValueError(f"seed must be a whole number from 0 to 2^63-1, got {_shown(seed)}") from None
    if not 0 <= value <= MAX_SEED:
        # (str() of an int of over 4,300 digits raises: the number of digits comes from its bits)
        shown = str(value) if abs(value) < 10**24 else f"a number of about {round(abs(value).bit_length() * 0.30103)} digits"
        raise ValueError(f"seed must be a whole number from 0 to 2^63-1, got {shown}")
    return value
