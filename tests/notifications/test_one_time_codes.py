"""One-time codes by SMS: sent through the console sender, stored only hashed, expiring, replaced, voided after
five wrong tries, and limited per number and per client address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from marketplace import rate_limits
from notifications import sms
from notifications.models import OneTimeCode
from notifications.one_time_codes import CodeLimited, code_check, code_send, normalize_phone

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def fresh(django_capture_on_commit_callbacks):
    rate_limits.clear_all()
    sms.sent.clear()


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send a code as a request would, its transaction committed; the code the SMS carried."""

    def send(phone: str = PHONE, purpose: str = "sign-in", address: str = ADDRESS) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            code_send(purpose=purpose, phone=phone, address=address)
        return re.search(r"\b(\d{6})\b", sms.sent[-1][1]).group(1)

    return send


def age(minutes: int) -> None:
    """Every code and every rate-limit window as if sent ``minutes`` ago."""
    OneTimeCode.objects.update(expires_at=timezone.now() + timedelta(minutes=10 - minutes))


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "8613812345678",
        "(138) 1234.5678",
        "１３８１２３４５６７８",
    ],
)
def test_mainland_mobile_numbers_are_read_in_the_forms_people_type(typed):
    assert normalize_phone(typed) == PHONE


@pytest.mark.parametrize("typed", ["", "1381234567", "23812345678", "12812345678", "+1 415 555 0100", "010-12345678"])
def test_other_numbers_are_refused_with_what_is_expected(typed):
    with pytest.raises(ValidationError) as error:
        normalize_phone(typed)
    assert "mainland China mobile number" in error.value.messages[0]


def test_the_code_is_texted_in_the_reader_s_language_and_stored_only_hashed(send, capsys):
    with translation.override("zh-hans"):
        code = send("+86 138 1234 5678")

    phone, text = sms.sent[-1]
    assert phone == PHONE
    assert code in text and "10" in text and "验证码" in text
    assert code in capsys.readouterr().out  # the console sender prints it
    row = OneTimeCode.objects.get()
    stored = " ".join(str(value) for value in row.__dict__.values())
    assert code not in stored and PHONE not in stored
    assert code_check(purpose="sign-in", phone=PHONE, code=code)


def test_a_right_code_is_used_once_and_only_for_its_purpose_and_number(send):
    code = send()

    assert not code_check(purpose="order-find", phone=PHONE, code=code)
    assert not code_check(purpose="sign-in", phone="13900001111", code=code)
    assert code_check(purpose="sign-in", phone="138-1234-5678", code=code)
    assert not code_check(purpose="sign-in", phone=PHONE, code=code)
    assert not OneTimeCode.objects.exists()


def test_a_code_expires_after_ten_minutes(send):
    code = send()
    age(11)

    assert not code_check(purpose="sign-in", phone=PHONE, code=code)


def test_a_new_code_replaces_the_previous_one(send, settings):
    settings.SMS_CODE_LIMIT_PHONE = "10/min"
    first = send()
    second = send()
    while second == first:  # one chance in a million: ask again until the new code differs
        second = send()

    assert OneTimeCode.objects.count() == 1
    assert not code_check(purpose="sign-in", phone=PHONE, code=first)
    assert code_check(purpose="sign-in", phone=PHONE, code=second)


def test_five_wrong_tries_void_the_code_even_for_the_right_one(send):
    code = send()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    for _ in range(4):
        assert not code_check(purpose="sign-in", phone=PHONE, code=wrong)
    assert OneTimeCode.objects.get().failed_attempts == 4
    assert not code_check(purpose="sign-in", phone=PHONE, code="not a code")
    assert not code_check(purpose="sign-in", phone=PHONE, code=code)


def test_a_number_gets_one_code_a_minute_and_five_an_hour(send, settings):
    send()
    with pytest.raises(CodeLimited) as limited:
        send(address="198.51.100.1")
    assert re.fullmatch(r"You can ask for a new code in \d+ seconds?\.", str(limited.value))
    assert limited.value.status == 429 and 0 < limited.value.retry_after <= 60
    assert len(sms.sent) == 1

    settings.SMS_CODE_LIMIT_PHONE = "100/min"
    for _ in range(4):
        send()
    with pytest.raises(CodeLimited) as limited:
        send()
    assert str(limited.value) == "Too many attempts. Try again in 60 minutes."
    assert len(sms.sent) == 5


def test_one_address_gets_twenty_codes_an_hour_whatever_the_numbers(send):
    for n in range(20):
        send(phone=f"139000000{n:02d}")
    with pytest.raises(CodeLimited):
        send(phone="13700000000")
    assert len(sms.sent) == 20
    # The refused request used up nothing of the number's own limit; another address still can.
    send(phone="13700000000", address="198.51.100.1")


def test_an_unknown_purpose_is_a_programming_error(send):
    with pytest.raises(ValueError, match="purpose"):
        send(purpose="anything")
    assert not OneTimeCode.objects.exists()


def test_the_sms_waits_for_the_transaction_s_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        code_send(purpose="order-find", phone=PHONE, address=ADDRESS)
    assert sms.sent == []  # rolled back: nothing is texted
    assert len(callbacks) == 1


def test_a_configured_sender_class_is_used(settings):
    settings.SMS_SENDER = "tests.notifications.test_one_time_codes.RecordingSender"
    sms.sms_send(phone=PHONE, text="hello")
    assert RecordingSender.got == [(PHONE, "hello")]
    assert sms.sent == []


class RecordingSender:
    """A provider's sender as docs/operations.md describes it: a class with ``send(phone, text)``."""

    got: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.got.append((phone, text))


def test_the_scheduled_prune_deletes_expired_and_voided_codes_only(send, settings):
    from notifications.tasks import prune_codes

    settings.SMS_CODE_LIMIT_PHONE = "10/min"
    send("13900000001")
    send("13900000002")
    code = send("13900000003")
    OneTimeCode.objects.filter(pk=OneTimeCode.objects.order_by("pk").first().pk).update(expires_at=timezone.now())
    OneTimeCode.objects.filter(pk=OneTimeCode.objects.order_by("pk")[1].pk).update(failed_attempts=5)

    assert prune_codes() == 2
    assert code_check(purpose="sign-in", phone="13900000003", code=code)
