"""Token authentication that looks up only keys a token can have."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

# What ``Token.generate_key`` makes: 20 random bytes in hex.
TOKEN_KEY = re.compile(r"[0-9a-f]{40}")


class TokenAuthentication(authentication.TokenAuthentication):
    """REST framework's ``Authorization: Token <key>``; a key that no token can have fails as a wrong key does.

    It is refused without a query: PostgreSQL refuses text holding a NUL character, which would otherwise
    answer 500 to ``Token \\x00``."""

    def authenticate_credentials(self, key: str) -> Any:
        if not TOKEN_KEY.fullmatch(key):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().authenticate_credentials(key)
