"""The seeds a world may start from: what NumPy's generator takes, and so what the command line,
a sweep, a save, a scenario code and a workshop's results may name."""

#: ``numpy.random.default_rng`` takes any non-negative integer; the game keeps seeds below 2**63
#: so that every seed fits the 64-bit integers of a Parquet column and a scenario code.
MAX_SEED = 2**63 - 1
