"""The notices service (notifications/notices.py) and the inbox every signed-in role reads.

The order notices have their own tests (tests/orders/test_notices.py); here: the channels, the inbox page and
the header's bell, and the rows of "Who hears what" that belong to producers and live selling.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import translation

from live import services as live_services
from marketplace.models import User
from notifications import notices, sms
from notifications.models import Notice, OutboxMessage
from notifications.notices import Recipient, notice_send
from producers.models import ProducerMembership
from producers.services import producer_verify
from tests.factories import (
    DepotFactory,
    HostFactory,
    LiveSessionFactory,
    MembershipFactory,
    ProducerFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

REFUNDED = "orders.refunded"  # a registered wording: "Order %(number)s: %(amount)s is refunded …"


def plain(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def signed_in(user: User, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def send(user: User, number: str = "OM1", **kwargs) -> None:
    with transaction.atomic():
        notice_send(
            code=REFUNDED,
            params={"number": number, "amount": "¥5.00"},
            link="/orders/",
            recipients=[Recipient(user_id=user.pk, **kwargs)],
            channels=["inbox", *(["email"] if kwargs.get("email") else []), *(["sms"] if kwargs.get("phone") else [])],
        )


def test_each_channel_is_a_message_of_its_own_and_a_failing_one_is_retried_alone(
    settings, django_capture_on_commit_callbacks
):
    """Email and SMS are separate outbox messages: the SMS provider down does not resend the email."""
    user = UserFactory()
    sms.sent.clear()
    settings.SMS_SENDER = "tests.notifications.test_notices.DownSender"
    with django_capture_on_commit_callbacks(execute=True):
        send(user, email="a@example.com", phone="13800138000", language="zh-hans")

    assert Notice.objects.filter(user=user).count() == 1
    assert [m.to for m in mail.outbox] == [["a@example.com"]]
    assert "已退款" in mail.outbox[0].subject
    email_row = OutboxMessage.objects.get(handler=notices.EMAIL_HANDLER)
    sms_row = OutboxMessage.objects.get(handler=notices.SMS_HANDLER)
    assert email_row.sent_at is not None
    assert sms_row.sent_at is None and "provider down" in sms_row.last_error

    settings.SMS_SENDER = "notifications.sms.ConsoleSender"
    from notifications.services import outbox_deliver

    assert outbox_deliver(message_id=sms_row.pk)
    assert len(mail.outbox) == 1, "the email was not sent again"
    assert sms.sent[-1][0] == "13800138000" and "已退款" in sms.sent[-1][1]


class DownSender:
    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("provider down")


@pytest.mark.django_db(transaction=True)
def test_a_notice_is_refused_outside_a_transaction_or_with_an_unknown_code():
    user = UserFactory()
    with pytest.raises(RuntimeError):
        notice_send(code=REFUNDED, params={}, link="", recipients=[Recipient(user_id=user.pk)])
    with transaction.atomic(), pytest.raises(ValueError, match="Unknown notice code"):
        notice_send(code="nobody.knows", params={}, link="", recipients=[Recipient(user_id=user.pk)])
    assert not Notice.objects.exists()


def test_nothing_is_written_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notice_send(
            code=REFUNDED, params={"number": "1", "amount": "2"}, link="", recipients=[Recipient(user_id=user.pk)]
        )
        raise RuntimeError("rolled back")
    assert not Notice.objects.exists()
    assert User.objects.get(pk=user.pk).unread_notices == 0


def test_the_inbox_lists_the_notices_newest_first_in_the_readers_language_and_marks_them_read():
    user = UserFactory()
    send(user, number="OM-FIRST")
    send(user, number="OM-SECOND")
    user.refresh_from_db()
    assert user.unread_notices == 2

    response = signed_in(user, "zh-hans").get("/inbox/")
    text = plain(response)
    assert text.index("OM-SECOND") < text.index("OM-FIRST")
    assert "订单 <bdi>OM-SECOND</bdi>：<bdi>¥5.00</bdi> 已退款至您的付款账户。" in response.content.decode()
    assert text.count("新 ") >= 2, "shown as new this once"
    assert User.objects.get(pk=user.pk).unread_notices == 0
    assert not Notice.objects.filter(user=user, read_at__isnull=True).exists()
    uyghur = plain(signed_in(user, "ug").get("/inbox/"))
    assert "OM-FIRST نومۇرلۇق زاكاز" in uyghur


def test_the_bell_shows_the_unread_count_without_a_query_of_its_own(django_assert_num_queries):
    user = UserFactory()
    send(user)
    send(user)
    client = signed_in(user)
    page = client.get("/orders/").content.decode()
    assert '<span class="inbox-count" aria-hidden="true">2</span>' in page
    assert 'aria-label="Notices, 2 unread"' in page
    client.get("/inbox/")
    page = client.get("/orders/").content.decode()
    assert 'class="inbox-link"' in page and "inbox-count" not in page


def test_the_bell_is_never_shared_between_visitors_of_a_cached_page(settings):
    """The home page comes from the shared cache: each signed-in visitor sees their own count, a visitor none."""
    settings.PAGE_CACHE_SECONDS = 30
    reader, other = UserFactory(), UserFactory()
    send(reader)
    send(reader)
    send(reader)
    assert '<span class="inbox-count" aria-hidden="true">3</span>' in signed_in(reader).get("/").content.decode()
    other_page = signed_in(other).get("/").content.decode()
    assert 'class="inbox-link"' in other_page and "inbox-count" not in other_page
    anonymous = Client().get("/").content.decode()
    assert "inbox-link" not in anonymous


def test_opening_a_notice_marks_it_read_and_follows_its_link():
    user = UserFactory()
    send(user)
    notice = Notice.objects.get(user=user)
    response = signed_in(user).get(f"/inbox/{notice.pk}/")
    assert response.status_code == 302 and response["Location"] == "/orders/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert User.objects.get(pk=user.pk).unread_notices == 0


def test_another_users_notice_is_not_found_and_stays_unread():
    owner, intruder = UserFactory(), UserFactory()
    send(owner, number="OM-SECRET")
    notice = Notice.objects.get(user=owner)
    client = signed_in(intruder)
    assert client.get(f"/inbox/{notice.pk}/").status_code == 404
    assert "OM-SECRET" not in client.get("/inbox/").content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read():
    user = UserFactory()
    for number in ("A", "B", "C"):
        send(user, number=number)
    client = signed_in(user)
    assert client.get("/inbox/read/").status_code == 405
    response = client.post("/inbox/read/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert not Notice.objects.filter(read_at__isnull=True).exists()
    assert User.objects.get(pk=user.pk).unread_notices == 0


def test_the_inbox_is_paginated():
    user = UserFactory()
    for number in range(25):
        send(user, number=f"N{number:02d}")
    first = plain(signed_in(user).get("/inbox/"))
    assert "N24" in first and "N05" in first and "N04" not in first
    second = plain(signed_in(user).get("/inbox/?page=2"))
    assert "N04" in second and "N00" in second


def test_a_visitor_is_sent_to_sign_in():
    response = Client().get("/inbox/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_verifying_a_producer_tells_its_owners_in_their_inbox_by_email_and_sms(django_capture_on_commit_callbacks):
    producer = ProducerFactory(
        is_verified=False, verified_at=None, name_zh="阿依古丽果园", name_ug="ئايگۈل باغ", original_language="ug"
    )
    owner = MembershipFactory(
        producer=producer, role=ProducerMembership.Role.OWNER, user__phone="13900000002", user__email="o@example.com"
    ).user
    sms.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        producer_verify(producer=producer, actor=UserFactory(is_staff=True))

    assert list(Notice.objects.filter(user=owner).values_list("code", flat=True)) == ["producers.verified"]
    assert "阿依古丽果园 已通过审核" in plain(signed_in(owner, "zh-hans").get("/inbox/"))
    assert "ئايگۈل باغ" in mail.outbox[-1].subject, "emailed in the language it applied in"
    assert sms.sent[-1][0] == "13900000002"


def test_a_proposed_live_item_reaches_the_producers_members_and_its_depot_managers(django_capture_on_commit_callbacks):
    home = VillageFactory()
    manager = UserFactory()
    DepotFactory(village=home).managers.add(manager)
    household = ProducerFactory(village=home, sells_through_depot=True, name_en="Grandpa Ismayil")
    member = MembershipFactory(producer=household).user
    variant = VariantFactory(
        product__producer=household, product__name_en="Raisins", name_en="1 kg", price=Decimal("40")
    )
    host = HostFactory(display_name="Dilnur")
    session = LiveSessionFactory(host=host, name_en="Harvest night")
    with django_capture_on_commit_callbacks(execute=True):
        live_services.item_feature(
            session=session,
            actor=host.user,
            variant_id=variant.pk,
            flash_price="30.00",
            quantity_cap=10,
            per_shopper_limit=2,
        )
    for reader in (member, manager):
        assert list(Notice.objects.filter(user=reader).values_list("code", flat=True)) == ["live.proposed"]
        text = plain(signed_in(reader, "en").get("/inbox/"))
        assert "Dilnur proposes Raisins · 1 kg at ¥30.00 in the live session Harvest night" in text
    assert Notice.objects.get(user=manager).link == f"/dashboard/{household.slug}/live/"
    with translation.override("zh-hans"):
        assert "直播" in notices.notice_text("live.proposed", Notice.objects.get(user=manager).params)


def test_staff_see_their_unread_count_in_the_admin_too():
    staff = UserFactory(is_staff=True, is_superuser=True)
    send(staff)
    send(staff)
    page = signed_in(staff).get("/admin/").content.decode()
    assert '<a class="inbox-link" href="/inbox/">Notices (<bdi>2</bdi>)</a>' in page
