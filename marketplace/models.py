"""What every app shares: the user model and base pieces for translated content."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# Content languages, in fallback order after the requested one.
CONTENT_LANGUAGES = ("zh", "ug", "en")


class ContentLanguage(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    UYGHUR = "ug", _("Uyghur")
    ENGLISH = "en", _("English")


def content_language(language_code: str | None = None) -> str:
    """Map a Django language code ("zh-hans", "ug", "en-us") to a content language."""
    code = (language_code or translation.get_language() or "zh").lower()
    for language in CONTENT_LANGUAGES:
        if code == language or code.startswith(language + "-"):
            return language
    return "zh"


class User(AbstractUser):
    """A person who signs in: shopper, producer member, host, depot manager or staff."""

    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    # How many of the user's inbox notices are unread (``notifications.notices``), kept with the row every
    # signed-in request reads anyway: the header's bell costs no query of its own.
    unread_notices = models.PositiveIntegerField(_("unread notices"), default=0, editable=False)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # One account per address, whatever its case: password reset mails go to it.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unique_ignoring_case",
                violation_error_message=_("An account with this email already exists."),
            ),
            # One account per mobile number (stored as its 11 digits): a code sent to it signs that account in.
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="user_phone_unique",
                violation_error_message=_("An account with this mobile number already exists."),
            ),
        ]


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TranslatedContent(models.Model):
    """Name and description in Chinese, Uyghur and English.

    ``original_language`` is the language the author wrote in; a missing
    translation falls back to it, then to any language that has text.
    """

    original_language = models.CharField(
        _("original language"), max_length=2, choices=ContentLanguage.choices, default=ContentLanguage.CHINESE
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ug = models.CharField(_("name (Uyghur)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_ug = models.TextField(_("description (Uyghur)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def translated(self, field: str, language_code: str | None = None) -> str:
        requested = content_language(language_code)
        order = [requested, getattr(self, "original_language", requested), *CONTENT_LANGUAGES]
        for language in order:
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return ""

    @property
    def name(self) -> str:
        return self.translated("name")

    @property
    def description(self) -> str:
        return self.translated("description")


def has_name_constraint(model_name: str) -> models.CheckConstraint:
    """A row of translated content must have a name in at least one language."""
    return models.CheckConstraint(
        condition=~models.Q(name_zh="", name_ug="", name_en=""),
        name=f"{model_name}_has_name",
    )


class RateCounter(models.Model):
    """One window of a rate limit (``marketplace/rate_limits.py``) when there is no Redis to count in.

    Rows are disposable: the table is unlogged, a row past ``expires`` counts from zero again, and old
    rows are deleted every ten minutes by the scheduled ``marketplace.prune_rate_counters``.
    """

    key = models.CharField(max_length=100, primary_key=True)
    hits = models.IntegerField(default=0)
    expires = models.DateTimeField()

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self) -> str:
        return self.key


class SitePage(TimeStampedModel):
    """One of the storefront's fixed information pages (the after-sales promise, returns, privacy, terms,
    contact), written by staff in the admin in each content language.

    The slugs are fixed: the footer, the product page and checkout link to them by name. ``body_*`` is plain
    text: a blank line starts a paragraph, and it is escaped when shown, never read as HTML.
    """

    class Slug(models.TextChoices):
        PROMISE = "promise", _("After-sales promise")
        RETURNS = "returns", _("Returns and refunds")
        PRIVACY = "privacy", _("Privacy")
        TERMS = "terms", _("Terms of use")
        CONTACT = "contact", _("Contact us")

    BODY_HELP = _("Plain text: a blank line starts a new paragraph. HTML is shown as typed, never run.")

    slug = models.CharField(_("page"), max_length=20, choices=Slug.choices, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_ug = models.CharField(_("title (Uyghur)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True, help_text=BODY_HELP)
    body_ug = models.TextField(_("text (Uyghur)"), blank=True, help_text=BODY_HELP)
    body_en = models.TextField(_("text (English)"), blank=True, help_text=BODY_HELP)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_zh="", title_ug="", title_en=""), name="sitepage_has_title"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("site-page", kwargs={"slug": self.slug})

    def translated(self, field: str, language_code: str | None = None) -> str:
        """``field`` in the requested language, else in the first content language that has it."""
        for language in (content_language(language_code), *CONTENT_LANGUAGES):
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return ""

    @property
    def title(self) -> str:
        return self.translated("title")

    @property
    def body(self) -> str:
        return self.translated("body")

    @property
    def body_language(self) -> str:
        """The content language ``body`` is shown in (for the page's ``lang``)."""
        for language in (content_language(), *CONTENT_LANGUAGES):
            if getattr(self, f"body_{language}", ""):
                return language
        return content_language()
