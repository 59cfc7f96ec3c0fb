"""Stored text in every language: an order placed in one language reads in the reader's own.

Order lines keep the product's, the variant's and the producer's names in Chinese, Uyghur and English;
order events keep what the system says as a msgid with parameters; flash messages too. Each is shown in
the language of the page, the email or the API answer that shows it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, gettext_noop
from rest_framework.test import APIClient

from catalog.models import Variant
from marketplace.flash import PhraseMessagesMixin, decode, flash
from marketplace.models import User
from marketplace.phrases import Phrase
from orders import services
from orders.models import Order, OrderEvent, OrderLine
from orders.services import Contact, Delivery, LineRequest, order_place
from producers.models import Depot, Producer
from tests.factories import (
    DepotFactory,
    MembershipFactory,
    OrderLineFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}
UG = {"accept-language": "ug"}
ZH = {"accept-language": "zh-hans"}


@dataclass
class World:
    depot: Depot
    manager: User
    member: User
    shopper: User
    farm: Producer
    raisins: Variant


@pytest.fixture
def world() -> World:
    home = VillageFactory(slug="tuyoq")
    depot = DepotFactory(
        slug="tuyoq-depot", village=home, name_zh="吐峪沟服务站", name_ug="تۇيوق پونكىتى", name_en="Tuyoq depot"
    )
    manager = UserFactory(username="depot-manager")
    depot.managers.add(manager)
    farm = ProducerFactory(
        slug="tuyoq-vineyard",
        name_zh="吐峪沟葡萄园",
        name_ug="تۇيوق ئۈزۈمزارلىقى",
        name_en="Tuyoq Vineyard",
        original_language="en",
        village=home,
        default_depot=depot,
    )
    member = MembershipFactory(producer=farm, user__username="member", user__email="farmer@example.com").user
    raisins = VariantFactory(
        product__producer=farm,
        product__name_zh="绿葡萄干",
        product__name_ug="يېشىل ئۈزۈم قېقى",
        product__name_en="Green raisins",
        product__original_language="zh",
        name_zh="1公斤袋",
        name_ug="1 كىلولۇق خالتا",
        name_en="1 kg bag",
        price=Decimal("35.00"),
        stock=50,
    )
    return World(
        depot=depot, manager=manager, member=member, shopper=UserFactory(username="aygul"), farm=farm, raisins=raisins
    )


def place_in(language: str, w: World, *, pickup: bool = True) -> Order:
    """An order placed during a request in ``language``."""
    with translation.override(language):
        return order_place(
            shopper=w.shopper,
            contact=Contact(name="Aygül", phone="13800138000", email="aygul@example.com"),
            lines=[LineRequest(variant_id=w.raisins.pk, quantity=2)],
            delivery=Delivery(method="pickup", depot_slug=w.depot.slug),
            payment_method="cod",
        )


def signed_in(user: User, headers: dict) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# Order lines


def test_a_line_keeps_the_names_in_every_language_whatever_the_language_of_checkout(world):
    """Checkout snapshots the product's, the variant's and the producer's names in the three languages."""
    line = place_in("zh-hans", world).lines.get()

    assert line.product_name == "绿葡萄干"  # the buyer's language, as before
    assert line.names["product"] == {
        "zh": "绿葡萄干",
        "ug": "يېشىل ئۈزۈم قېقى",
        "en": "Green raisins",
        "original": "zh",
    }
    assert line.names["variant"] == {"zh": "1公斤袋", "ug": "1 كىلولۇق خالتا", "en": "1 kg bag"}
    assert line.names["producer"]["en"] == "Tuyoq Vineyard"
    for language, product, variant, producer in [
        ("en", "Green raisins", "1 kg bag", "Tuyoq Vineyard"),
        ("ug", "يېشىل ئۈزۈم قېقى", "1 كىلولۇق خالتا", "تۇيوق ئۈزۈمزارلىقى"),
        ("zh-hans", "绿葡萄干", "1公斤袋", "吐峪沟葡萄园"),
    ]:
        with translation.override(language):
            assert (line.localized_product_name, line.localized_variant_name, line.localized_producer_name) == (
                product,
                variant,
                producer,
            )


def test_the_names_are_the_ones_of_checkout_after_the_product_is_renamed(world):
    order = place_in("zh-hans", world)
    world.raisins.product.name_en = "Raisins, renamed"
    world.raisins.product.save()

    with translation.override("en"):
        assert order.lines.get().localized_product_name == "Green raisins"


def test_a_blank_language_falls_back_as_the_catalog_does(world):
    """No Uyghur name: the product's original language (Chinese here), as the storefront shows it; the variant,
    which has no original language, in the first language that has a name."""
    product = world.raisins.product
    product.name_ug = ""
    product.original_language = "en"
    product.save()
    world.raisins.name_ug = ""
    world.raisins.name_zh = ""
    world.raisins.save()
    line = place_in("zh-hans", world).lines.get()

    with translation.override("ug"):
        assert line.localized_product_name == product.name == "Green raisins"
        assert line.localized_variant_name == world.raisins.name == "1 kg bag"


def test_a_line_without_names_shows_the_text_it_was_placed_with():
    line = OrderLineFactory(product_name="无核白葡萄", variant_name="2.5公斤箱", names={})

    with translation.override("en"):
        assert (line.localized_product_name, line.localized_variant_name) == ("无核白葡萄", "2.5公斤箱")
        assert line.localized_producer_name == line.producer_name


def test_the_migration_fills_the_names_of_older_lines_keeping_the_text_the_buyer_saw(world):
    """Lines placed before: every language from their variant now, but the order's own language keeps the
    old snapshot (a product renamed since keeps the name it had in that language)."""
    order = place_in("zh-hans", world)
    OrderLine.objects.filter(order=order).update(names={}, product_name="旧名葡萄干")
    migration = importlib.import_module("orders.migrations.0009_orderline_names_orderevent_note_phrase")

    migration.backfill_names(apps, None)

    line = OrderLine.objects.get(order=order)
    assert line.names["product"]["zh"] == "旧名葡萄干"
    assert line.names["product"]["en"] == "Green raisins"
    assert line.names["variant"]["ug"] == "1 كىلولۇق خالتا"
    with translation.override("en"):
        assert line.localized_product_name == "Green raisins"


def test_english_pages_show_english_names_for_an_order_placed_in_chinese(world):
    order = place_in("zh-hans", world)
    parcel = order.fulfilments.get()
    pages = {
        "shopper's order page": (world.shopper, reverse("order-detail", kwargs={"number": order.number})),
        "depot page": (world.manager, reverse("depot-detail", kwargs={"depot": world.depot.slug})),
        "depot pick list": (world.manager, reverse("depot-pick-list", kwargs={"depot": world.depot.slug})),
        "producer's parcels": (world.member, reverse("dashboard-orders", kwargs={"producer": world.farm.slug})),
        "packing slip": (
            world.member,
            reverse("dashboard-packing-slip", kwargs={"producer": world.farm.slug, "pk": parcel.pk}),
        ),
    }
    for name, (user, url) in pages.items():
        html = page(signed_in(user, EN), url)
        assert "Green raisins" in html, name
        assert "1 kg bag" in html, name
        assert "绿葡萄干" not in html, name
        html = page(signed_in(user, UG), url)
        assert "يېشىل ئۈزۈم قېقى" in html, name
        assert "绿葡萄干" not in html and "Green raisins" not in html, name


def test_the_producers_csv_names_the_goods_in_the_readers_language(world):
    place_in("zh-hans", world)
    response = signed_in(world.member, EN).get(reverse("dashboard-orders-csv", kwargs={"producer": world.farm.slug}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")

    assert "Green raisins" in text and "绿葡萄干" not in text


def test_the_producers_email_names_the_goods_in_its_language(world, mailoutbox, django_capture_on_commit_callbacks):
    """The vineyard writes in English: its email of an order placed in Chinese names the goods in English."""
    with django_capture_on_commit_callbacks(execute=True):
        place_in("zh-hans", world)

    email = next(message for message in mailoutbox if "farmer@example.com" in message.to)
    assert "Green raisins · 1 kg bag" in email.body
    assert "绿葡萄干" not in email.body
    shopper = next(message for message in mailoutbox if "aygul@example.com" in message.to)
    assert "绿葡萄干 · 1公斤袋" in shopper.body  # the shopper reads in the language of their checkout


def test_the_api_answers_the_names_in_the_requests_language(world):
    order = place_in("zh-hans", world)
    client = APIClient()
    client.force_authenticate(world.shopper)
    url = reverse("api-order-detail", kwargs={"number": order.number})

    english = client.get(url, headers=EN).json()["lines"][0]
    uyghur = client.get(url, headers=UG).json()["lines"][0]

    assert (english["product_name"], english["variant_name"], english["producer_name"]) == (
        "Green raisins",
        "1 kg bag",
        "Tuyoq Vineyard",
    )
    assert uyghur["product_name"] == "يېشىل ئۈزۈم قېقى"


# Order events


def test_an_event_note_written_in_chinese_reads_in_english(world):
    order = place_in("zh-hans", world)
    with translation.override("zh-hans"):
        services.parcel_receive_at_depot(fulfilment=order.fulfilments.get(), depot=world.depot, actor=world.manager)
    event = OrderEvent.objects.filter(order=order).exclude(note_phrase=None).get()

    assert event.note == ""
    assert event.note_phrase == {
        "msgid": "Received at %(depot)s.",
        "params": {
            "depot": {"names": {"zh": "吐峪沟服务站", "ug": "تۇيوق پونكىتى", "en": "Tuyoq depot", "original": "zh"}}
        },
    }
    with translation.override("en"):
        assert event.note_text == "Received at Tuyoq depot."
    html = page(signed_in(world.shopper, EN), reverse("order-detail", kwargs={"number": order.number}))
    assert "Received at Tuyoq depot." in html
    assert "吐峪沟服务站" not in html


def test_a_cancellation_by_the_shopper_reads_in_the_readers_language(world):
    order = place_in("zh-hans", world)
    signed_in(world.shopper, ZH).post(reverse("order-cancel", kwargs={"number": order.number}))
    event = OrderEvent.objects.get(order=order, to_status=Order.Status.CANCELLED)

    with translation.override("en"):
        assert event.note_text == "By the shopper."
    with translation.override("zh-hans"):
        assert event.note_text == translation.gettext("By the shopper.") != "By the shopper."


def test_a_translatable_parameter_is_translated_when_shown():
    """A status's label given as a parameter is kept as its msgid, not as the writer's words."""
    with translation.override("zh-hans"):
        phrase = Phrase(
            gettext_noop("Payment arrived after the order was %(status)s; it was refunded."),
            status=Order.Status.CANCELLED.label,
        )
    assert phrase.as_json()["params"] == {"status": {"msgid": "Cancelled"}}
    assert phrase.text("en") == "Payment arrived after the order was Cancelled; it was refunded."
    assert "Cancelled" not in phrase.text("zh-hans")


def test_old_events_keep_their_stored_text(world):
    order = place_in("zh-hans", world)
    event = OrderEvent.objects.create(order=order, to_status=order.status, note="未按时付款。")

    with translation.override("en"):
        assert event.note_text == "未按时付款。"


def test_a_typed_reason_is_kept_as_typed(world):
    order = place_in("zh-hans", world)
    services.order_cancel(order=order, actor=world.manager, reason="The shopper phoned.")

    event = OrderEvent.objects.get(order=order, to_status=Order.Status.CANCELLED)
    assert (event.note, event.note_phrase) == ("The shopper phoned.", None)


# Flash messages


def test_a_flash_message_added_in_chinese_shows_in_english_after_switching(world):
    """The depot receives a parcel on a Chinese page; the next page, in English, says so in English, naming the
    producer by its English name."""
    order = place_in("zh-hans", world)
    parcel = order.fulfilments.get()
    client = signed_in(world.manager, ZH)
    client.post(reverse("depot-parcel-receive", kwargs={"depot": world.depot.slug}), {"parcel": parcel.pk})

    response = client.get(reverse("depot-detail", kwargs={"depot": world.depot.slug}), headers=EN)
    assert response["Content-Language"] == "en"
    html = response.content.decode()

    with translation.override("en"):
        expected = f"Parcel of order {order.number} from Tuyoq Vineyard received."
    assert expected in html.replace("\u2068", "").replace("\u2069", "")
    assert "吐峪沟葡萄园" not in html


@pytest.mark.parametrize("storage_class", [CookieStorage, SessionStorage])
def test_a_phrase_message_survives_the_cookie_and_the_session_storage(storage_class, client):
    """Lazy parameters and named things are stored as data, not forced in the writer's language."""

    class Storage(PhraseMessagesMixin, storage_class):
        pass

    request = RequestFactory().get("/")
    request.session = client.session
    storage = Storage(request)
    with translation.override("zh-hans"):
        storage.add(
            messages.SUCCESS,
            Phrase(gettext_noop("%(name)s is on sale."), name=gettext_lazy("Cancelled")),
        )
    response = HttpResponse()
    storage.update(response)

    later = RequestFactory().get("/")
    later.session = request.session
    if storage_class is CookieStorage:
        later.COOKIES[CookieStorage.cookie_name] = response.cookies[CookieStorage.cookie_name].value
    shown = Storage(later)
    with translation.override("en"):
        assert [str(message) for message in shown] == ["Cancelled is on sale."]


def test_flash_stores_a_phrase_and_plain_text_stays_plain(rf, client):
    request = rf.get("/")
    request.session = client.session
    request._messages = type("S", (PhraseMessagesMixin, SessionStorage), {})(request)
    flash(request, messages.INFO, gettext_noop("Your cart is empty."))
    messages.info(request, "Typed text")

    stored = [message.message for message in request._messages._queued_messages]
    assert decode(stored[0]) == Phrase(gettext_noop("Your cart is empty."))
    assert stored[1] == "Typed text"
    with translation.override("en"):
        assert [str(message) for message in request._messages] == ["Your cart is empty.", "Typed text"]


def test_the_admin_order_page_shows_names_and_notes_in_the_staff_members_language(world):
    order = place_in("zh-hans", world)
    with translation.override("zh-hans"):
        services.parcel_receive_at_depot(fulfilment=order.fulfilments.get(), depot=world.depot, actor=world.manager)
    staff = UserFactory(username="staff", is_staff=True, is_superuser=True)

    html = page(signed_in(staff, EN), reverse("admin:orders_order_change", args=[order.pk]))

    assert "Green raisins" in html and "1 kg bag" in html
    assert "Received at Tuyoq depot." in html
    assert "绿葡萄干" not in html and "吐峪沟服务站" not in html
