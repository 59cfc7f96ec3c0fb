"""The after-sales promise, returns, privacy, terms and contact pages: written by staff in three languages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from marketplace.models import SitePage
from tests.admin_forms import change_form_data
from tests.factories import UserFactory, VariantFactory

SLUGS = ("promise", "returns", "privacy", "terms", "contact")


def page_url(slug: str) -> str:
    return reverse("site-page", kwargs={"slug": slug})


@pytest.fixture
def returns(db) -> SitePage:
    """The returns page as staff might have left it: Chinese and English written, Uyghur not yet."""
    page, _ = SitePage.objects.update_or_create(
        slug="returns",
        defaults={
            "title_zh": "退货与退款",
            "title_ug": "",
            "title_en": "Returns and refunds",
            "body_zh": "坏果 48 小时内拍照退款。\n\n干果七天内可退。",
            "body_ug": "",
            "body_en": "Bad fruit: photo within 48 hours.\n\nDried fruit: 7 days.",
        },
    )
    return page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "title", "phrase"),
    [
        ("zh-hans", "退货与退款", "48 小时内"),
        ("ug", "قايتۇرۇش ۋە پۇل قايتۇرۇش", "48 سائەت ئىچىدە"),
        ("en", "Returns and refunds", "within 48 hours of delivery"),
    ],
)
def test_the_starter_pages_are_written_in_each_language(client, language, title, phrase):
    """Every fixed page exists with its starter text, and the returns page promises the 48-hour photo refund
    in the visitor's language."""
    for slug in SLUGS:
        assert client.get(page_url(slug), headers={"accept-language": language}).status_code == 200
    body = client.get(page_url("returns"), headers={"accept-language": language}).content.decode()
    assert f"<h1>{title}</h1>" in body
    assert phrase in body


def test_a_language_not_written_yet_falls_back_to_another(client, returns):
    """Uyghur visitors see the Chinese text, marked as Chinese, until staff write the Uyghur one."""
    body = client.get(page_url("returns"), headers={"accept-language": "ug"}).content.decode()
    assert "<h1>退货与退款</h1>" in body
    assert 'lang="zh-Hans"' in body
    assert "<p>坏果 48 小时内拍照退款。</p>\n\n<p>干果七天内可退。</p>" in body


def test_an_unknown_page_is_not_found(client, returns):
    assert client.get(page_url("refunds")).status_code == 404
    assert client.get("/pages/returns-policy/").status_code == 404


def test_staff_markup_is_shown_as_text_never_run(client, returns):
    """The body is plain text: HTML typed into it is escaped, so a script never reaches the page."""
    returns.body_en = 'Call us <script>alert("x")</script>\nor <b>write</b>.'
    returns.save()
    body = client.get(page_url("returns"), headers={"accept-language": "en"}).content.decode()
    assert "<script>alert" not in body and "<b>write</b>" not in body
    assert "Call us &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>or &lt;b&gt;write&lt;/b&gt;." in body


def test_an_edit_in_the_admin_shows_on_the_cached_page_at_once(client, returns):
    """The page is served from the shared cache; a save in the admin makes the copy stale."""
    headers = {"accept-language": "ug"}
    assert "يېڭى مېۋە" not in client.get(page_url("returns"), headers=headers).content.decode()
    assert client.get(page_url("returns"), headers=headers)["X-Page-Cache"] == "hit"

    admin = UserFactory(username="editor", is_staff=True, is_superuser=True)
    staff = client.__class__()
    staff.force_login(admin)
    change_url = reverse("admin:marketplace_sitepage_change", args=[returns.pk])
    data = change_form_data(staff.get(change_url))
    data.update(title_ug="قايتۇرۇش", body_ug="بۇزۇلغان يېڭى مېۋە: 48 سائەت ئىچىدە رەسىم ئەۋەتىڭ.")
    assert staff.post(change_url, data).status_code == 302

    body = client.get(page_url("returns"), headers=headers).content.decode()
    assert "<h1>قايتۇرۇش</h1>" in body
    assert "بۇزۇلغان يېڭى مېۋە: 48 سائەت ئىچىدە رەسىم ئەۋەتىڭ." in body


def test_a_page_without_any_title_is_refused_in_the_admin(client, returns):
    """Staff who clear every title get the error on the form; the page keeps its text."""
    admin = UserFactory(username="editor", is_staff=True, is_superuser=True)
    client.force_login(admin)
    change_url = reverse("admin:marketplace_sitepage_change", args=[returns.pk])
    data = change_form_data(client.get(change_url))
    data.update(title_zh="", title_ug="", title_en="")
    response = client.post(change_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    returns.refresh_from_db()
    assert returns.title_en == "Returns and refunds"


def test_staff_neither_add_nor_delete_the_fixed_pages(admin_client, returns):
    assert admin_client.get(reverse("admin:marketplace_sitepage_add")).status_code == 403
    assert admin_client.post(reverse("admin:marketplace_sitepage_delete", args=[returns.pk])).status_code == 403
    assert SitePage.objects.filter(pk=returns.pk).exists()


@pytest.mark.django_db
def test_every_page_links_the_policies_in_its_footer(client):
    body = client.get(reverse("home"), headers={"accept-language": "ug"}).content.decode()
    for slug in SLUGS:
        assert f'href="{page_url(slug)}"' in body
    assert "سېتىشتىن كېيىنكى مۇلازىمەت ۋەدىسى" in body


@pytest.mark.django_db
def test_the_product_page_and_checkout_promise_the_refund_and_link_the_returns_page(client):
    """A shopper deciding to buy reads the after-sales promise in their language, with the returns rules a tap away."""
    variant = VariantFactory(stock=5)
    promise = "يەتكەندىن كېيىن 48 سائەت ئىچىدە رەسىم ئەۋەتىڭ"
    link = f'<a href="{page_url("returns")}">قايتۇرۇش ۋە پۇل قايتۇرۇش</a>'
    headers = {"accept-language": "ug"}

    product_page = client.get(variant.product.get_absolute_url(), headers=headers).content.decode()
    client.post(reverse("cart-add"), {"variant": variant.pk, "quantity": 1}, headers=headers)
    checkout = client.get(reverse("checkout"), headers=headers).content.decode()

    for body in (product_page, checkout):
        assert promise in body and link in body
