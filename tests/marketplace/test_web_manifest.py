"""Adding the shop to a phone's home screen: an icon on every page and a manifest in the shopper's language."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "name", "direction"),
    [("zh-hans", "绿洲集市", "ltr"), ("ug", "بوستان بازىرى", "rtl"), ("en", "Oasis Market", "ltr")],
)
def test_the_manifest_names_the_shop_in_the_shopper_s_language(client, language, name, direction):
    response = client.get("/manifest.webmanifest", headers={"Accept-Language": language})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["dir"], manifest["start_url"]) == (name, direction, "/")
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_every_page_links_its_icon_and_manifest(client):
    html = client.get("/", headers={"Accept-Language": "en"}).content.decode()

    assert 'rel="icon" href="/static/img/favicon.svg"' in html
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'rel="apple-touch-icon"' in html
