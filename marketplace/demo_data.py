"""The demo marketplace: real places and products of the region, and the code that writes them.

Everything a demo needs is declared below as plain data (geography from
docs' REGION.md, producers, products, live sessions, one account per role)
and written by :func:`seed_demo`. Rows are keyed by slug, SKU or username,
so running the seed again updates what is there and adds nothing.

Text is given as ``(Chinese, Uyghur, English)``. The Uyghur is written in
Uyghur Arabic script; as REGION.md says, a native speaker should review it
before anything here reaches production.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_FLOOR, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F, Model
from django.test.utils import override_settings
from django.utils import timezone, translation

from catalog.models import Category, Product, ProductImage, Variant
from catalog.services import product_image_add
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from live.services import item_answer, session_end, session_go_live
from marketplace import demo_images
from marketplace.models import User
from orders.models import Cart, CartLine, Fulfilment, Order, OrderEvent, OrderLine, Payment
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_cancel,
    order_place,
    parcel_receive_at_depot,
)
from producers.models import County, Depot, Prefecture, Producer, ProducerActivity, ProducerMembership, Village
from producers.services import producers_unverify, producers_verify

Trilingual = tuple[str, str, str]
"""Text in Chinese, Uyghur and English, in that order."""

# Published in the README and PRODUCT.md: these accounts exist for demos only.
DEMO_PASSWORD = "oasis-demo"  # noqa: S105

BULK_SLUG_PREFIX = "bulk-"
MAX_BULK_PRODUCTS = 100_000
BULK_BATCH_SIZE = 2_000


# ---------------------------------------------------------------------------
# Shapes of the data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VillageSeed:
    slug: str
    name: Trilingual
    description: Trilingual
    featured: bool = False


@dataclass(frozen=True)
class CountySeed:
    slug: str
    name: Trilingual
    villages: tuple[VillageSeed, ...]
    description: Trilingual = ("", "", "")


@dataclass(frozen=True)
class PrefectureSeed:
    slug: str
    name: Trilingual
    description: Trilingual
    counties: tuple[CountySeed, ...]


@dataclass(frozen=True)
class DepotSeed:
    slug: str
    village: str
    name: Trilingual
    address: str
    opening_hours: str = "09:00–20:00"


@dataclass(frozen=True)
class ProducerSeed:
    slug: str
    kind: str
    village: str
    name: Trilingual
    story: Trilingual
    low_income: bool = False
    verified: bool = True
    # No smartphone: the village depot's managers list and fulfil for the producer.
    sells_through_depot: bool = False


@dataclass(frozen=True)
class PackSeed:
    """A package size; it becomes a variant's name and weight."""

    name: Trilingual
    grams: int


@dataclass(frozen=True)
class KindSeed:
    """What a product is (grapes, rose jam): category, season, packs with prices, and its picture."""

    category: str
    description: Trilingual
    packs: tuple[tuple[str, Decimal, int], ...]  # (pack code, price in CNY, stock)
    picture: str
    season: tuple[int, int] = (1, 12)
    perishable: bool = False


@dataclass(frozen=True)
class ProductSeed:
    slug: str
    producer: str
    kind: str
    name: Trilingual
    # Optional refinements of the kind: a subset of its packs, a premium, another season, a line of its own.
    packs: tuple[str, ...] = ()
    price_shift: Decimal = Decimal("0.00")
    season: tuple[int, int] | None = None
    note: Trilingual | None = None


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
    # The cover photo: a key of demo_images.PICTURES.
    picture: str
    # (days from today, hour) of the start, local time; None: it went live half an hour ago and is on air.
    starts: tuple[int, int] | None = None
    orders: tuple[LiveOrderSeed, ...] = ()


@dataclass(frozen=True)
class AccountSeed:
    username: str
    role: str
    first_name: str = ""
    is_staff: bool = False
    is_superuser: bool = False


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)
    accounts: tuple[AccountSeed, ...] = ()
    bulk_created: int = 0


# ---------------------------------------------------------------------------
# Geography
# ---------------------------------------------------------------------------

CATEGORIES: tuple[tuple[str, Trilingual], ...] = (
    ("fresh-fruit", ("新鲜水果", "يېڭى مېۋە", "Fresh fruit")),
    ("dried-fruit-nuts", ("干果坚果", "قۇرۇق مېۋە ۋە مېغىزلار", "Dried fruit and nuts")),
    ("tea-flowers", ("花茶", "گۈل چايلىرى", "Tea and flowers")),
    ("jams", ("果酱", "مۇراببالار", "Jams")),
    ("handicrafts", ("手工艺品", "قول ھۈنەر بۇيۇملىرى", "Handicrafts")),
)

PREFECTURES: tuple[PrefectureSeed, ...] = (
    PrefectureSeed(
        slug="turpan",
        name=("吐鲁番", "تۇرپان", "Turpan"),
        description=(
            "火洲吐鲁番日照长、昼夜温差大，无核白葡萄和葡萄干闻名全国。",
            "تۇرپاندا كۈن نۇرى ئۇزۇن، كېچە-كۈندۈز تېمپېراتۇرا پەرقى چوڭ؛ "
            "ئۇرۇقسىز ئاق ئۈزۈم ۋە كىشمىشى پۈتۈن مەملىكەتكە داڭلىق.",
            "The 'land of fire': long sunny days and cool nights make Turpan's seedless white grapes and raisins "
            "famous across the country.",
        ),
        counties=(
            CountySeed(
                slug="gaochang",
                name=("高昌区", "قاراغوجا رايونى", "Gaochang District"),
                description=(
                    "葡萄沟所在地，坎儿井浇灌的葡萄园遍布各村。",
                    "ئۈزۈم ئېرىقى مۇشۇ يەردە، كارىز سۈيى بىلەن سۇغىرىلىدىغان ئۈزۈمزارلىقلار ھەممە كەنتتە بار.",
                    "Home of Grape Valley; vineyards watered by karez wells fill every village.",
                ),
                villages=(
                    VillageSeed(
                        slug="grape-valley",
                        name=("葡萄沟村", "ئۈزۈم ئېرىقى كەنتى", "Grape Valley Village"),
                        description=(
                            "火焰山下的绿色峡谷，家家户户的院子里都搭着葡萄架。",
                            "يالقۇنتاغ ئېتىكىدىكى يېشىل جىلغا، ھەر ئائىلىنىڭ ھويلىسىدا ئۈزۈم بارىڭى بار.",
                            "A green gorge below the Flaming Mountains; every courtyard has its grape trellis.",
                        ),
                        featured=True,
                    ),
                    VillageSeed(
                        slug="munar",
                        name=("木纳尔村", "مۇنار كەنتى", "Munar Village"),
                        description=(
                            "村里一排排土坯晾房，热风穿过花墙，把葡萄晾成葡萄干。",
                            "كەنتتىكى كېسەك چۈنجىلەردە ئىسسىق شامال ئۈزۈمنى كىشمىشكە ئايلاندۇرىدۇ.",
                            "Rows of mud-brick drying houses where the hot wind turns grapes into raisins.",
                        ),
                    ),
                    VillageSeed(
                        slug="yar",
                        name=("亚尔村", "يار كەنتى", "Yar Village"),
                        description=(
                            "靠近交河故城，坎儿井的雪水浇灌着葡萄园。",
                            "يارغول قەدىمكى شەھىرىگە يېقىن، كارىز سۈيى ئۈزۈمزارلىقلارنى سۇغىرىدۇ.",
                            "Near the ruins of Jiaohe, where karez snowmelt waters the vineyards.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="shanshan",
                name=("鄯善县", "پىچان ناھىيىسى", "Shanshan County"),
                description=(
                    "沙地瓜田和葡萄园，哈密瓜的重要产区。",
                    "قۇملۇق قوغۇنلۇق ۋە ئۈزۈمزارلىقلار، قوغۇننىڭ مۇھىم يۇرتى.",
                    "Sandy melon fields and vineyards: one of the great Hami melon growing areas.",
                ),
                villages=(
                    VillageSeed(
                        slug="tuyoq",
                        name=("吐峪沟麻扎村", "تۇيۇق مازار كەنتى", "Tuyoq Mazar Village"),
                        description=(
                            "藏在火焰山峡谷里的千年土坯老村，以葡萄和葡萄干闻名。",
                            "يالقۇنتاغ جىلغىسىغا جايلاشقان مىڭ يىللىق كېسەك ئۆيلۈك كونا كەنت، "
                            "ئۈزۈم ۋە كىشمىشى بىلەن داڭلىق.",
                            "A thousand-year-old mud-brick village in a Flaming Mountains canyon, known for grapes "
                            "and raisins.",
                        ),
                    ),
                    VillageSeed(
                        slug="lukqun",
                        name=("鲁克沁村", "لۈكچۈن كەنتى", "Lukqun Village"),
                        description=(
                            "沙地瓜田连成一片，出产香甜的哈密瓜。",
                            "قۇملۇق قوغۇنلۇقلار تۇتىشىپ كەتكەن، تاتلىق قوغۇنى بىلەن تونۇلغان.",
                            "Sandy melon fields stretch to the horizon; the melons here are famously sweet.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="toksun",
                name=("托克逊县", "توقسۇن ناھىيىسى", "Toksun County"),
                description=("杏子之乡。", "ئۆرۈكنىڭ يۇرتى.", "Apricot country."),
                villages=(
                    VillageSeed(
                        slug="gholbuyi",
                        name=("郭勒布依村", "غولبويى كەنتى", "Gholbuyi Village"),
                        description=(
                            "河谷里的杏园，每年六月满谷金黄。",
                            "دەريا ۋادىسىدىكى ئۆرۈكزارلىق، ھەر يىلى ئىيۇندا ۋادا ساپسېرىق بولىدۇ.",
                            "Apricot orchards along the river; in June the whole valley turns gold.",
                        ),
                    ),
                    VillageSeed(
                        slug="ilahu",
                        name=("伊拉湖村", "ئىلاھۇ كەنتى", "Ilahu Village"),
                        description=(
                            "戈壁边的小村，靠杏干和红枣过日子。",
                            "گوبى بويىدىكى كىچىك كەنت، ئۆرۈك قېقى ۋە چىلان بىلەن تىرىكچىلىك قىلىدۇ.",
                            "A small village on the edge of the gobi that lives on dried apricots and jujubes.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    PrefectureSeed(
        slug="hami",
        name=("哈密", "قۇمۇل", "Hami"),
        description=(
            "哈密瓜因此得名；五堡的大枣同样出名。",
            "قوغۇن مۇشۇ يەردىن نام ئالغان؛ ۋۇباۋنىڭ چىلانلىرىمۇ داڭلىق.",
            "The melon is named after it, and the jujubes of Wubao are just as famous.",
        ),
        counties=(
            CountySeed(
                slug="yizhou",
                # REGION.md gives no Uyghur for Yizhou; Iwirghol is the district's Uyghur name.
                name=("伊州区", "ئىۋىرغول رايونى", "Yizhou District"),
                description=(
                    "哈密瓜和哈密大枣的主产区。",
                    "قوغۇن ۋە چىلاننىڭ ئاساسلىق يۇرتى.",
                    "The heart of Hami melon and jujube growing.",
                ),
                villages=(
                    VillageSeed(
                        slug="wubao",
                        name=("五堡村", "ۋۇباۋ كەنتى", "Wubao Village"),
                        description=(
                            "戈壁上的绿洲，哈密大枣和哈密瓜的故乡。",
                            "گوبىدىكى بوستانلىق، چىلان ۋە قوغۇن بىلەن داڭلىق.",
                            "An oasis in the gobi, home of Hami jujubes and melons.",
                        ),
                        featured=True,
                    ),
                    VillageSeed(
                        slug="aratam",
                        name=("阿拉塔木村", "ئاراتام كەنتى", "Aratam Village"),
                        description=(
                            "天山脚下的村庄，雪水灌溉的瓜田一望无际。",
                            "تەڭرىتاغ ئېتىكىدىكى كەنت، قار سۈيى بىلەن سۇغىرىلىدىغان قوغۇنلۇقلار كەڭ.",
                            "A village at the foot of the Tianshan; melon fields watered by snowmelt.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="barkol",
                name=("巴里坤县", "باركۆل ناھىيىسى", "Barkol County"),
                villages=(
                    VillageSeed(
                        slug="dahe",
                        name=("大河村", "داخې كەنتى", "Dahe Village"),
                        description=(
                            "巴里坤草原上的村庄，冬天妇女们擀毡、绣花。",
                            "باركۆل يايلىقىدىكى كەنت، ئاياللار قىشتا كىگىز ئېتىدۇ، كەشتە تىكىدۇ.",
                            "A village on the Barkol grasslands where women make felt and embroider through the "
                            "winter.",
                        ),
                    ),
                    VillageSeed(
                        slug="kuisu",
                        name=("奎苏村", "كۈيسۇ كەنتى", "Kuisu Village"),
                        description=(
                            "高原上的小村，夏天凉爽，四周是牧场。",
                            "ئېگىزلىكتىكى كىچىك كەنت، يازدا سالقىن، ئەتراپى ئوتلاق.",
                            "A small highland village, cool in summer and ringed by pastures.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    PrefectureSeed(
        slug="hotan",
        name=("和田", "خوتەن", "Hotan"),
        description=(
            "玫瑰、核桃、红枣，还有艾德莱斯绸和手工地毯。",
            "ئەتىرگۈل، ياڭاق، چىلان، شۇنداقلا ئەتلەس ۋە قول گىلەم.",
            "Roses, walnuts and jujubes, and the atlas silk and hand-knotted carpets of its workshops.",
        ),
        counties=(
            CountySeed(
                slug="hotan-city",
                name=("和田市", "خوتەن شەھىرى", "Hotan City"),
                description=(
                    "电商产业园把一百多个村级服务站连在一起。",
                    "ئېلېكترونلۇق سودا باغچىسى يۈزدىن ئارتۇق كەنت پونكىتىنى بىرلەشتۈرىدۇ.",
                    "Its e-commerce park links more than a hundred village depots.",
                ),
                villages=(
                    VillageSeed(
                        slug="jiya",
                        name=("吉亚村", "جىيا كەنتى", "Jiya Village"),
                        description=(
                            "艾德莱斯绸的故乡，几乎家家都有织机。",
                            "ئەتلەسنىڭ ماكانى، بۇ يەردە نۇرغۇن ئائىلە ئەتلەس توقۇيدۇ.",
                            "Home of atlas silk: nearly every family has a loom.",
                        ),
                        featured=True,
                    ),
                    VillageSeed(
                        slug="laskuy",
                        name=("拉斯奎村", "لاسكۈي كەنتى", "Laskuy Village"),
                        description=(
                            "紧邻和田电商产业园，村里的包裹每天从这里发往全国。",
                            "خوتەن ئېلېكترونلۇق سودا باغچىسىغا يېقىن، كەنتنىڭ ئوراملىرى ھەر كۈنى بۇ يەردىن پۈتۈن "
                            "مەملىكەتكە يوللىنىدۇ.",
                            "Next to the Hotan e-commerce park; the village's parcels leave from here for the whole "
                            "country every day.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="hotan-county",
                name=("和田县", "خوتەن ناھىيىسى", "Hotan County"),
                description=("核桃之乡。", "ياڭاقنىڭ يۇرتى.", "Walnut country."),
                villages=(
                    VillageSeed(
                        slug="baghchi",
                        name=("巴格其村", "باغچى كەنتى", "Baghchi Village"),
                        description=(
                            "以核桃王树闻名，薄皮核桃远近闻名。",
                            "ياڭاق پادىشاھى دەرىخى بىلەن داڭلىق، نېپىز پوستلۇق ياڭاقلىرى ھەممىگە تونۇشلۇق.",
                            "Famous for its 'walnut king' tree and its thin-shelled walnuts.",
                        ),
                    ),
                    VillageSeed(
                        slug="layka",
                        name=("拉依喀村", "لايقا كەنتى", "Layka Village"),
                        description=(
                            "沙漠边的村庄，村民种红枣和核桃。",
                            "قۇملۇق بويىدىكى كەنت، ئاھالىلەر چىلان ۋە ياڭاق تېرىيدۇ.",
                            "A village on the desert's edge growing jujubes and walnuts.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="karakax",
                name=("墨玉县", "قاراقاش ناھىيىسى", "Karakax (Moyu) County"),
                description=("玫瑰和核桃。", "ئەتىرگۈل ۋە ياڭاق.", "Roses and walnuts."),
                villages=(
                    VillageSeed(
                        slug="karasay",
                        name=("喀尔赛村", "قارساي كەنتى", "Karasay Village"),
                        description=(
                            "五月玫瑰盛开，整个村子都是花香。",
                            "مايدا ئەتىرگۈل ئېچىلىپ، پۈتۈن كەنتنى گۈل پۇرىقى قاپلايدۇ.",
                            "In May the roses bloom and the whole village smells of them.",
                        ),
                    ),
                    VillageSeed(
                        slug="puchaqchi",
                        name=("普恰克其村", "پۇچاقچى كەنتى", "Puchaqchi Village"),
                        description=(
                            "核桃林下套种玫瑰，一块地两份收成。",
                            "ياڭاقزارلىق ئارىسىغا ئەتىرگۈل تېرىلىدۇ، بىر يەردىن ئىككى ھوسۇل ئېلىنىدۇ.",
                            "Roses grow beneath the walnut trees: two harvests from one field.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="lop",
                name=("洛浦县", "لوپ ناھىيىسى", "Lop County"),
                description=("手工地毯之乡。", "قول گىلەمنىڭ ماكانى.", "Carpet-weaving country."),
                villages=(
                    VillageSeed(
                        slug="sampul",
                        name=("山普鲁村", "سامپۇل كەنتى", "Sampul Village"),
                        description=(
                            "和田地毯之乡，手工打结的技艺代代相传。",
                            "خوتەن گىلىمىنىڭ ماكانى، قولدا توقۇش ماھارىتى ئەۋلادتىن ئەۋلادقا داۋاملىشىدۇ.",
                            "The home of Hotan carpets; hand-knotting is passed down from generation to generation.",
                        ),
                        featured=True,
                    ),
                    VillageSeed(
                        slug="hanggui",
                        name=("杭桂村", "خاڭگۈي كەنتى", "Hanggui Village"),
                        description=(
                            "玉龙喀什河畔的村庄，红枣种得多。",
                            "يۇرۇڭقاش دەرياسى بويىدىكى كەنت، بۇ يەردە چىلان كۆپ ئۆستۈرۈلىدۇ.",
                            "A village on the Yurungkash River, rich in jujubes.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="qira",
                name=("策勒县", "چىرا ناھىيىسى", "Qira (Cele) County"),
                description=("石榴之乡。", "ئانارنىڭ يۇرتى.", "Pomegranate country."),
                villages=(
                    VillageSeed(
                        slug="damagou",
                        name=("达玛沟村", "داماكۆ كەنتى", "Damagou Village"),
                        description=(
                            "沙漠绿洲里的石榴园，秋天果实压弯了枝头。",
                            "قۇملۇق بوستانلىقىدىكى ئانارزارلىق، كۈزدە مېۋىلەر شاخلارنى ئېگىپ تۇرىدۇ.",
                            "Pomegranate orchards in a desert oasis, branches bent with fruit in autumn.",
                        ),
                    ),
                    VillageSeed(
                        slug="gulakhma",
                        name=("固拉合玛村", "گۇلاخما كەنتى", "Gulakhma Village"),
                        description=(
                            "为治沙种下的红枣林，把沙丘变成了果园。",
                            "قۇمنى توسۇش ئۈچۈن تىكىلگەن چىلانزارلىق قۇم دۆۋىلىرىنى باغقا ئايلاندۇردى.",
                            "Jujube groves planted to hold back the sand have turned dunes into orchards.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="keriya",
                name=("于田县", "كېرىيە ناھىيىسى", "Keriya (Yutian) County"),
                description=("沙漠玫瑰。", "قۇملۇق ئەتىرگۈلى.", "Desert roses."),
                villages=(
                    VillageSeed(
                        slug="mugala",
                        name=("木尕拉村", "مۇغالا كەنتى", "Mugala Village"),
                        description=(
                            "沙漠玫瑰的种植基地，花蕾小而香浓。",
                            "قۇملۇق ئەتىرگۈلى تېرىلىدىغان جاي، غۇنچىسى كىچىك، پۇرىقى كۈچلۈك.",
                            "Where desert roses are grown: small buds with a strong scent.",
                        ),
                    ),
                    VillageSeed(
                        slug="toghraghaz",
                        name=("托格日尕孜村", "توغراغاز كەنتى", "Toghraghaz Village"),
                        description=(
                            "胡杨林边的小村，夏天上山采雪菊。",
                            "توغراقلىق بويىدىكى كىچىك كەنت، يازدا تاغقا چىقىپ قار گۈلى تېرىدۇ.",
                            "A small village by the poplar forest; in summer people climb the hills to pick snow "
                            "chrysanthemum.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    PrefectureSeed(
        slug="kashgar",
        name=("喀什", "قەشقەر", "Kashgar"),
        description=(
            "无花果、杏子，还有莎车的核桃和巴旦木。",
            "ئەنجۈر، ئۆرۈك، شۇنداقلا يەكەننىڭ ياڭاق ۋە بادىمى.",
            "Figs and apricots, and the walnuts and almonds of Yarkant.",
        ),
        counties=(
            CountySeed(
                slug="yarkant",
                name=("莎车县", "يەكەن ناھىيىسى", "Yarkant (Shache) County"),
                description=("核桃和巴旦木。", "ياڭاق ۋە بادام.", "Walnuts and almonds."),
                villages=(
                    VillageSeed(
                        slug="awat",
                        name=("阿瓦提村", "ئاۋات كەنتى", "Awat Village"),
                        description=(
                            "叶尔羌河灌溉的巴旦木和核桃园。",
                            "يەكەن دەرياسى سۇغىرىدىغان بادام ۋە ياڭاق باغلىرى.",
                            "Almond and walnut orchards watered by the Yarkant River.",
                        ),
                        featured=True,
                    ),
                    VillageSeed(
                        slug="qaqun",
                        name=("喀群村", "قاچۇن كەنتى", "Qaqun Village"),
                        description=(
                            "昆仑山口的杏花村，春天杏花开满山坡。",
                            "كۇئېنلۇن تاغ ئېغىزىدىكى ئۆرۈك كەنتى، ئەتىيازدا ئۆرۈك چېچىكى تاغ باغرىنى قاپلايدۇ.",
                            "An apricot village at the mouth of the Kunlun valleys; in spring the blossom covers the "
                            "hills.",
                        ),
                    ),
                ),
            ),
            CountySeed(
                slug="yengisar",
                name=("英吉沙县", "يېڭىسار ناھىيىسى", "Yengisar County"),
                description=("杏子和手工刀具。", "ئۆرۈك ۋە قول پىچاق.", "Apricots and hand-made knives."),
                villages=(
                    VillageSeed(
                        slug="mangshin",
                        name=("芒辛村", "مەڭسىن كەنتى", "Mangshin Village"),
                        description=(
                            "英吉沙的杏园，色买提杏又甜又香。",
                            "يېڭىسارنىڭ ئۆرۈكزارلىقى، سەمەت ئۆرۈكى تاتلىق ۋە خۇشپۇراق.",
                            "Yengisar's apricot orchards: the Samet apricot is sweet and fragrant.",
                        ),
                    ),
                    VillageSeed(
                        slug="uchar",
                        name=("乌恰村", "ئۇچار كەنتى", "Uchar Village"),
                        description=(
                            "家家院子里种着无花果树，夏末果子成熟。",
                            "ھەر ھويلىدا ئەنجۈر دەرىخى بار، ياز ئاخىرىدا پىشىدۇ.",
                            "Fig trees grow in every courtyard and ripen at the end of summer.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    PrefectureSeed(
        slug="aksu",
        name=("阿克苏", "ئاقسۇ", "Aksu"),
        description=(
            "冰糖心苹果、薄皮核桃和红枣。",
            "مۇز شېكەر يۈرەك ئالما، نېپىز پوستلۇق ياڭاق ۋە چىلان.",
            "Rock-sugar heart apples, thin-shelled walnuts and jujubes.",
        ),
        counties=(
            CountySeed(
                slug="onsu",
                name=("温宿县", "ئونسۇ ناھىيىسى", "Onsu (Wensu) County"),
                description=("核桃之乡。", "ياڭاقنىڭ يۇرتى.", "Walnut country."),
                villages=(
                    VillageSeed(
                        slug="tophan",
                        name=("托甫汗村", "توپخان كەنتى", "Tophan Village"),
                        description=(
                            "温宿薄皮核桃的产地，树龄大多在二十年以上。",
                            "ئونسۇ نېپىز پوستلۇق ياڭىقىنىڭ يۇرتى، دەرەخلەرنىڭ كۆپىنچىسى يىگىرمە يىلدىن ئاشقان.",
                            "Onsu's thin-shelled walnuts come from here; most trees are over twenty years old.",
                        ),
                    ),
                    VillageSeed(
                        slug="jamu",
                        name=("佳木村", "جامۇ كەنتى", "Jamu Village"),
                        description=(
                            "天山雪水灌溉的苹果园，冰糖心苹果在这里长大。",
                            "تەڭرىتاغ قار سۈيى سۇغىرىدىغان ئالمىزارلىق، مۇز شېكەر يۈرەك ئالما مۇشۇ يەردە ئۆسىدۇ.",
                            "Apple orchards watered by Tianshan snowmelt, where the 'rock-sugar heart' apples grow.",
                        ),
                        featured=True,
                    ),
                ),
            ),
            CountySeed(
                slug="kuqa",
                name=("库车市", "كۇچار شەھىرى", "Kuqa City"),
                description=("小白杏。", "كىچىك ئاق ئۆرۈك.", "Small white apricots."),
                villages=(
                    VillageSeed(
                        slug="chiman",
                        name=("齐满村", "چىمەن كەنتى", "Chiman Village"),
                        description=(
                            "库车小白杏的产地，六月初就能吃上。",
                            "كۇچار كىچىك ئاق ئۆرۈكىنىڭ يۇرتى، ئىيۇن بېشىدىلا پىشىدۇ.",
                            "Home of the small white apricots of Kuqa, ripe in early June.",
                        ),
                    ),
                    VillageSeed(
                        slug="uchostang",
                        name=("玉奇吾斯塘村", "ئۈچئۆستەڭ كەنتى", "Uchostang Village"),
                        description=(
                            "三条水渠交汇的老村，杏树和桑树成行。",
                            "ئۈچ ئۆستەڭ قوشۇلىدىغان كونا كەنت، ئۆرۈك ۋە ئۈجمە دەرەخلىرى قاتار-قاتار.",
                            "An old village where three canals meet, lined with apricot and mulberry trees.",
                        ),
                    ),
                ),
            ),
        ),
    ),
    PrefectureSeed(
        slug="bayingolin",
        name=("巴音郭楞", "بايىنغولىن", "Bayingolin"),
        description=(
            "库尔勒香梨的故乡。",
            "كورلا نەشپۈتىنىڭ يۇرتى.",
            "Home of the Korla fragrant pear.",
        ),
        counties=(
            CountySeed(
                slug="korla",
                name=("库尔勒市", "كورلا شەھىرى", "Korla City"),
                description=("香梨。", "خۇشپۇراق نەشپۈت.", "Fragrant pears."),
                villages=(
                    VillageSeed(
                        slug="charbagh",
                        name=("恰尔巴格村", "چارباغ كەنتى", "Charbagh Village"),
                        description=(
                            "库尔勒香梨的老产区，四月梨花如雪。",
                            "كورلا نەشپۈتىنىڭ كونا يۇرتى، ئاپرېلدا نەشپۈت چېچىكى قاردەك ئاپئاق.",
                            "The old heart of Korla pear country; in April the blossom looks like snow.",
                        ),
                        featured=True,
                    ),
                    VillageSeed(
                        slug="shanghu",
                        name=("上户村", "شاڭخۇ كەنتى", "Shanghu Village"),
                        description=(
                            "孔雀河畔的梨园，香梨皮薄多汁。",
                            "كۆنچى دەرياسى بويىدىكى نەشپۈتزارلىق، نەشپۈتى نېپىز پوستلۇق، سۈيى مول.",
                            "Pear orchards by the Konqi (Peacock) River; thin-skinned, juicy pears.",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

DEPOTS: tuple[DepotSeed, ...] = (
    DepotSeed(
        slug="grape-valley-depot",
        village="grape-valley",
        name=("葡萄沟村服务站", "ئۈزۈم ئېرىقى كەنت مۇلازىمەت پونكىتى", "Grape Valley village depot"),
        address="新疆吐鲁番市高昌区葡萄镇葡萄沟村村委会东侧",
        opening_hours="08:00–21:00",
    ),
    DepotSeed(
        slug="lukqun-depot",
        village="lukqun",
        name=("鲁克沁服务站", "لۈكچۈن مۇلازىمەت پونكىتى", "Lukqun depot"),
        address="新疆吐鲁番市鄯善县鲁克沁镇鲁克沁村农贸市场旁",
    ),
    DepotSeed(
        slug="wubao-depot",
        village="wubao",
        name=("五堡服务站", "ۋۇباۋ مۇلازىمەت پونكىتى", "Wubao depot"),
        address="新疆哈密市伊州区五堡镇五堡村红枣交易市场内",
    ),
    DepotSeed(
        slug="hotan-ecommerce-park",
        village="laskuy",
        name=(
            "和田电商产业园集货中心",
            "خوتەن ئېلېكترونلۇق سودا باغچىسى يىغىش مەركىزى",
            "Hotan e-commerce park collection centre",
        ),
        address="新疆和田市拉斯奎镇电子商务产业园1号库",
        opening_hours="08:00–22:00",
    ),
    DepotSeed(
        slug="karasay-depot",
        village="karasay",
        name=("喀尔赛服务站", "قارساي مۇلازىمەت پونكىتى", "Karasay depot"),
        address="新疆和田地区墨玉县喀尔赛镇喀尔赛村玫瑰加工厂旁",
    ),
    DepotSeed(
        slug="sampul-depot",
        village="sampul",
        name=("山普鲁服务站", "سامپۇل مۇلازىمەت پونكىتى", "Sampul depot"),
        address="新疆和田地区洛浦县山普鲁镇地毯厂对面",
    ),
    DepotSeed(
        slug="yarkant-depot",
        village="awat",
        name=("莎车阿瓦提服务站", "يەكەن ئاۋات مۇلازىمەت پونكىتى", "Yarkant Awat depot"),
        address="新疆喀什地区莎车县阿瓦提镇阿瓦提村巴旦木收购点",
    ),
    DepotSeed(
        slug="onsu-depot",
        village="tophan",
        name=("温宿托甫汗服务站", "ئونسۇ توپخان مۇلازىمەت پونكىتى", "Onsu Tophan depot"),
        address="新疆阿克苏地区温宿县托乎拉乡托甫汗村核桃交易中心",
    ),
    DepotSeed(
        slug="korla-depot",
        village="charbagh",
        name=("库尔勒恰尔巴格服务站", "كورلا چارباغ مۇلازىمەت پونكىتى", "Korla Charbagh depot"),
        address="新疆库尔勒市恰尔巴格乡恰尔巴格村香梨冷库旁",
    ),
)


# ---------------------------------------------------------------------------
# Producers
# ---------------------------------------------------------------------------

HOUSEHOLD, COOPERATIVE, WORKSHOP = Producer.Kind.HOUSEHOLD, Producer.Kind.COOPERATIVE, Producer.Kind.WORKSHOP

PRODUCERS: tuple[ProducerSeed, ...] = (
    ProducerSeed(
        slug="abdukerim-vineyard",
        kind=HOUSEHOLD,
        village="grape-valley",
        name=("阿不都克力木家葡萄园", "ئابدۇكېرىمنىڭ ئۈزۈمزارلىقى", "Abdukerim's Vineyard"),
        story=(
            "阿不都克力木一家在葡萄沟种了三代葡萄。四亩葡萄园靠坎儿井水浇灌，葡萄在藤上熟透了才剪。",
            "ئابدۇكېرىمنىڭ ئائىلىسى ئۈزۈم ئېرىقىدا ئۈچ ئەۋلاد ئۈزۈم تېرىپ كەلدى. تۆت مو ئۈزۈمزارلىقى كارىز سۈيى "
            "بىلەن سۇغىرىلىدۇ، ئۈزۈم تېلىدا پۈتۈنلەي پىشقاندىن كېيىنلا ئۈزۈلىدۇ.",
            "Abdukerim's family has grown grapes in Grape Valley for three generations. Their four mu of vines "
            "are watered from the karez, and bunches are cut only when fully ripe on the vine.",
        ),
    ),
    ProducerSeed(
        slug="grape-valley-cooperative",
        kind=COOPERATIVE,
        village="grape-valley",
        name=(
            "葡萄沟葡萄种植专业合作社",
            "ئۈزۈم ئېرىقى ئۈزۈم تېرىش كەسپىي كوئوپېراتىپى",
            "Grape Valley Grape Growers' Cooperative",
        ),
        story=(
            "八十六户葡萄农一起分拣、装箱、冷藏，让小户人家的葡萄也能当天发往全国。",
            "سەكسەن ئالتە ئۈزۈمچى ئائىلە بىرلىكتە تاللايدۇ، قاچىلايدۇ ۋە سوغۇق ساقلايدۇ؛ شۇڭا كىچىك ئائىلىلەرنىڭ "
            "ئۈزۈمىمۇ شۇ كۈنىلا پۈتۈن مەملىكەتكە يوللىنىدۇ.",
            "Eighty-six grape-growing families sort, pack and cool their harvest together, so that even the "
            "smallest household's grapes leave for the whole country the day they are picked.",
        ),
    ),
    ProducerSeed(
        slug="ismayil-ata-raisins",
        kind=HOUSEHOLD,
        village="grape-valley",
        name=("伊斯马伊力大爷家葡萄干", "ئىسمايىل ئاتىنىڭ كىشمىشى", "Grandpa Ismayil's Raisins"),
        story=(
            "伊斯马伊力大爷今年七十岁，没有智能手机。他晾的葡萄干由村服务站代为上架、收货和发货。",
            "ئىسمايىل ئاتا بۇ يىل يەتمىش ياشقا كىردى، ئەقلىي ئىقتىدارلىق تېلېفونى يوق. ئۇ قۇرۇتقان "
            "كىشمىشنى كەنت مۇلازىمەت پونكىتى ئۇنىڭ ئورنىدا تورغا قويىدۇ، تاپشۇرۇۋالىدۇ ۋە ئەۋەتىدۇ.",
            "Grandpa Ismayil is seventy and has no smartphone. The village depot lists, collects and sends "
            "the raisins he dries, on his behalf.",
        ),
        sells_through_depot=True,
    ),
    ProducerSeed(
        slug="tursungul-drying-house",
        kind=HOUSEHOLD,
        village="munar",
        name=("吐尔逊古丽家晾房", "تۇرسۇنگۈلنىڭ چۈنجىسى", "Tursungul's Drying House"),
        story=(
            "吐尔逊古丽和婆婆守着一座百年晾房。葡萄挂在花墙里阴干四十天，颜色翠绿，不熏硫、不加糖。",
            "تۇرسۇنگۈل قېيىنانىسى بىلەن بىرلىكتە يۈز يىللىق چۈنجىنى باشقۇرىدۇ. ئۈزۈم چۈنجىدە قىرىق كۈن "
            "سايىدا قۇرۇتۇلىدۇ، رەڭگى يېشىل، گۈڭگۈرت ۋە شېكەر ئىشلىتىلمەيدۇ.",
            "Tursungul and her mother-in-law keep a hundred-year-old drying house. Grapes hang in its lattice "
            "walls for forty days and come out green, without sulphur or sugar.",
        ),
        low_income=True,
    ),
    ProducerSeed(
        slug="tuyoq-raisin-cooperative",
        kind=COOPERATIVE,
        village="tuyoq",
        name=("吐峪沟葡萄干合作社", "تۇيۇق كىشمىش كوئوپېراتىپى", "Tuyoq Raisin Cooperative"),
        story=(
            "古村的四十户人家合在一起，按传统方法晾制葡萄干，统一分级、统一包装。",
            "كونا كەنتنىڭ قىرىق ئائىلىسى بىرلىشىپ، ئەنئەنىۋى ئۇسۇلدا كىشمىش قۇرۇتىدۇ، بىرلىكتە دەرىجىگە "
            "ئايرىيدۇ ۋە قاچىلايدۇ.",
            "Forty families of the old village dry raisins the traditional way, then grade and pack them together.",
        ),
    ),
    ProducerSeed(
        slug="memtimin-melon-field",
        kind=HOUSEHOLD,
        village="lukqun",
        name=("买买提明家瓜园", "مەمەتئىمىننىڭ قوغۇنلۇقى", "Memtimin's Melon Field"),
        story=(
            "买买提明在沙地里种了十五亩哈密瓜，只用羊粪和雪水，瓜熟了才摘。",
            "مەمەتئىمىن قۇملۇقتا ئون بەش مو قوغۇن تېرىيدۇ، پەقەت قوي قىغى ۋە قار سۈيى ئىشلىتىدۇ، قوغۇن "
            "پىشقاندىلا ئۈزىدۇ.",
            "Memtimin grows fifteen mu of melons in the sand with nothing but sheep manure and snowmelt, and "
            "picks each one only when it is ripe.",
        ),
        low_income=True,
    ),
    ProducerSeed(
        slug="reyhangul-apricot-orchard",
        kind=HOUSEHOLD,
        village="gholbuyi",
        name=("热依汗古丽家杏园", "رەيھانگۈلنىڭ ئۆرۈكزارلىقى", "Reyhangul's Apricot Orchard"),
        story=(
            "热依汗古丽家的杏树是她爷爷种下的。六月摘鲜杏，剩下的晒成杏干、熬成杏酱。",
            "رەيھانگۈلنىڭ ئۆرۈك دەرەخلىرىنى بوۋىسى تىككەن. ئىيۇندا يېڭى ئۆرۈك ئۈزۈلىدۇ، قالغىنى قاق قىلىنىدۇ "
            "ياكى مۇراببا ئېتىلىدۇ.",
            "Reyhangul's grandfather planted her apricot trees. In June the family picks fresh fruit; the rest is "
            "sun-dried or cooked into jam.",
        ),
    ),
    ProducerSeed(
        slug="wubao-jujube-cooperative",
        kind=COOPERATIVE,
        village="wubao",
        name=("五堡红枣合作社", "ۋۇباۋ چىلان كوئوپېراتىپى", "Wubao Jujube Cooperative"),
        story=(
            "合作社收购全村的红枣，统一挑选、清洗、分级，也种一部分哈密瓜。",
            "كوئوپېراتىپ پۈتۈن كەنتنىڭ چىلىنىنى سېتىۋېلىپ، بىرلىكتە تاللايدۇ، يۇيىدۇ ۋە دەرىجىگە ئايرىيدۇ؛ "
            "يەنە بىر قىسىم قوغۇنمۇ تېرىيدۇ.",
            "The cooperative buys the whole village's jujubes, then sorts, washes and grades them; it also grows "
            "some melons.",
        ),
    ),
    ProducerSeed(
        slug="eli-melon-farm",
        kind=HOUSEHOLD,
        village="aratam",
        name=("艾力家瓜田", "ئەلىنىڭ قوغۇنلۇقى", "Eli's Melon Farm"),
        story=(
            "艾力家的瓜田紧挨天山，雪水浇灌，昼夜温差让瓜格外甜。",
            "ئەلىنىڭ قوغۇنلۇقى تەڭرىتاغقا يېقىن، قار سۈيى بىلەن سۇغىرىلىدۇ؛ كېچە-كۈندۈز تېمپېراتۇرا پەرقى "
            "قوغۇننى ناھايىتى تاتلىق قىلىدۇ.",
            "Eli's melon field lies right under the Tianshan. Snowmelt and cold nights make the melons "
            "exceptionally sweet.",
        ),
    ),
    ProducerSeed(
        slug="jiya-atlas-workshop",
        kind=WORKSHOP,
        village="jiya",
        name=("吉亚艾德莱斯绸作坊", "جىيا ئەتلەس ئۇستىخانىسى", "Jiya Atlas Silk Workshop"),
        story=(
            "作坊里有二十台木织机，从煮茧、扎经、染色到织造全部手工完成。",
            "ئۇستىخانىدا يىگىرمە ياغاچ دۇكان بار؛ پىلە قاينىتىش، بوغۇش، بوياش ۋە توقۇشنىڭ ھەممىسى قولدا ئىشلىنىدۇ.",
            "Twenty wooden looms: boiling the cocoons, tying the warp, dyeing and weaving are all done by hand.",
        ),
    ),
    ProducerSeed(
        slug="patigul-atlas",
        kind=HOUSEHOLD,
        village="jiya",
        name=("帕提古丽家艾德莱斯", "پاتىگۈلنىڭ ئەتلىسى", "Patigul's Atlas Silk"),
        story=(
            "帕提古丽在家里的织机上织绸，一条围巾要织两天。卖围巾的收入供两个孩子上学。",
            "پاتىگۈل ئۆيدىكى دۇكاندا ئەتلەس توقۇيدۇ، بىر ياغلىق ئىككى كۈندە پۈتىدۇ. ياغلىق سېتىشتىن كەلگەن "
            "كىرىم ئىككى بالىسىنى ئوقۇتىدۇ.",
            "Patigul weaves on the loom at home; one scarf takes two days. The scarves pay for her two children's "
            "schooling.",
        ),
        low_income=True,
    ),
    ProducerSeed(
        slug="laskuy-ecommerce-cooperative",
        kind=COOPERATIVE,
        village="laskuy",
        name=(
            "拉斯奎农产品电商合作社",
            "لاسكۈي يېزا ئىگىلىك مەھسۇلاتلىرى ئېلېكترونلۇق سودا كوئوپېراتىپى",
            "Laskuy Farm Produce E-commerce Cooperative",
        ),
        story=(
            "合作社设在电商产业园旁，帮周边村子的农户把核桃、红枣和玫瑰酱卖到网上。",
            "كوئوپېراتىپ ئېلېكترونلۇق سودا باغچىسىنىڭ يېنىدا، ئەتراپتىكى كەنتلەرنىڭ ياڭاق، چىلان ۋە ئەتىرگۈل "
            "مۇراببالىرىنى تور ئارقىلىق سېتىشىغا ياردەم بېرىدۇ.",
            "Next door to the e-commerce park, the cooperative helps families from the surrounding villages sell "
            "their walnuts, jujubes and rose jam online.",
        ),
    ),
    ProducerSeed(
        slug="turghun-walnut-grove",
        kind=HOUSEHOLD,
        village="baghchi",
        name=("吐尔洪家核桃园", "تۇرغۇننىڭ ياڭاقزارلىقى", "Turghun's Walnut Grove"),
        story=(
            "吐尔洪家的核桃园离核桃王树只有两公里，三十棵老树每年秋天打一次核桃。",
            "تۇرغۇننىڭ ياڭاقزارلىقى ياڭاق پادىشاھى دەرىخىدىن ئاران ئىككى كىلومېتىر يىراقلىقتا؛ ئوتتۇز تۈپ قېرى "
            "دەرەختىن ھەر كۈزدە ياڭاق قېقىلىدۇ.",
            "Turghun's grove is two kilometres from the 'walnut king'; its thirty old trees are shaken once every "
            "autumn.",
        ),
        low_income=True,
    ),
    ProducerSeed(
        slug="karakax-rose-cooperative",
        kind=COOPERATIVE,
        village="karasay",
        name=("墨玉玫瑰花合作社", "قاراقاش ئەتىرگۈل كوئوپېراتىپى", "Karakax Rose Cooperative"),
        story=(
            "每年五月，合作社的妇女们天不亮就下地采花，当天烘干或熬酱，留住花香。",
            "ھەر يىلى مايدا كوئوپېراتىپنىڭ ئاياللىرى تاڭ ئاتماي ئېتىزغا چىقىپ گۈل ئۈزىدۇ، شۇ كۈنىلا قۇرۇتىدۇ "
            "ياكى مۇراببا ئېتىدۇ.",
            "Every May the cooperative's women are in the fields before dawn picking roses, then dry them or cook "
            "them into jam the same day to keep the scent.",
        ),
    ),
    ProducerSeed(
        slug="aynur-roses",
        kind=HOUSEHOLD,
        village="puchaqchi",
        name=("阿依努尔家玫瑰", "ئاينۇرنىڭ ئەتىرگۈللىرى", "Aynur's Roses"),
        story=(
            "阿依努尔在核桃树下种了两亩玫瑰，花蕾自己晒，玫瑰酱按奶奶的方子熬。",
            "ئاينۇر ياڭاق دەرەخلىرى ئاستىغا ئىككى مو ئەتىرگۈل تېرىغان؛ غۇنچىلارنى ئۆزى قۇرۇتىدۇ، مۇراببانى "
            "مومىسىنىڭ ئۇسۇلى بويىچە ئېتىدۇ.",
            "Aynur grows two mu of roses under her walnut trees, dries the buds herself and cooks jam to her "
            "grandmother's recipe.",
        ),
        low_income=True,
    ),
    ProducerSeed(
        slug="sampul-carpet-workshop",
        kind=WORKSHOP,
        village="sampul",
        name=("山普鲁手工地毯作坊", "سامپۇل قول گىلەم ئۇستىخانىسى", "Sampul Hand-knotted Carpet Workshop"),
        story=(
            "十二位织毯师傅用和田羊毛和植物染料，一平方米地毯要打十几万个结。",
            "ئون ئىككى ئۇستا خوتەن يۇڭى ۋە ئۆسۈملۈك بوياقلىرىنى ئىشلىتىدۇ؛ بىر كۋادرات مېتىر گىلەمگە يۈز "
            "مىڭلىغان تۈگۈن چېكىلىدۇ.",
            "Twelve weavers work with Hotan wool and plant dyes; a square metre of carpet takes well over a "
            "hundred thousand knots.",
        ),
    ),
    ProducerSeed(
        slug="damagou-pomegranate-cooperative",
        kind=COOPERATIVE,
        village="damagou",
        name=("达玛沟石榴合作社", "داماكۆ ئانار كوئوپېراتىپى", "Damagou Pomegranate Cooperative"),
        story=(
            "沙漠边的石榴园由五十多户人家共同经营，秋天统一采摘、挑选、发货。",
            "قۇملۇق بويىدىكى ئانارزارلىقنى ئەللىكتىن ئارتۇق ئائىلە بىرلىكتە باشقۇرىدۇ؛ كۈزدە بىرلىكتە ئۈزىدۇ، "
            "تاللايدۇ ۋە يوللايدۇ.",
            "More than fifty families run the pomegranate orchards on the desert's edge together, picking, "
            "sorting and shipping as one in the autumn.",
        ),
    ),
    ProducerSeed(
        slug="keriya-desert-rose-workshop",
        kind=WORKSHOP,
        village="mugala",
        name=("于田沙漠玫瑰作坊", "كېرىيە قۇملۇق ئەتىرگۈلى ئۇستىخانىسى", "Keriya Desert Rose Workshop"),
        story=(
            "作坊收购村里的沙漠玫瑰，做成花茶和玫瑰酱；夏天还收昆仑山上采来的雪菊。",
            "ئۇستىخانا كەنتنىڭ قۇملۇق ئەتىرگۈلىنى سېتىۋېلىپ، گۈل چېيى ۋە مۇراببا ياسايدۇ؛ يازدا كۇئېنلۇن "
            "تېغىدىن تېرىلغان قار گۈلىنىمۇ سېتىۋالىدۇ.",
            "The workshop buys the village's desert roses for tea and jam, and in summer the snow chrysanthemum "
            "picked high in the Kunlun.",
        ),
    ),
    ProducerSeed(
        slug="nurmemet-jujubes",
        kind=HOUSEHOLD,
        village="gulakhma",
        name=("努尔买买提家红枣", "نۇرمەمەتنىڭ چىلانلىرى", "Nurmemet's Jujubes"),
        story=(
            "努尔买买提在治沙林里种了三亩红枣，刚刚申请上架，等待审核。",
            "نۇرمەمەت قۇم توسۇش ئورمىنىدا ئۈچ مو چىلان تېرىغان؛ يېڭىلا تىزىملاتتى، تەستىق كۈتۈۋاتىدۇ.",
            "Nurmemet grows three mu of jujubes in the sand-break forest. He has just applied to sell and is "
            "waiting to be verified.",
        ),
        low_income=True,
        verified=False,
    ),
    ProducerSeed(
        slug="yarkant-almond-cooperative",
        kind=COOPERATIVE,
        village="awat",
        name=("莎车巴旦木合作社", "يەكەن بادام كوئوپېراتىپى", "Yarkant Almond Cooperative"),
        story=(
            "叶尔羌河边的一百二十户果农，把巴旦木和纸皮核桃集中加工，统一品质。",
            "يەكەن دەرياسى بويىدىكى بىر يۈز يىگىرمە باغۋەن ئائىلە بادام ۋە قەغەز پوستلۇق ياڭاقنى بىرلىكتە "
            "پىششىقلاپ، سۈپىتىنى بىرلىككە كەلتۈرىدۇ.",
            "A hundred and twenty orchard families along the Yarkant River process their almonds and paper-shell "
            "walnuts together to one standard.",
        ),
    ),
    ProducerSeed(
        slug="gulnar-apricot-orchard",
        kind=HOUSEHOLD,
        village="qaqun",
        name=("古丽娜尔家杏园", "گۈلنارنىڭ ئۆرۈكزارلىقى", "Gulnar's Apricot Orchard"),
        story=(
            "古丽娜尔家在山口种杏，六月中旬鲜杏上市，其余的铺在屋顶上晒成杏干。",
            "گۈلنارنىڭ ئائىلىسى تاغ ئېغىزىدا ئۆرۈك تېرىيدۇ؛ ئىيۇن ئوتتۇرىلىرىدا يېڭى ئۆرۈك بازارغا چىقىدۇ، "
            "قالغىنى ئۆگزىدە قاق قىلىنىدۇ.",
            "Gulnar's family grows apricots at the mouth of the valley. Fresh fruit goes out in mid-June; the rest "
            "is spread on the roof to dry.",
        ),
        low_income=True,
    ),
    ProducerSeed(
        slug="yengisar-apricot-cooperative",
        kind=COOPERATIVE,
        village="mangshin",
        name=("英吉沙杏子合作社", "يېڭىسار ئۆرۈك كوئوپېراتىپى", "Yengisar Apricot Cooperative"),
        story=(
            "合作社专种色买提杏，鲜杏冷链直发，也做杏干和杏酱。",
            "كوئوپېراتىپ ئاساسەن سەمەت ئۆرۈكى تېرىيدۇ؛ يېڭى ئۆرۈكنى سوغۇق زەنجىر بىلەن بىۋاسىتە يوللايدۇ، "
            "ئۆرۈك قېقى ۋە مۇراببامۇ ياسايدۇ.",
            "The cooperative grows the Samet apricot, ships fresh fruit by cold chain and makes dried apricots and "
            "jam.",
        ),
    ),
    ProducerSeed(
        slug="ehmet-figs",
        kind=HOUSEHOLD,
        village="uchar",
        name=("艾合买提家无花果", "ئەخمەتنىڭ ئەنجۈرلىرى", "Ehmet's Figs"),
        story=(
            "艾合买提家院子里有六棵老无花果树，每天清晨摘下最熟的果子。",
            "ئەخمەتنىڭ ھويلىسىدا ئالتە تۈپ قېرى ئەنجۈر دەرىخى بار، ھەر كۈنى سەھەردە ئەڭ پىشقانلىرىنى ئۈزىدۇ.",
            "Six old fig trees grow in Ehmet's courtyard; every morning he picks the ripest fruit.",
        ),
    ),
    ProducerSeed(
        slug="onsu-walnut-cooperative",
        kind=COOPERATIVE,
        village="tophan",
        name=("温宿核桃合作社", "ئونسۇ ياڭاق كوئوپېراتىپى", "Onsu Walnut Cooperative"),
        story=(
            "合作社有自己的脱皮、清洗和烘干设备，社员的核桃从树上到装袋不超过三天。",
            "كوئوپېراتىپنىڭ ئۆزىنىڭ پوست ئاجرىتىش، يۇيۇش ۋە قۇرۇتۇش ئۈسكۈنىسى بار؛ ئەزالارنىڭ ياڭىقى "
            "دەرەختىن خالتىغا ئۈچ كۈن ئىچىدە يېتىپ بارىدۇ.",
            "With its own hulling, washing and drying line, the cooperative gets members' walnuts from tree to bag "
            "in under three days.",
        ),
    ),
    ProducerSeed(
        slug="imin-apple-orchard",
        kind=HOUSEHOLD,
        village="jamu",
        name=("依明家苹果园", "ئىمىننىڭ ئالمىزارلىقى", "Imin's Apple Orchard"),
        story=(
            "依明家的苹果要等到十一月霜降以后才摘，这时糖心最足。",
            "ئىمىننىڭ ئالمىسى نويابىردا قىراۋ چۈشكەندىن كېيىن ئۈزۈلىدۇ، بۇ ۋاقىتتا شېكەر يۈرىكى ئەڭ تولۇق بولىدۇ.",
            "Imin waits for the November frosts before picking: that is when the sugar heart is fullest.",
        ),
    ),
    ProducerSeed(
        slug="kuqa-apricot-workshop",
        kind=WORKSHOP,
        village="chiman",
        name=("库车杏干加工坊", "كۇچار ئۆرۈك قېقى ئۇستىخانىسى", "Kuqa Dried Apricot Workshop"),
        story=(
            "加工坊收购附近村子的小白杏，晒杏干、熬杏酱，雇的都是本村妇女。",
            "ئۇستىخانا ئەتراپتىكى كەنتلەرنىڭ ئاق ئۆرۈكىنى سېتىۋېلىپ، قاق ۋە مۇراببا ياسايدۇ؛ ئىشچىلارنىڭ "
            "ھەممىسى شۇ كەنتنىڭ ئاياللىرى.",
            "The workshop buys small white apricots from nearby villages to dry and cook into jam, and employs "
            "women from the village.",
        ),
    ),
    ProducerSeed(
        slug="charbagh-pear-cooperative",
        kind=COOPERATIVE,
        village="charbagh",
        name=("恰尔巴格香梨合作社", "چارباغ نەشپۈت كوئوپېراتىپى", "Charbagh Fragrant Pear Cooperative"),
        story=(
            "合作社有恒温冷库，九月采下的香梨可以一直保鲜到第二年春天。",
            "كوئوپېراتىپنىڭ تۇراقلىق تېمپېراتۇرىلىق سوغۇق ئامبىرى بار؛ سېنتەبىردە ئۈزۈلگەن نەشپۈت كېلەر يىلى "
            "ئەتىيازغىچە يېڭى تۇرىدۇ.",
            "The cooperative's cold store keeps September's pears fresh until the following spring.",
        ),
    ),
    ProducerSeed(
        slug="adil-pear-orchard",
        kind=HOUSEHOLD,
        village="shanghu",
        name=("阿迪力家梨园", "ئادىلنىڭ نەشپۈتزارلىقى", "Adil's Pear Orchard"),
        story=(
            "阿迪力家有八亩梨园，刚刚开始在网上卖梨，资料还在审核中。",
            "ئادىلنىڭ سەككىز مو نەشپۈتزارلىقى بار؛ تور ئارقىلىق سېتىشنى يېڭىلا باشلىدى، ماتېرىياللىرى تەكشۈرۈلۈۋاتىدۇ.",
            "Adil has eight mu of pear trees and has just started selling online; his papers are still being checked.",
        ),
        verified=False,
    ),
)


# ---------------------------------------------------------------------------
# What is sold
# ---------------------------------------------------------------------------

PACKS: dict[str, PackSeed] = {
    "bag-500g": PackSeed(("500克袋", "500 گراملىق خالتا", "500 g bag"), 500),
    "bag-1kg": PackSeed(("1公斤袋", "1 كىلوگراملىق خالتا", "1 kg bag"), 1000),
    "box-1-5kg": PackSeed(("1.5公斤箱", "1.5 كىلوگراملىق قۇتا", "1.5 kg box"), 1500),
    "box-2kg": PackSeed(("2公斤箱", "2 كىلوگراملىق قۇتا", "2 kg box"), 2000),
    "box-2-5kg": PackSeed(("2.5公斤箱", "2.5 كىلوگراملىق قۇتا", "2.5 kg box"), 2500),
    "box-3kg": PackSeed(("3公斤箱", "3 كىلوگراملىق قۇتا", "3 kg box"), 3000),
    "box-5kg": PackSeed(("5公斤箱", "5 كىلوگراملىق قۇتا", "5 kg box"), 5000),
    "box-10kg": PackSeed(("10公斤箱", "10 كىلوگراملىق قۇتا", "10 kg box"), 10000),
    "tin-50g": PackSeed(("50克罐", "50 گراملىق قۇتا", "50 g tin"), 50),
    "tin-100g": PackSeed(("100克罐", "100 گراملىق قۇتا", "100 g tin"), 100),
    "tin-250g": PackSeed(("250克罐", "250 گراملىق قۇتا", "250 g tin"), 250),
    "jar-300g": PackSeed(("300克瓶", "300 گراملىق بانكا", "300 g jar"), 300),
    "jars-2x300g": PackSeed(("300克×2瓶", "300 گراملىق 2 بانكا", "2 × 300 g jars"), 600),
    "melons-2": PackSeed(("2个装（约5公斤）", "2 دانە (تەخمىنەن 5 كىلوگرام)", "2 melons (about 5 kg)"), 5000),
    "melons-4": PackSeed(("4个装（约10公斤）", "4 دانە (تەخمىنەن 10 كىلوگرام)", "4 melons (about 10 kg)"), 10000),
    "scarf-70x180": PackSeed(("70×180厘米", "70×180 سانتىمېتىر", "70 × 180 cm"), 120),
    "scarf-90x190": PackSeed(("90×190厘米", "90×190 سانتىمېتىر", "90 × 190 cm"), 160),
    "fabric-4m": PackSeed(("4米（幅宽45厘米）", "4 مېتىر (كەڭلىكى 45 سانتىمېتىر)", "4 m (45 cm wide)"), 450),
    "carpet-60x90": PackSeed(("60×90厘米", "60×90 سانتىمېتىر", "60 × 90 cm"), 2500),
    "carpet-100x150": PackSeed(("100×150厘米", "100×150 سانتىمېتىر", "100 × 150 cm"), 7000),
}


KINDS: dict[str, KindSeed] = {
    "seedless-grapes": KindSeed(
        category="fresh-fruit",
        description=(
            "无核白葡萄皮薄无籽、甜度高，清晨采摘，当天冷链发出。",
            "ئۇرۇقسىز ئاق ئۈزۈم نېپىز پوستلۇق، ئۇرۇقسىز ۋە ناھايىتى تاتلىق. سەھەردە ئۈزۈلۈپ، شۇ كۈنى سوغۇق "
            "زەنجىر ئارقىلىق يوللىنىدۇ.",
            "Seedless white grapes: thin-skinned and very sweet. Picked at dawn and sent by cold chain the same day.",
        ),
        packs=(("box-2-5kg", Decimal("59.90"), 120), ("box-5kg", Decimal("109.00"), 60)),
        picture="grapes",
        season=(7, 9),
        perishable=True,
    ),
    "raisins": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "在通风的晾房里自然阴干四十天，不加糖、不染色。",
            "شامال ئۆتىدىغان چۈنجىدە قىرىق كۈن تەبىئىي قۇرۇتۇلغان، شېكەر ۋە بوياق قوشۇلمىغان.",
            "Dried naturally in airy drying houses for forty days, with no added sugar or colouring.",
        ),
        packs=(
            ("bag-500g", Decimal("29.90"), 300),
            ("bag-1kg", Decimal("52.00"), 200),
            ("box-2-5kg", Decimal("118.00"), 80),
        ),
        picture="raisins",
    ),
    "hami-melon": KindSeed(
        category="fresh-fruit",
        description=(
            "沙地里长大的哈密瓜，果肉橙红、脆甜多汁。",
            "قۇملۇقتا ئۆسكەن قوغۇن، ئېتى قىزغۇچ سېرىق، مۇرت، تاتلىق ۋە سۈيى مول.",
            "Grown in sandy soil: orange flesh, crisp, sweet and juicy.",
        ),
        packs=(("melons-2", Decimal("69.90"), 80), ("melons-4", Decimal("129.00"), 40)),
        picture="hami-melon",
        season=(6, 9),
        perishable=True,
    ),
    "rose-tea": KindSeed(
        category="tea-flowers",
        description=(
            "五月清晨采摘的玫瑰花蕾，低温烘干，冲泡后花香浓郁。",
            "مايدا سەھەردە ئۈزۈلگەن ئەتىرگۈل غۇنچىلىرى تۆۋەن تېمپېراتۇرىدا قۇرۇتۇلغان، دەملىسە پۇرىقى كۈچلۈك.",
            "Rose buds picked on May mornings and dried at low heat: a deeply fragrant cup.",
        ),
        packs=(("tin-100g", Decimal("39.90"), 200), ("tin-250g", Decimal("89.00"), 100)),
        picture="rose-tea",
    ),
    "snow-chrysanthemum": KindSeed(
        category="tea-flowers",
        description=(
            "昆仑山高海拔的野生雪菊，汤色金红，回味清香。",
            "كۇئېنلۇن تېغىنىڭ ئېگىز جايلىرىدا ئۆسىدىغان ياۋايى قار گۈلى، دەملىسە ئالتۇن قىزىل رەڭلىك، تەمى خۇشپۇراق.",
            "Wild snow chrysanthemum from high in the Kunlun: a golden-red brew with a clean finish.",
        ),
        packs=(("tin-50g", Decimal("49.00"), 150), ("tin-100g", Decimal("88.00"), 80)),
        picture="flower-tea",
    ),
    "rose-jam": KindSeed(
        category="jams",
        description=(
            "新鲜玫瑰花瓣与冰糖慢熬，可以抹馕、冲水或配酸奶。",
            "يېڭى ئەتىرگۈل بەرگى ناۋات بىلەن ئاستا قاينىتىلغان؛ نانغا سۈركەپ، سۇغا سېلىپ ياكى قېتىق بىلەن "
            "يېيىشكە بولىدۇ.",
            "Fresh rose petals slowly cooked with rock sugar. Spread it on naan, stir it into water or eat it with "
            "yoghurt.",
        ),
        packs=(("jar-300g", Decimal("32.00"), 200), ("jars-2x300g", Decimal("59.00"), 100)),
        picture="rose-jam",
    ),
    "apricot-jam": KindSeed(
        category="jams",
        description=(
            "用晒甜的小白杏熬制，果肉多，不加色素。",
            "ئاپتاپتا تاتلىق پىشقان ئاق ئۆرۈكتىن ئېتىلگەن، مېۋە ئېتى كۆپ، رەڭ قوشۇلمىغان.",
            "Cooked from sun-sweetened small white apricots: plenty of fruit, no colouring.",
        ),
        packs=(("jar-300g", Decimal("29.90"), 200), ("jars-2x300g", Decimal("55.00"), 100)),
        picture="apricot-jam",
    ),
    "fig-jam": KindSeed(
        category="jams",
        description=(
            "熟透的无花果加少量糖熬成，口感细腻。",
            "پىشىپ يېتىلگەن ئەنجۈرگە ئاز شېكەر قوشۇپ ئېتىلگەن، يۇمشاق ۋە سىلىق.",
            "Ripe figs cooked with a little sugar into a smooth jam.",
        ),
        packs=(("jar-300g", Decimal("36.00"), 120),),
        picture="fig-jam",
    ),
    "walnuts": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "薄皮核桃，用手就能捏开，果仁饱满、香而不涩。",
            "نېپىز پوستلۇق ياڭاق، قولدا سىقسىلا چېقىلىدۇ؛ مېغىزى تولۇق، خۇشپۇراق، ئاچچىقى يوق.",
            "Thin-shelled walnuts you can crack by hand: plump, fragrant kernels with no bitterness.",
        ),
        packs=(("bag-1kg", Decimal("45.00"), 250), ("box-2-5kg", Decimal("99.00"), 100)),
        picture="walnuts",
    ),
    "walnut-kernels": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "手工剥好的核桃仁，真空包装。",
            "قولدا ئايرىلغان ياڭاق مېغىزى، ۋاكۇئۇم ئورالغان.",
            "Hand-shelled walnut kernels, vacuum packed.",
        ),
        packs=(("bag-500g", Decimal("48.00"), 150), ("bag-1kg", Decimal("89.00"), 80)),
        picture="walnuts",
    ),
    "jujubes": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "在树上自然挂干的红枣，肉厚核小，甜而不腻。",
            "دەرەختە تەبىئىي قۇرۇغان چىلان، ئېتى قېلىن، ئۇرۇقى كىچىك، تاتلىق.",
            "Red jujubes left to dry on the tree: thick flesh, small stones, sweet without being cloying.",
        ),
        packs=(("bag-1kg", Decimal("39.90"), 250), ("box-2-5kg", Decimal("88.00"), 100)),
        picture="jujubes",
    ),
    "fresh-apricots": KindSeed(
        category="fresh-fruit",
        description=(
            "树上熟透才摘的杏子，皮薄汁多，采摘期只有短短几周。",
            "دەرەختە پىشىپ يېتىلگەندىن كېيىن ئۈزۈلگەن ئۆرۈك، پوستى نېپىز، سۈيى مول؛ ئۈزۈش مەزگىلى پەقەت "
            "بىرنەچچە ھەپتە.",
            "Apricots picked tree-ripe: thin skin, lots of juice, and a season of only a few weeks.",
        ),
        packs=(("box-2kg", Decimal("49.90"), 100), ("box-5kg", Decimal("109.00"), 40)),
        picture="apricots",
        season=(6, 7),
        perishable=True,
    ),
    "dried-apricots": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "带核晒干的杏干，酸甜有嚼劲。",
            "ئۇرۇقى بىلەن ئاپتاپتا قۇرۇتۇلغان ئۆرۈك قېقى، چۈچۈمەل-تاتلىق.",
            "Whole apricots sun-dried with the stone in: sweet-sour and chewy.",
        ),
        packs=(("bag-500g", Decimal("32.90"), 200), ("bag-1kg", Decimal("59.00"), 120)),
        picture="dried-apricots",
    ),
    "fresh-figs": KindSeed(
        category="fresh-fruit",
        description=(
            "庭院老树上的无花果，软糯香甜；冷链发货，请尽快食用。",
            "ھويلىدىكى قېرى دەرەختىكى ئەنجۈر، يۇمشاق ۋە تاتلىق؛ سوغۇق زەنجىر بىلەن يوللىنىدۇ، تېز يېيىش كېرەك.",
            "Figs from old courtyard trees, soft and honey-sweet. Sent by cold chain; eat them soon.",
        ),
        packs=(("box-1-5kg", Decimal("79.00"), 60), ("box-3kg", Decimal("149.00"), 30)),
        picture="figs",
        season=(8, 10),
        perishable=True,
    ),
    "dried-figs": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "低温烘干的无花果干，保留了果香。",
            "تۆۋەن تېمپېراتۇرىدا قۇرۇتۇلغان ئەنجۈر، مېۋە پۇرىقى ساقلىنىپ قالغان.",
            "Figs dried at low heat so they keep their perfume.",
        ),
        packs=(("bag-500g", Decimal("45.00"), 120),),
        picture="figs",
    ),
    "fragrant-pears": KindSeed(
        category="fresh-fruit",
        description=(
            "库尔勒香梨皮薄肉细，汁多无渣，带着独特的清香。冷库保鲜，可以一直吃到来年春天。",
            "كورلا نەشپۈتى نېپىز پوستلۇق، ئېتى نازۇك، سۈيى مول، ئۆزگىچە خۇشپۇراق. سوغۇق ئامباردا ساقلىنىپ، "
            "كېلەر يىلى ئەتىيازغىچە يېگىلى بولىدۇ.",
            "Korla fragrant pears: thin skin, fine juicy flesh and a perfume of their own. Kept in cold stores, "
            "they last until spring.",
        ),
        packs=(("box-2-5kg", Decimal("49.90"), 150), ("box-5kg", Decimal("89.00"), 80)),
        picture="pears",
        season=(9, 3),
        perishable=True,
    ),
    "apples": KindSeed(
        category="fresh-fruit",
        description=(
            "阿克苏冰糖心苹果：昼夜温差让果核周围凝出糖心，脆甜多汁。",
            "ئاقسۇ مۇز شېكەر يۈرەك ئالمىسى: كېچە-كۈندۈز تېمپېراتۇرا پەرقى مېغىزى ئەتراپىدا شېكەر يۈرەك ھاسىل "
            "قىلىدۇ؛ مۇرت، تاتلىق ۋە سۈيى مول.",
            "Aksu 'rock-sugar heart' apples: hot days and cold nights crystallise sugar around the core. Crisp, "
            "sweet and juicy.",
        ),
        packs=(("box-5kg", Decimal("69.90"), 120), ("box-10kg", Decimal("128.00"), 50)),
        picture="apples",
        season=(10, 2),
        perishable=True,
    ),
    "pomegranates": KindSeed(
        category="fresh-fruit",
        description=(
            "沙漠里长大的石榴，籽粒饱满，酸甜适中。",
            "قۇملۇقتا ئۆسكەن ئانار، دانىسى تولۇق، چۈچۈك-تاتلىقلىقى مۇۋاپىق.",
            "Desert-grown pomegranates with plump, sweet-tart seeds.",
        ),
        packs=(("box-2-5kg", Decimal("59.90"), 100), ("box-5kg", Decimal("108.00"), 50)),
        picture="pomegranates",
        season=(9, 11),
        perishable=True,
    ),
    "almonds": KindSeed(
        category="dried-fruit-nuts",
        description=(
            "薄壳巴旦木，手剥即开，原味烘烤。",
            "نېپىز پوستلۇق بادام، قولدا ئېچىلىدۇ، تەبىئىي تەمدە قورۇلغان.",
            "Thin-shelled almonds that open by hand, roasted plain.",
        ),
        packs=(("bag-500g", Decimal("42.00"), 200), ("bag-1kg", Decimal("79.00"), 100)),
        picture="almonds",
    ),
    "atlas-scarf": KindSeed(
        category="handicrafts",
        description=(
            "手工扎染、手工织造的艾德莱斯绸围巾，每一条的花纹都略有不同。",
            "قولدا بوغۇپ بويالغان، قولدا توقۇلغان ئەتلەس ياغلىق؛ ھەر بىرىنىڭ نەقىشى سەل ئوخشىمايدۇ.",
            "Atlas silk scarves, tie-dyed and woven by hand; no two patterns are quite the same.",
        ),
        packs=(("scarf-70x180", Decimal("129.00"), 30), ("scarf-90x190", Decimal("199.00"), 20)),
        picture="atlas-silk",
    ),
    "atlas-fabric": KindSeed(
        category="handicrafts",
        description=(
            "手织艾德莱斯绸面料，可以做连衣裙或披肩。",
            "قولدا توقۇلغان ئەتلەس رەخت، كۆينەك ياكى شارپا تىكىشكە بولىدۇ.",
            "Hand-woven atlas silk by the length, for a dress or a shawl.",
        ),
        packs=(("fabric-4m", Decimal("368.00"), 12),),
        picture="atlas-silk",
    ),
    "carpet": KindSeed(
        category="handicrafts",
        description=(
            "和田羊毛手工打结地毯，植物染色，传统石榴纹和几何纹样。",
            "خوتەن يۇڭىدىن قولدا توقۇلغان گىلەم، ئۆسۈملۈك بوياقلىرى بىلەن بويالغان، ئەنئەنىۋى ئانار ۋە "
            "گېئومېتىرىيىلىك نەقىشلىك.",
            "Hand-knotted carpets of Hotan wool, plant-dyed, with traditional pomegranate and geometric patterns.",
        ),
        packs=(("carpet-60x90", Decimal("399.00"), 4), ("carpet-100x150", Decimal("899.00"), 2)),
        picture="carpet",
    ),
}

PRODUCTS: tuple[ProductSeed, ...] = (
    # Turpan
    ProductSeed(
        "abdukerim-seedless-grapes",
        "abdukerim-vineyard",
        "seedless-grapes",
        ("葡萄沟无核白葡萄", "ئۇرۇقسىز ئاق ئۈزۈم (ئۈزۈم ئېرىقى)", "Grape Valley seedless white grapes"),
        note=(
            "坎儿井水浇灌，藤上熟透才剪。",
            "كارىز سۈيى بىلەن سۇغىرىلىدۇ، تېلىدا پىشقاندىلا ئۈزۈلىدۇ.",
            "Watered from the karez and cut only when ripe on the vine.",
        ),
    ),
    ProductSeed(
        "abdukerim-green-raisins",
        "abdukerim-vineyard",
        "raisins",
        ("葡萄沟绿葡萄干", "يېشىل كىشمىش (ئۈزۈم ئېرىقى)", "Grape Valley green raisins"),
    ),
    ProductSeed(
        "grape-valley-selected-grapes",
        "grape-valley-cooperative",
        "seedless-grapes",
        ("合作社精选无核白葡萄", "تاللانغان ئۇرۇقسىز ئاق ئۈزۈم", "Selected seedless white grapes"),
        price_shift=Decimal("10.00"),
    ),
    ProductSeed(
        "grape-valley-premium-raisins",
        "grape-valley-cooperative",
        "raisins",
        ("特级绿香妃葡萄干", "ئالاھىدە دەرىجىلىك يېشىل كىشمىش", "Premium green raisins"),
        price_shift=Decimal("8.00"),
    ),
    ProductSeed(
        "grape-valley-four-colour-raisins",
        "grape-valley-cooperative",
        "raisins",
        ("四色葡萄干", "تۆت خىل رەڭلىك كىشمىش", "Four-colour raisin mix"),
        packs=("bag-500g", "bag-1kg"),
        price_shift=Decimal("5.00"),
    ),
    ProductSeed(
        "ismayil-ata-green-raisins",
        "ismayil-ata-raisins",
        "raisins",
        ("伊斯马伊力大爷晾房绿葡萄干", "ئىسمايىل ئاتىنىڭ يېشىل كىشمىشى", "Grandpa Ismayil's green raisins"),
        packs=("bag-500g", "bag-1kg"),
    ),
    ProductSeed(
        "tursungul-green-raisins",
        "tursungul-drying-house",
        "raisins",
        ("晾房绿葡萄干", "چۈنجە كىشمىشى", "Drying-house green raisins"),
    ),
    ProductSeed(
        "tursungul-red-raisins",
        "tursungul-drying-house",
        "raisins",
        ("红香妃葡萄干", "قىزىل كىشمىش", "Red raisins"),
        packs=("bag-500g", "bag-1kg"),
    ),
    ProductSeed(
        "tuyoq-old-village-raisins",
        "tuyoq-raisin-cooperative",
        "raisins",
        ("吐峪沟古村葡萄干", "تۇيۇق كونا كەنت كىشمىشى", "Tuyoq old-village raisins"),
    ),
    ProductSeed(
        "tuyoq-black-raisins",
        "tuyoq-raisin-cooperative",
        "raisins",
        ("黑加仑葡萄干", "قارا كىشمىش", "Black raisins"),
        packs=("bag-500g", "bag-1kg"),
    ),
    ProductSeed(
        "tuyoq-seedless-grapes",
        "tuyoq-raisin-cooperative",
        "seedless-grapes",
        ("吐峪沟无核白葡萄", "ئۇرۇقسىز ئاق ئۈزۈم (تۇيۇق)", "Tuyoq seedless white grapes"),
        packs=("box-2-5kg",),
    ),
    ProductSeed(
        "shanshan-hami-melon",
        "memtimin-melon-field",
        "hami-melon",
        ("鄯善哈密瓜", "پىچان قوغۇنى", "Shanshan Hami melon"),
    ),
    ProductSeed(
        "shanshan-late-melon",
        "memtimin-melon-field",
        "hami-melon",
        ("晚熟哈密瓜", "كېچ پىشار قوغۇن", "Late-ripening Hami melon"),
        season=(8, 10),
        note=(
            "晚熟品种，皮厚耐储，九月最甜。",
            "كېچ پىشىدىغان سورت، پوستى قېلىن، ساقلاشقا چىداملىق، سېنتەبىردە ئەڭ تاتلىق.",
            "A late variety with a thick rind that keeps well; sweetest in September.",
        ),
    ),
    ProductSeed(
        "toksun-fresh-apricots",
        "reyhangul-apricot-orchard",
        "fresh-apricots",
        ("托克逊鲜杏", "توقسۇن ئۆرۈكى", "Toksun fresh apricots"),
    ),
    ProductSeed(
        "toksun-dried-apricots",
        "reyhangul-apricot-orchard",
        "dried-apricots",
        ("托克逊杏干", "توقسۇن ئۆرۈك قېقى", "Toksun dried apricots"),
    ),
    ProductSeed(
        "reyhangul-apricot-jam",
        "reyhangul-apricot-orchard",
        "apricot-jam",
        ("家庭手工杏酱", "ئائىلىدە ئېتىلگەن ئۆرۈك مۇراببا", "Home-made apricot jam"),
    ),
    # Hami
    ProductSeed(
        "hami-big-jujubes",
        "wubao-jujube-cooperative",
        "jujubes",
        ("哈密大枣", "چوڭ قىزىل چىلان (قۇمۇل)", "Hami big red jujubes"),
    ),
    ProductSeed(
        "wubao-premium-jujubes",
        "wubao-jujube-cooperative",
        "jujubes",
        ("五堡特级红枣", "ئالاھىدە دەرىجىلىك چىلان", "Wubao premium red jujubes"),
        price_shift=Decimal("12.00"),
    ),
    ProductSeed(
        "wubao-hami-melon",
        "wubao-jujube-cooperative",
        "hami-melon",
        ("五堡哈密瓜", "ۋۇباۋ قوغۇنى", "Wubao Hami melon"),
    ),
    ProductSeed(
        "tianshan-snowmelt-melon",
        "eli-melon-farm",
        "hami-melon",
        ("天山雪水哈密瓜", "تەڭرىتاغ قار سۈيىدە ئۆسكەن قوغۇن", "Tianshan snowmelt Hami melon"),
        price_shift=Decimal("10.00"),
    ),
    ProductSeed(
        "aratam-red-jujubes",
        "eli-melon-farm",
        "jujubes",
        ("阿拉塔木红枣", "قىزىل چىلان (ئاراتام)", "Aratam red jujubes"),
        packs=("bag-1kg",),
    ),
    # Hotan
    ProductSeed(
        "jiya-classic-atlas-scarf",
        "jiya-atlas-workshop",
        "atlas-scarf",
        ("经典艾德莱斯绸围巾", "كلاسسىك ئەتلەس ياغلىق", "Classic atlas silk scarf"),
    ),
    ProductSeed(
        "jiya-rainbow-atlas-scarf",
        "jiya-atlas-workshop",
        "atlas-scarf",
        ("彩虹艾德莱斯绸围巾", "ھەسەن-ھۈسەن ئەتلەس ياغلىق", "Rainbow atlas silk scarf"),
        price_shift=Decimal("20.00"),
    ),
    ProductSeed(
        "jiya-atlas-fabric",
        "jiya-atlas-workshop",
        "atlas-fabric",
        ("手织艾德莱斯绸面料", "قولدا توقۇلغان ئەتلەس رەخت", "Hand-woven atlas silk fabric"),
    ),
    ProductSeed(
        "patigul-atlas-scarf",
        "patigul-atlas",
        "atlas-scarf",
        ("帕提古丽手织围巾", "پاتىگۈل توقۇغان ئەتلەس ياغلىق", "Patigul's hand-woven atlas scarf"),
    ),
    ProductSeed(
        "patigul-atlas-fabric",
        "patigul-atlas",
        "atlas-fabric",
        ("家织艾德莱斯绸", "ئائىلىدە توقۇلغان ئەتلەس", "Home-woven atlas silk"),
        price_shift=Decimal("-20.00"),
    ),
    ProductSeed(
        "hotan-thin-shell-walnuts",
        "laskuy-ecommerce-cooperative",
        "walnuts",
        ("和田薄皮核桃", "نېپىز پوستلۇق ياڭاق (خوتەن)", "Hotan thin-shelled walnuts"),
    ),
    ProductSeed(
        "hotan-jun-jujubes",
        "laskuy-ecommerce-cooperative",
        "jujubes",
        ("和田骏枣", "چوڭ چىلان (خوتەن)", "Hotan large jujubes"),
        price_shift=Decimal("6.00"),
    ),
    ProductSeed(
        "hotan-rose-jam",
        "laskuy-ecommerce-cooperative",
        "rose-jam",
        ("和田玫瑰酱", "ئەتىرگۈل مۇراببا (خوتەن)", "Hotan rose jam"),
    ),
    ProductSeed(
        "laskuy-walnut-kernels",
        "laskuy-ecommerce-cooperative",
        "walnut-kernels",
        ("核桃仁", "ياڭاق مېغىزى", "Walnut kernels"),
    ),
    ProductSeed(
        "walnut-king-village-walnuts",
        "turghun-walnut-grove",
        "walnuts",
        ("核桃王之乡薄皮核桃", "ياڭاق پادىشاھى يۇرتىدىن نېپىز پوستلۇق ياڭاق", "Walnuts from the walnut-king village"),
    ),
    ProductSeed(
        "turghun-walnut-kernels",
        "turghun-walnut-grove",
        "walnut-kernels",
        ("手剥核桃仁", "قولدا ئايرىلغان ياڭاق مېغىزى", "Hand-shelled walnut kernels"),
        packs=("bag-500g",),
    ),
    ProductSeed(
        "karakax-rose-tea",
        "karakax-rose-cooperative",
        "rose-tea",
        ("墨玉玫瑰花茶", "ئەتىرگۈل چېيى (قاراقاش)", "Karakax rose tea"),
    ),
    ProductSeed(
        "karakax-rose-jam",
        "karakax-rose-cooperative",
        "rose-jam",
        ("墨玉玫瑰酱", "ئەتىرگۈل مۇراببا (قاراقاش)", "Karakax rose jam"),
    ),
    ProductSeed(
        "karakax-rose-petal-tea",
        "karakax-rose-cooperative",
        "rose-tea",
        ("玫瑰花冠茶", "ئەتىرگۈل بەرگى چېيى", "Rose petal tea"),
        price_shift=Decimal("6.00"),
    ),
    ProductSeed(
        "aynur-rose-bud-tea",
        "aynur-roses",
        "rose-tea",
        ("阿依努尔家玫瑰花蕾", "ئەتىرگۈل غۇنچىسى چېيى", "Aynur's rose bud tea"),
        packs=("tin-100g",),
    ),
    ProductSeed(
        "aynur-rose-jam",
        "aynur-roses",
        "rose-jam",
        ("奶奶方子玫瑰酱", "مومام ئۇسۇلىدىكى ئەتىرگۈل مۇراببا", "Grandmother's rose jam"),
    ),
    ProductSeed(
        "sampul-pomegranate-carpet",
        "sampul-carpet-workshop",
        "carpet",
        ("石榴纹手工地毯", "ئانار نەقىشلىك قول گىلەم", "Pomegranate-pattern hand-knotted carpet"),
    ),
    ProductSeed(
        "sampul-geometric-carpet",
        "sampul-carpet-workshop",
        "carpet",
        ("几何纹手工地毯", "گېئومېتىرىيىلىك نەقىشلىك قول گىلەم", "Geometric hand-knotted carpet"),
    ),
    ProductSeed(
        "sampul-small-rug",
        "sampul-carpet-workshop",
        "carpet",
        ("门厅小地毯", "كىچىك قول گىلەم", "Small hand-knotted rug"),
        packs=("carpet-60x90",),
        price_shift=Decimal("-30.00"),
    ),
    ProductSeed(
        "qira-sweet-pomegranates",
        "damagou-pomegranate-cooperative",
        "pomegranates",
        ("策勒甜石榴", "تاتلىق ئانار (چىرا)", "Qira sweet pomegranates"),
    ),
    ProductSeed(
        "qira-sour-pomegranates",
        "damagou-pomegranate-cooperative",
        "pomegranates",
        ("策勒酸石榴", "چۈچۈمەل ئانار (چىرا)", "Qira sweet-sour pomegranates"),
        packs=("box-2-5kg",),
    ),
    ProductSeed(
        "keriya-desert-rose-tea",
        "keriya-desert-rose-workshop",
        "rose-tea",
        ("于田沙漠玫瑰花茶", "قۇملۇق ئەتىرگۈل چېيى", "Keriya desert rose tea"),
    ),
    ProductSeed(
        "keriya-desert-rose-jam",
        "keriya-desert-rose-workshop",
        "rose-jam",
        ("于田玫瑰酱", "قۇملۇق ئەتىرگۈل مۇراببا", "Keriya desert rose jam"),
    ),
    ProductSeed(
        "kunlun-snow-chrysanthemum",
        "keriya-desert-rose-workshop",
        "snow-chrysanthemum",
        ("昆仑雪菊", "كۇئېنلۇن قار گۈلى", "Kunlun snow chrysanthemum"),
    ),
    ProductSeed(
        "gulakhma-desert-jujubes",
        "nurmemet-jujubes",
        "jujubes",
        ("治沙林红枣", "قۇم توسۇش ئورمىنىدىكى چىلان", "Sand-break forest jujubes"),
    ),
    ProductSeed(
        "gulakhma-jujube-gift-box",
        "nurmemet-jujubes",
        "jujubes",
        ("红枣礼盒", "چىلان سوۋغات قۇتىسى", "Jujube gift box"),
        packs=("box-2-5kg",),
    ),
    # Kashgar
    ProductSeed(
        "yarkant-almonds",
        "yarkant-almond-cooperative",
        "almonds",
        ("莎车巴旦木", "بادام (يەكەن)", "Yarkant almonds"),
    ),
    ProductSeed(
        "yarkant-paper-shell-walnuts",
        "yarkant-almond-cooperative",
        "walnuts",
        ("莎车纸皮核桃", "قەغەز پوستلۇق ياڭاق", "Yarkant paper-shell walnuts"),
        price_shift=Decimal("5.00"),
    ),
    ProductSeed(
        "yarkant-almond-kernels",
        "yarkant-almond-cooperative",
        "almonds",
        ("巴旦木仁", "بادام مېغىزى", "Almond kernels"),
        price_shift=Decimal("15.00"),
    ),
    ProductSeed(
        "qaqun-fresh-apricots",
        "gulnar-apricot-orchard",
        "fresh-apricots",
        ("喀群鲜杏", "يېڭى ئۆرۈك (قاچۇن)", "Qaqun fresh apricots"),
    ),
    ProductSeed(
        "qaqun-dried-apricots",
        "gulnar-apricot-orchard",
        "dried-apricots",
        ("喀群杏干", "ئۆرۈك قېقى (قاچۇن)", "Qaqun dried apricots"),
    ),
    ProductSeed(
        "yengisar-samet-apricots",
        "yengisar-apricot-cooperative",
        "fresh-apricots",
        ("英吉沙色买提杏", "سەمەت ئۆرۈك", "Yengisar Samet apricots"),
        price_shift=Decimal("10.00"),
    ),
    ProductSeed(
        "yengisar-dried-apricots",
        "yengisar-apricot-cooperative",
        "dried-apricots",
        ("英吉沙杏干", "يېڭىسار ئۆرۈك قېقى", "Yengisar dried apricots"),
    ),
    ProductSeed(
        "yengisar-samet-apricot-jam",
        "yengisar-apricot-cooperative",
        "apricot-jam",
        ("色买提杏酱", "سەمەت ئۆرۈك مۇراببا", "Samet apricot jam"),
    ),
    ProductSeed(
        "courtyard-fresh-figs",
        "ehmet-figs",
        "fresh-figs",
        ("庭院鲜无花果", "ھويلا ئەنجۈرى", "Courtyard fresh figs"),
    ),
    ProductSeed(
        "ehmet-dried-figs",
        "ehmet-figs",
        "dried-figs",
        ("无花果干", "قۇرۇتۇلغان ئەنجۈر", "Dried figs"),
    ),
    ProductSeed(
        "ehmet-fig-jam",
        "ehmet-figs",
        "fig-jam",
        ("无花果酱", "ئەنجۈر مۇراببا", "Fig jam"),
    ),
    # Aksu
    ProductSeed(
        "onsu-thin-shell-walnuts",
        "onsu-walnut-cooperative",
        "walnuts",
        ("温宿薄皮核桃", "نېپىز پوستلۇق ياڭاق (ئونسۇ)", "Onsu thin-shelled walnuts"),
    ),
    ProductSeed(
        "onsu-walnut-kernels",
        "onsu-walnut-cooperative",
        "walnut-kernels",
        ("温宿核桃仁", "ياڭاق مېغىزى (ئونسۇ)", "Onsu walnut kernels"),
    ),
    ProductSeed(
        "aksu-red-jujubes",
        "onsu-walnut-cooperative",
        "jujubes",
        ("阿克苏红枣", "قىزىل چىلان (ئاقسۇ)", "Aksu red jujubes"),
    ),
    ProductSeed(
        "aksu-rock-sugar-apples",
        "imin-apple-orchard",
        "apples",
        ("阿克苏冰糖心苹果", "ئاقسۇ ئالمىسى", "Aksu rock-sugar heart apples"),
    ),
    ProductSeed(
        "aksu-apple-gift-box",
        "imin-apple-orchard",
        "apples",
        ("冰糖心苹果礼盒", "ئالما سوۋغات قۇتىسى", "Rock-sugar heart apple gift box"),
        packs=("box-5kg",),
        price_shift=Decimal("20.00"),
    ),
    ProductSeed(
        "kuqa-small-white-apricots",
        "kuqa-apricot-workshop",
        "fresh-apricots",
        ("库车小白杏", "كۇچار كىچىك ئاق ئۆرۈكى", "Kuqa small white apricots"),
        season=(6, 6),
    ),
    ProductSeed(
        "kuqa-dried-apricots",
        "kuqa-apricot-workshop",
        "dried-apricots",
        ("库车小白杏干", "كۇچار ئاق ئۆرۈك قېقى", "Kuqa dried white apricots"),
        price_shift=Decimal("4.00"),
    ),
    ProductSeed(
        "kuqa-apricot-jam",
        "kuqa-apricot-workshop",
        "apricot-jam",
        ("库车杏酱", "كۇچار ئۆرۈك مۇراببا", "Kuqa apricot jam"),
    ),
    # Bayingolin
    ProductSeed(
        "korla-fragrant-pears",
        "charbagh-pear-cooperative",
        "fragrant-pears",
        ("库尔勒香梨", "كورلا نەشپۈتى", "Korla fragrant pears"),
    ),
    ProductSeed(
        "korla-pear-gift-box",
        "charbagh-pear-cooperative",
        "fragrant-pears",
        ("香梨礼盒", "نەشپۈت سوۋغات قۇتىسى", "Fragrant pear gift box"),
        packs=("box-5kg",),
        price_shift=Decimal("20.00"),
    ),
    ProductSeed(
        "korla-family-pears",
        "charbagh-pear-cooperative",
        "fragrant-pears",
        ("家庭装香梨（果形不规整）", "ئائىلە ئۈچۈن نەشپۈت (شەكلى رەتسىز)", "Family-pack fragrant pears (odd shapes)"),
        packs=("box-5kg",),
        price_shift=Decimal("-20.00"),
    ),
    ProductSeed(
        "shanghu-fragrant-pears",
        "adil-pear-orchard",
        "fragrant-pears",
        ("孔雀河香梨", "كۆنچى دەرياسى نەشپۈتى", "Peacock River fragrant pears"),
    ),
)


# ---------------------------------------------------------------------------
# People and live sessions
# ---------------------------------------------------------------------------

ACCOUNTS: tuple[AccountSeed, ...] = (
    AccountSeed("demo-admin", "staff and superuser", "Demo admin", is_staff=True, is_superuser=True),
    AccountSeed("demo-farmer", "owner of Abdukerim's Vineyard (Grape Valley, Turpan)", "Abdukerim"),
    AccountSeed("demo-shopper", "shopper", "王芳"),
    AccountSeed("demo-host", "livestream host, 5% commission", "Aygül"),
    AccountSeed("demo-depot", "manager of the Grape Valley village depot", "Reshit"),
)

FARMER_PRODUCER = "abdukerim-vineyard"
MANAGED_DEPOT = "grape-valley-depot"
HOST_DISPLAY_NAME = "Aygül · Oasis Live"
HOST_COMMISSION_RATE = Decimal("0.0500")

# Members of the other producers the demo host features: they answer the host's proposals. They have no
# password (not demo logins); demo-farmer answers for Abdukerim's Vineyard.
PRODUCER_MEMBERS: tuple[tuple[str, str, str], ...] = (
    # (username, first name, producer)
    ("demo-member-tursungul", "Tursungül", "tursungul-drying-house"),
    ("demo-member-yasin", "Yasin", "grape-valley-cooperative"),
    ("demo-member-reyhangul", "Reyhangül", "reyhangul-apricot-orchard"),
    ("demo-member-ablimit", "Ablimit", "karakax-rose-cooperative"),
    ("demo-member-turghun", "Turghun", "turghun-walnut-grove"),
)

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


# ---------------------------------------------------------------------------
# Writing it
# ---------------------------------------------------------------------------


def _text(prefix: str, text: Trilingual) -> dict[str, str]:
    zh, ug, en = text
    return {f"{prefix}_zh": zh, f"{prefix}_ug": ug, f"{prefix}_en": en}


def _translated(name: Trilingual, description: Trilingual = ("", "", "")) -> dict[str, str]:
    return {**_text("name", name), **_text("description", description)}


def _seed_number(key: str) -> int:
    # crc32 rather than hash(): Python salts str hashes per process, and pictures must not change between runs.
    return zlib.crc32(key.encode())


def sku_for(product_slug: str, pack: str) -> str:
    return f"{product_slug}-{pack}".upper()


def seed_demo(
    *,
    products: int | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> DemoSummary:
    """Write the demo marketplace; with ``products``, grow the catalogue to that many products for benchmarks.

    One transaction: a failed run leaves the database as it was (photos already
    written to disk stay behind as orphans, which is harmless in a demo).
    """
    if products is not None and not 0 <= products <= MAX_BULK_PRODUCTS:
        raise ValueError(f"products must be between 0 and {MAX_BULK_PRODUCTS:,}")
    now = timezone.now()
    # The demo orders would email their shopper and producer after the commit; a seed sends nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), transaction.atomic():
        users = _seed_accounts()
        log("accounts")
        villages = _seed_geography()
        depots = _seed_depots(villages=villages, managers=[users["demo-depot"]])
        log("geography and depots")
        producers = _seed_producers(villages=villages, depots=depots, admin=users["demo-admin"], now=now)
        members = _seed_members(producers=producers, farmer=users["demo-farmer"])
        log("producers")
        catalog = _seed_catalog(producers=producers, now=now)
        _seed_product_photos(catalog=catalog)
        _seed_producer_photos(producers=producers)
        log("catalogue and photos")
        _seed_live(host_user=users["demo-host"], members=members, now=now)
        log("live sessions")
        _seed_orders(shopper=users["demo-shopper"], farmer=users["demo-farmer"])
        _seed_depot_orders(manager=users["demo-depot"])
        log("orders")
        bulk_created = 0
        if products is not None:
            bulk_created = seed_bulk_products(total=products, now=now, log=log)
    return DemoSummary(counts=demo_counts(), accounts=ACCOUNTS, bulk_created=bulk_created)


PARCEL_STEPS = ("new", "packed", "shipped", "delivered")


def _seed_orders(*, shopper: User, farmer: User) -> None:
    """Orders of the demo shopper, placed and moved through the order services like real ones.

    Idempotency keys make a second run return the same orders; parcels only move forward.
    """
    variants = list(
        Variant.objects.filter(
            product__producer__slug=FARMER_PRODUCER, product__status=Product.Status.ACTIVE, stock__gte=2
        ).order_by("pk")[:3]
    )
    producer = Producer.objects.get(slug=FARMER_PRODUCER)
    contact = Contact(name=shopper.first_name or shopper.username, phone="13800138000", email=shopper.email)
    demo_orders = [
        (
            "demo-order-delivered",
            Delivery(method="pickup", depot_slug=producer.default_depot.slug),
            "delivered",
            "",
            Order.PaymentMethod.COD,
        ),
        (
            "demo-order-on-its-way",
            Delivery(
                method="ship",
                address=Address(
                    recipient=contact.name,
                    phone=contact.phone,
                    province="上海市",
                    city="上海市",
                    district="徐汇区",
                    street="漕溪北路 88 号",
                    postcode="200030",
                ),
            ),
            "shipped",
            "SF1400000001",
            Order.PaymentMethod.COD,
        ),
    ]
    if settings.SIMULATED_PAYMENTS_ENABLED:
        # Waiting for the simulated online payment (expire_unpaid_orders releases it when due).
        pickup = Delivery(method="pickup", depot_slug=producer.default_depot.slug)
        demo_orders.append(("demo-order-to-pay", pickup, "new", "", "online"))
    # Something in the demo shopper's cart, so the checkout page opens straight away.
    cart, _created = Cart.objects.get_or_create(user=shopper)
    CartLine.objects.get_or_create(cart=cart, variant=variants[0], defaults={"quantity": 1})
    with translation.override("zh-hans"):
        for (key, delivery, goal, tracking, payment_method), variant in zip(demo_orders, variants, strict=False):
            order = order_place(
                shopper=shopper,
                contact=contact,
                lines=[LineRequest(variant_id=variant.pk, quantity=1)],
                delivery=delivery,
                payment_method=payment_method,
                idempotency_key=key,
            )
            parcel = order.fulfilments.get()
            for step in PARCEL_STEPS[PARCEL_STEPS.index(parcel.status) + 1 : PARCEL_STEPS.index(goal) + 1]:
                parcel = fulfilment_transition(fulfilment=parcel, to=step, actor=farmer, tracking_number=tracking)


def _seed_depot_orders(*, manager: User) -> None:
    """Guests' pickup orders at the managed depot: one to receive from two producers, one already received.

    Placed and moved through the order services; idempotency keys make a second run change nothing.
    """
    depot = Depot.objects.get(slug=MANAGED_DEPOT)
    producers = Producer.objects.filter(village=depot.village, is_verified=True)
    first_variant = {}
    for variant in (
        Variant.objects.filter(product__producer__in=producers, product__status=Product.Status.ACTIVE, stock__gte=2)
        .select_related("product__producer")
        .order_by("pk")
    ):
        first_variant.setdefault(variant.product.producer.slug, variant)
    assisted = next(seed.slug for seed in PRODUCERS if seed.sells_through_depot and seed.village == depot.village.slug)
    orders = [
        ("demo-order-depot-to-receive", Contact(name="古丽娜尔", phone="13900139001"), [assisted, FARMER_PRODUCER]),
        ("demo-order-depot-received", Contact(name="Alim", phone="13900139002"), ["grape-valley-cooperative"]),
    ]
    pickup = Delivery(method="pickup", depot_slug=depot.slug)
    with translation.override("zh-hans"):
        for key, contact, slugs in orders:
            order = order_place(
                shopper=None,
                contact=contact,
                lines=[LineRequest(variant_id=first_variant[slug].pk, quantity=1) for slug in slugs],
                delivery=pickup,
                payment_method=Order.PaymentMethod.COD,
                idempotency_key=key,
            )
            if key == "demo-order-depot-received":
                for parcel in order.fulfilments.filter(received_at_depot_at__isnull=True):
                    parcel_receive_at_depot(fulfilment=parcel, depot=depot, actor=manager)


def _seed_accounts() -> dict[str, User]:
    users = {}
    for account in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "email": f"{account.username}@oasis.example",
                "is_active": True,
                "is_staff": account.is_staff,
                "is_superuser": account.is_superuser,
            },
        )
        # Re-set every run, so a demo whose password someone changed can be reset by seeding again.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        users[account.username] = user
    return users


def _seed_geography() -> dict[str, Village]:
    villages: dict[str, Village] = {}
    for position, seed in enumerate(PREFECTURES, start=1):
        prefecture, _ = Prefecture.objects.update_or_create(
            slug=seed.slug, defaults={"position": position, **_translated(seed.name, seed.description)}
        )
        for county_seed in seed.counties:
            county, _ = County.objects.update_or_create(
                slug=county_seed.slug,
                defaults={"prefecture": prefecture, **_translated(county_seed.name, county_seed.description)},
            )
            for village_seed in county_seed.villages:
                village, _ = Village.objects.update_or_create(
                    slug=village_seed.slug,
                    defaults={
                        "county": county,
                        "is_featured": village_seed.featured,
                        **_translated(village_seed.name, village_seed.description),
                    },
                )
                if not village.photo:
                    data = demo_images.village_photo(seed=_seed_number(village.slug))
                    village.photo.save(f"{village.slug}.jpg", ContentFile(data), save=True)
                villages[village.slug] = village
    return villages


def _seed_depots(*, villages: dict[str, Village], managers: Sequence[User]) -> dict[str, Depot]:
    depots = {}
    for seed in DEPOTS:
        depot, _ = Depot.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "village": villages[seed.village],
                "address": seed.address,
                "opening_hours": seed.opening_hours,
                "is_active": True,
                **_translated(seed.name),
            },
        )
        depots[seed.slug] = depot
    depots[MANAGED_DEPOT].managers.add(*managers)
    return depots


def _nearest_depot(village: Village, depots: dict[str, Depot]) -> Depot:
    """The depot in the producer's village, else one in its county, else one in its prefecture."""
    candidates = sorted(depots.values(), key=lambda depot: depot.slug)
    for same in (
        lambda depot: depot.village_id == village.pk,
        lambda depot: depot.village.county_id == village.county_id,
        lambda depot: depot.village.county.prefecture_id == village.county.prefecture_id,
    ):
        for depot in candidates:
            if same(depot):
                return depot
    return candidates[0]


def _seed_producers(
    *, villages: dict[str, Village], depots: dict[str, Depot], admin: User, now: datetime
) -> dict[str, Producer]:
    producers = {}
    for seed in PRODUCERS:
        village = villages[seed.village]
        producer = Producer.objects.filter(slug=seed.slug).first() or Producer(slug=seed.slug)
        producer.kind = seed.kind
        producer.village = village
        producer.is_low_income_household = seed.low_income
        producer.sells_through_depot = seed.sells_through_depot
        producer.default_depot = _nearest_depot(village, depots)
        for name, value in _translated(seed.name, seed.story).items():
            setattr(producer, name, value)
        producer.save()
        producers[seed.slug] = producer
    # Verification goes through the same service as the admin's action: it records
    # who and when once, and a later run keeps that record.
    verified = {seed.slug for seed in PRODUCERS if seed.verified}
    producers_verify(producers=Producer.objects.filter(slug__in=verified), by=admin)
    producers_unverify(producers=Producer.objects.filter(slug__in=producers.keys() - verified))
    for producer in producers.values():
        producer.refresh_from_db(fields=["is_verified", "verified_at", "verified_by", "updated_at"])
    return producers


def _product_description(seed: ProductSeed, kind: KindSeed) -> Trilingual:
    if seed.note is None:
        return kind.description
    zh, ug, en = (f"{base}\n\n{note}" for base, note in zip(kind.description, seed.note, strict=True))
    return (zh, ug, en)


def _seed_catalog(*, producers: dict[str, Producer], now: datetime) -> list[tuple[Product, ProductSeed]]:
    categories = {}
    for position, (slug, name) in enumerate(CATEGORIES, start=1):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug, defaults={"position": position, **_text("name", name)}
        )
    catalog = []
    for seed in PRODUCTS:
        kind = KINDS[seed.kind]
        producer = producers[seed.producer]
        # An unverified producer may prepare listings, but they stay drafts until staff verify the producer.
        status = Product.Status.ACTIVE if producer.is_verified else Product.Status.DRAFT
        start, end = seed.season or kind.season
        product, _ = Product.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "producer": producer,
                "category": categories[kind.category],
                "status": status,
                "is_perishable": kind.perishable,
                "harvest_start_month": start,
                "harvest_end_month": end,
                **_translated(seed.name, _product_description(seed, kind)),
            },
        )
        if status == Product.Status.ACTIVE and product.published_at is None:
            product.published_at = now
            product.save(update_fields=["published_at"])
        packs = [pack for pack in kind.packs if not seed.packs or pack[0] in seed.packs]
        for position, (code, price, stock) in enumerate(packs):
            pack = PACKS[code]
            fields = {
                "product": product,
                "price": price + seed.price_shift,
                "weight_grams": pack.grams,
                "is_active": True,
                "position": position,
                **_text("name", pack.name),
            }
            # Stock is only set when the variant is created: orders placed during a demo must not be undone.
            Variant.objects.update_or_create(
                sku=sku_for(seed.slug, code), defaults=fields, create_defaults={**fields, "stock": stock}
            )
        catalog.append((product, seed))
    return catalog


def _seed_product_photos(*, catalog: list[tuple[Product, ProductSeed]]) -> None:
    with_photos = set(
        ProductImage.objects.filter(product__in=[product for product, _ in catalog]).values_list(
            "product_id", flat=True
        )
    )
    for product, seed in catalog:
        if product.pk in with_photos:
            continue
        data = demo_images.product_photo(picture=KINDS[seed.kind].picture, seed=_seed_number(seed.slug))
        # No alt text: it is one language only, and the pages fall back to the product's name in the reader's.
        product_image_add(product=product, data=data)


def _seed_producer_photos(*, producers: dict[str, Producer]) -> None:
    first_kind = {}
    for seed in PRODUCTS:
        first_kind.setdefault(seed.producer, seed.kind)
    for slug, producer in producers.items():
        if producer.photo:
            continue
        data = demo_images.product_photo(picture=KINDS[first_kind[slug]].picture, seed=_seed_number(f"producer:{slug}"))
        producer.photo.save(f"{slug}.jpg", ContentFile(data), save=True)


def _flash_price(price: Decimal) -> Decimal:
    """About 20% off, ending in .90 as flash prices on the livestream usually do."""
    return (price * Decimal("0.8")).quantize(Decimal("1"), rounding=ROUND_FLOOR) - Decimal("0.10")


def _seed_members(*, producers: dict[str, Producer], farmer: User) -> dict[str, User]:
    """A member of each producer the demo host features, by producer slug: they answer the host's proposals."""
    ProducerMembership.objects.update_or_create(
        producer=producers[FARMER_PRODUCER], user=farmer, defaults={"role": ProducerMembership.Role.OWNER}
    )
    members = {FARMER_PRODUCER: farmer}
    for username, first_name, producer_slug in PRODUCER_MEMBERS:
        fields = {"first_name": first_name, "email": f"{username}@oasis.example", "is_active": True}
        user, _ = User.objects.update_or_create(
            username=username, defaults=fields, create_defaults={**fields, "password": make_password(None)}
        )
        ProducerMembership.objects.update_or_create(
            producer=producers[producer_slug], user=user, defaults={"role": ProducerMembership.Role.OWNER}
        )
        members[producer_slug] = user
    return members


def _seed_live(*, host_user: User, members: dict[str, User], now: datetime) -> None:
    """The demo host's sessions: one on air now, one tomorrow with a proposal waiting for demo-farmer, one
    that ended last week. Their orders are placed from the share link while the session is on air, through
    the order services, so flash prices, sold units and the host's commission are what a real show leaves."""
    host, _ = Host.objects.update_or_create(
        user=host_user,
        defaults={"display_name": HOST_DISPLAY_NAME, "commission_rate": HOST_COMMISSION_RATE, "is_active": True},
    )
    skus = {item.sku for seed in LIVE_SESSIONS for item in seed.items} | {
        sku for seed in LIVE_SESSIONS for order in seed.orders for sku, _quantity in order.lines
    }
    variants = {
        variant.sku: variant for variant in Variant.objects.filter(sku__in=skus).select_related("product__producer")
    }
    for seed in LIVE_SESSIONS:
        if seed.status == LiveSession.Status.ENDED:
            session = _seed_ended_session(host=host, seed=seed, variants=variants, members=members, now=now)
        else:
            starts_at, ends_at = _session_times(seed, now)
            # Re-timed on every run, so that the session on air really is on air whenever the demo starts.
            session = _session_write(
                host=host,
                seed=seed,
                status=seed.status,
                starts_at=starts_at,
                ends_at=ends_at,
                went_live_at=starts_at if seed.status == LiveSession.Status.LIVE else None,
            )
            _seed_live_items(session=session, seed=seed, variants=variants, members=members)
            for order_seed in seed.orders:
                order = _place_live_order(session=session, order_seed=order_seed, variants=variants)
                _move_live_order(order=order, order_seed=order_seed, members=members)
        if not session.cover:
            data = demo_images.product_photo(picture=seed.picture, seed=_seed_number(f"live:{seed.slug}"))
            session.cover.save(f"{seed.slug}.jpg", ContentFile(data), save=True)


def _session_times(seed: LiveSessionSeed, now: datetime) -> tuple[datetime, datetime]:
    if seed.starts is None:
        return now - timedelta(minutes=30), now + timedelta(hours=2, minutes=30)
    days, hour = seed.starts
    day = timezone.localdate(now) + timedelta(days=days)
    starts_at = timezone.make_aware(datetime.combine(day, time(hour)))
    return starts_at, starts_at + timedelta(hours=2)


def _session_write(
    *,
    host: Host,
    seed: LiveSessionSeed,
    status: str,
    starts_at: datetime,
    ends_at: datetime,
    went_live_at: datetime | None,
) -> LiveSession:
    session, _ = LiveSession.objects.update_or_create(
        slug=seed.slug,
        defaults={
            "host": host,
            "status": status,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "went_live_at": went_live_at,
            "ended_at": None,
            **_translated(seed.title, seed.description),
        },
    )
    return session


def _seed_live_items(
    *, session: LiveSession, seed: LiveSessionSeed, variants: dict[str, Variant], members: dict[str, User]
) -> None:
    """The session's featured items at about 20% off; accepted ones answered by a member of their producer."""
    for position, item_seed in enumerate(seed.items, start=1):
        variant = variants[item_seed.sku]
        item, _ = LiveSessionItem.objects.update_or_create(
            session=session,
            variant=variant,
            defaults={
                "flash_price": _flash_price(variant.price),
                "quantity_cap": item_seed.quantity_cap,
                "per_shopper_limit": item_seed.per_shopper_limit,
                "position": position,
            },
        )
        if item_seed.accepted:
            # Answering again changes nothing: the producer's activity records the acceptance once.
            item_answer(item=item, actor=members[variant.product.producer.slug], accept=True)
        elif item.consent != LiveSessionItem.Consent.PROPOSED:
            # The demo keeps its proposal waiting, whatever was answered during an earlier demo.
            item.consent, item.consent_by, item.consent_at = LiveSessionItem.Consent.PROPOSED, None, None
            item.save(update_fields=["consent", "consent_by", "consent_at"])


def _seed_ended_session(
    *, host: Host, seed: LiveSessionSeed, variants: dict[str, Variant], members: dict[str, User], now: datetime
) -> LiveSession:
    """A session that ended last week with units sold.

    The show runs once, now: the session goes live, its orders are placed while it is on air and it ends;
    then the session, its orders and its commission entries move back to last week, and the orders are
    fulfilled. Once ended, later runs leave it as it is.
    """
    session = LiveSession.objects.filter(slug=seed.slug).first()
    if session is not None and session.status == LiveSession.Status.ENDED:
        return session
    started = timezone.now()
    starts_at, ends_at = _session_times(seed, now)
    # Shifted so that the show is 45 minutes in now.
    shift = started - timedelta(minutes=45) - starts_at
    session = _session_write(
        host=host,
        seed=seed,
        status=LiveSession.Status.SCHEDULED,
        starts_at=starts_at + shift,
        ends_at=ends_at + shift,
        went_live_at=None,
    )
    # Items an earlier demo featured here and this one does not, unless units of them have sold.
    session.items.exclude(variant__sku__in=[item.sku for item in seed.items]).filter(order_lines__isnull=True).delete()
    _seed_live_items(session=session, seed=seed, variants=variants, members=members)
    session = session_go_live(session=session, actor=host.user, now=session.starts_at)
    placed = [
        (_place_live_order(session=session, order_seed=order_seed, variants=variants), order_seed)
        for order_seed in seed.orders
    ]
    session = session_end(session=session, actor=host.user, now=session.ends_at)
    _move_back(session=session, shift=shift, since=started)
    for order, order_seed in placed:
        _move_live_order(order=order, order_seed=order_seed, members=members)
    session.refresh_from_db()
    return session


def _move_back(*, session: LiveSession, shift: timedelta, since: datetime) -> None:
    """Move a session that just ran, its orders and commission entries back by ``shift``; the producers
    answered the proposals the day before."""
    earlier = shift + timedelta(days=1)
    LiveSession.objects.filter(pk=session.pk).update(
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        went_live_at=F("went_live_at") - shift,
        ended_at=F("ended_at") - shift,
        created_at=F("created_at") - earlier,
        updated_at=F("updated_at") - shift,
    )
    items = LiveSessionItem.objects.filter(session=session)
    items.filter(consent_at__gte=since).update(consent_at=F("consent_at") - earlier)
    ProducerActivity.objects.filter(
        action=ProducerActivity.Action.LIVE_ITEM_ACCEPTED,
        producer__in=items.values("variant__product__producer"),
        created_at__gte=since,
    ).update(created_at=F("created_at") - earlier)
    orders = Order.objects.filter(live_session=session)
    orders.update(created_at=F("created_at") - shift, updated_at=F("updated_at") - shift)
    for model in (Fulfilment, Payment):
        model.objects.filter(order__in=orders).update(
            created_at=F("created_at") - shift, updated_at=F("updated_at") - shift
        )
    OrderEvent.objects.filter(order__in=orders).update(created_at=F("created_at") - shift)
    CommissionEntry.objects.filter(session=session).update(created_at=F("created_at") - shift)


def _place_live_order(*, session: LiveSession, order_seed: LiveOrderSeed, variants: dict[str, Variant]) -> Order:
    """A guest's order from the session's share link; its idempotency key makes a later run return it."""
    province, city, district, street, postcode = order_seed.address
    with translation.override("zh-hans"):
        return order_place(
            shopper=None,
            contact=Contact(name=order_seed.name, phone=order_seed.phone),
            lines=[LineRequest(variant_id=variants[sku].pk, quantity=quantity) for sku, quantity in order_seed.lines],
            delivery=Delivery(
                method=Order.DeliveryMethod.SHIP,
                address=Address(
                    recipient=order_seed.name,
                    phone=order_seed.phone,
                    province=province,
                    city=city,
                    district=district,
                    street=street,
                    postcode=postcode,
                ),
            ),
            payment_method=Order.PaymentMethod.COD,
            live_session_slug=session.slug,
            idempotency_key=order_seed.key,
        )


def _move_live_order(*, order: Order, order_seed: LiveOrderSeed, members: dict[str, User]) -> None:
    """Cancel the order, or move each parcel forward to the seed's goal (by a member of its producer)."""
    if order.status in (Order.Status.CANCELLED, Order.Status.EXPIRED, Order.Status.REFUNDED):
        return
    with translation.override("zh-hans"):
        if order_seed.goal == Order.Status.CANCELLED:
            order_cancel(order=order, actor=None)
            return
        for parcel in order.fulfilments.select_related("producer").order_by("pk"):
            if parcel.status not in PARCEL_STEPS:
                continue
            tracking = f"SF14{_seed_number(f'{order_seed.key}:{parcel.producer.slug}'):010d}"
            steps = PARCEL_STEPS[PARCEL_STEPS.index(parcel.status) + 1 : PARCEL_STEPS.index(order_seed.goal) + 1]
            for step in steps:
                parcel = fulfilment_transition(
                    fulfilment=parcel,
                    to=step,
                    actor=members[parcel.producer.slug],
                    tracking_number=tracking if step == Fulfilment.Status.SHIPPED else "",
                )


# ---------------------------------------------------------------------------
# Benchmark scale
# ---------------------------------------------------------------------------


def bulk_slug(number: int) -> str:
    return f"{BULK_SLUG_PREFIX}{number:06d}"


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_bulk_products(*, total: int, now: datetime, log: Callable[[str], None] = lambda message: None) -> int:
    """Add numbered copies of the demo products until the catalogue holds ``total`` products; return how many.

    Copies are numbered from 1, so running again with the same total finds
    them all and adds nothing. They share the photo files of the product they
    copy: generating 100,000 pictures would take far longer than the
    benchmark it serves.
    """
    base = list(
        Product.objects.filter(slug__in=[seed.slug for seed in PRODUCTS], status=Product.Status.ACTIVE)
        .prefetch_related("variants", "images")
        .order_by("slug")
    )
    producers = list(Producer.objects.filter(slug__in=[seed.slug for seed in PRODUCERS], is_verified=True))
    producers.sort(key=lambda producer: producer.slug)
    wanted = max(0, total - Product.objects.exclude(slug__startswith=BULK_SLUG_PREFIX).count())
    existing = set(Product.objects.filter(slug__startswith=BULK_SLUG_PREFIX).values_list("slug", flat=True))
    missing = [number for number in range(1, wanted + 1) if bulk_slug(number) not in existing]
    for chunk in _chunks(missing, BULK_BATCH_SIZE):
        _bulk_create_batch(numbers=chunk, base=base, producers=producers, now=now)
        log(f"bulk products: {chunk[-1]:,} of {wanted:,}")
    if missing:
        # Fresh statistics for the planner, as after any bulk load: with the empty tables' figures it
        # took 100,000 products for a handful and the home page's "in season" query ran 350 ms, not 1.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_product, catalog_variant, catalog_productimage")
    return len(missing)


def _bulk_create_batch(
    *, numbers: Sequence[int], base: list[Product], producers: list[Producer], now: datetime
) -> None:
    products = []
    for number in numbers:
        template = base[number % len(base)]
        # A different stride for producers, so each producer ends up with a mix of kinds and categories.
        producer = producers[(number * 7) % len(producers)]
        products.append(
            Product(
                producer=producer,
                category_id=template.category_id,
                slug=bulk_slug(number),
                status=Product.Status.ACTIVE,
                is_perishable=template.is_perishable,
                harvest_start_month=template.harvest_start_month,
                harvest_end_month=template.harvest_end_month,
                published_at=now,
                original_language=template.original_language,
                name_zh=f"{template.name_zh}（第{number}批）",
                name_ug=f"{template.name_ug} ({number}-تۈركۈم)",
                name_en=f"{template.name_en} (lot {number})",
                description_zh=template.description_zh,
                description_ug=template.description_ug,
                description_en=template.description_en,
            )
        )
    Product.objects.bulk_create(products, batch_size=BULK_BATCH_SIZE)

    variants, images = [], []
    for number, product in zip(numbers, products, strict=True):
        template = base[number % len(base)]
        # One or two sizes, alternating, whatever the template offers.
        for position, variant in enumerate(template.variants.all()[: 1 + number % 2]):
            variants.append(
                Variant(
                    product=product,
                    sku=f"BULK-{number:06d}-{position + 1}",
                    name_zh=variant.name_zh,
                    name_ug=variant.name_ug,
                    name_en=variant.name_en,
                    price=variant.price,
                    weight_grams=variant.weight_grams,
                    stock=variant.stock,
                    position=position,
                )
            )
        for image in template.images.all()[:1]:
            # Width and height given up front, so Django does not open the shared file to measure it.
            images.append(
                ProductImage(
                    product=product,
                    image=image.image.name,
                    thumbnail=image.thumbnail.name,
                    width=image.width,
                    height=image.height,
                    position=0,
                )
            )
    Variant.objects.bulk_create(variants, batch_size=BULK_BATCH_SIZE)
    ProductImage.objects.bulk_create(images, batch_size=BULK_BATCH_SIZE)


# ---------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------

COUNTED_MODELS: tuple[tuple[str, type[Model]], ...] = (
    ("prefectures", Prefecture),
    ("counties", County),
    ("villages", Village),
    ("depots", Depot),
    ("producers", Producer),
    ("producer members", ProducerMembership),
    ("categories", Category),
    ("products", Product),
    ("variants", Variant),
    ("product images", ProductImage),
    ("hosts", Host),
    ("live sessions", LiveSession),
    ("featured live items", LiveSessionItem),
    ("users", User),
    ("orders", Order),
    ("order lines", OrderLine),
    ("parcels", Fulfilment),
)


def demo_counts() -> dict[str, int]:
    counts = {label: model._default_manager.count() for label, model in COUNTED_MODELS}
    counts["active products"] = Product.objects.active().count()
    return counts
