"""Every change to live selling: sessions, featured items, the producer's consent, and commission entries.

The host's back office (``/host/``), the producer's dashboard, the API and the admin all call these functions.
Commission entries are written by ``orders.services`` inside the transaction that moves the order.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog.models import Variant, variant_on_sale
from live import notifications
from live.errors import SessionTransitionError
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from live.pricing import commission
from marketplace.models import CONTENT_LANGUAGES, User
from marketplace.page_cache import pages_changed
from marketplace.validators import MAX_PRICE
from producers.models import ProducerActivity
from producers.services import activity_record

NAME_FIELDS = tuple(f"name_{code}" for code in CONTENT_LANGUAGES)
DESCRIPTION_FIELDS = tuple(f"description_{code}" for code in CONTENT_LANGUAGES)
SESSION_FIELDS = (*NAME_FIELDS, *DESCRIPTION_FIELDS, "starts_at", "ends_at", "stream_url")

# A featured item's bounds: a cap a livestream can sell, and a limit no larger than one order line may hold.
MAX_QUANTITY_CAP = 100_000
MAX_PER_SHOPPER_LIMIT = 999
MAX_FLASH_PRICE = MAX_PRICE

EDITABLE_STATUSES = (LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE)
# Session times: dates a calendar and the database agree on, and a broadcast of at most a day.
FIRST_YEAR, LAST_YEAR = 2000, 2099
MAX_DURATION = timedelta(hours=24)


# Sessions


def _check_session(session: LiveSession, *, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if not any(getattr(session, field).strip() for field in NAME_FIELDS):
        message = _("Give the session a title in at least one language.")
        errors.update({field: [message] for field in NAME_FIELDS})
    for field in NAME_FIELDS:
        if len(getattr(session, field)) > 200:
            errors.setdefault(field, []).append(_("The title is too long (at most 200 characters)."))
    for field in DESCRIPTION_FIELDS:
        if len(getattr(session, field)) > 5000:
            errors.setdefault(field, []).append(_("The description is too long (at most 5,000 characters)."))
    if not isinstance(session.starts_at, datetime):
        errors.setdefault("starts_at", []).append(_("Enter when the session starts."))
    if not isinstance(session.ends_at, datetime):
        errors.setdefault("ends_at", []).append(_("Enter when the session ends."))
    for field in ("starts_at", "ends_at"):
        value = getattr(session, field)
        if isinstance(value, datetime) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors.setdefault(field, []).append(
                _("Enter a date between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
    if not errors.get("starts_at") and not errors.get("ends_at"):
        if session.ends_at <= session.starts_at:
            errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
        elif session.ends_at - session.starts_at > MAX_DURATION:
            errors.setdefault("ends_at", []).append(_("A session can last at most 24 hours."))
        elif session.ends_at <= now and session.status in EDITABLE_STATUSES:
            errors.setdefault("ends_at", []).append(_("The end must be in the future."))
    if session.stream_url:
        if len(session.stream_url) > 200:
            errors.setdefault("stream_url", []).append(_("The link is too long."))
        elif not session.stream_url.startswith("https://"):
            errors.setdefault("stream_url", []).append(_("Enter a web link starting with https://."))
    if errors:
        raise ValidationError(errors)


def _original_language(session: LiveSession) -> str:
    return next((code for code in CONTENT_LANGUAGES if getattr(session, f"name_{code}")), CONTENT_LANGUAGES[0])


def _slug_candidates(session: LiveSession) -> list[str]:
    base = slugify(session.name_en)[:60].strip("-") or "live"
    return [f"{base}-{secrets.token_hex(3)}" for _attempt in range(4)]


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    return {key: value.strip() if isinstance(value, str) else value for key, value in fields.items()}


def session_create(*, host: Host, actor: User, cover: UploadedFile | None = None, **fields: Any) -> LiveSession:
    """A new scheduled session of ``host``: titles and descriptions in three languages, times, stream link, cover.

    Its slug (the share link) is made from the English title with a random suffix, so it cannot be guessed
    before the host shares it. Raises ``ValidationError`` with messages per field.
    """
    if not host.is_active:
        raise ValidationError(_("This host account is not active."), code="inactive_host")
    session = LiveSession(host=host, status=LiveSession.Status.SCHEDULED, **_clean_fields(fields))
    _check_session(session, now=timezone.now())
    session.original_language = _original_language(session)
    if cover is not None:
        session.cover = cover
    for candidate in _slug_candidates(session):
        session.slug = candidate
        try:
            with transaction.atomic():
                session.save()
            pages_changed()
            return session
        except IntegrityError:
            if not LiveSession.objects.filter(slug=candidate).exists():
                raise
    raise ValidationError(_("Could not make a link for the session; try again."), code="slug_taken")


def session_update(
    *, session: LiveSession, actor: User, cover: UploadedFile | None = None, remove_cover: bool = False, **fields: Any
) -> LiveSession:
    """Change a scheduled or live session's titles, descriptions, times, stream link or cover.

    A live session keeps its start (it has started); an ended or cancelled one cannot change.
    """
    fields = _clean_fields(fields)
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.status not in EDITABLE_STATUSES:
            raise SessionTransitionError(
                _("This session is “%(status)s”: it can no longer be changed.")
                % {"status": locked.get_status_display()},
                current=locked.status,
                requested=locked.status,
            )
        if (
            locked.status == LiveSession.Status.LIVE
            and "starts_at" in fields
            and fields["starts_at"] != locked.starts_at
        ):
            raise ValidationError({"starts_at": [_("The session is on air: its start can no longer change.")]})
        for key, value in fields.items():
            setattr(locked, key, value)
        _check_session(locked, now=timezone.now())
        locked.original_language = _original_language(locked)
        if remove_cover:
            locked.cover = ""
            locked.cover_renditions = []
        if cover is not None:
            locked.cover = cover
        locked.save()
        pages_changed()
    return locked


def session_go_live(*, session: LiveSession, actor: User, now: datetime | None = None) -> LiveSession:
    """Put a scheduled session on air (it may start early); its flash prices apply from now until it ends."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != LiveSession.Status.SCHEDULED:
            raise SessionTransitionError(
                _("Only a scheduled session can go live; this one is “%(status)s”.")
                % {"status": locked.get_status_display()},
                current=locked.status,
                requested=LiveSession.Status.LIVE,
            )
        if locked.ends_at <= now:
            raise SessionTransitionError(
                _("The scheduled end has passed: move the end later before going live."),
                current=locked.status,
                requested=LiveSession.Status.LIVE,
            )
        locked.status = LiveSession.Status.LIVE
        locked.went_live_at = now
        locked.save(update_fields=["status", "went_live_at", "updated_at"])
        pages_changed()
    return locked


def session_end(*, session: LiveSession, actor: User | None, now: datetime | None = None) -> LiveSession:
    """Take a live session off air: from now on its items sell at their normal prices."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != LiveSession.Status.LIVE:
            raise SessionTransitionError(
                _("Only a live session can end; this one is “%(status)s”.") % {"status": locked.get_status_display()},
                current=locked.status,
                requested=LiveSession.Status.ENDED,
            )
        locked.status = LiveSession.Status.ENDED
        locked.ended_at = min(now, locked.ends_at)
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        pages_changed()
    return locked


def session_cancel(*, session: LiveSession, actor: User) -> LiveSession:
    """Call off a session that has not gone live; it disappears from the storefront."""
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != LiveSession.Status.SCHEDULED:
            raise SessionTransitionError(
                _("Only a session that has not gone live can be cancelled; this one is “%(status)s”.")
                % {"status": locked.get_status_display()},
                current=locked.status,
                requested=LiveSession.Status.CANCELLED,
            )
        locked.status = LiveSession.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        pages_changed()
    return locked


def sessions_end_overdue(*, now: datetime | None = None) -> int:
    """Write "ended" on every live session past its scheduled end (prices already stopped at the end itself)."""
    now = now or timezone.now()
    ended = LiveSession.objects.filter(status=LiveSession.Status.LIVE, ends_at__lte=now).update(
        status=LiveSession.Status.ENDED, ended_at=F("ends_at"), updated_at=now
    )
    if ended:
        pages_changed()
    return ended


# Featured items


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return number if number.is_finite() else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_terms(*, variant: Variant, flash_price: object, quantity_cap: object, per_shopper_limit: object, sold: int):
    errors: dict[str, list[str]] = {}
    price = _decimal(flash_price)
    if price is None:
        errors["flash_price"] = [_("Enter the live price in yuan, e.g. 46.90.")]
    elif price <= 0 or price != price.quantize(Decimal("0.01")):
        errors["flash_price"] = [_("Enter a live price above zero, to the fen.")]
    elif price >= variant.price:
        errors["flash_price"] = [
            _("The live price must be below the normal price (%(price)s).") % {"price": f"¥{variant.price}"}
        ]
    cap = _whole(quantity_cap)
    if cap is None or not 1 <= cap <= MAX_QUANTITY_CAP:
        errors["quantity_cap"] = [
            _("Enter how many units sell at the live price: 1 to %(max)s.") % {"max": f"{MAX_QUANTITY_CAP:,}"}
        ]
    elif cap < sold:
        errors["quantity_cap"] = [_("%(n)s units have already sold: the cap cannot be lower.") % {"n": sold}]
    limit = _whole(per_shopper_limit)
    if limit is None or not 1 <= limit <= MAX_PER_SHOPPER_LIMIT:
        errors["per_shopper_limit"] = [
            _("Enter how many one shopper may buy: 1 to %(max)s.") % {"max": MAX_PER_SHOPPER_LIMIT}
        ]
    elif cap is not None and limit > cap:
        errors["per_shopper_limit"] = [_("The limit per shopper cannot be above the quantity cap.")]
    if errors:
        raise ValidationError(errors)
    return price, cap, limit


def _check_open(session: LiveSession, requested: str) -> None:
    if session.status not in EDITABLE_STATUSES:
        raise SessionTransitionError(
            _("This session is “%(status)s”: its items can no longer change.")
            % {"status": session.get_status_display()},
            current=session.status,
            requested=requested,
        )


def featurable_variants():
    """Variants a host may feature: on sale, of an active product of a verified producer."""
    return Variant.objects.filter(variant_on_sale()).select_related("product__producer__village")


def item_feature(
    *,
    session: LiveSession,
    actor: User,
    variant_id: object,
    flash_price: object,
    quantity_cap: object,
    per_shopper_limit: object,
) -> LiveSessionItem:
    """Propose a variant for the session at a flash price, with a cap and a per-shopper limit.

    It sells at the flash price once a member of the producer accepts it; the producer is asked in its
    members' inbox (``live.notifications``) once the transaction commits. Raises ``ValidationError`` per
    field, ``SessionTransitionError`` for a session that has ended or was cancelled.
    """
    variant_pk = _whole(variant_id)
    variant = featurable_variants().filter(pk=variant_pk).first() if variant_pk else None
    if variant is None:
        raise ValidationError({"variant": [_("Choose a size that is on sale from a verified producer.")]})
    price, cap, limit = _check_terms(
        variant=variant, flash_price=flash_price, quantity_cap=quantity_cap, per_shopper_limit=per_shopper_limit, sold=0
    )
    with transaction.atomic():
        locked = LiveSession.objects.select_for_update().get(pk=session.pk)
        _check_open(locked, "featured")
        if locked.items.filter(variant=variant).exists():
            raise ValidationError({"variant": [_("This size is already featured in the session.")]})
        position = (locked.items.aggregate(last=Max("position"))["last"] or 0) + 1
        pages_changed()
        item = LiveSessionItem.objects.create(
            session=locked,
            variant=variant,
            flash_price=price,
            quantity_cap=cap,
            per_shopper_limit=limit,
            position=min(position, 32767),
            consent=LiveSessionItem.Consent.PROPOSED,
        )
        notifications.proposal_after_commit(item_id=item.pk)
        return item


def item_update(
    *, item: LiveSessionItem, actor: User, flash_price: object, quantity_cap: object, per_shopper_limit: object
) -> LiveSessionItem:
    """Change an item's terms. A lower live price, a larger cap or a higher limit per shopper asks the producer
    again; the rest does not."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=item.session_id)
        _check_open(session, "featured")
        # Only the item's row: checkout locks variants before items, so locking the variant here could deadlock.
        locked = LiveSessionItem.objects.select_for_update(of=("self",)).select_related("variant").get(pk=item.pk)
        price, cap, limit = _check_terms(
            variant=locked.variant,
            flash_price=flash_price,
            quantity_cap=quantity_cap,
            per_shopper_limit=per_shopper_limit,
            sold=locked.quantity_sold,
        )
        if price < locked.flash_price or cap > locked.quantity_cap or limit > locked.per_shopper_limit:
            locked.consent = LiveSessionItem.Consent.PROPOSED
            locked.consent_by = None
            locked.consent_at = None
            notifications.proposal_after_commit(item_id=locked.pk)
        locked.flash_price, locked.quantity_cap, locked.per_shopper_limit = price, cap, limit
        locked.save()
        pages_changed()
    return locked


def item_remove(*, item: LiveSessionItem, actor: User) -> None:
    """Take an item out of the session; one that has sold units stays (lower its cap to stop selling)."""
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=item.session_id)
        _check_open(session, "removed")
        locked = LiveSessionItem.objects.select_for_update().get(pk=item.pk)
        # Sold units stay on their order lines even when the order was cancelled since: keep the item they name.
        if locked.quantity_sold or locked.order_lines.exists():
            raise ValidationError(
                _("Units of this item have sold at the live price, so it stays in the session."), code="has_sales"
            )
        locked.delete()
        pages_changed()


def item_answer(*, item: LiveSessionItem, actor: User, accept: bool) -> LiveSessionItem:
    """The producer (a member, or staff or a depot manager for a producer who sells through a depot) accepts or
    declines being featured. Accepted items sell at the flash price; declining later stops that at once."""
    target = LiveSessionItem.Consent.ACCEPTED if accept else LiveSessionItem.Consent.DECLINED
    with transaction.atomic():
        # Only the item's row (not its variant or session): checkout locks variants before items.
        locked = (
            LiveSessionItem.objects.select_for_update(of=("self",))
            .select_related("variant__product__producer", "session")
            .get(pk=item.pk)
        )
        if locked.session.status not in EDITABLE_STATUSES:
            raise SessionTransitionError(
                _("This session is “%(status)s”: there is nothing left to answer.")
                % {"status": locked.session.get_status_display()},
                current=locked.consent,
                requested=target,
            )
        if locked.consent == target:
            return locked
        locked.consent = target
        locked.consent_by = actor
        locked.consent_at = timezone.now()
        locked.save(update_fields=["consent", "consent_by", "consent_at"])
        pages_changed()
        activity_record(
            producer=locked.variant.product.producer,
            actor=actor,
            action=ProducerActivity.Action.LIVE_ITEM_ACCEPTED if accept else ProducerActivity.Action.LIVE_ITEM_DECLINED,
            subject=f"{locked.session.name} · {locked.variant.label}",
        )
    return locked


# Commission: written by orders.services inside the transaction that moves the order.

Kind = CommissionEntry.Kind
Event = CommissionEntry.Event


def commission_on_place(*, order: Any, lines: list[Any]) -> int:
    """Put each of ``lines`` (an order attributed to a session, featured items or not) into its host's pending
    commission, at the rate snapshotted on the order."""
    if order.live_session_id is None or order.commission_rate is None:
        return 0
    session = order.live_session
    entries = [
        CommissionEntry(
            host_id=session.host_id,
            session_id=session.pk,
            order_id=order.pk,
            order_line_id=line.pk,
            kind=Kind.PENDING,
            event=Event.PLACED,
            base=line.line_total,
            rate=order.commission_rate,
            amount=commission(base=line.line_total, rate=order.commission_rate),
        )
        for line in lines
    ]
    CommissionEntry.objects.bulk_create(entries)
    return len(entries)


def commission_move(*, order: Any, event: str) -> int:
    """Move an order's commission on ``event``: completion earns what is pending; cancellation or expiry
    reverses what is pending; a refund reverses what was earned (and anything still pending).

    Each move is a negative entry on the balance it leaves and a positive one on the balance it enters;
    no entry is ever edited. Moving again for the same event changes nothing.
    """
    if order.live_session_id is None:
        return 0
    by_event: dict[str, list[tuple[str, str]]] = {
        Event.COMPLETED: [(Kind.PENDING, Kind.EARNED)],
        Event.CANCELLED: [(Kind.PENDING, Kind.REVERSED)],
        Event.EXPIRED: [(Kind.PENDING, Kind.REVERSED)],
        Event.REFUNDED: [(Kind.EARNED, Kind.REVERSED), (Kind.PENDING, Kind.REVERSED)],
    }
    moves = by_event[event]
    balances = {
        (row["order_line"], row["kind"]): row
        for row in CommissionEntry.objects.filter(order_id=order.pk, kind__in=[source for source, _to in moves])
        .values("order_line", "kind", "host", "session", "base", "rate")
        .annotate(balance=Sum("amount"))
    }
    entries: list[CommissionEntry] = []
    for source, target in moves:
        for (line_id, kind), row in balances.items():
            if kind != source or not row["balance"]:
                continue
            common = {
                "host_id": row["host"],
                "session_id": row["session"],
                "order_id": order.pk,
                "order_line_id": line_id,
                "event": event,
                "base": row["base"],
                "rate": row["rate"],
            }
            entries.append(CommissionEntry(kind=source, amount=-row["balance"], **common))
            entries.append(CommissionEntry(kind=target, amount=row["balance"], **common))
    # A line moved twice for one event (a retried refund) hits the unique constraint: ignore the repeat.
    CommissionEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return len(entries)
