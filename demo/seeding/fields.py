"""Model field values made from the seeds: a text's three languages, and stable numbers for pictures."""

from __future__ import annotations

import zlib

from demo.data import Trilingual


def text_fields(prefix: str, text: Trilingual) -> dict[str, str]:
    zh, ug, en = text
    return {f"{prefix}_zh": zh, f"{prefix}_ug": ug, f"{prefix}_en": en}


def translated_fields(name: Trilingual, description: Trilingual = ("", "", "")) -> dict[str, str]:
    return {**text_fields("name", name), **text_fields("description", description)}


def seed_number(key: str) -> int:
    # crc32 rather than hash(): Python salts str hashes per process, and pictures must not change between runs.
    return zlib.crc32(key.encode())
