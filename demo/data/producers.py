"""The demo producers: households, cooperatives and workshops of the region's villages."""

from __future__ import annotations

from dataclasses import dataclass

from demo.data import Trilingual
from producers.models import Producer


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
