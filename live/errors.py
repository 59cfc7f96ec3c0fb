"""Domain errors of live selling; each says what a host or producer needs to know."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from marketplace.errors import DomainError


class LiveError(DomainError):
    code = "live_error"


class SessionTransitionError(LiveError):
    """A session asked to move where its status does not allow (go live once ended, end before going live)."""

    status = HTTPStatus.CONFLICT
    code = "illegal_transition"

    def __init__(self, message: str, *, current: str = "", requested: str = "") -> None:
        self.current = current
        self.requested = requested
        super().__init__(message)

    def body(self) -> dict[str, Any]:
        return {**super().body(), "current": self.current, "requested": self.requested}
