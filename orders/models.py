"""Carts, orders with their lines, parcels (fulfilments), payments and the audit trail."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from marketplace.models import CONTENT_LANGUAGES, TimeStampedModel, content_language
from marketplace.phrases import Phrase

MAX_LINE_QUANTITY = 999

# Crockford's base32 without I, L, O, U: easy to read out over the phone.
_NUMBER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_order_number() -> str:
    """A public order number that cannot be guessed from another one."""
    return "OM" + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(12))


def new_guest_token() -> str:
    return secrets.token_urlsafe(32)


PICKUP_CODE_LENGTH = 6


def new_pickup_code() -> str:
    """The digits a shopper says at the depot's counter to collect a pickup order."""
    return "".join(secrets.choice("0123456789") for _ in range(PICKUP_CODE_LENGTH))


def money_field(verbose_name: str) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, default=0)


class Cart(TimeStampedModel):
    """A basket: a guest's is found by session key, a shopper's by user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cart",
        verbose_name=_("shopper"),
    )
    session_key = models.CharField(_("session key"), max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("cart")
        verbose_name_plural = _("carts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(session_key__isnull=False),
                name="cart_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"cart {self.pk}"


class CartLine(TimeStampedModel):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines", verbose_name=_("cart"))
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.CASCADE, related_name="cart_lines", verbose_name=_("variant")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("cart line")
        verbose_name_plural = _("cart lines")
        constraints = [
            models.UniqueConstraint(fields=["cart", "variant"], name="cartline_unique_variant"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0, quantity__lte=MAX_LINE_QUANTITY), name="cartline_quantity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.variant_id}"


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
        CONFIRMED = "confirmed", _("Confirmed (cash on delivery)")
        PAID = "paid", _("Paid")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired (unpaid)")
        REFUNDED = "refunded", _("Refunded")

    class DeliveryMethod(models.TextChoices):
        SHIP = "ship", _("Ship to an address")
        PICKUP = "pickup", _("Pick up at a depot")

    class PaymentMethod(models.TextChoices):
        COD = "cod", _("Cash on delivery")
        ONLINE = "online", _("Pay online")

    number = models.CharField(_("order number"), max_length=20, unique=True, default=new_order_number, editable=False)
    shopper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("shopper"),
    )
    # A guest reaches the order only through this secret (the link in the email).
    guest_token = models.CharField(_("guest access token"), max_length=64, unique=True, default=new_guest_token)
    # Asked at the depot before a pickup parcel is handed over; shown only to the shopper (order page, messages).
    pickup_code = models.CharField(_("pickup code"), max_length=PICKUP_CODE_LENGTH, default=new_pickup_code)
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_phone = models.CharField(_("contact mobile phone"), max_length=20)
    contact_email = models.EmailField(_("contact email"), blank=True)

    delivery_method = models.CharField(_("delivery"), max_length=10, choices=DeliveryMethod.choices)
    ship_recipient = models.CharField(_("recipient"), max_length=100, blank=True)
    ship_phone = models.CharField(_("recipient's mobile phone"), max_length=20, blank=True)
    ship_province = models.CharField(_("province"), max_length=50, blank=True)
    ship_city = models.CharField(_("city"), max_length=50, blank=True)
    ship_district = models.CharField(_("district"), max_length=50, blank=True)
    ship_street = models.CharField(_("street address"), max_length=200, blank=True)
    ship_postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    pickup_depot = models.ForeignKey(
        "producers.Depot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pickup_orders",
        verbose_name=_("pickup depot"),
    )
    # The first day the order can be collected at its depot: the first day from tomorrow the depot had room
    # for it (``producers.services.depot_day_claim``).
    pickup_on = models.DateField(_("collect from"), null=True, blank=True)

    payment_method = models.CharField(_("payment method"), max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AWAITING_PAYMENT)
    currency = models.CharField(_("currency"), max_length=3, default="CNY", editable=False)
    subtotal = money_field(_("subtotal"))
    shipping = money_field(_("shipping"))
    total = money_field(_("total"))

    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    # SHA-256 of the request that created the order; a reused key with another body is refused.
    request_fingerprint = models.CharField(_("request fingerprint"), max_length=64, blank=True)

    live_session = models.ForeignKey(
        "live.LiveSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("live session"),
    )
    # The host's commission rate when the order was placed, kept for the commission report.
    commission_rate = models.DecimalField(
        _("host commission rate"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    expires_at = models.DateTimeField(_("unpaid order expires at"), null=True, blank=True)
    # The language the shopper used at checkout: their emails are written in it.
    language = models.CharField(_("language"), max_length=10, default="zh-hans")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            models.UniqueConstraint(
                fields=["shopper", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="order_shopper_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=models.Q(shopper__isnull=True) & ~models.Q(idempotency_key=""),
                name="order_guest_idempotency_key_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(subtotal__gte=0, shipping__gte=0, total__gte=0),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(total=models.F("subtotal") + models.F("shipping")),
                name="order_total_is_subtotal_plus_shipping",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(delivery_method="pickup", pickup_depot__isnull=False)
                    | (
                        models.Q(delivery_method="ship", pickup_depot__isnull=True)
                        & ~models.Q(ship_recipient="")
                        & ~models.Q(ship_phone="")
                        & ~models.Q(ship_province="")
                        & ~models.Q(ship_city="")
                        & ~models.Q(ship_street="")
                    )
                ),
                name="order_delivery_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["shopper", "-created_at"], name="order_shopper_newest_idx"),
            models.Index(fields=["status", "expires_at"], name="order_status_expiry_idx"),
            models.Index(fields=["live_session", "status"], name="order_live_session_idx"),
            models.Index(fields=["pickup_depot", "status"], name="order_pickup_depot_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def collects_cash(self) -> bool:
        """Paid cash on delivery and not paid yet: whoever hands its parcels over takes the cash."""
        return self.payment_method == self.PaymentMethod.COD and self.status == self.Status.CONFIRMED


class OrderLine(models.Model):
    """What was bought, as it was when the order was placed."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    fulfilment = models.ForeignKey(
        "Fulfilment", on_delete=models.PROTECT, related_name="lines", verbose_name=_("parcel")
    )
    variant = models.ForeignKey(
        "catalog.Variant", on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("variant")
    )
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("producer")
    )
    product_name = models.CharField(_("product"), max_length=200)
    variant_name = models.CharField(_("variant"), max_length=100)
    sku = models.CharField(_("SKU"), max_length=64)
    producer_name = models.CharField(_("producer name"), max_length=200)
    # The names above in every content language, as ``names_of`` takes them at checkout:
    # {"product": {"zh": …, "ug": …, "en": …, "original": "zh"}, "variant": {…}, "producer": {…}}. Pages show
    # ``localized_product_name`` etc.; the three columns above keep the buyer's language's names (and are all
    # that lines placed before this existed may have).
    names = models.JSONField(_("names in every language"), default=dict, blank=True, editable=False)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField(_("quantity"))
    line_total = models.DecimalField(_("line total"), max_digits=12, decimal_places=2)
    is_perishable = models.BooleanField(_("perishable"), default=False)
    # The featured item whose flash price this line was sold at; its units count against the item's cap.
    live_item = models.ForeignKey(
        "live.LiveSessionItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("live session item"),
    )
    # The pre-sale this line was ordered in: filled or cut, in placement order, when its harvest is entered.
    pre_sale = models.ForeignKey(
        "catalog.PreSale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("pre-sale"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "variant"], name="orderline_unique_variant"),
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0, quantity__lte=MAX_LINE_QUANTITY), name="orderline_quantity_range"
            ),
            models.CheckConstraint(condition=models.Q(unit_price__gte=0), name="orderline_price_not_negative"),
            models.CheckConstraint(
                condition=models.Q(line_total=models.F("unit_price") * models.F("quantity")),
                name="orderline_total_is_price_times_quantity",
            ),
        ]
        indexes = [models.Index(fields=["producer", "order"], name="orderline_producer_idx")]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.localized_product_name} {self.localized_variant_name}"

    @staticmethod
    def names_of(variant) -> dict:
        """The ``names`` of a line for ``variant`` (loaded with its product and the product's producer)."""

        def every_language(source) -> dict:
            names = {language: getattr(source, f"name_{language}", "") for language in CONTENT_LANGUAGES}
            if getattr(source, "original_language", ""):
                names["original"] = source.original_language
            return names

        product = variant.product
        return {
            "product": every_language(product),
            "variant": every_language(variant),
            "producer": every_language(product.producer),
        }

    def name_in(self, part: str, language: str | None = None) -> str:
        """The ``part`` ("product", "variant", "producer") name in ``language`` (default: the active one).

        The catalog's rule (``TranslatedContent.translated``): the language asked for, else the original language,
        else any language that has one; a line without names in any language keeps the text it was placed with.
        """
        names = (self.names or {}).get(part) or {}
        requested = content_language(language)
        for candidate in (requested, names.get("original") or requested, *CONTENT_LANGUAGES):
            if names.get(candidate):
                return names[candidate]
        return getattr(self, f"{part}_name")

    @property
    def localized_product_name(self) -> str:
        return self.name_in("product")

    @property
    def localized_variant_name(self) -> str:
        return self.name_in("variant")

    @property
    def localized_producer_name(self) -> str:
        return self.name_in("producer")


class Fulfilment(TimeStampedModel):
    """One producer's parcel of an order."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfilments", verbose_name=_("order"))
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="fulfilments", verbose_name=_("producer")
    )
    depot = models.ForeignKey(
        "producers.Depot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fulfilments",
        verbose_name=_("depot"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    needs_cold_chain = models.BooleanField(_("cold chain"), default=False)
    shipping_fee = money_field(_("shipping fee"))
    carrier = models.CharField(_("carrier"), max_length=50, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=50, blank=True)
    received_at_depot_at = models.DateTimeField(_("received at depot"), null=True, blank=True)
    # A parcel with perishable produce must leave by this day (Asia/Shanghai); later it is refused, staff see it
    # and the shopper is offered a refund.
    ship_by = models.DateField(_("ship by"), null=True, blank=True)
    packed_at = models.DateTimeField(_("packed at"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints = [
            models.UniqueConstraint(fields=["order", "producer"], name="fulfilment_one_per_producer"),
            models.CheckConstraint(condition=models.Q(shipping_fee__gte=0), name="fulfilment_fee_not_negative"),
            models.CheckConstraint(
                condition=~models.Q(status__in=["shipped", "delivered"])
                | ~models.Q(tracking_number="")
                | models.Q(depot__isnull=False),
                name="fulfilment_shipped_is_traceable",
            ),
        ]
        indexes = [
            models.Index(fields=["producer", "status"], name="fulfilment_producer_status_idx"),
            models.Index(fields=["depot", "status"], name="fulfilment_depot_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.producer_id}"

    @property
    def amount_to_collect(self) -> Decimal | None:
        """The cash to take from the shopper for this parcel: its lines and its shipping fee.

        ``None`` when there is nothing to collect: the order was paid online, or its cash on delivery is
        already paid. Reads the parcel's lines through ``lines.all()``, so a prefetch serves it.
        """
        if not self.order.collects_cash:
            return None
        return sum((line.line_total for line in self.lines.all()), Decimal("0.00")) + self.shipping_fee

    @property
    def missed_ship_by(self) -> bool:
        """A perishable parcel not sent yet whose ship-by day has passed."""
        return (
            self.ship_by is not None
            and self.status in (self.Status.NEW, self.Status.PACKED)
            and timezone.localdate() > self.ship_by
        )

    @property
    def trace_key(self) -> str:
        """The secret part of the parcel's public trace page's address (``trace_url``): without it, parcel ids,
        which follow one another, would open every parcel's page."""
        return salted_hmac("orders.parcel-trace", str(self.pk)).hexdigest()[:20]

    def get_trace_url(self) -> str:
        return reverse("parcel-trace", kwargs={"pk": self.pk, "key": self.trace_key})


class ParcelLot(models.Model):
    """Units of a parcel packed from a harvest lot's receipt, recorded when the parcel is marked packed."""

    fulfilment = models.ForeignKey(Fulfilment, on_delete=models.CASCADE, related_name="lots", verbose_name=_("parcel"))
    receipt = models.ForeignKey(
        "catalog.LotReceipt", on_delete=models.PROTECT, related_name="parcels", verbose_name=_("lot receipt")
    )
    quantity = models.PositiveIntegerField(_("quantity"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("parcel lot")
        verbose_name_plural = _("parcel lots")
        constraints = [
            models.UniqueConstraint(fields=["fulfilment", "receipt"], name="parcellot_once_per_receipt"),
            models.CheckConstraint(condition=models.Q(quantity__gte=1), name="parcellot_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.fulfilment_id}/{self.receipt_id} · {self.quantity}"


class Payment(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        REFUNDED = "refunded", _("Refunded")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments", verbose_name=_("order"))
    method = models.CharField(_("method"), max_length=10, choices=Order.PaymentMethod.choices)
    provider = models.CharField(_("provider"), max_length=30, default="cod")
    provider_reference = models.CharField(_("provider reference"), max_length=100, null=True, blank=True, unique=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_not_negative")]
        indexes = [models.Index(fields=["order", "status"], name="payment_order_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"


class Refund(models.Model):
    """Money given back on an order, by staff or by the order's services: the ledger of every refund.

    ``fulfilment`` names the parcel a parcel refund was for; it is empty for a refund of the whole order (a
    cancellation, a refund in full, a payment that arrived too late). ``returned_stock`` says that the refund
    cancelled its parcel and gave the parcel's units back to stock.
    """

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds", verbose_name=_("order"))
    fulfilment = models.ForeignKey(
        "Fulfilment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("parcel"),
    )
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    reason = models.TextField(_("reason"), blank=True)
    returned_stock = models.BooleanField(_("parcel cancelled, stock returned"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_refunds",
        verbose_name=_("actor"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive")]
        indexes = [models.Index(fields=["order", "created_at"], name="refund_order_time_idx")]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"


class PaymentWebhookEvent(models.Model):
    """A provider notification already processed; a replay with the same id is ignored."""

    provider = models.CharField(_("provider"), max_length=30)
    event_id = models.CharField(_("event id"), max_length=100)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="webhook_events", verbose_name=_("payment")
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class OrderEvent(models.Model):
    """The audit trail: every change of an order's or a parcel's status, by whom and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events", verbose_name=_("order"))
    fulfilment = models.ForeignKey(
        Fulfilment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("parcel"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_events",
        verbose_name=_("actor"),
    )
    # Set when a depot manager acts for a producer without a smartphone.
    on_behalf_of = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assisted_events",
        verbose_name=_("on behalf of"),
    )
    # Set when a depot manager acted for the depot: an order taken at its counter or by phone.
    depot = models.ForeignKey(
        "producers.Depot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_events",
        verbose_name=_("for the depot"),
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20)
    # Free text someone typed (a staff member's reason), and notes written before ``note_phrase`` existed.
    note = models.TextField(_("note"), blank=True)
    # A note the system writes, as a msgid with parameters (``marketplace/phrases.py``): shown in the reader's language.
    note_phrase = models.JSONField(_("system note"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("order event")
        verbose_name_plural = _("order events")
        indexes = [models.Index(fields=["order", "created_at"], name="orderevent_order_time_idx")]

    def __str__(self) -> str:
        return f"{self.from_status or '∅'} → {self.to_status}"

    def _label(self, status: str) -> str:
        statuses = Fulfilment.Status if self.fulfilment_id else Order.Status
        try:
            return statuses(status).label
        except ValueError:
            return status

    @property
    def to_status_label(self) -> str:
        """The new status in words: a parcel's status for parcel events, else the order's."""
        return self._label(self.to_status)

    @property
    def from_status_label(self) -> str:
        """The status before, in words (empty for the first event)."""
        return self._label(self.from_status) if self.from_status else ""

    @property
    def note_text(self) -> str:
        """The note in the active language: the system's phrase translated, then any typed text."""
        parts = [str(Phrase.from_json(self.note_phrase))] if self.note_phrase else []
        if self.note:
            parts.append(self.note)
        return " ".join(parts)
