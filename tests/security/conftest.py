"""One world per test module, rolled back when the module ends; each case runs in its own savepoint."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.security.world import World, build_world


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_in_tmp(media_root):
    """The world's photos stay where the module put them: the media route serves them to every case."""
    return media_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root) -> World:
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media_root,
            STORAGES=storages,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)
