"""Every catalog and producers service that writes needs to be told who is acting."""

from __future__ import annotations

import inspect

import pytest

from catalog import services as catalog_services
from producers import services as producer_services
from tests.api import snapshot
from tests.factories import ProductFactory, VariantFactory

# What records a change elsewhere: a review's author and an applicant are the ones acting, and
# ``activity_record`` is the record itself.
NAMED_OTHERWISE = {"review_add", "review_check", "producer_apply", "activity_record", "waitlist_join", "waitlist_leave"}
# What recomputes search rows, prices and units sold from what other writes stored, and the depot's count of
# pickup orders a day that placing and cancelling an order keep: no one acts in them.
DERIVED = {
    "depot_day_claim",
    "depot_day_release",
    "product_search_refresh",
    "product_search_columns_refresh",
    "product_prices_refresh",
    "product_popularity_refresh",
    "search_words_remember",
    "concept_products_reindex",
    # The waitlist's holds follow the stock: offered when it comes back, lapsed on time, used by an order.
    "waitlist_offer",
    "waitlist_holds_lapse",
    "waitlist_holds_use",
    "waitlist_sweep",
}


def write_services() -> list:
    found = []
    for module in (catalog_services, producer_services):
        for name, function in vars(module).items():
            if (
                inspect.isfunction(function)
                and function.__module__ == module.__name__
                and not name.startswith("_")
                and name not in NAMED_OTHERWISE | DERIVED
            ):
                found.append(function)
    return found


def test_every_write_service_takes_actor_as_a_required_keyword():
    """``actor`` has no default: a caller names the user, or passes ``None`` for a system job on purpose."""
    services = write_services()
    assert {f.__name__ for f in services} >= {"product_publish", "variant_update", "producers_verify"}
    for function in services:
        actor = inspect.signature(function).parameters.get("actor")
        assert actor is not None, function.__name__
        assert (actor.kind, actor.default) == (inspect.Parameter.KEYWORD_ONLY, inspect.Parameter.empty), (
            function.__name__
        )


@pytest.mark.django_db
def test_a_service_called_without_actor_is_a_type_error_and_changes_nothing():
    product = ProductFactory(status="draft", published_at=None)
    VariantFactory(product=product)
    before = snapshot()

    with pytest.raises(TypeError, match="actor"):
        catalog_services.product_publish(product=product)

    assert snapshot() == before
