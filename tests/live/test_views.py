"""The live sessions page, a session's share page and the stock figures it polls, over real HTTP."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.templatetags.static import static
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from catalog.models import Product, Variant
from live.models import LiveSession, LiveSessionItem
from tests.factories import (
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    ProductImageFactory,
    VariantFactory,
)

EN = {"accept-language": "en"}
LIVE = LiveSession.Status.LIVE
SCHEDULED = LiveSession.Status.SCHEDULED
ENDED = LiveSession.Status.ENDED
CANCELLED = LiveSession.Status.CANCELLED


def make_session(*, status: str = LIVE, items: int = 0, starts_in: timedelta = timedelta(0), **kwargs) -> LiveSession:
    """A session starting ``starts_in`` from now, two hours long, with ``items`` featured items that have a photo."""
    starts_at = timezone.now() + starts_in
    session = LiveSessionFactory(status=status, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), **kwargs)
    for position in range(items):
        variant = VariantFactory()
        ProductImageFactory(product=variant.product)
        LiveSessionItemFactory(session=session, variant=variant, position=position)
    return session


def detail_url(session: LiveSession) -> str:
    return reverse("live-session-detail", kwargs={"slug": session.slug})


def stock_url(session_or_slug: LiveSession | str) -> str:
    slug = getattr(session_or_slug, "slug", session_or_slug)
    return reverse("live-session-stock", kwargs={"slug": slug})


def item_html(html: str, item: LiveSessionItem) -> str:
    """The markup of one featured item on the session page."""
    match = re.search(
        rf'<li class="featured-item" data-live-item data-variant="{item.variant_id}">(.*?)</li>', html, re.S
    )
    assert match, f"item {item.variant_id} is not on the page"
    return match[1]


def query_count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The sessions page


@pytest.mark.django_db
def test_the_list_shows_sessions_on_air_then_upcoming_then_ended_in_the_last_week(client):
    """Live first, then scheduled sessions not yet over (soonest first), then those ended in the last 7 days."""
    upcoming_later = make_session(status=SCHEDULED, starts_in=timedelta(days=2), name_en="Upcoming later")
    ended_recently = make_session(status=ENDED, starts_in=timedelta(days=-1), name_en="Ended yesterday")
    live = make_session(status=LIVE, starts_in=timedelta(minutes=-30), name_en="On air")
    upcoming_soon = make_session(status=SCHEDULED, starts_in=timedelta(hours=3), name_en="Upcoming soon")
    running_late = make_session(status=SCHEDULED, starts_in=timedelta(minutes=-10), name_en="Host running late")
    ended_earlier = make_session(status=ENDED, starts_in=timedelta(days=-5), name_en="Ended five days ago")
    hidden = [
        make_session(status=ENDED, starts_in=timedelta(days=-9), name_en="Ended long ago"),
        make_session(status=CANCELLED, starts_in=timedelta(hours=5), name_en="Called off"),
        make_session(status=SCHEDULED, starts_in=timedelta(hours=-5), name_en="Never went on air"),
    ]

    response = client.get(reverse("live-session-list"), headers=EN)

    assert response.status_code == 200
    html = response.content.decode()
    expected = [live, running_late, upcoming_soon, upcoming_later, ended_recently, ended_earlier]
    positions = [html.index(f'href="{detail_url(session)}"') for session in expected]
    assert positions == sorted(positions)
    for session in hidden:
        assert session.slug not in html
    assert html.index("Live now") < html.index("Coming up") < html.index("Recently ended")


@pytest.mark.django_db
def test_each_listed_session_shows_its_title_host_local_time_status_and_featured_count(client):
    host = HostFactory(display_name="Aygül · Oasis Live")
    session = make_session(status=SCHEDULED, starts_in=timedelta(days=1), host=host, name_en="Rose tea evening")
    for _ in range(3):
        LiveSessionItemFactory(session=session)
    # An item whose product was taken off sale is not counted.
    LiveSessionItemFactory(session=session, variant__product__status=Product.Status.DRAFT)

    html = client.get(reverse("live-session-list"), headers=EN).content.decode()

    assert "Rose tea evening" in html
    assert "Aygül · Oasis Live" in html
    with translation.override("en"):
        starts = date_format(timezone.localtime(session.starts_at), "SHORT_DATETIME_FORMAT")
    assert starts in html
    assert '<span class="live-badge live-badge-scheduled">Scheduled</span>' in html
    assert "3 featured items" in html


@pytest.mark.django_db
def test_the_list_is_one_page_of_fixed_queries_whatever_the_number_of_sessions(client, uncached_pages):
    for index in range(2):
        make_session(status=[LIVE, SCHEDULED][index], starts_in=timedelta(hours=index), items=2)
    with_two = query_count(client, reverse("live-session-list"))

    for index in range(6):
        make_session(status=[LIVE, SCHEDULED, ENDED][index % 3], starts_in=timedelta(hours=index - 3), items=3)
    with_eight = query_count(client, reverse("live-session-list"))

    assert with_two == with_eight == 1


@pytest.mark.django_db
def test_the_list_says_so_when_there_is_no_session(client):
    response = client.get(reverse("live-session-list"), headers=EN)

    assert response.status_code == 200
    assert "No live sessions are on air or coming up." in response.content.decode()


# A session's page


@pytest.mark.django_db
def test_the_session_page_shows_the_normal_price_struck_through_the_flash_price_and_what_is_left(client):
    host = HostFactory(display_name="Aygül")
    session = make_session(
        host=host, name_en="Grape valley live", description_en="Raisins straight from the drying house."
    )
    variant = VariantFactory(price=Decimal("59.00"), stock=40, name_en="1 kg bag", product__name_en="Green raisins")
    image = ProductImageFactory(product=variant.product)
    item = LiveSessionItemFactory(
        session=session,
        variant=variant,
        flash_price=Decimal("46.90"),
        quantity_cap=100,
        quantity_sold=30,
        per_shopper_limit=3,
    )

    response = client.get(detail_url(session), headers=EN)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Grape valley live</h1>" in html
    assert "Hosted by Aygül" in html
    assert "Raisins straight from the drying house." in html
    assert '<span class="live-badge live-badge-live">Live now</span>' in html
    card = item_html(html, item)
    assert re.search(r'<del class="live-normal-price">.*¥59\.00</del>', card, re.S)
    assert re.search(r'<strong class="live-flash-price">.*¥46\.90</strong>', card, re.S)
    assert f'<a href="{variant.product.get_absolute_url()}">Green raisins</a>' in card
    assert "1 kg bag" in card
    assert f'src="{image.image.url}"' in card or f'src="{image.thumbnail.url}"' in card
    assert "<dd data-live-remaining>70</dd>" in card
    assert "<dd>3</dd>" in card
    assert "<dd data-live-stock>40</dd>" in card
    assert '<p class="live-soldout" data-live-soldout hidden>' in card


@pytest.mark.django_db
def test_a_live_session_offers_a_form_that_adds_the_item_at_the_live_price_without_javascript(client):
    session = make_session()
    item = LiveSessionItemFactory(session=session, per_shopper_limit=2)

    html = client.get(detail_url(session), headers=EN).content.decode()

    card = item_html(html, item)
    assert f'<form class="live-add" method="post" action="{reverse("cart-add")}">' in card
    assert 'name="csrfmiddlewaretoken"' in card
    assert f'<input type="hidden" name="variant" value="{item.variant_id}">' in card
    assert f'<input type="hidden" name="live_session" value="{session.slug}">' in card
    assert re.search(r'<input [^>]*type="number" name="quantity" value="1" min="1" max="2"', card)
    assert re.search(r"<button [^>]*data-live-add>Add to cart</button>", card)
    assert f'<script src="{static("js/live.js")}" defer></script>' in html
    assert f'data-stock-url="{stock_url(session)}"' in html


@pytest.mark.django_db
def test_every_element_the_script_looks_for_is_on_a_live_session_page(client):
    """live.js finds its numbers, notes and buttons by data attributes; renaming one on either side breaks it."""
    session = make_session()
    LiveSessionItemFactory(session=session)
    script = (Path(settings.BASE_DIR) / "static/js/live.js").read_text(encoding="utf-8")
    hooks = set(re.findall(r"\[(data-[a-z-]+)\]", script))

    html = client.get(detail_url(session), headers=EN).content.decode()

    assert hooks >= {"data-live-item", "data-live-remaining", "data-live-soldout", "data-live-add"}
    assert {hook for hook in hooks if not re.search(rf"\b{hook}\b", html)} == set()


@pytest.mark.django_db
def test_an_item_sold_out_at_the_live_price_says_so_and_cannot_be_added(client):
    session = make_session()
    item = LiveSessionItemFactory(session=session, quantity_cap=20, quantity_sold=20, variant__stock=8)

    html = client.get(detail_url(session), headers=EN).content.decode()

    card = item_html(html, item)
    assert '<p class="live-soldout" data-live-soldout>Sold out at the live price</p>' in card
    assert "<dd data-live-remaining>0</dd>" in card
    assert re.search(r"<button [^>]*data-live-add disabled>", card)


@pytest.mark.django_db
def test_the_sold_out_text_is_in_the_page_in_every_language_for_the_script_to_reveal(client):
    """The script only toggles ``hidden``; the words come from the server in the shopper's language."""
    session = make_session()
    item = LiveSessionItemFactory(session=session)

    for language in ("zh-hans", "ug", "en"):
        html = client.get(detail_url(session), headers={"accept-language": language}).content.decode()
        card = item_html(html, item)
        assert re.search(r"<p class=\"live-soldout\" data-live-soldout hidden>[^<]+</p>", card)


@pytest.mark.django_db
def test_an_ended_session_still_renders_but_offers_no_add_to_cart_form(client):
    session = make_session(status=ENDED, starts_in=timedelta(days=-1))
    item = LiveSessionItemFactory(session=session)

    response = client.get(detail_url(session), headers=EN)

    assert response.status_code == 200
    html = response.content.decode()
    item_html(html, item)
    assert '<form class="live-add"' not in html
    assert 'name="live_session"' not in html
    assert '<p class="live-note" data-live-ended>This session has ended' in html


@pytest.mark.django_db
def test_a_scheduled_session_shows_its_items_without_add_to_cart_forms(client):
    session = make_session(status=SCHEDULED, starts_in=timedelta(days=1))
    item = LiveSessionItemFactory(session=session)

    html = client.get(detail_url(session), headers=EN).content.decode()

    item_html(html, item)
    assert 'name="live_session"' not in html
    assert "The live prices apply once the session is on air." in html


@pytest.mark.django_db
def test_items_not_on_sale_are_left_off_the_session_page(client):
    session = make_session()
    shown = LiveSessionItemFactory(session=session)
    draft = LiveSessionItemFactory(session=session, variant__product__status=Product.Status.DRAFT)
    retired = LiveSessionItemFactory(session=session, variant__is_active=False)

    html = client.get(detail_url(session), headers=EN).content.decode()

    item_html(html, shown)
    assert f'data-variant="{draft.variant_id}"' not in html
    assert f'data-variant="{retired.variant_id}"' not in html


@pytest.mark.django_db
def test_a_cancelled_session_is_not_found(client):
    session = make_session(status=CANCELLED)
    LiveSessionItemFactory(session=session)

    assert client.get(detail_url(session)).status_code == 404


@pytest.mark.django_db
def test_an_unknown_session_is_not_found(client):
    assert client.get(reverse("live-session-detail", kwargs={"slug": "no-such-session"})).status_code == 404


@pytest.mark.django_db
def test_the_session_has_its_share_link_as_absolute_url():
    session = make_session()

    assert session.get_absolute_url() == f"/live/{session.slug}/"


@pytest.mark.django_db
@pytest.mark.parametrize("status", [LIVE, ENDED])
def test_the_session_page_runs_a_fixed_number_of_queries_whatever_the_number_of_items(client, status):
    """Session with host, items with variant and product, first photos: three queries for 2 items and for 8."""
    few = make_session(status=status, items=2)
    many = make_session(status=status, items=8)

    assert query_count(client, detail_url(few)) == query_count(client, detail_url(many)) == 3


# The stock figures the page polls


@pytest.mark.django_db
def test_the_stock_endpoint_answers_status_and_remaining_and_stock_per_item(client):
    session = make_session()
    first = LiveSessionItemFactory(session=session, position=0, quantity_cap=50, quantity_sold=5, variant__stock=30)
    second = LiveSessionItemFactory(session=session, position=1, quantity_cap=10, quantity_sold=0, variant__stock=7)

    response = client.get(stock_url(session))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age=2" in response["Cache-Control"]
    assert response.json() == {
        "status": "live",
        "items": [
            {"variant": first.variant_id, "remaining": 45, "stock": 30},
            {"variant": second.variant_id, "remaining": 10, "stock": 7},
        ],
    }


@pytest.mark.django_db
def test_the_stock_endpoint_follows_sales_and_the_end_of_the_session(client):
    session = make_session()
    item = LiveSessionItemFactory(session=session, quantity_cap=10, quantity_sold=0, variant__stock=20)

    LiveSessionItem.objects.filter(pk=item.pk).update(quantity_sold=10)
    Variant.objects.filter(pk=item.variant_id).update(stock=10)
    LiveSession.objects.filter(pk=session.pk).update(status=ENDED)

    assert client.get(stock_url(session)).json() == {
        "status": "ended",
        "items": [{"variant": item.variant_id, "remaining": 0, "stock": 10}],
    }


@pytest.mark.django_db
def test_the_stock_endpoint_of_a_session_with_nothing_on_sale_answers_an_empty_list(client):
    session = make_session(status=SCHEDULED, starts_in=timedelta(days=1))

    assert client.get(stock_url(session)).json() == {"status": "scheduled", "items": []}


@pytest.mark.django_db
@pytest.mark.parametrize("status", [None, CANCELLED])
def test_the_stock_endpoint_answers_404_json_for_an_unknown_or_cancelled_session(client, status):
    slug = "no-such-session"
    if status:
        slug = make_session(status=status, items=1).slug

    response = client.get(stock_url(slug), headers=EN)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "There is no such live session.", "code": "not_found"}


@pytest.mark.django_db
def test_the_stock_endpoint_is_one_query_whatever_the_number_of_items(client):
    few = make_session(items=2)
    many = make_session(items=8)

    assert query_count(client, stock_url(few)) == query_count(client, stock_url(many)) == 1


@pytest.mark.django_db
def test_the_pages_answer_only_reads(client):
    session = make_session(items=1)

    for url in (reverse("live-session-list"), detail_url(session), stock_url(session)):
        assert client.post(url).status_code == 405


@pytest.mark.django_db
def test_an_ended_sessions_page_shows_its_items_at_their_normal_price(client):
    session = make_session(items=1)
    item = session.items.get()
    LiveSession.objects.filter(pk=session.pk).update(status=ENDED)

    html = item_html(client.get(detail_url(session), headers=EN).content.decode(), item)

    assert f"¥{item.variant.price}" in html
    assert "¥49.00" not in html


@pytest.mark.django_db
def test_a_flash_price_no_longer_below_the_normal_price_is_never_advertised(client):
    session = make_session(items=1)
    item = session.items.get()
    Variant.objects.filter(pk=item.variant_id).update(price=Decimal("45.00"))

    html = item_html(client.get(detail_url(session), headers=EN).content.decode(), item)

    assert "¥45.00" in html
    assert "¥49.00" not in html
    assert "live-flash-price" not in html


@pytest.mark.django_db
def test_a_session_ended_early_shows_when_it_really_ended(client):
    session = make_session(items=1)
    ended_at = session.starts_at + timedelta(minutes=40)
    LiveSession.objects.filter(pk=session.pk).update(status=ENDED, ended_at=ended_at)

    html = client.get(detail_url(session), headers=EN).content.decode()

    # The time alone on the day the session started; with the date when it ended on the next (near midnight).
    same_day = timezone.localtime(ended_at).date() == timezone.localtime(session.starts_at).date()
    with translation.override("en"):
        shown = date_format(timezone.localtime(ended_at), "TIME_FORMAT" if same_day else "SHORT_DATETIME_FORMAT")
    assert f'<time datetime="{timezone.localtime(ended_at).isoformat()}">{shown}</time>' in html
