"""The catalog's Celery tasks: product photos decoded and re-encoded by the worker, and the sweep of those left
(and of renditions missing)."""

from __future__ import annotations

from celery import shared_task

from catalog import services
from marketplace.images import photos_make_missing_renditions


# acks_late: a worker that dies mid-photo leaves the task for another; the photo's attempts give up on one that
# kills every worker (services.MAX_PROCESSING_ATTEMPTS). time_limit: a stuck decoder is stopped, not waited on.
@shared_task(name="catalog.process_image", acks_late=True, reject_on_worker_lost=True, time_limit=120)
def process_image(image_id: int) -> str | None:
    return services.product_image_process(image_id=image_id, actor=None)


@shared_task(name="catalog.process_stale_images")
def process_stale_images() -> int:
    """What `manage.py process_stale_photos` does: queue again the photos the worker never finished, and make the
    WebP renditions of photos stored without them. Returns how many photos were queued again."""
    queued = services.product_images_process_stale(actor=None)
    services.product_images_make_renditions(actor=None)
    photos_make_missing_renditions(limit=services.STALE_BATCH)  # producers', villages' photos, live covers
    return queued


@shared_task(name="catalog.refresh_popularity")
def refresh_popularity() -> int:
    """Copy units sold into the search rows, which order equally relevant results (every few minutes)."""
    return services.product_popularity_refresh()


@shared_task(name="catalog.reindex_concept")
def reindex_concept(concept_id: int) -> int:
    """Write anew the search rows of the products whose names hold (or held) a term of a concept whose names or
    terms changed."""
    return services.concept_products_reindex(concept_id=concept_id)


@shared_task(name="catalog.waitlist_holds_lapse")
def waitlist_holds_lapse() -> int:
    """Every minute: holds past their time pass to the next shopper waiting, and stock that came back by a path
    that did not offer it at once is held for those waiting. Returns the holds that lapsed."""
    lapsed = services.waitlist_holds_lapse()
    services.waitlist_sweep()
    return lapsed
