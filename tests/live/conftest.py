"""Live selling tests sell from the orders tests' small shop."""

from tests.orders.conftest import shop  # noqa: F401  (the fixture, shared)
