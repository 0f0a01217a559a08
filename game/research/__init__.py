"""Headless research: seeded runs, calibration against the reference, and (later) sweeps."""
