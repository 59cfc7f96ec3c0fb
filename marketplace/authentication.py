"""The sign-in backend: Django's, reading the signed-in user with their host profile in one query."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Every page's header asks whether the user hosts live sessions; the profile comes with the user's row
    (a join on the user query every signed-in request already makes), not as a query of its own."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("host_profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
