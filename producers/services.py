"""Every write to producers goes through a function here."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.images import ProcessedPhoto, reencoded_photo
from marketplace.models import CONTENT_LANGUAGES, User
from marketplace.page_cache import pages_changed
from marketplace.validators import normalize_mainland_mobile
from producers import notifications, selectors
from producers.models import Depot, DepotDay, Producer, ProducerActivity, ProducerMembership, Village
from producers.selectors import PICKUP_HORIZON_DAYS, depot_first_pickup_day

# Paths under /dashboard/ that are not a producer's back office.
RESERVED_SLUGS = frozenset({"apply"})
NAME_MAX_LENGTH: int = Producer._meta.get_field("name_en").max_length or 0
STORY_MAX_LENGTH = 5000


def producers_verify(*, producers: QuerySet[Producer], actor: User | None) -> int:
    """Mark the unverified ones among ``producers`` as verified by ``actor``, now; return how many.

    A producer already verified keeps who verified it and when: verifying again
    must not rewrite the record of the first check. Each verification is written
    in the producer's activity, in the same transaction, when ``actor`` is a user;
    ``None`` is for system jobs (the demo seed), which verify without anyone to name. The owners of each
    producer a user verified are told so (``producers.notifications``) once the transaction commits.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = _locked_ids(producers, is_verified=False)
        verified = Producer.objects.filter(pk__in=ids).update(
            is_verified=True, verified_at=now, verified_by=actor, rejected_at=None, updated_at=now
        )
        _activities_record(producer_ids=ids, actor=actor, action=ProducerActivity.Action.PRODUCER_VERIFIED)
        if actor is not None:  # a system job (the demo seed) tells nobody
            notifications.verified_after_commit(producer_ids=ids)
        pages_changed()
    return verified


def producer_verify(*, producer: Producer, actor: User | None) -> None:
    """Mark one producer as verified by ``actor``, now (nothing changes if it already is)."""
    producers_verify(producers=Producer.objects.filter(pk=producer.pk), actor=actor)
    producer.refresh_from_db(fields=["is_verified", "verified_at", "verified_by", "rejected_at", "updated_at"])


REJECTION_REASON_MAX_LENGTH = 1000


def producer_reject(*, producer: Producer, actor: User, reason: str) -> None:
    """Turn down ``producer``'s application with ``reason``, which is sent to the applicant by email and SMS.

    The application is no longer waiting for staff, and the applicant may apply again. A verified producer,
    an application already rejected, or a reason that is empty or too long is a ``ValidationError`` and
    changes nothing.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why, so that the applicant knows what to change.")]})
    if len(reason) > REJECTION_REASON_MAX_LENGTH or "\x00" in reason:
        raise ValidationError(
            {"reason": [_("Keep the reason to %(limit)d characters.") % {"limit": REJECTION_REASON_MAX_LENGTH}]}
        )
    with transaction.atomic():
        locked = Producer.objects.select_for_update().get(pk=producer.pk)
        if locked.is_verified:
            raise ValidationError(_("This producer is verified: it has no application to reject."), code="verified")
        if locked.rejected_at is not None:
            raise ValidationError(_("This application has already been rejected."), code="rejected")
        now = timezone.now()
        Producer.objects.filter(pk=locked.pk).update(rejected_at=now, rejection_reason=reason, updated_at=now)
        notifications.send_after_commit(producer_id=locked.pk)
    producer.refresh_from_db(fields=["rejected_at", "rejection_reason", "updated_at"])


def producers_unverify(*, producers: QuerySet[Producer], actor: User | None) -> int:
    """Withdraw verification: the producers' products leave the storefront and the public API.

    Each withdrawal is written in the producer's activity when ``actor`` is a user.
    """
    with transaction.atomic():
        ids = _locked_ids(producers, is_verified=True)
        unverified = Producer.objects.filter(pk__in=ids).update(
            is_verified=False, verified_at=None, verified_by=None, updated_at=timezone.now()
        )
        _activities_record(producer_ids=ids, actor=actor, action=ProducerActivity.Action.PRODUCER_UNVERIFIED)
        pages_changed()
    return unverified


def _locked_ids(producers: QuerySet[Producer], *, is_verified: bool) -> list[int]:
    """The ids of ``producers`` whose flag is ``is_verified``, their rows locked in primary-key order.

    Locked so that the rows changed are exactly the ones whose change is recorded, also when two
    staff members verify the same producers at once.
    """
    return list(
        Producer.objects.filter(pk__in=producers.values("pk"), is_verified=is_verified)
        .order_by("pk")
        .select_for_update()
        .values_list("pk", flat=True)
    )


def _activities_record(*, producer_ids: list[int], actor: User | None, action: str) -> None:
    """``activity_record`` for several producers at once, in two queries; nothing when no one is named."""
    if actor is None or not producer_ids:
        return
    members_of = set(
        ProducerMembership.objects.filter(producer_id__in=producer_ids, user=actor).values_list(
            "producer_id", flat=True
        )
    )
    ProducerActivity.objects.bulk_create(
        ProducerActivity(producer_id=pk, actor=actor, on_behalf=pk not in members_of, action=action)
        for pk in producer_ids
    )


def activity_record(*, producer: Producer, actor: User, action: str, subject: str = "") -> ProducerActivity:
    """Write down an action in ``producer``'s back office; a non-member's action is marked as done on behalf.

    Called by the services that change a producer's products and parcels, inside their transaction.
    """
    on_behalf = not producer.memberships.filter(user=actor).exists()
    return ProducerActivity.objects.create(
        producer=producer, actor=actor, on_behalf=on_behalf, action=action, subject=subject[:200]
    )


def _producer_slug_candidates(name: str, village: Village) -> list[str]:
    """A slug from the name when it is written in Latin letters, else from the village; then with random suffixes."""
    base = slugify(name)[:40].strip("-") or slugify(village.slug)[:40].strip("-") or "producer"
    suffixed = [f"{base}-{secrets.token_hex(3)}" for _attempt in range(4)]
    return suffixed if base in RESERVED_SLUGS or not slugify(name) else [base, *suffixed]


def _save_with_free_slug(producer: Producer, name: str, village: Village, *, field: str) -> None:
    """Insert ``producer`` under the first free slug made from ``name``; ``ValidationError`` on ``field`` if none is.

    A slug taken by another insert between the check and this one is passed over for the next candidate.
    """
    for candidate in _producer_slug_candidates(name, village):
        if Producer.objects.filter(slug=candidate).exists():
            continue
        producer.slug = candidate
        try:
            with transaction.atomic():
                producer.save()
            return
        except IntegrityError:
            if not Producer.objects.filter(slug=candidate).exists():
                raise
    raise ValidationError({field: [_("Could not make a web address for this name; try another name.")]})


def _checked_phone_and_photo(
    phone: str, photo: bytes | None, errors: dict[str, list[str]]
) -> tuple[str, ProcessedPhoto | None]:
    """The mobile number normalised and the photo re-encoded; ``ValidationError`` with ``errors`` and any
    found here when something is wrong."""
    processed = None
    try:
        phone = normalize_mainland_mobile(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if photo is not None:
        try:
            processed = reencoded_photo(photo)
        except ValidationError as error:
            errors["photo"] = error.messages
    if errors:
        raise ValidationError(errors)
    return phone, processed


def producer_apply(
    *,
    user: User,
    kind: str,
    village: Village,
    name: str,
    phone: str,
    story: str = "",
    photo: bytes | None = None,
    language: str = CONTENT_LANGUAGES[0],
) -> Producer:
    """``user``'s application to sell: a new unverified producer with ``user`` as its owner.

    ``name`` and ``story`` are stored in ``language`` (a content language, the one the applicant wrote in),
    which becomes the producer's original language. The phone must be a mainland mobile number; a photo
    goes through the project's photo checks and is re-encoded. Staff verify the producer in the admin;
    until then its products cannot be published. While one application of ``user`` is waiting for
    verification, another is refused with a ``ValidationError``: the user's row is locked first, so two
    applications sent at once cannot both get through.
    """
    errors: dict[str, list[str]] = {}
    if kind not in Producer.Kind.values:
        errors["kind"] = [_("Choose a household, a cooperative or a workshop.")]
    if language not in CONTENT_LANGUAGES:
        raise ValueError(f"Unknown content language {language!r}")
    name = (name or "").strip()
    story = (story or "").strip()
    if not name:
        errors["name"] = [_("Give the name shoppers will know you by.")]
    elif len(name) > NAME_MAX_LENGTH or "\x00" in name:
        errors["name"] = [_("Keep the name to %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}]
    if len(story) > STORY_MAX_LENGTH or "\x00" in story:
        errors["story"] = [_("Keep the story to %(limit)d characters.") % {"limit": STORY_MAX_LENGTH}]
    phone, processed = _checked_phone_and_photo(phone, photo, errors)

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if selectors.pending_application(user=user) is not None:
            raise ValidationError(
                _(
                    "You have already applied to sell. Staff are checking that application; "
                    "you can apply again once it is verified."
                ),
                code="pending_application",
            )
        producer = Producer(
            kind=kind,
            village=village,
            phone=phone,
            original_language=language,
            is_verified=False,
            **{f"name_{language}": name, f"description_{language}": story},
        )
        if processed is not None:
            producer.photo.save(processed.name, processed, save=False)
        _save_with_free_slug(producer, name, village, field="name")
        ProducerMembership.objects.create(producer=producer, user=user, role=ProducerMembership.Role.OWNER)
    return producer


def household_add(
    *,
    depot: Depot,
    actor: User,
    names: dict[str, str],
    language: str,
    phone: str,
    photo: bytes | None = None,
) -> Producer:
    """A manager of ``depot`` adds a household of its village that has no smartphone and sells through the depot.

    ``names`` maps content languages to the household's name; the one in ``language`` (the manager's) is
    required and becomes its original language. The phone must be a mainland mobile number not already given
    by a household of the village that sells through a depot; a photo goes through the project's photo checks
    and is re-encoded, as an application's does.

    The household is verified at once, on the word of the manager who met it (``verified_by`` is the manager,
    and its activity says so, on its behalf): the depot can list and sell for it the same day, and staff see
    in the admin who added it, can withdraw the verification, and alone set the low-income flag. It has no
    members; the depot's managers open its back office. Raises ``PermissionDenied`` when ``actor`` does not
    manage ``depot``, and ``ValidationError`` naming the fields that are wrong, changing nothing.
    """
    if not depot.is_active or not depot.managers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Only a manager of this depot can add households to it."))
    if language not in CONTENT_LANGUAGES:
        raise ValueError(f"Unknown content language {language!r}")
    errors: dict[str, list[str]] = {}
    cleaned = {code: (names.get(code) or "").strip() for code in CONTENT_LANGUAGES}
    for code, name in cleaned.items():
        if len(name) > NAME_MAX_LENGTH or "\x00" in name:
            errors[f"name_{code}"] = [_("Keep the name to %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}]
    if not cleaned[language] and f"name_{language}" not in errors:
        errors[f"name_{language}"] = [_("Give the household's name, as shoppers will see it.")]
    phone, processed = _checked_phone_and_photo(phone, photo, errors)

    village = depot.village
    with transaction.atomic():
        # Two managers adding the same household at once: the village's row is the lock they queue on.
        Village.objects.select_for_update().filter(pk=village.pk).first()
        twin = Producer.objects.filter(village=village, sells_through_depot=True, phone=phone).first()
        if twin is not None:
            raise ValidationError(
                {"phone": [_("%(name)s already sells through the depot with this phone.") % {"name": twin.name}]}
            )
        now = timezone.now()
        producer = Producer(
            kind=Producer.Kind.HOUSEHOLD,
            village=village,
            default_depot=depot,
            phone=phone,
            sells_through_depot=True,
            original_language=language,
            is_verified=True,
            verified_at=now,
            verified_by=actor,
            **{f"name_{code}": name for code, name in cleaned.items()},
        )
        if processed is not None:
            producer.photo.save(processed.name, processed, save=False)
        _save_with_free_slug(producer, cleaned["en"] or cleaned[language], village, field=f"name_{language}")
        activity_record(producer=producer, actor=actor, action=ProducerActivity.Action.PRODUCER_VERIFIED)
        pages_changed()
    return producer


# Depot capacity


def depot_day_claim(*, depot: Depot, today: date | None = None) -> date:
    """The first day from tomorrow on (Asia/Shanghai) with room for one more pickup order at ``depot``, claimed
    for it; ``ValidationError`` when the next ``PICKUP_HORIZON_DAYS`` are full. Call it inside the transaction
    that writes the order: the day's row stays locked until the commit, so orders placed at once never take
    more places than the depot has. Without a capacity, the first day, and nothing is written."""
    first = depot_first_pickup_day(today=today)
    if depot.daily_capacity is None:
        return first
    with connection.cursor() as cursor:
        for offset in range(PICKUP_HORIZON_DAYS):
            day = first + timedelta(days=offset)
            cursor.execute(
                "INSERT INTO producers_depotday (depot_id, day, orders) VALUES (%s, %s, 1) "
                "ON CONFLICT (depot_id, day) DO UPDATE SET orders = producers_depotday.orders + 1 "
                "WHERE producers_depotday.orders < %s RETURNING day",
                [depot.pk, day, depot.daily_capacity],
            )
            if cursor.fetchone() is not None:
                return day
    raise ValidationError(
        {
            "depot": [
                _("%(depot)s is fully booked for the next %(days)d days: choose another depot, or delivery.")
                % {"depot": depot.name, "days": PICKUP_HORIZON_DAYS}
            ]
        }
    )


def depot_day_release(*, depot_id: int, day: date) -> None:
    """Give back an order's place on ``day`` (it was cancelled, expired or refunded before collection)."""
    DepotDay.objects.filter(depot_id=depot_id, day=day, orders__gt=0).update(orders=F("orders") - 1)
