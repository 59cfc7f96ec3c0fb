"""HTML forms of the producers app: the application to sell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.images import photo_check, upload_bytes
from marketplace.upload_stash import stash_drop, stash_put, stash_read
from marketplace.validators import normalize_mainland_mobile
from marketplace.widgets import PhotoFileInput, SearchableSelect
from producers import selectors
from producers.models import Producer, Village
from producers.services import NAME_MAX_LENGTH, STORY_MAX_LENGTH


def village_choices(villages: Iterable[Village], *, blank: Any) -> list[Any]:
    """A select's choices: the villages by slug, grouped under their county, after a blank choice."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in villages:
        groups.setdefault(village.county.name, []).append((village.slug, village.name))
    return [("", blank), *groups.items()]


def village_search_terms(villages: Iterable[Village]) -> dict[str, str]:
    """What each village answers to in a ``SearchableSelect``: its and its county's names in every language.

    The villages' county (and prefecture) must be loaded with them, as ``selectors.villages()`` does.
    """
    terms = {}
    for village in villages:
        county = village.county
        names = [village.name_zh, village.name_ug, village.name_en, county.name_zh, county.name_ug, county.name_en]
        terms[village.slug] = " ".join(name for name in names if name)
    return terms


class ProducerApplyForm(forms.Form):
    """What staff need to verify a producer; the name and story are taken in the language of the page.

    The photo is read here (its size is checked) and checked as a photo by ``producer_apply``.
    """

    kind = forms.ChoiceField(
        label=_("You are"),
        choices=Producer.Kind.choices,
        widget=forms.RadioSelect,
        initial=Producer.Kind.HOUSEHOLD,
        error_messages={"required": _("Choose a household, a cooperative or a workshop.")},
    )
    village = forms.ChoiceField(
        label=_("Village"),
        widget=SearchableSelect,
        error_messages={
            "required": _("Choose the village you sell from."),
            "invalid_choice": _("Choose the village you sell from."),
        },
    )
    name = forms.CharField(
        label=_("Name shoppers will see"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Give the name shoppers will know you by.")},
    )
    story = forms.CharField(
        label=_("Your story"),
        max_length=STORY_MAX_LENGTH,
        help_text=_("What you grow or make, since when, and how."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Tell shoppers a little about what you grow or make.")},
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        help_text=_("Staff call this number to verify you. It is never shown to shoppers."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photo = forms.FileField(
        label=_("Photo of you, your field or your workshop"),
        required=False,
        help_text=_("One JPEG, PNG or WebP photo, up to 10 MB."),
        widget=PhotoFileInput,
    )
    # A photo received with a form that came back for another field's error (``keep_photo``).
    photo_kept = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owner: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.kept_photo_name = ""
        self._photo_is_new = False
        self._villages = {village.slug: village for village in selectors.villages()}
        self.fields["village"].choices = village_choices(self._villages.values(), blank=_("Choose your village"))
        self.fields["village"].widget.search_terms = village_search_terms(self._villages.values())

    def clean_village(self) -> Village:
        return self._villages[self.cleaned_data["village"]]

    def clean_phone(self) -> str:
        return normalize_mainland_mobile(self.cleaned_data["phone"])

    def clean_photo(self) -> bytes | None:
        """A newly chosen photo's bytes, once its headers pass the photo checks; else the photo kept earlier."""
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                data = upload_bytes(photo)
                photo_check(data)
            except ValidationError as error:
                raise ValidationError(error.messages) from None
            self._photo_is_new = True
            self._photo_name = photo.name or ""
            return data
        token = self.data.get("photo_kept") if self.is_bound else ""
        if not token:
            return None
        kept = stash_read(token, owner=self.owner)
        if kept is None:
            raise ValidationError(_("The photo you chose earlier is no longer kept. Choose it again."))
        self.kept_photo_name = kept.filename
        return kept.data

    def service_fields(self) -> dict[str, Any]:
        """What ``producer_apply`` takes from the form."""
        return {field: value for field, value in self.cleaned_data.items() if field != "photo_kept"}

    def keep_photo(self) -> None:
        """When the form comes back with errors, keep a photo it received sound, so it is not sent again."""
        if self.errors.get("photo"):
            self.forget_photo()
            return
        if not self._photo_is_new or not self.cleaned_data.get("photo"):
            return
        token = stash_put(self.cleaned_data["photo"], filename=self._photo_name, owner=self.owner)
        self.forget_photo()
        self.data = self.data.copy()
        self.data["photo_kept"] = token
        self.kept_photo_name = self._photo_name

    def forget_photo(self) -> None:
        """Drop the kept photo (used, replaced or refused)."""
        token = self.data.get("photo_kept") if self.is_bound else ""
        if token:
            stash_drop(token, owner=self.owner)
            self.data = self.data.copy()
            self.data["photo_kept"] = ""
        self.kept_photo_name = ""

    @property
    def photo_kept_note(self) -> str:
        if not self.kept_photo_name:
            return ""
        return _("Your photo “%(name)s” is kept: you need not choose it again.") % {"name": self.kept_photo_name}
