"""The demo accounts, one per role, all with the demo password."""

from __future__ import annotations

from demo.data.accounts import ACCOUNTS, DEMO_PASSWORD
from marketplace.models import User


def seed_accounts() -> dict[str, User]:
    users = {}
    for account in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "email": f"{account.username}@oasis.example",
                "is_active": True,
                "is_staff": account.is_staff,
                "is_superuser": account.is_superuser,
            },
        )
        # Re-set every run, so a demo whose password someone changed can be reset by seeding again.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        users[account.username] = user
    return users
