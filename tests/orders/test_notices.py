"""Who hears what about an order (docs/architecture.md, "Who hears what"), through the inbox, SMS and email.

Each row of the table reaches each role it lists through the on-site inbox, read in the reader's language.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from catalog.models import Variant
from marketplace.models import User
from notifications import sms
from notifications.models import Notice, OutboxMessage
from orders import services
from orders.models import Fulfilment, Order
from orders.services import Contact, Delivery, LineRequest, order_place
from producers.models import Depot, Producer
from tests.factories import (
    DepotFactory,
    MembershipFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)
from tests.orders.test_notifications import pay

pytestmark = pytest.mark.django_db

PHONE = "13800138000"


@dataclass
class Place:
    depot: Depot
    manager: User
    far_manager: User
    member: User
    shopper: User
    household: Producer  # no members: sells through the depot
    farm: Producer
    raisins: Variant
    grapes: Variant


@pytest.fixture
def place_() -> Place:
    home = VillageFactory(slug="tuyuq")
    depot = DepotFactory(
        slug="tuyuq-depot", village=home, name_zh="吐峪沟服务站", name_ug="تۇيۇق پونكىتى", name_en="Tuyuq depot"
    )
    far_depot = DepotFactory(slug="far-depot")
    manager = UserFactory(username="manager", phone="13900000001")
    far_manager = UserFactory(username="far-manager")
    depot.managers.add(manager)
    far_depot.managers.add(far_manager)
    household = ProducerFactory(
        slug="ismayil-ata",
        name_zh="伊斯马伊力爷爷葡萄干",
        name_ug="ئىسمايىل ئاتا",
        name_en="Grandpa Ismayil's Raisins",
        village=home,
        default_depot=depot,
        sells_through_depot=True,
    )
    farm = ProducerFactory(slug="vineyard", name_en="Abdukerim's Vineyard", village=home, default_depot=depot)
    member = MembershipFactory(producer=farm, user__username="member").user
    return Place(
        depot=depot,
        manager=manager,
        far_manager=far_manager,
        member=member,
        shopper=UserFactory(username="shopper", email="", phone=""),
        household=household,
        farm=farm,
        raisins=VariantFactory(product__producer=household, name_en="1 kg", price=Decimal("40.00"), stock=50),
        grapes=VariantFactory(product__producer=farm, name_en="2 kg", price=Decimal("30.00"), stock=50),
    )


def order(p: Place, *variants: Variant, shopper=None, email="", payment="cod", pickup=True, language="zh-hans"):
    delivery = Delivery(method="pickup", depot_slug=p.depot.slug)
    if not pickup:
        delivery = Delivery(
            method="ship",
            address=services.Address(
                recipient="Li Wei", phone="13900001111", province="浙江省", city="杭州市", street="1"
            ),
        )
    with translation.override(language):
        return order_place(
            shopper=shopper,
            contact=Contact(name="Gulnar", phone=PHONE, email=email),
            lines=[LineRequest(variant_id=v.pk, quantity=1) for v in variants],
            delivery=delivery,
            payment_method=payment,
        )


def inbox_text(user: User, language: str) -> str:
    """The user's inbox page as they read it in ``language``, as plain text."""
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    response = client.get("/inbox/")
    assert response.status_code == 200
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def codes(user: User) -> list[str]:
    return list(Notice.objects.filter(user=user).values_list("code", flat=True))


def test_a_guest_pickup_order_for_a_household_without_members_reaches_its_depot_manager(
    place_, mailoutbox, django_capture_on_commit_callbacks
):
    """The case of the issue: nobody heard of it. Now the depot's manager has it in the inbox, in Chinese or
    Uyghur, and by email; a manager of another village's depot hears nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        placed = order(place_, place_.raisins)

    assert codes(place_.manager) == ["orders.new_order"]
    assert codes(place_.far_manager) == []
    assert User.objects.get(pk=place_.manager.pk).unread_notices == 1
    chinese = inbox_text(place_.manager, "zh-hans")
    assert f"新订单 {placed.number}" in chinese and "伊斯马伊力爷爷葡萄干" in chinese
    uyghur = inbox_text(place_.manager, "ug")
    assert placed.number in uyghur and "ئىسمايىل ئاتا" in uyghur
    assert [m.to for m in mailoutbox if place_.manager.email in m.to], "the depot manager is emailed too"
    notice = Notice.objects.get(user=place_.manager)
    assert notice.link == f"/dashboard/{place_.household.slug}/orders/"


def test_new_order_to_pack_reaches_the_producers_members_once_it_can_be_packed(
    place_, django_capture_on_commit_callbacks
):
    """Cash on delivery at once; an online order only once paid."""
    with django_capture_on_commit_callbacks(execute=True):
        order(place_, place_.grapes)
    assert codes(place_.member) == ["orders.new_order"]
    assert "Abdukerim's Vineyard" in inbox_text(place_.member, "en")

    with django_capture_on_commit_callbacks(execute=True):
        online = order(place_, place_.grapes, payment="online")
    assert codes(place_.member) == ["orders.new_order"]
    with django_capture_on_commit_callbacks(execute=True):
        pay(online)
    assert codes(place_.member) == ["orders.new_order", "orders.new_order"]
    assert codes(place_.manager) == [], "the farm has members of its own: its depot's manager is not told"


def test_a_pickup_parcel_received_at_the_depot_is_ready_to_collect_with_the_pickup_code(
    place_, mailoutbox, django_capture_on_commit_callbacks
):
    """Not "on its way": its own words, with the pickup code, in the inbox, by SMS and by email."""
    sms.sent.clear()
    place_.shopper.email = "shopper@example.com"
    place_.shopper.save()
    with django_capture_on_commit_callbacks(execute=True):
        placed = order(place_, place_.grapes, shopper=place_.shopper, email="gulnar@example.com", language="ug")
    parcel = placed.fulfilments.get()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.parcel_receive_at_depot(fulfilment=parcel, depot=place_.depot, actor=place_.manager)

    assert codes(place_.shopper) == ["orders.ready"]
    chinese = inbox_text(place_.shopper, "zh-hans")
    assert placed.pickup_code in chinese and "吐峪沟服务站" in chinese
    assert "可以取货" in chinese
    uyghur = inbox_text(place_.shopper, "ug")
    assert placed.pickup_code in uyghur and "تۇيۇق پونكىتى" in uyghur
    assert [phone for phone, _text in sms.sent] == [PHONE]
    assert placed.pickup_code in sms.sent[0][1]
    assert [m.to for m in mailoutbox] == [["gulnar@example.com"]]
    assert placed.pickup_code in mailoutbox[0].body
    assert not any("on its way" in m.subject or "在路上" in m.subject for m in mailoutbox)


def test_a_guest_without_an_email_hears_by_sms(place_, mailoutbox, django_capture_on_commit_callbacks):
    sms.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        placed = order(place_, place_.grapes, language="en")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.parcel_receive_at_depot(fulfilment=placed.fulfilments.get(), depot=place_.depot, actor=None)

    assert len(sms.sent) == 1
    phone, text = sms.sent[0]
    assert phone == PHONE
    assert "ready to collect" in text and placed.pickup_code in text
    assert f"token={placed.guest_token}" in text, "a guest's only way back is the order's secret link"
    assert mailoutbox == []
    assert not Notice.objects.filter(code="orders.ready").exists()


def test_a_shipped_parcel_tells_the_shopper_its_tracking_number_and_carrier_link(
    place_, django_capture_on_commit_callbacks
):
    sms.sent.clear()
    placed = order(place_, place_.grapes, shopper=place_.shopper, pickup=False, language="en")
    parcel = placed.fulfilments.get()
    services.fulfilment_transition(fulfilment=parcel, to=Fulfilment.Status.PACKED, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.fulfilment_transition(
            fulfilment=parcel, to=Fulfilment.Status.SHIPPED, actor=None, tracking_number="SF1234567890", carrier="顺丰"
        )

    notice = Notice.objects.get(user=place_.shopper)
    assert notice.code == "orders.shipped"
    assert notice.link == "https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890"
    english = inbox_text(place_.shopper, "en")
    assert "SF Express SF1234567890" in english
    assert "顺丰速运 SF1234567890" in inbox_text(place_.shopper, "zh-hans")
    assert "SF1234567890" in sms.sent[-1][1] and "sf-express.com" in sms.sent[-1][1]


def test_refunds_tell_the_shopper(place_, django_capture_on_commit_callbacks):
    """A paid order cancelled, and a completed order refunded in full: "refunded" with the amount."""
    placed = order(place_, place_.grapes, shopper=place_.shopper, payment="online", language="en")
    pay(placed)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=placed, actor=place_.shopper)
    assert codes(place_.shopper) == ["orders.refunded"]
    assert "30.00" in inbox_text(place_.shopper, "en")


def test_a_full_refund_tells_the_shopper(place_, django_capture_on_commit_callbacks):
    placed = order(place_, place_.grapes, shopper=place_.shopper, pickup=False, language="en")
    parcel = placed.fulfilments.get()
    for step in (Fulfilment.Status.PACKED, Fulfilment.Status.SHIPPED, Fulfilment.Status.DELIVERED):
        services.fulfilment_transition(fulfilment=parcel, to=step, actor=None, tracking_number="SF1234567890")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund(order=Order.objects.get(pk=placed.pk), actor=UserFactory(is_staff=True))
    assert codes(place_.shopper) == ["orders.refunded"]
    text = inbox_text(place_.shopper, "zh-hans")
    assert placed.number in text and "退款" in text


def test_nothing_is_sent_when_the_transaction_rolls_back(place_, mailoutbox, django_capture_on_commit_callbacks):
    sms.sent.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        order(place_, place_.raisins)
        raise RuntimeError("the request failed")
    assert not Notice.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mailoutbox == [] and sms.sent == []


def test_a_partial_refund_of_a_parcel_tells_the_shopper_its_amount(place_, django_capture_on_commit_callbacks):
    sms.sent.clear()
    placed = order(place_, place_.grapes, place_.raisins, shopper=place_.shopper, payment="online", language="en")
    pay(placed)
    parcel = placed.fulfilments.get(producer=place_.farm)
    with django_capture_on_commit_callbacks(execute=True):
        services.parcel_refund(
            fulfilment=parcel, amount="12.50", reason="Bruised grapes", actor=UserFactory(is_staff=True)
        )
    assert codes(place_.shopper) == ["orders.refunded"]
    text = inbox_text(place_.shopper, "en")
    assert placed.number in text and "¥12.50 is refunded to the account you paid from" in text
    assert sms.sent[-1][0] == PHONE and "12.50" in sms.sent[-1][1]
