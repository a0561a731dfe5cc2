"""The worlds of in-memory fakes the use-case tests share (defined in test_usecases.py)."""

from tests.unit.test_usecases import lookups, world

__all__ = ["lookups", "world"]
