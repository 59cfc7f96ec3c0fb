"""The demo host's live sessions (one on air, one scheduled, one ended) and the orders placed during them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from demo.data import Trilingual
from live.models import LiveSession


@dataclass(frozen=True)
class LiveItemSeed:
    sku: str
    quantity_cap: int
    per_shopper_limit: int
    # Accepted by a member of the producer; otherwise the proposal waits for the producer's answer.
    accepted: bool = True


@dataclass(frozen=True)
class LiveOrderSeed:
    """A guest's order placed from a session's share link while it is on air, shipped to an address."""

    key: str
    name: str
    phone: str
    # (province, city, district, street, postcode)
    address: tuple[str, str, str, str, str]
    lines: tuple[tuple[str, int], ...]  # (SKU, quantity)
    # The status every parcel moves to ("new", "packed", "shipped", "delivered"), or "cancelled".
    goal: str = "new"


@dataclass(frozen=True)
class LiveSessionSeed:
    slug: str
    title: Trilingual
    description: Trilingual
    status: str
    items: tuple[LiveItemSeed, ...]
    # The cover photo: a key of demo.images.PICTURES.
    picture: str
    # (days from today, hour) of the start, local time; None: it went live half an hour ago and is on air.
    starts: tuple[int, int] | None = None
    orders: tuple[LiveOrderSeed, ...] = ()


HOST_DISPLAY_NAME = "Aygül · Oasis Live"
HOST_COMMISSION_RATE = Decimal("0.0500")

# Where the demo's livestream buyers live: (province, city, district, street, postcode).
ADDRESS_SHANGHAI = ("上海市", "上海市", "浦东新区", "世纪大道 100 号", "200120")
ADDRESS_BEIJING = ("北京市", "北京市", "朝阳区", "建国路 88 号", "100022")
ADDRESS_GUANGZHOU = ("广东省", "广州市", "天河区", "天河路 208 号", "510620")
ADDRESS_CHENGDU = ("四川省", "成都市", "武侯区", "人民南路四段 12 号", "610041")
ADDRESS_HANGZHOU = ("浙江省", "杭州市", "西湖区", "文三路 90 号", "310012")
ADDRESS_NANJING = ("江苏省", "南京市", "鼓楼区", "中山路 321 号", "210008")
ADDRESS_URUMQI = ("新疆维吾尔自治区", "乌鲁木齐市", "天山区", "解放南路 50 号", "830002")

LIVE_SESSIONS: tuple[LiveSessionSeed, ...] = (
    LiveSessionSeed(
        slug="grape-valley-live",
        title=(
            "葡萄沟直播：葡萄干和无核白",
            "ئۈزۈم ئېرىقىدىن بىۋاسىتە: كىشمىش ۋە ئۈزۈم",
            "Live from Grape Valley: raisins and grapes",
        ),
        description=(
            "在晾房里直播，现场品尝三家的葡萄干。",
            "چۈنجىدىن بىۋاسىتە تارقىتىش؛ ئۈچ ئائىلىنىڭ كىشمىشىنى نەق مەيداندا تېتىپ باقىمىز.",
            "Broadcasting from a drying house: we taste three families' raisins on camera.",
        ),
        status=LiveSession.Status.LIVE,
        picture="raisins",
        items=(
            LiveItemSeed("ABDUKERIM-GREEN-RAISINS-BAG-1KG", 200, 2),
            LiveItemSeed("TURSUNGUL-GREEN-RAISINS-BAG-500G", 300, 3),
            LiveItemSeed("GRAPE-VALLEY-PREMIUM-RAISINS-BOX-2-5KG", 80, 1),
            LiveItemSeed("ABDUKERIM-SEEDLESS-GRAPES-BOX-2-5KG", 100, 2),
        ),
        orders=(
            LiveOrderSeed(
                "demo-live-grape-valley-1",
                "李娜",
                "13911110001",
                ADDRESS_SHANGHAI,
                (("ABDUKERIM-GREEN-RAISINS-BAG-1KG", 2), ("TURSUNGUL-GREEN-RAISINS-BAG-500G", 3)),
                goal="packed",
            ),
            LiveOrderSeed(
                "demo-live-grape-valley-2",
                "陈伟",
                "13911110002",
                ADDRESS_BEIJING,
                # The four-colour mix is not featured: it sells at its normal price, and the order still
                # counts for the host because it came from the session.
                (("GRAPE-VALLEY-PREMIUM-RAISINS-BOX-2-5KG", 1), ("GRAPE-VALLEY-FOUR-COLOUR-RAISINS-BAG-500G", 2)),
            ),
            LiveOrderSeed(
                "demo-live-grape-valley-3",
                "迪丽努尔",
                "13911110003",
                ADDRESS_URUMQI,
                (("ABDUKERIM-SEEDLESS-GRAPES-BOX-2-5KG", 2),),
            ),
            LiveOrderSeed(
                "demo-live-grape-valley-4",
                "张敏",
                "13911110004",
                ADDRESS_CHENGDU,
                (("ABDUKERIM-SEEDLESS-GRAPES-BOX-2-5KG", 1), ("ABDUKERIM-GREEN-RAISINS-BAG-1KG", 1)),
                goal="cancelled",
            ),
        ),
    ),
    LiveSessionSeed(
        slug="turpan-tea-table",
        title=(
            "吐鲁番茶桌：杏干和葡萄干",
            "تۇرپان داستىخىنى: ئۆرۈك قېقى ۋە كىشمىش",
            "A Turpan tea table: dried apricots and raisins",
        ),
        description=(
            "明晚八点，从托克逊的杏园和葡萄沟的晾房直播：配茶的杏干和葡萄干。",
            "ئەتە كەچ سائەت سەككىزدە توقسۇننىڭ ئۆرۈكزارلىقى ۋە ئۈزۈم ئېرىقىنىڭ چۈنجىسىدىن بىۋاسىتە "
            "تارقىتىمىز: چايغا ئۆرۈك قېقى ۋە كىشمىش.",
            "Tomorrow at 8 pm, live from an apricot orchard in Toksun and a drying house in Grape Valley: "
            "dried apricots and raisins for the tea table.",
        ),
        status=LiveSession.Status.SCHEDULED,
        picture="dried-apricots",
        starts=(1, 20),
        items=(
            LiveItemSeed("TOKSUN-DRIED-APRICOTS-BAG-500G", 200, 3),
            # Waiting for demo-farmer on the producer dashboard's live page.
            LiveItemSeed("ABDUKERIM-GREEN-RAISINS-BOX-2-5KG", 60, 1, accepted=False),
        ),
    ),
    LiveSessionSeed(
        slug="hotan-roses-and-walnuts",
        title=("和田玫瑰与核桃专场", "خوتەندىن ئەتىرگۈل ۋە ياڭاق", "Roses and walnuts from Hotan"),
        description=(
            "从墨玉的玫瑰田和巴格其的核桃园直播。",
            "قاراقاشنىڭ ئەتىرگۈل ئېتىزى ۋە باغچىنىڭ ياڭاقزارلىقىدىن بىۋاسىتە تارقىتىش.",
            "Live from the rose fields of Karakax and the walnut groves of Baghchi.",
        ),
        status=LiveSession.Status.ENDED,
        picture="rose-tea",
        starts=(-6, 20),
        items=(
            LiveItemSeed("KARAKAX-ROSE-TEA-TIN-100G", 150, 2),
            LiveItemSeed("KARAKAX-ROSE-JAM-JAR-300G", 150, 3),
            LiveItemSeed("WALNUT-KING-VILLAGE-WALNUTS-BAG-1KG", 100, 2),
        ),
        orders=(
            LiveOrderSeed(
                "demo-live-hotan-1",
                "刘洋",
                "13922220001",
                ADDRESS_GUANGZHOU,
                (("KARAKAX-ROSE-TEA-TIN-100G", 2), ("WALNUT-KING-VILLAGE-WALNUTS-BAG-1KG", 1)),
                goal="delivered",
            ),
            LiveOrderSeed(
                "demo-live-hotan-2",
                "赵静",
                "13922220002",
                ADDRESS_HANGZHOU,
                (("KARAKAX-ROSE-JAM-JAR-300G", 3),),
                goal="delivered",
            ),
            LiveOrderSeed(
                "demo-live-hotan-3",
                "米热阿依",
                "13922220003",
                ADDRESS_URUMQI,
                (("WALNUT-KING-VILLAGE-WALNUTS-BAG-1KG", 2),),
                goal="delivered",
            ),
            LiveOrderSeed(
                "demo-live-hotan-4",
                "王磊",
                "13922220004",
                ADDRESS_NANJING,
                (("KARAKAX-ROSE-TEA-TIN-100G", 1), ("KARAKAX-ROSE-JAM-JAR-300G", 1)),
                goal="shipped",
            ),
        ),
    ),
)
