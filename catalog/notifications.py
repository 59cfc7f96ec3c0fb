"""The waitlist's notice: units of a sold-out size came back and are held for the shopper (``services.waitlist_offer``).

Sent in the transaction that holds them: the inbox row commits with the hold, the email and the text message go
out through the outbox after the commit (``notifications.notices``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from catalog.models import WaitlistEntry
from marketplace.models import CONTENT_LANGUAGES
from notifications.notices import Recipient, notice_send, wording

HELD = wording(
    "catalog.waitlist_held",
    gettext_lazy(
        "%(name)s is back: %(n)s held for you until %(time)s. Order it by then, or it passes to the next shopper "
        "waiting."
    ),
)


def waitlist_held_send(entry: WaitlistEntry) -> None:
    """Tell the shopper of ``entry`` (held, with its variant, product and shopper read) that units wait for them."""
    variant, product = entry.variant, entry.variant.product
    name = {
        language: " · ".join(filter(None, [product.translated("name", language), variant.translated("name", language)]))
        for language in CONTENT_LANGUAGES
    }
    assert entry.held_until is not None
    notice_send(
        code=HELD,
        params={"name": name, "n": entry.quantity, "time": f"{timezone.localtime(entry.held_until):%H:%M}"},
        link=reverse("waitlist"),
        recipients=[
            Recipient(
                user_id=entry.shopper_id,
                email=entry.shopper.email,
                phone=entry.shopper.phone,
                language=entry.language,
            )
        ],
        channels=["inbox", "sms", "email"],
    )
