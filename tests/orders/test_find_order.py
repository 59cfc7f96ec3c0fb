"""A guest's way back to an order: /orders/find/ with the number, the phone and a texted code; the order page's
"keep this link" note and its send-by-SMS and send-by-email buttons; a signed-out owner asked to sign in."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from marketplace import rate_limits
from notifications import sms
from notifications.models import OneTimeCode, OutboxMessage
from orders.models import Order
from orders.notifications import link_sms_text
from orders.services import Contact, LineRequest, order_place
from tests.factories import UserFactory
from tests.orders.conftest import CONTACT, pickup, place

EN = {"accept-language": "en"}
UG = {"accept-language": "ug"}
PHONE = CONTACT.phone  # 13800138000, the phone of every order placed by ``place``
FIND, CODE = reverse("order-find"), reverse("order-find-code")
SAME_ANSWER = (
    "If an order with number <bdi>{number}</bdi> and phone <bdi>{phone}</bdi> exists, "
    "we sent a code to that phone by SMS."
)
WRONG_CODE = "This code is wrong or has expired. Check the SMS, or ask for a new code."
KEEP = "Keep this link: it is the only way back to your order without an account."


@pytest.fixture(autouse=True)
def fresh(db):
    rate_limits.clear_all()
    sms.sent.clear()


def place_en(shop, lines, **kwargs) -> Order:
    with translation.override("en"):
        return place(shop, lines, **kwargs)


def place_for(shop, variant, contact: Contact) -> Order:
    """A guest's order of one unit with another contact than ``place``'s."""
    with translation.override("en"):
        return order_place(
            shopper=None,
            contact=contact,
            lines=[LineRequest(variant_id=variant.pk, quantity=1)],
            delivery=pickup(shop),
            payment_method="cod",
        )


def detail_url(order: Order) -> str:
    return reverse("order-detail", kwargs={"number": order.number})


def send_link_url(order: Order) -> str:
    return reverse("order-send-link", kwargs={"number": order.number})


def ask(client: Client, number: str, phone: str, capture):
    """Step 1 as a browser does it, its transaction committed; the code step's page it leads to."""
    with capture(execute=True):
        response = client.post(FIND, {"number": number, "phone": phone}, headers=EN)
    assert response.status_code == 302 and response["Location"] == CODE
    return client.get(CODE, headers=EN)


def link_sms_text_in(language: str, order: Order) -> str:
    order.language = language
    return link_sms_text(order)


def texted_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.sent[-1][1]).group(1)


def test_a_matching_and_a_non_matching_pair_get_the_same_answer_and_only_the_match_is_texted(
    shop, django_capture_on_commit_callbacks
):
    order = place_en(shop, {shop.raisins: 1})
    shoppers = place_en(shop, {shop.raisins: 1}, shopper=UserFactory())  # same phone, an account's order

    matching = ask(Client(), order.number, "138 0013 8000", django_capture_on_commit_callbacks)
    wrong_phone = ask(Client(), order.number, "13900139000", django_capture_on_commit_callbacks)
    no_such_number = ask(Client(), "OM0000000000ZZ", PHONE, django_capture_on_commit_callbacks)
    accounts_order = ask(Client(), shoppers.number, PHONE, django_capture_on_commit_callbacks)

    def answer(response, number: str, phone: str) -> str:
        body = response.content.decode()
        assert SAME_ANSWER.format(number=number, phone=phone) in body
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)  # each browser's own
        return body.replace(number, "N").replace(phone, "P")

    assert matching.status_code == wrong_phone.status_code == no_such_number.status_code == 200
    assert (
        answer(matching, order.number, PHONE)
        == answer(wrong_phone, order.number, "13900139000")
        == answer(no_such_number, "OM0000000000ZZ", PHONE)
        == answer(accounts_order, shoppers.number, PHONE)
    )
    assert [phone for phone, _ in sms.sent] == [PHONE]  # the guest's order's phone, once
    assert OneTimeCode.objects.count() == 1


def test_the_right_code_opens_that_order_in_this_browser_and_no_other(shop, django_capture_on_commit_callbacks):
    order = place_en(shop, {shop.raisins: 2})
    other = place_en(shop, {shop.grapes: 1})  # the same phone's other order
    browser = Client()
    ask(browser, order.number, PHONE, django_capture_on_commit_callbacks)

    response = browser.post(CODE, {"code": texted_code()}, headers=EN)

    assert response.status_code == 302 and response["Location"] == detail_url(order)
    page = browser.get(detail_url(order), headers=EN)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Order {order.number}" in body and "Here is your order." in body and KEEP in body
    assert f"?token={order.guest_token}" in body  # the link to keep
    # Only that order: the same phone's other order, and this order in another browser, ask to sign in.
    assert browser.get(detail_url(other), headers=EN).status_code == 302
    assert Client().get(detail_url(order), headers=EN).status_code == 302
    # The code is used up: the next browser cannot use it again.
    again = Client()
    ask(again, order.number, "13900139000", django_capture_on_commit_callbacks)  # nothing sent
    assert again.post(CODE, {"code": texted_code()}, headers=EN).status_code == 400


def test_a_wrong_code_says_so_and_opens_nothing_and_the_right_one_still_works(shop, django_capture_on_commit_callbacks):
    order = place_en(shop, {shop.raisins: 1})
    browser = Client()
    ask(browser, order.number, PHONE, django_capture_on_commit_callbacks)
    code = texted_code()
    wrong = "000000" if code != "000000" else "111111"

    response = browser.post(CODE, {"code": wrong}, headers=EN)

    assert response.status_code == 400
    assert WRONG_CODE in response.content.decode()
    assert browser.get(detail_url(order), headers=EN).status_code == 302  # still closed: asked to sign in
    empty = browser.post(CODE, {"code": ""}, headers=EN)
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    assert browser.post(CODE, {"code": code}, headers=EN)["Location"] == detail_url(order)


def test_a_code_sent_for_ones_own_order_does_not_open_another_number(shop, django_capture_on_commit_callbacks):
    """A code proves a phone, not an order: the number it opens must be a guest's order of that phone."""
    mine = place_en(shop, {shop.raisins: 1})
    theirs = place_for(shop, shop.grapes, Contact(name="Li", phone="13900139000"))
    browser = Client()
    ask(browser, mine.number, PHONE, django_capture_on_commit_callbacks)
    code = texted_code()
    ask(browser, theirs.number, PHONE, django_capture_on_commit_callbacks)  # not their phone: nothing sent

    response = browser.post(CODE, {"code": code}, headers=EN)

    assert response.status_code == 400 and WRONG_CODE in response.content.decode()
    assert browser.get(detail_url(theirs), headers=EN).status_code == 302
    assert len(sms.sent) == 1


def test_a_number_or_phone_typed_wrong_gets_clear_errors_and_sends_nothing(shop, django_capture_on_commit_callbacks):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(FIND, {"number": "12345", "phone": "555-1234"}, headers=EN)

    body = response.content.decode()
    assert response.status_code == 400
    assert "An order number is OM followed by 12 letters and digits, as on your confirmation." in body
    assert "Enter a mainland China mobile number" in body
    assert sms.sent == [] and OneTimeCode.objects.count() == 0
    assert browser.get(CODE)["Location"] == FIND  # no code step without a number and phone


@override_settings(ORDER_FIND_LIMIT_ADDRESS="3/hour", ORDER_FIND_CODE_LIMIT_ADDRESS="2/hour")
def test_pairs_and_codes_tried_from_one_address_are_limited(shop, django_capture_on_commit_callbacks):
    order = place_en(shop, {shop.raisins: 1})
    browser = Client()
    for phone in ("13900139001", "13900139002", "13900139003"):
        ask(browser, order.number, phone, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        limited = Client().post(FIND, {"number": order.number, "phone": PHONE}, headers=EN)

    assert limited.status_code == 429
    assert "Too many attempts. Try again in 60 minutes." in limited.content.decode()
    assert sms.sent == []  # the matching pair, too late: nothing texted
    assert browser.post(CODE, {"code": "000000"}, headers=EN).status_code == 400
    assert browser.post(CODE, {"code": "000001"}, headers=EN).status_code == 400
    third = browser.post(CODE, {"code": "000002"}, headers=EN)
    assert third.status_code == 429 and "Too many attempts." in third.content.decode()


def test_a_guests_order_page_tells_to_keep_the_link_and_sends_it_by_sms_and_email(
    shop, mailoutbox, django_capture_on_commit_callbacks
):
    with translation.override("ug"):
        order = place(shop, {shop.raisins: 1})
    link_page = f"{detail_url(order)}?token={order.guest_token}"
    page = Client().get(link_page, headers=EN).content.decode()
    assert KEEP in page
    assert "Send it by SMS to 138****8000" in page and "Send it by email to ayse@example.com" in page

    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        by_sms = browser.post(send_link_url(order), {"token": order.guest_token, "channel": "sms"}, headers=EN)
        by_email = browser.post(send_link_url(order), {"token": order.guest_token, "channel": "email"}, headers=EN)

    assert by_sms.status_code == by_email.status_code == 302 and by_sms["Location"] == link_page
    [(phone, text)] = sms.sent
    assert phone == PHONE and f"?token={order.guest_token}" in text and order.number in text
    assert text == link_sms_text(order) != link_sms_text_in("en", order)  # in the checkout's language, Uyghur
    [email] = mailoutbox
    assert email.to == [CONTACT.email] and f"?token={order.guest_token}" in email.body
    notes = browser.get(link_page, headers=EN).content.decode()
    assert (
        "We sent the link by SMS to 138****8000." in notes and "We sent the link by email to ayse@example.com." in notes
    )


@override_settings(ORDER_LINK_SEND_LIMIT="2/hour")
def test_sending_the_link_is_limited_and_refuses_what_it_cannot_send(shop, django_capture_on_commit_callbacks):
    order = place_for(shop, shop.raisins, Contact(name="Ayşe", phone=PHONE))  # no email
    browser = Client()
    post = {"token": order.guest_token}
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            browser.post(send_link_url(order), {**post, "channel": "sms"}, headers=EN)
        no_email = browser.post(send_link_url(order), {**post, "channel": "email"}, headers=EN)
        no_channel = browser.post(send_link_url(order), {**post, "channel": "pigeon"}, headers=EN)
        no_token = Client().post(send_link_url(order), {"channel": "sms"}, headers=EN)

    assert len(sms.sent) == 2  # the third within the hour is refused
    assert no_email.status_code == no_channel.status_code == 302
    assert OutboxMessage.objects.filter(payload__event="link").count() == 0
    assert no_token.status_code == 404
    page = browser.get(f"{detail_url(order)}?token={order.guest_token}", headers=EN).content.decode()
    assert "Too many attempts. Try again in 60 minutes." in page
    assert "This order has no email address to send the link to." in page
    assert "Choose to send the link by SMS or by email." in page
    assert "Send it by email" not in page


def test_a_signed_out_owner_is_asked_to_sign_in_and_comes_back_to_the_order(shop):
    owner = UserFactory(username="aygul")
    order = place_en(shop, {shop.raisins: 1}, shopper=owner)
    browser = Client()

    asked = browser.get(detail_url(order), headers=EN)

    assert asked.status_code == 302
    location = urlsplit(asked["Location"])
    assert location.path == reverse("login") and parse_qs(location.query)["next"] == [detail_url(order)]
    signed_in = browser.post(
        reverse("login"), {"username": "aygul", "password": "oasis-test", "next": detail_url(order)}, headers=EN
    )
    assert signed_in["Location"] == detail_url(order)
    page = browser.get(detail_url(order), headers=EN).content.decode()
    assert f"Order {order.number}" in page and KEEP not in page  # an account's order has no link to keep
    # Another account: 404, the page saying how a guest finds an order.
    stranger = Client()
    stranger.force_login(UserFactory())
    hidden = stranger.get(detail_url(order), headers=EN)
    body = hidden.content.decode()
    assert hidden.status_code == 404 and "Order not found" in body and f"Order {order.number}" not in body
    assert f'href="{FIND}"' in body and "Raisins" not in body


def test_the_find_page_reads_right_to_left_in_uyghur_and_the_sign_in_page_links_to_it(db):
    page = Client().get(FIND, headers=UG).content.decode()
    assert 'dir="rtl"' in page and 'name="number"' in page and 'name="phone"' in page
    assert f'href="{FIND}"' in Client().get(reverse("login"), headers=EN).content.decode()
