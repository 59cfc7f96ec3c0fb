"""What the demo sells: categories, package sizes, kinds of product (with prices and pictures) and products."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from demo.data import Trilingual


@dataclass(frozen=True)
class PackSeed:
    """A package size; it becomes a variant's name and weight."""

    name: Trilingual
    grams: int


@dataclass(frozen=True)
class KindSeed:
    """What a product is (grapes, rose jam): category, season, packs with prices, its picture, and the search
    concepts (slugs of catalog/vocabulary.py) its products are tagged with."""

    category: str
    description: Trilingual
    packs: tuple[tuple[str, Decimal, int], ...]  # (pack code, price in CNY, stock)
    picture: str
    season: tuple[int, int] = (1, 12)
    perishable: bool = False
    concepts: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductSeed:
    slug: str
    producer: str
    kind: str
    # An empty name leaves the product without that language, as a farmer who lists in Uyghur only does; its
    # description is then in its named languages only.
    name: Trilingual
    # Optional refinements of the kind: a subset of its packs, a premium, another season, a line of its own.
    packs: tuple[str, ...] = ()
    price_shift: Decimal = Decimal("0.00")
    season: tuple[int, int] | None = None
    note: Trilingual | None = None


CATEGORIES: tuple[tuple[str, Trilingual], ...] = (
    ("fresh-fruit", ("新鲜水果", "يېڭى مېۋە", "Fresh fruit")),
    ("dried-fruit-nuts", ("干果坚果", "قۇرۇق مېۋە ۋە مېغىزلار", "Dried fruit and nuts")),
    ("tea-flowers", ("花茶", "گۈل چايلىرى", "Tea and flowers")),
    ("jams", ("果酱", "مۇراببالار", "Jams")),
    ("handicrafts", ("手工艺品", "قول ھۈنەر بۇيۇملىرى", "Handicrafts")),
)

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
        concepts=("grape",),
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
        concepts=("raisin",),
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
        concepts=("hami-melon",),
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
        concepts=("rose-tea", "rose"),
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
        concepts=("snow-chrysanthemum",),
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
        concepts=("rose-jam", "rose"),
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
        concepts=("apricot-jam", "apricot"),
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
        concepts=("fig-jam", "fig"),
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
        concepts=("walnut",),
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
        concepts=("walnut-kernels",),
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
        concepts=("jujube",),
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
        concepts=("apricot",),
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
        concepts=("dried-apricot",),
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
        concepts=("fig",),
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
        concepts=("dried-fig",),
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
        concepts=("fragrant-pear",),
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
        concepts=("apple",),
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
        concepts=("pomegranate",),
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
        concepts=("almond",),
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
        concepts=("atlas-scarf",),
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
        concepts=("atlas-fabric",),
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
        concepts=("carpet",),
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
    # Listed by the farmer in Uyghur only: shoppers who search in Chinese or English find it through its concept.
    ProductSeed("uyghur-only-raisins", "tursungul-drying-house", "raisins", ("", "چۈنجىدە قۇرۇتۇلغان كىشمىش", "")),
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
