"""The sign-in backend: Django's, with sign-in locks, reading the signed-in user with their host profile."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from marketplace import sign_in_limits
from marketplace.audit_log import auth_event


class UserBackend(ModelBackend):
    """Every page's header asks whether the user hosts live sessions; the profile comes with the user's row
    (a join on the user query every signed-in request already makes), not as a query of its own.

    Every password sign-in with a request (the storefront, the admin, the API's token) is counted by
    ``marketplace.sign_in_limits`` before the password is checked. A locked one is refused whatever the
    password, and ``request.sign_in_locked`` tells the form or the API how long to wait.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or not isinstance(name, str) or password is None:
            return super().authenticate(request, username, password, **kwargs)
        try:
            attempt = sign_in_limits.attempt(request, name)
        except sign_in_limits.SignInLocked as locked:
            auth_event("auth.sign_in_locked", level=logging.WARNING, retry_after=locked.retry_after)
            request.sign_in_locked = locked
            raise PermissionDenied from locked  # stops authenticate() at once, user_login_failed is sent
        user = super().authenticate(request, username, password, **kwargs)
        if user is not None:
            sign_in_limits.succeeded(attempt)
        return user

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("host_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
