"""Domain errors of live selling; each says what a host or producer needs to know."""

from __future__ import annotations


class LiveError(Exception):
    code = "live_error"


class SessionTransitionError(LiveError):
    """A session asked to move where its status does not allow (go live once ended, end before going live)."""

    code = "illegal_transition"

    def __init__(self, message: str, *, current: str = "", requested: str = "") -> None:
        self.current = current
        self.requested = requested
        super().__init__(message)
