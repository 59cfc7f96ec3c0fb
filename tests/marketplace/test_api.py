"""The error shape of the whole API, its root, its schema and its docs."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from marketplace import rate_limits
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    rate_limits.clear_all()


def test_session_auth_requires_the_csrf_token():
    """A browser's session cookie alone cannot write through the API: a forged cross-site POST is refused."""
    user = UserFactory(username="aygul")
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.delete("/api/v1/auth/token/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "CSRF" in response.json()["detail"]


def test_unknown_api_path_answers_json_404():
    response = APIClient().get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_malformed_json_is_a_400_with_a_code():
    response = APIClient().post("/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_form_encoded_body_is_refused_with_415():
    response = APIClient().post("/api/v1/auth/register/", {"username": "x"}, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_messages_follow_accept_language():
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "nobody", "password": "x"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 401
    assert response["Content-Language"] == "zh-hans"
    assert "username" not in response.json()["detail"]


def test_schema_and_docs_are_served_without_any_other_host():
    client = APIClient()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_api_root_links_every_list_and_the_docs():
    response = APIClient().get("/api/v1/")
    assert response.status_code == 200
    links = response.json()
    assert links["products"] == "http://testserver/api/v1/products/"
    assert links["docs"] == "http://testserver/api/docs/"
    for url in links.values():
        path = url.removeprefix("http://testserver")
        answer = APIClient().get(path)
        assert answer.status_code in {200, 401, 405}, path


def test_the_openapi_schema_validates_without_a_warning():
    """Every endpoint is documented with request and response shapes that form a valid OpenAPI 3 document."""
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", stdout=out)
    schema = json.loads(out.getvalue())
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert ("POST", "/api/v1/orders/") in operations
    assert {("POST", "/api/v1/auth/phone/code/"), ("POST", "/api/v1/auth/phone/token/")} <= operations
    assert {("GET", "/api/v1/concepts/"), ("GET", "/api/v1/products/suggest/")} <= operations
    assert len(operations) == 48
    for (method, path), item in ((op, schema["paths"][op[1]][op[0].lower()]) for op in operations):
        assert "401" in item["responses"] and "429" in item["responses"], (method, path)


@pytest.mark.parametrize("path", ["/api/v1/products/", "/api/v1/villages/"])
@pytest.mark.parametrize("size", ["²", "١٢", "12.0", " 12", "99999999999999999999"])
def test_a_page_size_that_is_not_plain_digits_is_a_400(path, size):
    """Superscript or Arabic-Indic digits (a Uyghur keyboard's) are refused cleanly, never a crash."""
    response = APIClient().get(path, {"page_size": size})
    assert response.status_code == 400
    assert list(response.json()) == ["page_size"]
