"""The outbox, one-time codes and the on-site inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One message to send: which allowed handler runs it (``OUTBOX_HANDLERS``) and its keyword arguments.

    A row exists only if the change it tells of committed, since both are written in one transaction. It is
    sent once: delivery locks the row, runs the handler and stamps ``sent_at`` in one transaction.
    """

    handler = models.CharField(_("handler"), max_length=200)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # When the periodic sweep may pick the row up: a little after it is written (the worker's own task is
    # normally faster), and later after each failure.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep reads only unsent rows, which stay few however many have been sent.
            models.Index(fields=["next_attempt_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.handler} #{self.pk}"


class OneTimeCode(models.Model):
    """The one code a phone number may use now for one purpose ("sign-in", "order-find").

    Neither the number nor the code is stored in clear: both are HMACs under ``SECRET_KEY``
    (``notifications.one_time_codes``). A new code replaces the row; a right code deletes it; too many
    wrong tries void it.
    """

    purpose = models.CharField(_("purpose"), max_length=20)
    phone_hash = models.CharField(_("phone number (hashed)"), max_length=64)
    code_hash = models.CharField(_("code (hashed)"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    failed_attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        constraints = [models.UniqueConstraint(fields=["purpose", "phone_hash"], name="one_time_code_unique")]
        indexes = [models.Index(fields=["expires_at"], name="one_time_code_expires_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} #{self.pk}"


class Notice(models.Model):
    """One notice in a user's on-site inbox (``notifications.notices``).

    Stored as a message code with its parameters, not as text: it is worded when shown, in the language of
    whoever reads it. ``link`` is the site path the notice points to.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", verbose_name=_("user")
    )
    code = models.CharField(_("message code"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="notice_user_newest_idx")]

    def __str__(self) -> str:
        return f"{self.code} #{self.pk}"
