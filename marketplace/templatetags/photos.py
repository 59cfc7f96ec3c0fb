"""A photo's WebP renditions (``marketplace.images.stored_renditions``) as a ``srcset``."""

from django import template
from django.db.models.fields.files import FieldFile

register = template.Library()


@register.filter
def webp_srcset(renditions: list[dict] | None, photo: FieldFile) -> str:
    """``"url 240w, url 480w, …"`` for the renditions listed beside ``photo`` (in its storage); empty for none."""
    if not renditions or not photo:
        return ""
    return ", ".join(f"{photo.storage.url(item['name'])} {item['width']}w" for item in renditions)
