# The orders' small shop: outbox messages are tested through the order emails they carry.
from tests.orders.conftest import shop  # noqa: F401
