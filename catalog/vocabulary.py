"""The region's seed vocabulary: the kinds of produce and craft the marketplace sells, as shoppers name them.

Each ``ConceptSeed`` becomes a ``Concept`` (see catalog/models.py and catalog/search.py): its Chinese, Uyghur
and English names, and the other words shoppers type for it. ``region_concepts_ensure`` writes the ones that are
missing; staff then keep them in the admin.

How a term is chosen (catalog/search.py looks for every term of a concept, and of the concepts below it, in
product names, Latin and Uyghur words as prefixes, Chinese by its pairs of characters):

- A term names this concept and nothing else sold here. "rose" is not a term of rose jam (it would find rose
  tea), 葡萄 is not a term of 葡萄沟 village, "red" is not a jujube, 瓜 is not a melon (西瓜, 南瓜), 酱 is not
  a jam (辣椒酱), قار alone is not snow chrysanthemum (قارا is black, قاراقاش a county). A generic word becomes
  a concept of its own with narrower ones under it (tea → rose tea; nut → walnut, almond).
- English singular and plural; pinyin without tones as one word, never a short syllable that begins other
  words ("xing" would find 星 and 行; "xingzi" is apricot); traditional Chinese where it differs.
- Uyghur in Arabic script as the stem the product names use: a word with a suffix is found by its stem as a
  prefix (كىشمىشى by كىشمىش), but a suffix that changes the stem needs its own term (ئالما → ئالمىسى,
  ياڭاق → ياڭىقى, چاي → چېيى). Uyghur Latin script (ULY) is written with and without its letters ü, ö, é;
  search folds them ("üzüm" = "uzum"), so either form stands for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from catalog import search_text


@dataclass(frozen=True)
class ConceptSeed:
    slug: str
    zh: str
    ug: str
    en: str
    terms: tuple[str, ...]
    broader: str | None = None

    @property
    def names_and_terms(self) -> tuple[str, ...]:
        return (self.zh, self.ug, self.en, *self.terms)


REGION_CONCEPTS: tuple[ConceptSeed, ...] = (
    # Grapes and raisins (Turpan)
    ConceptSeed(
        "grape",
        "葡萄",
        "ئۈزۈم",
        "Grapes",
        (
            "grape",
            "table grapes",
            "seedless white grapes",
            "putao",
            "鲜葡萄",
            "无核白葡萄",
            "無核白葡萄",
            "wuhebai",
            "üzüm",
            "uzum",
        ),
    ),
    ConceptSeed(
        "raisin",
        "葡萄干",
        "كىشمىش",
        "Raisins",
        (
            "raisin",
            "sultana",
            "sultanas",
            "dried grapes",
            "putaogan",
            "葡萄乾",
            "kishmish",
            "ئۈزۈم قېقى",
            "üzüm qéqi",
            "uzum qeqi",
        ),
        broader="grape",
    ),
    # Melons (Hami, Shanshan)
    ConceptSeed(
        "melon",
        "甜瓜",
        "قوغۇن",
        "Melons",
        ("melon", "muskmelon", "muskmelons", "香瓜", "tiangua", "xianggua", "qoghun"),
    ),
    ConceptSeed(
        "hami-melon",
        "哈密瓜",
        "قۇمۇل قوغۇنى",
        "Hami melon",
        ("Hami melons", "hamigua", "qumul qoghuni"),
        broader="melon",
    ),
    # Flower teas (Hotan, Keriya, the Kunlun)
    ConceptSeed(
        "tea",
        "茶",
        "چاي",
        "Tea",
        ("teas", "花茶", "huacha", "flower tea", "flower teas", "herbal tea", "chay", "چېيى", "chéyi", "cheyi"),
    ),
    ConceptSeed(
        "rose-tea",
        "玫瑰花茶",
        "ئەتىرگۈل چېيى",
        "Rose tea",
        (
            "rose teas",
            "rose bud tea",
            "rose buds",
            "rose petal tea",
            "玫瑰茶",
            "玫瑰花蕾",
            "玫瑰花冠茶",
            "meiguihuacha",
            "meiguicha",
            "ئەتىرگۈل چاي",
            "etirgül chéyi",
            "etirgul cheyi",
        ),
        broader="tea",
    ),
    ConceptSeed(
        "snow-chrysanthemum",
        "雪菊",
        "قار گۈلى",
        "Snow chrysanthemum",
        ("snow chrysanthemums", "Kunlun chrysanthemum", "昆仑雪菊", "崑崙雪菊", "xueju", "qar güli", "qar guli"),
        broader="tea",
    ),
    # Roses, the flower of Karakax and Keriya: rose tea and rose jam are made of them.
    ConceptSeed(
        "rose",
        "玫瑰",
        "ئەتىرگۈل",
        "Roses",
        ("rose", "玫瑰花", "meigui", "etirgül", "etirgul"),
    ),
    # Jams
    ConceptSeed(
        "jam",
        "果酱",
        "مۇراببا",
        "Jam",
        ("jams", "fruit jam", "preserves", "果醬", "guojiang", "murabba"),
    ),
    ConceptSeed(
        "rose-jam",
        "玫瑰酱",
        "ئەتىرگۈل مۇراببا",
        "Rose jam",
        (
            "rose jams",
            "rose petal jam",
            "玫瑰花酱",
            "玫瑰醬",
            "meiguijiang",
            "گۈلقەنت",
            "gülqent",
            "gulqent",
            "etirgül murabba",
            "etirgul murabba",
        ),
        broader="jam",
    ),
    ConceptSeed(
        "apricot-jam",
        "杏酱",
        "ئۆرۈك مۇراببا",
        "Apricot jam",
        ("apricot jams", "杏子酱", "杏醬", "xingjiang", "örük murabba", "oruk murabba"),
        broader="jam",
    ),
    ConceptSeed(
        "fig-jam",
        "无花果酱",
        "ئەنجۈر مۇراببا",
        "Fig jam",
        ("fig jams", "無花果醬", "wuhuaguojiang", "enjür murabba", "enjur murabba"),
        broader="jam",
    ),
    # Nuts (Hotan, Yarkant, Onsu)
    ConceptSeed(
        "nut",
        "坚果",
        "مېغىز",
        "Nuts",
        ("堅果", "jianguo", "méghiz", "meghiz"),
    ),
    ConceptSeed(
        "walnut",
        "核桃",
        "ياڭاق",
        "Walnuts",
        ("walnut", "胡桃", "hetao", "hutao", "ياڭىقى", "yangaq", "yangiqi"),
        broader="nut",
    ),
    ConceptSeed(
        "walnut-kernels",
        "核桃仁",
        "ياڭاق مېغىزى",
        "Walnut kernels",
        (
            "walnut kernel",
            "walnut meat",
            "shelled walnuts",
            "核桃肉",
            "hetaoren",
            "yangaq méghizi",
            "yangaq meghizi",
        ),
        broader="walnut",
    ),
    ConceptSeed(
        "almond",
        "巴旦木",
        "بادام",
        "Almonds",
        ("almond", "巴旦杏", "扁桃仁", "badanmu", "بادىمى", "badam", "badimi"),
        broader="nut",
    ),
    # Jujubes (Hami, Hotan, Aksu)
    ConceptSeed(
        "jujube",
        "红枣",
        "چىلان",
        "Jujubes",
        (
            "jujube",
            "red dates",
            "chinese dates",
            "大枣",
            "骏枣",
            "紅棗",
            "大棗",
            "駿棗",
            "hongzao",
            "junzao",
            "chilan",
        ),
    ),
    # Apricots (Toksun, Yengisar, Kuqa)
    ConceptSeed(
        "apricot",
        "杏",
        "ئۆرۈك",
        "Apricots",
        ("apricot", "杏子", "鲜杏", "小白杏", "xingzi", "xiaobaixing", "örük", "oruk"),
    ),
    ConceptSeed(
        "dried-apricot",
        "杏干",
        "ئۆرۈك قېقى",
        "Dried apricots",
        ("dried apricot", "杏乾", "杏脯", "xinggan", "örük qéqi", "oruk qeqi"),
        broader="apricot",
    ),
    # Figs (Atush, Kashgar)
    ConceptSeed(
        "fig",
        "无花果",
        "ئەنجۈر",
        "Figs",
        ("fig", "無花果", "wuhuaguo", "enjür", "enjur"),
    ),
    ConceptSeed(
        "dried-fig",
        "无花果干",
        "ئەنجۈر قېقى",
        "Dried figs",
        ("dried fig", "無花果乾", "wuhuaguogan", "قۇرۇتۇلغان ئەنجۈر", "enjür qéqi", "enjur qeqi"),
        broader="fig",
    ),
    # Pears (Korla)
    ConceptSeed(
        "pear",
        "梨",
        "نەشپۈت",
        "Pears",
        ("pear", "梨子", "neshpüt", "neshput"),
    ),
    ConceptSeed(
        "fragrant-pear",
        "香梨",
        "كورلا نەشپۈتى",
        "Fragrant pears",
        ("fragrant pear", "Korla pear", "Korla pears", "库尔勒香梨", "庫爾勒香梨", "xiangli", "korla neshputi"),
        broader="pear",
    ),
    # Apples (Aksu)
    ConceptSeed(
        "apple",
        "苹果",
        "ئالما",
        "Apples",
        ("apple", "蘋果", "冰糖心", "pingguo", "bingtangxin", "ئالمىسى", "alma", "almisi"),
    ),
    # Pomegranates (Qira)
    ConceptSeed(
        "pomegranate",
        "石榴",
        "ئانار",
        "Pomegranates",
        ("pomegranate", "shiliu", "anar"),
    ),
    # Atlas silk (Hotan, Jiya)
    ConceptSeed(
        "atlas-silk",
        "艾德莱斯绸",
        "ئەتلەس",
        "Atlas silk",
        ("atlas", "atlas silks", "艾德莱斯", "艾德萊斯綢", "艾德萊斯", "aidelaisi", "ئەتلىسى", "etles", "etlisi"),
    ),
    ConceptSeed(
        "atlas-scarf",
        "艾德莱斯绸围巾",
        "ئەتلەس ياغلىق",
        "Atlas silk scarves",
        (
            "atlas silk scarf",
            "atlas scarf",
            "atlas scarves",
            "艾德莱斯围巾",
            "艾德萊斯綢圍巾",
            "etles yaghliq",
        ),
        broader="atlas-silk",
    ),
    ConceptSeed(
        "atlas-fabric",
        "艾德莱斯绸面料",
        "ئەتلەس رەخت",
        "Atlas silk fabric",
        ("atlas fabric", "atlas silk cloth", "艾德莱斯面料", "艾德萊斯綢面料", "etles rext"),
        broader="atlas-silk",
    ),
    # Carpets (Hotan, Lop)
    ConceptSeed(
        "carpet",
        "地毯",
        "گىلەم",
        "Carpets",
        ("carpet", "rug", "rugs", "手工地毯", "ditan", "قول گىلەم", "گىلىمى", "gilem", "gilimi"),
    ),
    # Knives (Yengisar)
    ConceptSeed(
        "knife",
        "小刀",
        "پىچاق",
        "Knives",
        ("knife", "英吉沙小刀", "Yengisar knife", "Yengisar knives", "پىچىقى", "pichaq", "pichiqi"),
    ),
)


def region_concepts_ensure(*, concept_model: Any = None, search_word_model: Any = None) -> dict[str, Any]:
    """Create every concept of ``REGION_CONCEPTS`` that no concept's slug names yet; return them all by slug.

    A concept that exists is left as staff keep it (names, terms, broader concept, whether it is used). A new
    one gets its broader concept when that exists, and its Latin words join the vocabulary typos are corrected
    towards. ``concept_model`` and ``search_word_model`` are the models to write (a migration passes its
    historical ones); by default the current models.
    """
    if concept_model is None or search_word_model is None:
        from catalog.models import Concept, SearchWord

        concept_model = concept_model or Concept
        search_word_model = search_word_model or SearchWord
    seeds = {seed.slug: seed for seed in REGION_CONCEPTS}
    concepts = {concept.slug: concept for concept in concept_model.objects.filter(slug__in=seeds)}
    missing = [seed for seed in REGION_CONCEPTS if seed.slug not in concepts]
    if not missing:
        return concepts
    created = concept_model.objects.bulk_create(
        [
            concept_model(
                slug=seed.slug,
                name_zh=seed.zh,
                name_ug=seed.ug,
                name_en=seed.en,
                terms="\n".join(seed.terms),
                is_active=True,
            )
            for seed in missing
        ]
    )
    concepts.update((concept.slug, concept) for concept in created)
    with_broader = []
    for concept in created:
        broader = seeds[concept.slug].broader
        if broader in concepts:
            concept.broader = concepts[broader]
            with_broader.append(concept)
    if with_broader:
        concept_model.objects.bulk_update(with_broader, ["broader"])
    words = search_text.vocabulary(text for seed in missing for text in seed.names_and_terms)
    search_word_model.objects.bulk_create(
        [search_word_model(word=word) for word in sorted(words) if len(word) <= 100], ignore_conflicts=True
    )
    return concepts
