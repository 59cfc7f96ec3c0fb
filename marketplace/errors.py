"""The base of every app's domain errors: each says what a user needs to know, and how the API answers it.

An app's error class declares its HTTP ``status`` and its ``code`` and, when the
answer carries more than a message (a stock shortfall's lines, an order's
current and requested status), builds that body in ``body()``. The API's
exception handler (``marketplace.api.errors``) answers any ``DomainError`` from
these alone, so the project's package needs to know no app.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class DomainError(Exception):
    """A rule of the domain refused a request; ``str()`` of it is the message a user reads."""

    status: int = HTTPStatus.BAD_REQUEST
    code: str = "error"

    def body(self) -> dict[str, Any]:
        """The API's JSON answer: the message and the code, then what the subclass adds."""
        return {"detail": str(self), "code": self.code}


def nested_errors(errors: dict[str, list[str]]) -> dict[str, Any]:
    """Turn ``{"delivery.address.city": [...]}`` into ``{"delivery": {"address": {"city": [...]}}}``,
    the shape a serializer's own field errors have."""
    tree: dict[str, Any] = {}
    for dotted, messages in errors.items():
        *parents, leaf = dotted.split(".")
        node = tree
        for part in parents:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                # A message for the parent itself already sits here; keep both under "detail".
                child = node[part] = {"detail": child}
            node = child
        if isinstance(node.get(leaf), dict):
            node[leaf].setdefault("detail", []).extend(messages)
        else:
            node.setdefault(leaf, []).extend(messages)
    return tree
