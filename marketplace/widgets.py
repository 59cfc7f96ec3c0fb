"""Form widgets every app's forms may use: a photo input that shrinks photos on the phone, a searchable select.

Both work as plain HTML without script. ``templates/includes/form_field.html`` loads the script of each
(``static/js/photo_resize.js``, ``static/js/select_search.js``) next to the field, so any form rendered through
it gets them; a template that renders such a field by hand loads the script itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.images import ACCEPT

# The long side a photo is reduced to in the browser before it is sent: more than the kept size (LARGE_SIZE), so
# the server's own reduction still decides what shoppers see, and a tenth of a phone camera's bytes.
BROWSER_PHOTO_MAX_SIDE = 2000
BROWSER_PHOTO_QUALITY = "0.85"


class PhotoFileInput(forms.FileInput):
    """A photo input: ``photo_resize.js`` redraws a chosen photo at most 2,000 px on its long side as a JPEG.

    The server checks what arrives exactly as it checks a photo sent without script.
    """

    def __init__(self, attrs: Mapping[str, Any] | None = None) -> None:
        defaults = {
            "accept": ACCEPT,
            "data-photo-resize": str(BROWSER_PHOTO_MAX_SIDE),
            "data-photo-quality": BROWSER_PHOTO_QUALITY,
            "data-photo-busy": _("Making the photo smaller for sending…"),
            # {before} and {after} are sizes such as "4.2 MB".
            "data-photo-done": _("Made smaller for sending: {before} → {after}."),
        }
        super().__init__({**defaults, **(attrs or {})})


class MultiplePhotoFileInput(PhotoFileInput):
    allow_multiple_selected = True


class SearchableSelect(forms.Select):
    """A select with a search box above it (``select_search.js``): typing narrows the options to those whose
    label or ``search_terms`` (names in other languages, other spellings) contain what was typed.

    ``search_terms`` maps an option's value to extra words; without script the select works as it is.
    """

    def __init__(self, attrs: Mapping[str, Any] | None = None, search_terms: Mapping[str, str] | None = None) -> None:
        defaults = {
            "data-select-search": "",
            "data-search-label": _("Search by name"),
            "data-search-empty": _("Nothing matches. Try another spelling or language."),
        }
        super().__init__({**defaults, **(attrs or {})})
        self.search_terms: Mapping[str, str] = search_terms or {}

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        terms = self.search_terms.get(str(value))
        if terms:
            option["attrs"]["data-search"] = terms
        return option
