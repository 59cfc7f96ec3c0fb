"""A shopper signs up with a mobile number and a texted code, signs out, and signs in again with a new code, in
real headless Chromium at a phone's width, in Chinese and in Uyghur (right to left). The codes are read from the
console SMS sender, which the live server runs in this process."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from marketplace.models import User
from notifications import sms
from tests.e2e.browsing import new_page, shoot

pytestmark = pytest.mark.django_db(transaction=True)

CASES = [
    # language, direction, the SMS's word for "code", the name typed, the sign-out button
    ("zh-hans", "ltr", "验证码", "阿依古丽", "退出登录"),
    ("ug", "rtl", "كود", "ئايگۈل تۇرسۇن", "چېكىنىش"),
]


def ask_for_code(page: Page, base: str, phone: str, shot: str = "") -> str:
    """From the sign-in page, have a code texted to ``phone``; the SMS's text."""
    page.goto(base + "/accounts/login/")
    # The number's field fits the phone's width, whichever the direction.
    field = page.locator("form.phone-form [name=phone]").bounding_box()
    assert field["x"] >= 0 and field["x"] + field["width"] <= 360
    if shot:
        shoot(page, shot)
    before = len(sms.sent)
    page.locator("form.phone-form [name=phone]").fill(phone)
    page.locator("form.phone-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/phone/code/$"))
    assert len(sms.sent) == before + 1
    return sms.sent[-1][1]


def code_in(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.mark.parametrize(("language", "direction", "code_word", "name", "sign_out"), CASES)
def test_a_shopper_signs_up_and_in_with_a_phone_and_a_code(
    browser, live_server, settings, language, direction, code_word, name, sign_out
):
    settings.SMS_CODE_LIMIT_PHONE = "10/min"  # the second code follows the first within the minute
    phone = "13912345678" if language == "ug" else "13812345678"
    page = new_page(browser, locale="en-US")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])

    shot = "phone-sign-in-ug" if language == "ug" else ""
    text = ask_for_code(page, live_server.url, f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", shot)
    expect(page.locator("html")).to_have_attribute("dir", direction)
    assert code_word in text and sms.sent[-1][0] == phone
    expect(page.locator("main")).to_contain_text(f"{phone[:3]} **** {phone[-4:]}")
    page.locator("[name=code]").fill(code_in(text))
    page.locator("form:has([name=code]) button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/phone/new/$"))
    page.locator("[name=display_name]").fill(name)
    if language == "ug":
        shoot(page, "phone-sign-up-ug")
    page.locator("form:has([name=display_name]) button[type=submit]").click()
    expect(page.get_by_role("button", name=sign_out)).to_be_attached()
    user = User.objects.get(phone=phone)
    assert user.first_name == name and not user.has_usable_password()

    page.get_by_role("button", name=sign_out).click()
    expect(page.get_by_role("button", name=sign_out)).to_have_count(0)

    text = ask_for_code(page, live_server.url, phone)
    if language == "ug":
        shoot(page, "phone-code-ug")
    page.locator("[name=code]").fill(code_in(text))
    page.locator("form:has([name=code]) button[type=submit]").click()
    expect(page.get_by_role("button", name=sign_out)).to_be_attached()
    assert User.objects.filter(phone=phone).count() == 1
