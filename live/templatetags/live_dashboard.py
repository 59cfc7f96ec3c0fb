"""What the producer back office's navigation shows of live selling: the proposals waiting for an answer."""

from __future__ import annotations

from django import template

from live import selectors

register = template.Library()


@register.simple_tag
def live_proposals_waiting(producer) -> int:
    """How many of ``producer``'s proposals in sessions not over wait for an answer (one query)."""
    return selectors.proposals_waiting_count(producer=producer)
