"""Uploaded photos: an S3-compatible bucket when MEDIA_S3_BUCKET is set, this machine's MEDIA_ROOT otherwise.

The settings are read once, at import, so each case imports them in a fresh Python
process with its own environment. No bucket is reached: building the storage and its
public URLs needs no request to the server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
S3 = "storages.backends.s3.S3Storage"
SHOW_STORAGE = """
import json

import django

django.setup()
from django.conf import settings
from django.core.files.storage import storages

storage = storages["default"]
print(json.dumps({
    "setting": settings.STORAGES["default"],
    "class": f"{type(storage).__module__}.{type(storage).__qualname__}",
    "url": storage.url("products/3f2a.jpg"),
    "attributes": {
        name: getattr(storage, name, None)
        for name in (
            "bucket_name", "endpoint_url", "region_name", "access_key", "secret_key",
            "custom_domain", "querystring_auth", "file_overwrite", "location",
        )
    },
}, default=str))
"""


def storage_under(**env: str) -> dict:
    """The default storage as the settings build it with ``env`` (and none of this shell's S3 or AWS variables)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MEDIA_S3_", "AWS_")) and key != "MEDIA_ROOT"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="1",
        # Never connected to: building the storage does not touch the database.
        DATABASE_URL="postgres://nobody@127.0.0.1:1/unused",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_bucket_selects_s3_storage_with_its_options_from_the_environment():
    storage = storage_under(
        MEDIA_S3_BUCKET="oasis-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.oasis.example",
        MEDIA_S3_REGION="cn-northwest-1",
        MEDIA_S3_ACCESS_KEY_ID="media-key-id",
        MEDIA_S3_SECRET_ACCESS_KEY="media-secret",
        MEDIA_S3_CUSTOM_DOMAIN="media.oasis.example",
    )

    assert storage["setting"] == {
        "BACKEND": S3,
        "OPTIONS": {
            "bucket_name": "oasis-media",
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            "endpoint_url": "https://s3.oasis.example",
            "region_name": "cn-northwest-1",
            "access_key": "media-key-id",
            "secret_key": "media-secret",
            "custom_domain": "media.oasis.example",
        },
    }
    assert storage["class"] == S3
    assert storage["attributes"] == {
        "bucket_name": "oasis-media",
        "endpoint_url": "https://s3.oasis.example",
        "region_name": "cn-northwest-1",
        "access_key": "media-key-id",
        "secret_key": "media-secret",
        "custom_domain": "media.oasis.example",
        "querystring_auth": False,
        "file_overwrite": False,
        "location": "",
    }
    # A product photo's address: public, on the CDN's domain, the same on every page.
    assert storage["url"] == "https://media.oasis.example/products/3f2a.jpg"


def test_the_standard_aws_bucket_variable_works_too_and_keys_are_left_to_boto3():
    """Without MEDIA_S3_ keys the storage takes boto3's own (AWS_ACCESS_KEY_ID, the machine's role)."""
    storage = storage_under(
        AWS_STORAGE_BUCKET_NAME="oasis-media",
        MEDIA_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        MEDIA_S3_ADDRESSING_STYLE="path",
    )

    assert storage["class"] == S3
    options = storage["setting"]["OPTIONS"]
    assert options["bucket_name"] == "oasis-media"
    assert options["addressing_style"] == "path"
    assert "access_key" not in options
    assert "secret_key" not in options
    # Unsigned: no signature or expiry that would make every page's photo addresses differ.
    assert storage["url"] == "http://127.0.0.1:9000/oasis-media/products/3f2a.jpg"


def test_without_a_bucket_photos_stay_in_media_root(tmp_path):
    storage = storage_under(MEDIA_ROOT=str(tmp_path))

    assert storage["setting"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage["class"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert storage["url"] == "/media/products/3f2a.jpg"
