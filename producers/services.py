"""Every write to producers goes through a function here."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.images import reencoded_photo
from marketplace.models import CONTENT_LANGUAGES, User
from marketplace.page_cache import pages_changed
from marketplace.validators import normalize_mainland_mobile
from producers import selectors
from producers.models import Producer, ProducerActivity, ProducerMembership, Village

# Paths under /dashboard/ that are not a producer's back office.
RESERVED_SLUGS = frozenset({"apply"})
NAME_MAX_LENGTH = Producer._meta.get_field("name_en").max_length
STORY_MAX_LENGTH = 5000


def producers_verify(*, producers: QuerySet[Producer], by: User) -> int:
    """Mark the unverified ones among ``producers`` as verified by ``by``, now; return how many.

    A producer already verified keeps who verified it and when: verifying again
    must not rewrite the record of the first check.
    """
    now = timezone.now()
    verified = Producer.objects.filter(pk__in=producers.values("pk"), is_verified=False).update(
        is_verified=True, verified_at=now, verified_by=by, updated_at=now
    )
    pages_changed()
    return verified


def producer_verify(*, producer: Producer, by: User) -> None:
    """Mark one producer as verified by ``by``, now (nothing changes if it already is)."""
    producers_verify(producers=Producer.objects.filter(pk=producer.pk), by=by)
    producer.refresh_from_db(fields=["is_verified", "verified_at", "verified_by", "updated_at"])


def producers_unverify(*, producers: QuerySet[Producer]) -> int:
    """Withdraw verification: the producers' products leave the storefront and the public API."""
    unverified = Producer.objects.filter(pk__in=producers.values("pk"), is_verified=True).update(
        is_verified=False, verified_at=None, verified_by=None, updated_at=timezone.now()
    )
    pages_changed()
    return unverified


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
    try:
        phone = normalize_mainland_mobile(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    processed = None
    if photo is not None:
        try:
            processed = reencoded_photo(photo)
        except ValidationError as error:
            errors["photo"] = error.messages
    if errors:
        raise ValidationError(errors)

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
        for candidate in _producer_slug_candidates(name, village):
            if Producer.objects.filter(slug=candidate).exists():
                continue
            producer.slug = candidate
            try:
                with transaction.atomic():
                    producer.save()
                break
            except IntegrityError:
                # Another application took the slug between the check and the insert.
                if not Producer.objects.filter(slug=candidate).exists():
                    raise
        else:
            raise ValidationError({"name": [_("Could not make a web address for this name; try another name.")]})
        ProducerMembership.objects.create(producer=producer, user=user, role=ProducerMembership.Role.OWNER)
    return producer
