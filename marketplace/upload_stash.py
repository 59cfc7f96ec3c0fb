"""Uploads kept between two submissions of a form, so that a photo is not sent twice over a slow connection.

A form that comes back with an error on another field keeps the photo it received: ``stash_put`` stores the
bytes under a random name in the media storage and gives a signed token (for a hidden input) that names the
file, its original name and its owner; the next submission reads it back with ``stash_read`` (only for that
owner, within ``MAX_AGE``) and ``stash_drop`` removes it once used. A stash left behind by a form never sent
again is removed by the next ``stash_put`` once it is older than ``MAX_AGE``.
"""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

STASH_DIR = "upload-stash"
MAX_AGE = 24 * 3600
_SALT = "marketplace.upload_stash"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stashed:
    data: bytes
    filename: str


def stash_put(data: bytes, *, filename: str, owner: str) -> str:
    """Keep ``data`` for ``owner``; the signed token that reads it back."""
    _purge_old()
    path = default_storage.save(f"{STASH_DIR}/{secrets.token_urlsafe(24)}", ContentFile(data))
    return signing.dumps({"path": path, "name": filename[:200], "owner": owner}, salt=_SALT, compress=True)


def _load(token: str, owner: str) -> dict | None:
    try:
        value = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("owner") != owner:
        return None
    path = value.get("path")
    if not isinstance(path, str) or not path.startswith(STASH_DIR + "/"):
        return None
    return value


def stash_read(token: str, *, owner: str) -> Stashed | None:
    """What ``token`` kept for ``owner``; ``None`` if it is not theirs, too old, or gone."""
    value = _load(token, owner)
    if value is None:
        return None
    try:
        with default_storage.open(value["path"], "rb") as file:
            return Stashed(data=file.read(), filename=str(value.get("name") or ""))
    except OSError:
        return None


def stash_drop(token: str, *, owner: str) -> None:
    value = _load(token, owner)
    if value is not None:
        default_storage.delete(value["path"])


def _purge_old() -> None:
    """Remove stashes older than ``MAX_AGE``: best effort, a failure never stops the upload being kept."""
    try:
        _dirs, files = default_storage.listdir(STASH_DIR)
        cutoff = time.time() - MAX_AGE
        for name in files:
            path = f"{STASH_DIR}/{name}"
            if default_storage.get_modified_time(path).timestamp() < cutoff:
                default_storage.delete(path)
    except (OSError, NotImplementedError):
        logger.debug("could not purge old upload stashes", exc_info=True)
