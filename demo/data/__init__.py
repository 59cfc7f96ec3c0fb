"""The demo marketplace as plain data: real places and products of the region, and one account per role.

One module per subject: ``geography`` (prefectures, counties, villages,
depots, from docs' REGION.md), ``producers``, ``catalogue`` (categories,
packs, kinds of product, products), ``accounts`` (one per role, and the
producers' members), ``live`` (the host's sessions and their orders) and
``orders`` (the demo shopper's and the depot's orders). ``demo.seeding``
writes them; rows are keyed by slug, SKU, username or idempotency key, so
seeding again updates what is there and adds nothing.

Text is given as ``(Chinese, Uyghur, English)``. The Uyghur is written in
Uyghur Arabic script; as REGION.md says, a native speaker should review it
before anything here reaches production.
"""

Trilingual = tuple[str, str, str]
"""Text in Chinese, Uyghur and English, in that order."""
