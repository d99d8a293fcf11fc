"""Engine version, stamped on every decision so that it can be replayed."""

__version__ = "0.1.0"
