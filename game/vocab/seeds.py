"""The seeds a world may start from: what NumPy's generator takes, and so what the command line,
a sweep, a save, a scenario code and a workshop's results may name."""

#: ``numpy.random.default_rng`` takes any non-negative integer; the game keeps seeds below 2**63
#: so that every seed fits the 64-bit integers of a Parquet column and a scenario code.
MAX_SEED = 2**63 - 1


def checked_seed(seed: object) -> int:
    """``seed`` as the int a world starts from; ValueError naming it if it is not one (a bool, a
    fraction, a negative number or one beyond ``MAX_SEED``: NumPy took True as 1 and 2**70 as is)."""
    try:
        if isinstance(seed, bool):
            raise TypeError
        value = seed.__index__()  # an int, a NumPy integer or a 0-d integer array
    except (AttributeError, TypeError):  # not a whole number (a NumPy array of several: TypeError)
        raise ValueError(f"seed must be a whole number from 0 to 2^63-1, got {str(seed)[:40]!r}") from None
    if not 0 <= value <= MAX_SEED:
        # (str() of an int of over 4,300 digits raises: the number of digits comes from its bits)
        shown = str(value) if abs(value) < 10**24 else f"a number of about {round(abs(value).bit_length() * 0.30103)} digits"
        raise ValueError(f"seed must be a whole number from 0 to 2^63-1, got {shown}")
    return value
