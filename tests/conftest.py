import pytest
from django.utils import translation

from tests.api import make_roles


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a throwaway folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories and the demo seed hash passwords; the production hasher (~0.2 s each) would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Code called directly by a test speaks English, so tests read its messages; requests still negotiate."""
    with translation.override("en"):
        yield


@pytest.fixture
def roles(db):
    """Anonymous, shopper, another shopper, a producer member, a member of another producer, and staff."""
    return make_roles()
