"""The notice that asks a producer to accept or decline an item a host proposes for a live session.

Written to the outbox (``notifications``) in the transaction that proposes the item, and sent after it
commits through ``notifications.notices``: to the inbox of the producer's members, and of the managers of
its village depot when it sells through the depot (they answer for it), and by email to those with an
address, in the producer's language.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy

from live.models import LiveSessionItem
from marketplace.money import format_yuan
from notifications.notices import Recipient, notice_send, wording
from notifications.services import outbox_add
from producers.selectors import depot_managers_of

HANDLER = "live.notifications.send_proposal"
DJANGO_LANGUAGE = {"zh": "zh-hans", "ug": "ug", "en": "en"}
PROPOSED = wording(
    "live.proposed",
    gettext_lazy("%(host)s proposes %(product)s at %(price)s in the live session %(session)s: accept or decline."),
)


def proposal_after_commit(*, item_id: int) -> None:
    """Have the producer asked about the proposed item once the caller's transaction commits."""
    outbox_add(handler=HANDLER, payload={"item_id": item_id})


def _names(item) -> dict[str, str]:
    return {content: item.translated("name", content) for content in DJANGO_LANGUAGE}


def send_proposal(*, item_id: int) -> int:
    """The outbox's handler: the proposal notice; nothing when the item was answered or removed since."""
    item = (
        LiveSessionItem.objects.filter(pk=item_id, consent=LiveSessionItem.Consent.PROPOSED)
        .select_related("session__host", "variant__product__producer")
        .first()
    )
    if item is None:
        return 0
    producer = item.variant.product.producer
    people = [*producer.members.all(), *depot_managers_of(producer=producer)]
    language = DJANGO_LANGUAGE.get(producer.original_language, settings.LANGUAGE_CODE)
    product, size = _names(item.variant.product), _names(item.variant)
    return notice_send(
        code=PROPOSED,
        params={
            "host": item.session.host.display_name,
            "product": {k: " · ".join(filter(None, [product[k], size[k]])) for k in product},
            "price": format_yuan(item.flash_price),
            "session": _names(item.session),
        },
        link=reverse("dashboard-live", kwargs={"producer": producer.slug}),
        recipients=[Recipient(user_id=user.pk, email=user.email, language=language) for user in people],
        channels=["inbox", "email"],
    )
