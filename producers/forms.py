"""HTML forms of the producers app: the application to sell."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from marketplace.images import upload_bytes
from marketplace.validators import normalize_mainland_mobile
from producers import selectors
from producers.models import Producer, Village
from producers.services import NAME_MAX_LENGTH, STORY_MAX_LENGTH


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
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._villages = {village.slug: village for village in selectors.villages()}
        groups: dict[str, list[tuple[str, str]]] = {}
        for village in self._villages.values():
            groups.setdefault(village.county.name, []).append((village.slug, village.name))
        self.fields["village"].choices = [("", _("Choose your village")), *groups.items()]

    def clean_village(self) -> Village:
        return self._villages[self.cleaned_data["village"]]

    def clean_phone(self) -> str:
        return normalize_mainland_mobile(self.cleaned_data["phone"])

    def clean_photo(self) -> bytes | None:
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        try:
            return upload_bytes(photo)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
