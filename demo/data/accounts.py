"""The demo accounts, one per role, and the members who answer for the producers the demo host features."""

from __future__ import annotations

from dataclasses import dataclass

# Published in the README and PRODUCT.md: these accounts exist for demos only.
DEMO_PASSWORD = "oasis-demo"  # noqa: S105


@dataclass(frozen=True)
class AccountSeed:
    username: str
    role: str
    first_name: str = ""
    is_staff: bool = False
    is_superuser: bool = False


ACCOUNTS: tuple[AccountSeed, ...] = (
    AccountSeed("demo-admin", "staff and superuser", "Demo admin", is_staff=True, is_superuser=True),
    AccountSeed("demo-farmer", "owner of Abdukerim's Vineyard (Grape Valley, Turpan)", "Abdukerim"),
    AccountSeed("demo-shopper", "shopper", "王芳"),
    AccountSeed("demo-host", "livestream host, 5% commission", "Aygül"),
    AccountSeed("demo-depot", "manager of the Grape Valley village depot", "Reshit"),
)

# The producer demo-farmer owns, and the depot demo-depot manages.
FARMER_PRODUCER = "abdukerim-vineyard"
MANAGED_DEPOT = "grape-valley-depot"

# Members of the other producers the demo host features: they answer the host's proposals. They have no
# password (not demo logins); demo-farmer answers for Abdukerim's Vineyard.
PRODUCER_MEMBERS: tuple[tuple[str, str, str], ...] = (
    # (username, first name, producer)
    ("demo-member-tursungul", "Tursungül", "tursungul-drying-house"),
    ("demo-member-yasin", "Yasin", "grape-valley-cooperative"),
    ("demo-member-reyhangul", "Reyhangül", "reyhangul-apricot-orchard"),
    ("demo-member-ablimit", "Ablimit", "karakax-rose-cooperative"),
    ("demo-member-turghun", "Turghun", "turghun-walnut-grove"),
)
