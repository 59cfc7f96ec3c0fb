"""A form's fields in each content language (name_zh, description_ug, ...), the reader's language first.

``templates/includes/language_fields.html`` shows the first group open and folds the others under "Other
languages" (a ``<details>``, opened when one of their fields has an error); every field is still submitted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from marketplace.models import CONTENT_LANGUAGES, ContentLanguage, content_language


@dataclass(frozen=True)
class LanguageGroup:
    code: str
    label: str
    fields: list[forms.BoundField]

    @property
    def has_errors(self) -> bool:
        return any(field.errors for field in self.fields)

    @property
    def is_filled(self) -> bool:
        return any(field.value() for field in self.fields)


class LanguageFieldsMixin:
    """For a form with ``<stem>_<language>`` fields: ``language_groups``, the reader's language first."""

    language_stems: tuple[str, ...] = ("name", "description")

    @property
    def first_language(self) -> str:
        """The language of the page: the one the member reads, and most likely writes."""
        return content_language()

    @property
    def language_groups(self) -> list[LanguageGroup]:
        first = self.first_language
        codes = sorted(CONTENT_LANGUAGES, key=lambda code: code != first)
        form: forms.Form = self  # type: ignore[assignment]
        return [
            LanguageGroup(
                code=code,
                label=str(ContentLanguage(code).label),
                fields=[form[f"{stem}_{code}"] for stem in self.language_stems if f"{stem}_{code}" in form.fields],
            )
            for code in codes
        ]

    @property
    def other_languages_open(self) -> bool:
        return any(group.has_errors for group in self.language_groups[1:])
