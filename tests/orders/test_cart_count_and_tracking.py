"""The header's cart count, right for each visitor on the shared cached pages, and tracking numbers linked to
their carrier's own tracking page on the order page and in the shipping email."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from marketplace.page_cache import HEADER
from orders import services
from orders.models import CartLine, Fulfilment
from orders.tracking import tracking_url
from tests.factories import UserFactory
from tests.orders.conftest import CONTACT, place, ship

EN = {"accept-language": "en"}
BADGE = re.compile(r'<span class="cart-count" aria-hidden="true">(\d+)</span>')


def count_shown(response) -> int | None:
    """The number on the header's cart link, None when it shows none."""
    found = BADGE.findall(response.content.decode())
    assert len(found) <= 1
    return int(found[0]) if found else None


def add(client: Client, variant, quantity) -> None:
    client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": quantity}, headers=EN)


# The cart count


@pytest.mark.django_db(transaction=True)
def test_each_visitor_sees_their_own_count_on_the_shared_cached_pages(shop):
    """One visitor's count never reaches another's copy of a cached page, whoever renders the copy first."""
    first, second = Client(), Client()
    add(first, shop.grapes, 2)
    add(first, shop.raisins, 1)
    product = shop.grapes.product.get_absolute_url()

    for path in (product, reverse("product-list"), reverse("home")):
        theirs = first.get(path, headers=EN)  # the first request renders the shared copy
        others = second.get(path, headers=EN)
        assert (theirs[HEADER], others[HEADER]) == ("miss", "hit"), path
        assert count_shown(theirs) == 3, path
        assert 'aria-label="Cart, 3 items"' in theirs.content.decode()
        assert count_shown(others) is None, path
        assert "Cart, 3 items" not in others.content.decode()

    add(second, shop.melon, 1)
    assert count_shown(second.get(product, headers=EN)) == 1
    assert 'aria-label="Cart, 1 item"' in second.get(product, headers=EN).content.decode()
    assert count_shown(first.get(product, headers=EN)) == 3


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_shopper_sees_their_accounts_count_and_the_anonymous_copy_stays_empty(shop):
    shopper = UserFactory(username="aygul")
    signed_in = Client()
    signed_in.force_login(shopper)
    add(signed_in, shop.melon, 4)
    product = shop.melon.product.get_absolute_url()

    theirs = signed_in.get(product, headers=EN)
    anonymous = Client().get(product, headers=EN)

    assert (theirs[HEADER], anonymous[HEADER]) == ("miss", "hit")
    assert (count_shown(theirs), count_shown(anonymous)) == (4, None)


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_costs_no_query_for_a_guest_without_a_cart_and_one_more_for_a_cart(
    shop, django_assert_num_queries
):
    product = shop.grapes.product.get_absolute_url()
    guest, buyer = Client(), Client()
    add(buyer, shop.grapes, 1)
    guest.get(product, headers=EN)

    with django_assert_num_queries(0):
        assert count_shown(guest.get(product, headers=EN)) is None
    with django_assert_num_queries(2):  # the visitor's session (its messages need it too) and the count
        assert count_shown(buyer.get(product, headers=EN)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_count_follows_the_cart_page_and_a_refused_add_changes_nothing(client, shop):
    add(client, shop.grapes, 2)
    product = shop.grapes.product.get_absolute_url()
    assert count_shown(client.get(product, headers=EN)) == 2

    refused = client.post(reverse("cart-add"), {"variant": shop.grapes.pk, "quantity": 0}, headers=EN, follow=True)
    assert "greater than or equal to 1" in refused.content.decode()
    assert count_shown(refused) == 2
    sold_out = client.post(reverse("cart-add"), {"variant": shop.melon.pk, "quantity": 6}, headers=EN, follow=True)
    assert "Only 5 of" in sold_out.content.decode()
    assert count_shown(sold_out) == 2

    client.post(reverse("cart-update"), {"variant": shop.grapes.pk, "quantity": 5}, headers=EN)
    assert count_shown(client.get(reverse("cart"), headers=EN)) == 5
    assert count_shown(client.get(product, headers=EN)) == 5
    client.post(reverse("cart-update"), {"variant": shop.grapes.pk, "quantity": 0}, headers=EN)
    assert count_shown(client.get(product, headers=EN)) is None
    assert not CartLine.objects.exists()


# Tracking links


@pytest.mark.parametrize(
    ("carrier", "number", "url"),
    [
        ("顺丰速运", "SF1234567890123", "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890123"),
        (
            "SF Express Co., Ltd.",
            "SF1234567890",
            "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890",
        ),
        ("", "sf1234567890123", "https://www.sf-express.com/chn/sc/waybill/waybill-detail/sf1234567890123"),
        ("中国邮政 EMS", "1100123456789", "https://www.ems.com.cn/queryList?mailNum=1100123456789"),
        ("China Post", "1100123456789", "https://www.ems.com.cn/queryList?mailNum=1100123456789"),
        ("中通快递", "731099727432", "https://www.zto.com/express/expressCheck.html?txtBill=731099727432"),
        ("YTO", "YT1234567890123", "https://www.yto.net.cn/Service/Search?wbno=YT1234567890123"),
        ("申通", "773012345678", "https://www.sto.cn/chaxun/index.html?bills=773012345678"),
        ("韵达快递", "4312345678901", "https://www.yundaex.com/cn/index.php?moduleName=Track&number=4312345678901"),
        ("京东物流", "JDVA01234567890", "https://www.jdl.com/orderSearch/?waybillCodes=JDVA01234567890"),
        ("百世快递", "55123456789", "https://www.jtexpress.com.cn/trajectoryQuery?waybillNo=55123456789"),
        ("J&T Express", "JT0001234567890", "https://www.jtexpress.com.cn/trajectoryQuery?waybillNo=JT0001234567890"),
        # The number is one path segment or one parameter value, whatever it holds.
        ("中通", " 73 10/99?x=1 ", "https://www.zto.com/express/expressCheck.html?txtBill=73%2010%2F99%3Fx%3D1"),
        ("DHL", "SF1234567890123", None),  # a carrier named and not known: no guess from the number
        ("村里的拖拉机", "123", None),
        ("快递", "123", None),
        ("", "123456", None),
        ("顺丰", "", None),
    ],
)
def test_known_carriers_in_chinese_or_english_get_their_tracking_page(carrier, number, url):
    assert tracking_url(carrier, number) == url


def shipped_parcel(shop, *, carrier: str, number: str, mail=None):
    """An order of a signed-in shopper, its one parcel shipped with this carrier and number."""
    shopper = UserFactory(username=f"buyer-{number}")
    with translation.override("en"):
        order = place(shop, {shop.grapes: 1}, delivery=ship(), shopper=shopper)
    parcel = order.fulfilments.get()
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)
    if mail is None:
        services.fulfilment_transition(
            fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number=number, carrier=carrier
        )
    else:
        with mail(execute=True):
            services.fulfilment_transition(
                fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number=number, carrier=carrier
            )
    return order


def order_page(client: Client, order, lang: str = "en") -> str:
    client.force_login(order.shopper)
    response = client.get(reverse("order-detail", kwargs={"number": order.number}), headers={"accept-language": lang})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_order_page_links_a_known_carriers_number_to_its_tracking_page_in_a_new_tab(client, shop):
    order = shipped_parcel(shop, carrier="顺丰", number="SF1234567890123")

    body = order_page(client, order)

    link = re.search(
        r'<a class="tracking-link" href="([^"]+)" target="_blank" rel="noopener noreferrer">(.*?)</a>', body
    )
    assert link[1] == "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890123"
    assert re.sub(r"<[^>]+>", "", link[2]) == (
        "SF1234567890123 (tracking on the SF Express website, opens in a new tab)"
    )
    assert "Tracking number: " in body
    assert "顺丰速运" in order_page(client, order, "zh-hans")  # the carrier as Chinese shoppers know it


@pytest.mark.django_db
def test_an_unknown_carriers_number_is_plain_text_and_markup_in_it_stays_text(client, shop):
    order = shipped_parcel(shop, carrier="Village tractor", number="<b>42</b>")

    body = order_page(client, order)

    assert re.search(r"Tracking number: (<bdi>)?&lt;b&gt;42&lt;/b&gt;", body)
    assert "tracking-link" not in body and "<b>42" not in body


@pytest.mark.django_db
def test_the_shipping_email_gives_the_carriers_tracking_page_when_it_is_known(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    shipped_parcel(shop, carrier="中通快递", number="731099727432", mail=django_capture_on_commit_callbacks)
    shipped_parcel(shop, carrier="Village tractor", number="42", mail=django_capture_on_commit_callbacks)

    # Without the marks that keep the number's direction in a right-to-left text (marketplace/bidi.py).
    known, unknown = (
        re.sub("[\u2066-\u2069]", "", message.body) for message in mailoutbox if CONTACT.email in message.to
    )
    assert "Tracking number: 731099727432\n" in known
    assert (
        "Follow it on the carrier’s website:\nhttps://www.zto.com/express/expressCheck.html?txtBill=731099727432\n"
        in known
    )
    assert "Tracking number: 42" in unknown and "carrier’s website" not in unknown
