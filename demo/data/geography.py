"""The demo region: prefectures, their counties and villages, and the village depots (docs' REGION.md)."""

from __future__ import annotations

from dataclasses import dataclass

from demo.data import Trilingual


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
    address: Trilingual
    opening_hours: str = "09:00–20:00"


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
        address=(
            "新疆吐鲁番市高昌区葡萄镇葡萄沟村村委会东侧",
            "شىنجاڭ تۇرپان شەھىرى قاراغوجا رايونى ئۈزۈم بازىرى ئۈزۈم ئېرىقى كەنتى، كەنت كومىتېتىنىڭ شەرق تەرىپى",
            "East of the village committee, Grape Valley Village, Putao Town, Gaochang District, Turpan, Xinjiang",
        ),
        opening_hours="08:00–21:00",
    ),
    DepotSeed(
        slug="lukqun-depot",
        village="lukqun",
        name=("鲁克沁服务站", "لۈكچۈن مۇلازىمەت پونكىتى", "Lukqun depot"),
        address=(
            "新疆吐鲁番市鄯善县鲁克沁镇鲁克沁村农贸市场旁",
            "شىنجاڭ تۇرپان شەھىرى پىچان ناھىيىسى لۈكچۈن بازىرى لۈكچۈن كەنتى، دېھقانچىلىق مەھسۇلاتلىرى بازىرىنىڭ يېنى",
            "Next to the farmers' market, Lukqun Village, Lukqun Town, Shanshan County, Turpan, Xinjiang",
        ),
    ),
    DepotSeed(
        slug="wubao-depot",
        village="wubao",
        name=("五堡服务站", "ۋۇباۋ مۇلازىمەت پونكىتى", "Wubao depot"),
        address=(
            "新疆哈密市伊州区五堡镇五堡村红枣交易市场内",
            "شىنجاڭ قۇمۇل شەھىرى ئىجۇ رايونى ۋۇباۋ بازىرى ۋۇباۋ كەنتى، قىزىل چىلان سودا بازىرى ئىچى",
            "Inside the jujube market, Wubao Village, Wubao Town, Yizhou District, Hami, Xinjiang",
        ),
    ),
    DepotSeed(
        slug="hotan-ecommerce-park",
        village="laskuy",
        name=(
            "和田电商产业园集货中心",
            "خوتەن ئېلېكترونلۇق سودا باغچىسى يىغىش مەركىزى",
            "Hotan e-commerce park collection centre",
        ),
        address=(
            "新疆和田市拉斯奎镇电子商务产业园1号库",
            "شىنجاڭ خوتەن شەھىرى لاسكۈي بازىرى ئېلېكترونلۇق سودا سانائەت باغچىسى 1-ئامبار",
            "Warehouse 1, E-commerce Industrial Park, Laskuy Town, Hotan City, Xinjiang",
        ),
        opening_hours="08:00–22:00",
    ),
    DepotSeed(
        slug="karasay-depot",
        village="karasay",
        name=("喀尔赛服务站", "قارساي مۇلازىمەت پونكىتى", "Karasay depot"),
        address=(
            "新疆和田地区墨玉县喀尔赛镇喀尔赛村玫瑰加工厂旁",
            "شىنجاڭ خوتەن ۋىلايىتى قاراقاش ناھىيىسى قارساي بازىرى قارساي كەنتى، گۈل پىششىقلاپ ئىشلەش زاۋۇتىنىڭ يېنى",
            "Next to the rose processing plant, Karasay Village, Karasay Town, Karakax County, Hotan, Xinjiang",
        ),
    ),
    DepotSeed(
        slug="sampul-depot",
        village="sampul",
        name=("山普鲁服务站", "سامپۇل مۇلازىمەت پونكىتى", "Sampul depot"),
        address=(
            "新疆和田地区洛浦县山普鲁镇地毯厂对面",
            "شىنجاڭ خوتەن ۋىلايىتى لوپ ناھىيىسى سامپۇل بازىرى، گىلەم زاۋۇتىنىڭ ئۇدۇلى",
            "Opposite the carpet workshop, Sampul Town, Lop County, Hotan, Xinjiang",
        ),
    ),
    DepotSeed(
        slug="yarkant-depot",
        village="awat",
        name=("莎车阿瓦提服务站", "يەكەن ئاۋات مۇلازىمەت پونكىتى", "Yarkant Awat depot"),
        address=(
            "新疆喀什地区莎车县阿瓦提镇阿瓦提村巴旦木收购点",
            "شىنجاڭ قەشقەر ۋىلايىتى يەكەن ناھىيىسى ئاۋات بازىرى ئاۋات كەنتى، بادام سېتىۋېلىش پونكىتى",
            "Almond buying station, Awat Village, Awat Town, Yarkant County, Kashgar, Xinjiang",
        ),
    ),
    DepotSeed(
        slug="onsu-depot",
        village="tophan",
        name=("温宿托甫汗服务站", "ئونسۇ توپخان مۇلازىمەت پونكىتى", "Onsu Tophan depot"),
        address=(
            "新疆阿克苏地区温宿县托乎拉乡托甫汗村核桃交易中心",
            "شىنجاڭ ئاقسۇ ۋىلايىتى ئونسۇ ناھىيىسى توقۇللا يېزىسى توپخان كەنتى، ياڭاق سودا مەركىزى",
            "Walnut trading centre, Tophan Village, Toqulla Township, Onsu County, Aksu, Xinjiang",
        ),
    ),
    DepotSeed(
        slug="korla-depot",
        village="charbagh",
        name=("库尔勒恰尔巴格服务站", "كورلا چارباغ مۇلازىمەت پونكىتى", "Korla Charbagh depot"),
        address=(
            "新疆库尔勒市恰尔巴格乡恰尔巴格村香梨冷库旁",
            "شىنجاڭ كورلا شەھىرى چارباغ يېزىسى چارباغ كەنتى، خۇش پۇراق نەشپۈت سوغۇق ئامبىرىنىڭ يېنى",
            "Next to the fragrant pear cold store, Charbagh Village, Charbagh Township, Korla, Xinjiang",
        ),
    ),
)


# Days the couriers of every demo county take to a province (``producers.CourierReach``), as shoppers write it:
# fresh produce with a shelf life is delivered only where they arrive in time.
COURIER_DAYS = (
    ("新疆", 1),
    ("شىنجاڭ", 1),
    ("Xinjiang", 1),
    ("甘肃", 2),
    ("青海", 2),
    ("宁夏", 2),
    ("陕西", 3),
    ("四川", 3),
    ("北京", 3),
    ("上海", 3),
    ("浙江", 3),
    ("江苏", 3),
    ("广东", 4),
)
