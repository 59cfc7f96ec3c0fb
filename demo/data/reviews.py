"""Buyers' reviews of the demo farmer's grapes, by buyers named in Chinese and in Uyghur, one with a photo.

Pages and the API show each author masked ("王*", "ئ***", "M***"); their full names are never shown.
"""

from __future__ import annotations

from dataclasses import dataclass

REVIEWED_PRODUCT = "abdukerim-seedless-grapes"


@dataclass(frozen=True)
class ReviewSeed:
    """A buyer who bought ``quantity`` boxes, had them delivered and reviewed them (an account with no password)."""

    username: str
    first_name: str
    last_name: str
    phone: str
    quantity: int
    rating: int
    body: str
    with_photo: bool = False


REVIEWS: tuple[ReviewSeed, ...] = (
    ReviewSeed(
        "demo-buyer-wang",
        "小明",
        "王",
        "13900139011",
        2,
        5,
        "葡萄很甜，颗粒饱满，冷链送到还是凉的。家里老人孩子都爱吃，会再买。",
        with_photo=True,
    ),
    ReviewSeed(
        "demo-buyer-ayshem",
        "ئايشەم",
        "تۇرسۇن",
        "13900139012",
        3,
        5,
        "ئۈزۈمى ناھايىتى تاتلىق ۋە يېڭى ئىكەن. ئۆيدىكىلەرنىڭ ھەممىسى ياقتۇردى، يەنە سېتىۋالىمەن.",
    ),
    ReviewSeed("demo-buyer-li", "娜", "李", "13900139013", 1, 4, "味道不错，就是有几颗压坏了。"),
    ReviewSeed(
        "demo-buyer-memet",
        "Memet",
        "Tursun",
        "13900139014",
        1,
        4,
        "Sweet and crisp, picked up at the depot two days after ordering.",
    ),
)
