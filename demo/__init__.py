"""The demo marketplace: its data (``demo.data``), the code that writes it (``demo.seeding``), its pictures
(``demo.images``) and ``manage.py seed_demo``. No models: it writes the other apps' rows."""
