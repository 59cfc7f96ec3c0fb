"""The starter text of the fixed site pages, in Chinese, Uyghur and English; staff edit it in the admin."""

from django.db import migrations

PAGES = {
    "promise": {
        "title_zh": "售后承诺",
        "title_ug": "سېتىشتىن كېيىنكى مۇلازىمەت ۋەدىسى",
        "title_en": "Our after-sales promise",
        "body_zh": (
            "绿洲集市的商品直接来自吐鲁番、哈密、和田、喀什、阿克苏和库尔勒的农户、合作社和手工作坊。"
            "每个包裹都由生产者亲手打包，我们为它负责。\n\n"
            "生鲜坏果包赔：葡萄、甜瓜、石榴、香梨等新鲜农产品，如果到货时腐烂、压坏或变质，"
            "请在签收或取货后 48 小时内，在订单页面或通过客服发送照片（拍清外箱、快递面单和坏果）。"
            "核实后按坏果的数量退款，不需要寄回。\n\n"
            "干果、红枣、核桃、巴旦木、玫瑰花茶和手工艺品：未开封、未使用的，签收后 7 天内可以退货；"
            "有质量问题的，运费由我们承担。\n\n"
            "退款原路返回：在线支付的退回付款账户，货到付款的退到您提供的账户，一般在核实后 3 个工作日内发起。\n\n"
            "详细规则见“退货与退款”页面。"
        ),
        "body_ug": (
            "بوستان بازىرىدىكى مەھسۇلاتلار تۇرپان، قۇمۇل، خوتەن، قەشقەر، ئاقسۇ ۋە كورلىدىكى دېھقانلار، "
            "كوپېراتىپلار ۋە قول ھۈنەرۋەنچىلىك سېخلىرىدىن بىۋاسىتە كېلىدۇ. ھەر بىر ئورامنى ئىشلەپچىقارغۇچى ئۆزى "
            "ئورايدۇ، بىز ئۇنىڭغا جاۋابكار.\n\n"
            "بۇزۇلغان يېڭى مېۋىنىڭ پۇلى قايتۇرۇلىدۇ: ئۈزۈم، قوغۇن، ئانار، نەشپۈت قاتارلىق يېڭى مەھسۇلاتلار "
            "چىرىگەن، ئېزىلگەن ياكى بۇزۇلغان ھالدا يەتكەن بولسا، تاپشۇرۇۋالغان ياكى ئېلىپ كەتكەن ۋاقىتتىن باشلاپ "
            "48 سائەت ئىچىدە زاكاز بېتىدە ياكى مۇلازىمەت خادىمى ئارقىلىق رەسىم ئەۋەتىڭ (قاپ، يوللانما تالونى ۋە "
            "بۇزۇلغان مېۋە ئېنىق كۆرۈنسۇن). تەكشۈرگەندىن كېيىن بۇزۇلغان قىسمىنىڭ پۇلىنى قايتۇرىمىز، مالنى قايتۇرۇپ "
            "ئەۋەتىشىڭىزنىڭ ھاجىتى يوق.\n\n"
            "قۇرۇق مېۋە، چىلان، ياڭاق، بادام، گۈل چېيى ۋە قول ھۈنەر بۇيۇملىرى: ئېچىلمىغان ۋە ئىشلىتىلمىگەن بولسا، "
            "تاپشۇرۇۋالغاندىن كېيىن 7 كۈن ئىچىدە قايتۇرغىلى بولىدۇ؛ سۈپەت مەسىلىسى بولسا توشۇش ھەققىنى بىز "
            "كۆتۈرىمىز.\n\n"
            "پۇل تۆلىگەن يول بىلەن قايتىدۇ: تور ئارقىلىق تۆلەنگەن پۇل تۆلىگەن ھېساباتىڭىزغا، مال يەتكەندە تۆلەنگەن "
            "پۇل سىز بەرگەن ھېساباتقا قايتۇرۇلىدۇ؛ ئادەتتە تەكشۈرگەندىن كېيىن 3 خىزمەت كۈنى ئىچىدە.\n\n"
            "تەپسىلىي قائىدىلەر «قايتۇرۇش ۋە پۇل قايتۇرۇش» بېتىدە."
        ),
        "body_en": (
            "Everything on Oasis Market comes straight from households, cooperatives and workshops in Turpan, Hami, "
            "Hotan, Kashgar, Aksu and Korla. The producer packs each parcel by hand, and we stand behind it.\n\n"
            "Bad fruit refunded: if fresh produce (grapes, melons, pomegranates, pears) arrives rotten, crushed or "
            "spoiled, send us a photo within 48 hours of delivery or pickup, from your order page or to customer "
            "service, showing the box, the shipping label and the damaged fruit. Once we have checked it we refund "
            "the damaged part; you do not need to send anything back.\n\n"
            "Dried fruit, jujubes, walnuts, almonds, rose tea and crafts: unopened, unused items can be returned "
            "within 7 days of delivery; if something is faulty, we pay the postage.\n\n"
            "Refunds go back the way you paid: an online payment to the account you paid from, cash on delivery to "
            "an account you give us, usually within 3 working days of our check.\n\n"
            "The full rules are on the Returns and refunds page."
        ),
    },
    "returns": {
        "title_zh": "退货与退款",
        "title_ug": "قايتۇرۇش ۋە پۇل قايتۇرۇش",
        "title_en": "Returns and refunds",
        "body_zh": (
            "生鲜农产品（葡萄、甜瓜、石榴、香梨、杏等）不支持无理由退货。到货时腐烂、压坏、变质或与描述明显不符的，"
            "请在签收或在服务站取货后 48 小时内发送照片申请退款，照片须拍清外箱、快递面单和有问题的商品。"
            "核实后按有问题的重量或数量退款，无需寄回。超过 48 小时的申请我们会酌情处理，但不保证退款。\n\n"
            "干果、坚果和花茶（葡萄干、红枣、核桃、巴旦木、玫瑰花茶等）：未开封、不影响再次销售的，签收后 7 天内"
            "可以退货，退货运费由买家承担；已开封的，除质量问题外不退不换。发霉、虫蛀、受潮或分量不足的，"
            "请在签收后 7 天内发送照片，核实后退款或补发，运费由我们承担。\n\n"
            "手工艺品（地毯、艾德莱斯绸、土陶、乐器等）：签收后 7 天内，保持原样、未使用的可以退货。"
            "手工制品件件略有不同，这不属于质量问题。运输中损坏的，请在 48 小时内发送照片。\n\n"
            "如何申请：在订单页面联系我们，或拨打客服电话，并提供订单号和照片。货到付款和服务站自提的订单同样适用。\n\n"
            "退款时间：在线支付的退回原付款账户；货到付款的退到您提供的银行卡、微信或支付宝账户。"
            "核实后 3 个工作日内发起退款，到账时间以银行为准。取消的订单按同样方式退款。"
        ),
        "body_ug": (
            "يېڭى يېزا ئىگىلىك مەھسۇلاتلىرى (ئۈزۈم، قوغۇن، ئانار، نەشپۈت، ئۆرۈك قاتارلىقلار) سەۋەبسىز قايتۇرۇلمايدۇ. "
            "چىرىگەن، ئېزىلگەن، بۇزۇلغان ياكى تونۇشتۇرۇشقا روشەن ماس كەلمەيدىغان ھالدا يەتكەن بولسا، تاپشۇرۇۋالغان "
            "ياكى پونكىتتىن ئالغان ۋاقىتتىن باشلاپ 48 سائەت ئىچىدە رەسىم ئەۋەتىپ پۇل قايتۇرۇشنى ئىلتىماس قىلىڭ؛ "
            "رەسىمدە قاپ، يوللانما تالونى ۋە مەسىلىلىك مال ئېنىق كۆرۈنسۇن. تەكشۈرگەندىن كېيىن مەسىلىلىك قىسمىنىڭ "
            "ئېغىرلىقى ياكى سانى بويىچە پۇل قايتۇرىمىز، مالنى قايتۇرۇپ ئەۋەتىش ھاجەتسىز. 48 سائەتتىن ئاشقان "
            "ئىلتىماسلارنى ئەھۋالغا قاراپ بىر تەرەپ قىلىمىز، ئەمما پۇل قايتۇرۇشقا كاپالەتلىك قىلالمايمىز.\n\n"
            "قۇرۇق مېۋە، مېغىز ۋە گۈل چېيى (كىشمىش، چىلان، ياڭاق، بادام، گۈل چېيى قاتارلىقلار): ئېچىلمىغان ۋە قايتا "
            "سېتىشقا تەسىر يەتمىگەن بولسا، تاپشۇرۇۋالغاندىن كېيىن 7 كۈن ئىچىدە قايتۇرغىلى بولىدۇ، قايتۇرۇش توشۇش "
            "ھەققىنى سېتىۋالغۇچى كۆتۈرىدۇ؛ ئېچىلغانلىرى سۈپەت مەسىلىسى بولمىسا قايتۇرۇلمايدۇ ۋە ئالماشتۇرۇلمايدۇ. "
            "پوپۇك باسقان، قۇرت چۈشكەن، نەم تارتقان ياكى ئېغىرلىقى كەم بولسا، تاپشۇرۇۋالغاندىن كېيىن 7 كۈن ئىچىدە "
            "رەسىم ئەۋەتىڭ، تەكشۈرگەندىن كېيىن پۇل قايتۇرىمىز ياكى قايتا ئەۋەتىمىز، توشۇش ھەققىنى بىز كۆتۈرىمىز.\n\n"
            "قول ھۈنەر بۇيۇملىرى (گىلەم، ئەتلەس، ساپال، چالغۇ قاتارلىقلار): تاپشۇرۇۋالغاندىن كېيىن 7 كۈن ئىچىدە، "
            "ئەسلى ھالىتىدە ۋە ئىشلىتىلمىگەن بولسا قايتۇرغىلى بولىدۇ. قولدا ياسالغان ھەر بىر بۇيۇم سەل پەرقلىق "
            "بولىدۇ، بۇ سۈپەت مەسىلىسى ھېسابلانمايدۇ. يولدا بۇزۇلغان بولسا، 48 سائەت ئىچىدە رەسىم ئەۋەتىڭ.\n\n"
            "قانداق ئىلتىماس قىلىدۇ: زاكاز بېتىدىن بىز بىلەن ئالاقىلىشىڭ ياكى مۇلازىمەت تېلېفونىغا تېلېفون قىلىپ، "
            "زاكاز نومۇرى ۋە رەسىمنى بېرىڭ. مال يەتكەندە پۇل تۆلەنگەن ۋە پونكىتتىن ئېلىنىدىغان زاكازلارغىمۇ "
            "ئوخشاشلا ماس كېلىدۇ.\n\n"
            "پۇل قايتۇرۇش ۋاقتى: تور ئارقىلىق تۆلەنگەن پۇل ئەسلى ھېساباتقا، مال يەتكەندە تۆلەنگەن پۇل سىز بەرگەن بانكا "
            "كارتىسى، ۈندىدار ياكى جىفۇباۋ ھېساباتىغا قايتۇرۇلىدۇ. تەكشۈرگەندىن كېيىن 3 خىزمەت كۈنى ئىچىدە "
            "قايتۇرۇلىدۇ، ھېساباتقا كىرىش ۋاقتى بانكىغا باغلىق. بىكار قىلىنغان زاكازلارنىڭ پۇلىمۇ شۇ يول بىلەن "
            "قايتۇرۇلىدۇ."
        ),
        "body_en": (
            "Fresh produce (grapes, melons, pomegranates, pears, apricots and the like) cannot be returned because "
            "you changed your mind. If it arrives rotten, crushed, spoiled or clearly not as described, send a photo "
            "within 48 hours of delivery or of picking it up at the depot, showing the box, the shipping label and "
            "the goods. Once we have checked it we refund the weight or number of items affected; you do not send "
            "anything back. We look at later claims case by case but cannot promise a refund.\n\n"
            "Dried fruit, nuts and tea (raisins, jujubes, walnuts, almonds, rose tea and the like): unopened items "
            "that can still be sold can be returned within 7 days of delivery, the buyer paying the return postage; "
            "opened items are not returned or exchanged unless they are faulty. If they are mouldy, have insects, "
            "are damp or underweight, send a photo within 7 days of delivery and we refund or send them again at "
            "our cost.\n\n"
            "Crafts (carpets, atlas silk, pottery, instruments and the like): unused items in their original state "
            "can be returned within 7 days of delivery. Every handmade piece differs a little; that is not a fault. "
            "If something was damaged in transit, send a photo within 48 hours.\n\n"
            "How to ask: contact us from your order page or call customer service with the order number and the "
            "photos. The same rules apply to cash-on-delivery orders and to orders picked up at a depot.\n\n"
            "When you are refunded: online payments go back to the account you paid from; cash on delivery to the "
            "bank card, WeChat or Alipay account you give us. We send the refund within 3 working days of our "
            "check; when it arrives depends on your bank. A cancelled order is refunded the same way."
        ),
    },
    "privacy": {
        "title_zh": "隐私政策",
        "title_ug": "شەخسىي مەخپىيەتلىك",
        "title_en": "Privacy",
        "body_zh": (
            "我们收集什么：下单时您填写的姓名、手机号和收货地址（或自提服务站），您提供的电子邮箱，订单内容和付款状态。"
            "我们不保存银行卡号或支付密码，付款由支付机构处理。\n\n"
            "我们怎么用：只用于处理和配送订单、联系您、退款和售后，以及法律要求的记账。生产者和服务站只看到打包和交付"
            "所需的信息：收货人、电话和地址。我们不会出售您的个人信息，也不会用它做与订单无关的推销。\n\n"
            "公开显示什么：商品评价只显示您的名字，不显示姓氏、电话或地址。直播间的订单动态中，买家姓名会被遮盖，"
            "例如“王**”。\n\n"
            "保存多久：订单和付款记录按税务和电子商务法律的要求保存三年，之后删除或匿名化。注销账户后，个人资料在 30 天内"
            "删除，法律要求保留的订单记录除外。系统日志不记录姓名、电话或地址。\n\n"
            "您的权利：您可以在账户中查看和更正个人信息，也可以联系我们要求导出或删除。"
        ),
        "body_ug": (
            "نېمىلەرنى توپلايمىز: زاكاز قىلغاندا تولدۇرغان ئىسمىڭىز، يانفون نومۇرىڭىز ۋە تاپشۇرۇۋېلىش ئادرېسىڭىز "
            "(ياكى مال ئالىدىغان پونكىت)، سىز بەرگەن ئېلخەت ئادرېسى، زاكازنىڭ مەزمۇنى ۋە پۇل تۆلەش ھالىتى. بانكا "
            "كارتىسى نومۇرى ياكى پۇل تۆلەش پارولىنى ساقلىمايمىز، پۇلنى پۇل تۆلەش ئورگىنى بىر تەرەپ قىلىدۇ.\n\n"
            "قانداق ئىشلىتىمىز: پەقەت زاكازنى بىر تەرەپ قىلىش ۋە يەتكۈزۈش، سىز بىلەن ئالاقىلىشىش، پۇل قايتۇرۇش ۋە "
            "سېتىشتىن كېيىنكى مۇلازىمەت، شۇنداقلا قانۇن تەلەپ قىلغان ھېسابات ئۈچۈن ئىشلىتىمىز. ئىشلەپچىقارغۇچى ۋە "
            "پونكىت پەقەت ئوراش ۋە تاپشۇرۇشقا كېرەكلىك ئۇچۇرنى كۆرىدۇ: تاپشۇرۇۋالغۇچى، تېلېفون ۋە ئادرېس. شەخسىي "
            "ئۇچۇرىڭىزنى ساتمايمىز، زاكازغا مۇناسىۋەتسىز ئېلان ئۈچۈنمۇ ئىشلەتمەيمىز.\n\n"
            "ئاشكارا نېمە كۆرۈنىدۇ: مەھسۇلات باھالىرىدا پەقەت ئىسمىڭىز كۆرۈنىدۇ، فامىلىڭىز، تېلېفونىڭىز ياكى "
            "ئادرېسىڭىز كۆرۈنمەيدۇ. بىۋاسىتە تارقىتىشتىكى زاكاز ئۇچۇرلىرىدا سېتىۋالغۇچىنىڭ ئىسمى يېپىلىدۇ، مەسىلەن "
            "«ۋاڭ**».\n\n"
            "قانچىلىك ساقلايمىز: زاكاز ۋە پۇل تۆلەش خاتىرىلىرى باج ۋە ئېلېكترونلۇق سودا قانۇنىنىڭ تەلىپى بويىچە ئۈچ "
            "يىل ساقلىنىدۇ، ئاندىن ئۆچۈرۈلىدۇ ياكى نامسىزلاشتۇرۇلىدۇ. ھېساباتنى ئەمەلدىن قالدۇرغاندىن كېيىن، قانۇن "
            "ساقلاشنى تەلەپ قىلغان زاكاز خاتىرىلىرىدىن باشقا شەخسىي ئۇچۇرلار 30 كۈن ئىچىدە ئۆچۈرۈلىدۇ. سىستېما "
            "خاتىرىسىگە ئىسىم، تېلېفون ياكى ئادرېس يېزىلمايدۇ.\n\n"
            "ھوقۇقىڭىز: ھېساباتىڭىزدا شەخسىي ئۇچۇرىڭىزنى كۆرەلەيسىز ۋە تۈزىتەلەيسىز، ئۇنى چىقىرىپ بېرىش ياكى ئۆچۈرۈشنى "
            "بىزدىن تەلەپ قىلالايسىز."
        ),
        "body_en": (
            "What we collect: the name, mobile number and delivery address (or pickup depot) you give at checkout, "
            "your email address if you give one, what you ordered and whether it is paid. We never store card "
            "numbers or payment passwords; the payment provider handles the payment.\n\n"
            "How we use it: only to process and deliver your order, contact you about it, refund and help you after "
            "the sale, and keep the accounts the law requires. Producers and depots see only what they need to pack "
            "and hand over: the recipient, the phone number and the address. We never sell your personal data or "
            "use it for marketing unrelated to your orders.\n\n"
            "What is shown publicly: a review shows only your first name, never your surname, phone or address. In "
            "a live session's order feed, buyers' names are masked, for example \"W**\".\n\n"
            "How long we keep it: order and payment records are kept for three years, as tax and e-commerce law "
            "require, then deleted or anonymised. When you close your account, your personal data is deleted within "
            "30 days, except order records the law requires us to keep. Our system logs never hold names, phone "
            "numbers or addresses.\n\n"
            "Your rights: you can see and correct your details in your account, and ask us to export or delete them."
        ),
    },
    "terms": {
        "title_zh": "使用条款",
        "title_ug": "ئىشلىتىش شەرتلىرى",
        "title_en": "Terms of use",
        "body_zh": (
            "绿洲集市是连接新疆农户、合作社和手工作坊与买家的平台。商品由各生产者出售和发货，平台负责展示、收款、"
            "售后和争议处理。\n\n"
            "价格和库存：价格以人民币计，含税。直播价格只在直播期间和限购数量内有效。下单时库存不足的，订单不会成立。\n\n"
            "付款：在线支付的订单须在页面显示的时间内付款，否则自动取消，商品重新上架。货到付款的订单在收货或取货时付款。\n\n"
            "配送和自提：每个生产者单独发货，运费按包裹计算；在村服务站自提免运费。生鲜商品请在收到后尽快查看。\n\n"
            "售后：按照“售后承诺”和“退货与退款”页面的规则处理。\n\n"
            "账户：请保管好您的密码和验证码，发现异常请立即联系我们。违反规则或滥用平台的账户可能被暂停。\n\n"
            "这些条款可能更新，更新后的条款适用于之后的订单。"
        ),
        "body_ug": (
            "بوستان بازىرى شىنجاڭدىكى دېھقانلار، كوپېراتىپلار ۋە قول ھۈنەرۋەنچىلىك سېخلىرىنى سېتىۋالغۇچىلار بىلەن "
            "تۇتاشتۇرىدىغان سۇپا. ماللارنى ھەر قايسى ئىشلەپچىقارغۇچىلار ساتىدۇ ۋە ئەۋەتىدۇ؛ سۇپا كۆرسىتىش، پۇل "
            "يىغىش، سېتىشتىن كېيىنكى مۇلازىمەت ۋە تالاش-تارتىشلارنى بىر تەرەپ قىلىشقا مەسئۇل.\n\n"
            "باھا ۋە ئامبار: باھا خەلق پۇلى بىلەن ھېسابلىنىدۇ، باج ئىچىدە. بىۋاسىتە تارقىتىش باھاسى پەقەت تارقىتىش "
            "داۋامىدا ۋە چەكلەنگەن سان ئىچىدە كۈچكە ئىگە. زاكاز قىلغاندا ئامباردا يېتەرلىك بولمىسا، زاكاز "
            "قۇرۇلمايدۇ.\n\n"
            "پۇل تۆلەش: تور ئارقىلىق تۆلىنىدىغان زاكازنىڭ پۇلى بەتتە كۆرسىتىلگەن ۋاقىت ئىچىدە تۆلىنىشى كېرەك، "
            "بولمىسا زاكاز ئاپتوماتىك بىكار قىلىنىدۇ ۋە مال قايتا سېتىلىدۇ. مال يەتكەندە تۆلىنىدىغان زاكازنىڭ پۇلى "
            "مالنى تاپشۇرۇۋالغاندا ياكى ئالغاندا تۆلىنىدۇ.\n\n"
            "يەتكۈزۈش ۋە ئۆزى ئېلىش: ھەر بىر ئىشلەپچىقارغۇچى ئايرىم ئەۋەتىدۇ، توشۇش ھەققى ئورام بويىچە ھېسابلىنىدۇ؛ "
            "كەنت پونكىتىدىن ئۆزىڭىز ئالسىڭىز توشۇش ھەققى يوق. يېڭى مېۋىنى تاپشۇرۇۋالغاندىن كېيىن دەرھال تەكشۈرۈڭ.\n\n"
            "سېتىشتىن كېيىنكى مۇلازىمەت: «سېتىشتىن كېيىنكى مۇلازىمەت ۋەدىسى» ۋە «قايتۇرۇش ۋە پۇل قايتۇرۇش» "
            "بەتلىرىدىكى قائىدە بويىچە بىر تەرەپ قىلىنىدۇ.\n\n"
            "ھېسابات: پارول ۋە دەلىللەش كودىڭىزنى ياخشى ساقلاڭ، نورمالسىز ئەھۋال بايقىسىڭىز دەرھال بىز بىلەن "
            "ئالاقىلىشىڭ. قائىدىگە خىلاپلىق قىلغان ياكى سۇپىنى قالايمىقان ئىشلەتكەن ھېسابات توختىتىلىشى مۇمكىن.\n\n"
            "بۇ شەرتلەر يېڭىلىنىشى مۇمكىن؛ يېڭىلانغان شەرتلەر ئۇنىڭدىن كېيىنكى زاكازلارغا ماس كېلىدۇ."
        ),
        "body_en": (
            "Oasis Market is a platform connecting households, cooperatives and workshops in Xinjiang with buyers. "
            "Each producer sells and ships its own goods; the platform shows them, takes payment, handles after-sales "
            "service and settles disputes.\n\n"
            "Prices and stock: prices are in yuan (CNY), tax included. A live price holds only during the live "
            "session and up to its limit. An order that asks for more than is in stock is not placed.\n\n"
            "Payment: an online order must be paid within the time its page shows, or it is cancelled and its items "
            "go back on sale. A cash-on-delivery order is paid when you receive or collect it.\n\n"
            "Delivery and pickup: each producer ships its own parcel, and shipping is counted per parcel; picking up "
            "at a village depot is free. Check fresh produce as soon as it arrives.\n\n"
            "After the sale: our after-sales promise and the Returns and refunds page say what we do.\n\n"
            "Your account: keep your password and sign-in codes to yourself, and tell us at once if something looks "
            "wrong. We may suspend an account that breaks these rules or abuses the platform.\n\n"
            "These terms may change; the terms in force when you order apply to that order."
        ),
    },
    "contact": {
        "title_zh": "联系我们",
        "title_ug": "بىز بىلەن ئالاقىلىشىڭ",
        "title_en": "Contact us",
        "body_zh": (
            "客服电话：400-800-0995\n"
            "服务时间：每天 09:00–21:00（北京时间）\n"
            "电子邮箱：service@oasis.example\n"
            "我们用中文、维吾尔语和英语回复，邮件一般在一个工作日内回复。\n\n"
            "关于订单的问题，请附上订单号。生鲜坏果请在到货后 48 小时内发送照片。\n\n"
            "自提订单也可以直接联系您选择的服务站，电话和开放时间在订单页面上。"
        ),
        "body_ug": (
            "مۇلازىمەت تېلېفونى: 400-800-0995\n"
            "مۇلازىمەت ۋاقتى: ھەر كۈنى 09:00–21:00 (بېيجىڭ ۋاقتى)\n"
            "ئېلخەت: service@oasis.example\n"
            "خەنزۇچە، ئۇيغۇرچە ۋە ئىنگلىزچە جاۋاب بېرىمىز؛ ئېلخەتكە ئادەتتە بىر خىزمەت كۈنى ئىچىدە جاۋاب قايتۇرىمىز.\n\n"
            "زاكاز توغرىسىدىكى مەسىلىلەر ئۈچۈن زاكاز نومۇرىنى قوشۇپ يېزىڭ. بۇزۇلغان يېڭى مېۋىنىڭ رەسىمىنى مال "
            "يەتكەندىن كېيىن 48 سائەت ئىچىدە ئەۋەتىڭ.\n\n"
            "ئۆزى ئالىدىغان زاكازلار ئۈچۈن تاللىغان پونكىتىڭىز بىلەنمۇ بىۋاسىتە ئالاقىلىشالايسىز، تېلېفونى ۋە ئېچىلىش "
            "ۋاقتى زاكاز بېتىدە بار."
        ),
        "body_en": (
            "Customer service: 400-800-0995\n"
            "Hours: every day 09:00–21:00 (Beijing time)\n"
            "Email: service@oasis.example\n"
            "We answer in Chinese, Uyghur and English; emails usually within one working day.\n\n"
            "For a question about an order, give its order number. For bad fresh produce, send the photo within 48 "
            "hours of delivery.\n\n"
            "For a pickup order you can also call the depot you chose: its phone number and hours are on your order "
            "page."
        ),
    },
}


def add_pages(apps, schema_editor):
    SitePage = apps.get_model("marketplace", "SitePage")
    for slug, fields in PAGES.items():
        SitePage.objects.get_or_create(slug=slug, defaults=fields)


def remove_pages(apps, schema_editor):
    apps.get_model("marketplace", "SitePage").objects.filter(slug__in=PAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0004_site_pages")]

    operations = [migrations.RunPython(add_pages, remove_pages)]
