"""The demo's shop: its catalogue, punch cards, taste profiles, coupon templates and
campaigns, and its staff; written into the database (``ensure_*``) before the members are
planned (``world``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from ...db import models as m
from ...db.database import proxy, write_transaction
from ...loyalty.coupon_rules import CouponTerms
from ...services import coupons as coupon_service
from ...services import staff
from ...services.context import Context

# the demo's staff, with PINs for trying the counter (never use these in a real shop)
DEMO_STAFF = (  # (name, role, PIN)
    ("Owner 老板", "owner", "8888"),
    ("Manager Wang 王经理", "manager", "9999"), ("Manager Zhao 赵经理", "manager", "9998"),
    ("Cashier Li 李", "cashier", "1111"), ("Cashier Chen 陈", "cashier", "2222"),
    ("Cashier Liu 刘", "cashier", "3333"), ("Cashier Yang 杨", "cashier", "4444"),
    ("Cashier Huang 黄", "cashier", "5555"), ("Cashier Zhou 周", "cashier", "6666"),
)
_STAFF_IDS = {name: uuid.uuid5(uuid.NAMESPACE_URL, f"member-terminal-demo:{name}")
              for name, _, _ in DEMO_STAFF}
CASHIERS = tuple(str(_STAFF_IDS[n]) for n, role, _ in DEMO_STAFF if role == "cashier")
MANAGERS = tuple(str(_STAFF_IDS[n]) for n, role, _ in DEMO_STAFF if role == "manager")
SYSTEM = "system"


# fmt: off
# (category, brand, sku, name, price in fen, popularity)
CATALOGUE: tuple[tuple[str, str, str, str, int, float], ...] = (
    ("coffee", "House", "CF-AME", "Americano 美式咖啡", 2200, 9),
    ("coffee", "House", "CF-LAT", "Latte 拿铁", 2800, 12),
    ("coffee", "House", "CF-CAP", "Cappuccino 卡布奇诺", 2800, 6),
    ("coffee", "House", "CF-FLW", "Flat White 澳白", 3000, 5),
    ("coffee", "House", "CF-MOC", "Mocha 摩卡", 3200, 3),
    ("coffee", "House", "CF-CMA", "Caramel Macchiato 焦糖玛奇朵", 3200, 4),
    ("coffee", "House", "CF-VAN", "Vanilla Latte 香草拿铁", 3000, 3),
    ("coffee", "House", "CF-HAZ", "Hazelnut Latte 榛果拿铁", 3200, 2),
    ("coffee", "House", "CF-OAT", "Oat Milk Latte 燕麦拿铁", 3200, 5),
    ("coffee", "House", "CF-COC", "Coconut Latte 生椰拿铁", 3000, 7),
    ("coffee", "House", "CF-CBR", "Cold Brew 冷萃咖啡", 3000, 3),
    ("coffee", "House", "CF-ICE", "Iced Americano 冰美式", 2400, 6),
    ("coffee", "House", "CF-ESP", "Espresso 意式浓缩", 1800, 1),
    ("coffee", "House", "CF-DIR", "Dirty 脏脏咖啡", 3000, 2),
    ("coffee", "House", "CF-OSM", "Osmanthus Latte 桂花拿铁", 3200, 2),
    ("tea", "House", "TE-JAS", "Jasmine Green Tea 茉莉绿茶", 1800, 4),
    ("tea", "House", "TE-OOL", "Oolong Tea 乌龙茶", 2000, 3),
    ("tea", "House", "TE-ENG", "English Breakfast Tea 英式红茶", 2000, 2),
    ("tea", "House", "TE-HKM", "Hong Kong Milk Tea 港式奶茶", 2200, 6),
    ("tea", "House", "TE-BOB", "Brown Sugar Boba Milk Tea 黑糖珍珠奶茶", 2400, 8),
    ("tea", "House", "TE-MAT", "Matcha Latte 抹茶拿铁", 2800, 5),
    ("tea", "House", "TE-LEM", "Hand-pressed Lemon Tea 手打柠檬茶", 2000, 6),
    ("tea", "House", "TE-PEA", "White Peach Oolong 白桃乌龙", 2400, 4),
    ("tea", "House", "TE-GRA", "Grapefruit Green Tea 西柚绿茶", 2400, 3),
    ("tea", "House", "TE-COC", "Hot Chocolate 热可可", 2600, 3),
    ("tea", "House", "TE-CHA", "Chai Latte 印度奶茶", 2600, 2),
    ("tea", "House", "TE-PUE", "Pu'er Tea 普洱茶", 2200, 2),
    ("drinks", "Nongfu Spring 农夫山泉", "DR-NFS", "Mineral Water 550ml 矿泉水", 300, 6),
    ("drinks", "Evian 依云", "DR-EVI", "Evian Water 500ml 依云矿泉水", 800, 2),
    ("drinks", "Coca-Cola 可口可乐", "DR-COK", "Coca-Cola 330ml 可口可乐", 350, 4),
    ("drinks", "Coca-Cola 可口可乐", "DR-SPR", "Sprite 330ml 雪碧", 350, 2),
    ("drinks", "Yakult 养乐多", "DR-YAK", "Yakult 5-pack 养乐多", 1250, 2),
    ("drinks", "Vitasoy 维他奶", "DR-VSY", "Vitasoy Soy Milk 维他奶", 500, 2),
    ("drinks", "Wanglaoji 王老吉", "DR-WLJ", "Herbal Tea 王老吉凉茶", 600, 2),
    ("drinks", "Nongfu Spring 农夫山泉", "DR-DFS", "Oriental Leaf Tea 东方树叶", 600, 3),
    ("drinks", "Genki Forest 元气森林", "DR-GEN", "Sparkling Water 元气森林气泡水", 550, 4),
    ("drinks", "Mengniu 蒙牛", "DR-MNM", "Pure Milk 蒙牛纯牛奶", 550, 2),
    ("drinks", "House", "DR-ORJ", "Fresh Orange Juice 鲜榨橙汁", 2200, 4),
    ("drinks", "House", "DR-WMJ", "Watermelon Juice 西瓜汁", 2000, 3),
    ("drinks", "House", "DR-MGS", "Mango Smoothie 芒果冰沙", 2600, 3),
    ("bakery", "House", "BK-CRO", "Butter Croissant 黄油可颂", 1200, 10),
    ("bakery", "House", "BK-CHC", "Chocolate Croissant 巧克力可颂", 1500, 5),
    ("bakery", "House", "BK-ALM", "Almond Croissant 杏仁可颂", 1600, 3),
    ("bakery", "House", "BK-EGT", "Portuguese Egg Tart 葡式蛋挞", 800, 9),
    ("bakery", "House", "BK-PFB", "Pork Floss Bun 肉松面包", 1200, 7),
    ("bakery", "House", "BK-RBB", "Red Bean Bun 红豆面包", 900, 4),
    ("bakery", "House", "BK-PIN", "Pineapple Bun 菠萝包", 800, 5),
    ("bakery", "House", "BK-CIN", "Cinnamon Roll 肉桂卷", 1600, 3),
    ("bakery", "House", "BK-BAG", "Plain Bagel 原味贝果", 1200, 3),
    ("bakery", "House", "BK-SBG", "Sesame Bagel 芝麻贝果", 1300, 2),
    ("bakery", "House", "BK-BGT", "Baguette 法棍", 1600, 3),
    ("bakery", "House", "BK-MTL", "Milk Toast Loaf 牛奶吐司", 1800, 5),
    ("bakery", "House", "BK-WWL", "Whole Wheat Loaf 全麦吐司", 2000, 3),
    ("bakery", "House", "BK-HCS", "Ham & Cheese Sandwich 火腿芝士三明治", 2600, 6),
    ("bakery", "House", "BK-TUN", "Tuna Sandwich 金枪鱼三明治", 2800, 3),
    ("bakery", "House", "BK-CKW", "Chicken Wrap 鸡肉卷", 2600, 3),
    ("bakery", "House", "BK-BMF", "Blueberry Muffin 蓝莓玛芬", 1400, 3),
    ("bakery", "House", "BK-CMF", "Chocolate Muffin 巧克力玛芬", 1400, 2),
    ("bakery", "House", "BK-SCO", "Scone 司康", 1200, 2),
    ("bakery", "House", "BK-DAN", "Danish Pastry 丹麦酥", 1500, 2),
    ("bakery", "House", "BK-MOC", "Mochi Bread 麻薯面包", 1000, 4),
    ("bakery", "House", "BK-GAR", "Garlic Bread 蒜香面包", 1200, 2),
    ("bakery", "House", "BK-CHB", "Cheese Bun 芝士包", 1200, 3),
    ("bakery", "House", "BK-CUS", "Custard Bun 奶黄包", 900, 3),
    ("bakery", "House", "BK-HDB", "Hot Dog Bun 热狗面包", 1500, 2),
    ("cakes", "House", "CK-CHS", "Cheesecake Slice 芝士蛋糕", 3200, 6),
    ("cakes", "House", "CK-TIR", "Tiramisu 提拉米苏", 3500, 5),
    ("cakes", "House", "CK-BLF", "Black Forest Slice 黑森林蛋糕", 3200, 3),
    ("cakes", "House", "CK-MGM", "Mango Mousse 芒果慕斯", 3400, 3),
    ("cakes", "House", "CK-MSR", "Matcha Swiss Roll 抹茶蛋糕卷", 2800, 3),
    ("cakes", "House", "CK-DUR", "Durian Mille Crêpe 榴莲千层", 4200, 3),
    ("cakes", "House", "CK-STR", "Strawberry Shortcake 草莓奶油蛋糕", 3600, 3),
    ("cakes", "House", "CK-LAV", "Chocolate Lava Cake 熔岩巧克力蛋糕", 3000, 2),
    ("cakes", "House", "CK-RVS", "Red Velvet Slice 红丝绒蛋糕", 3200, 2),
    ("cakes", "House", "CK-OPE", "Opera Cake 歌剧院蛋糕", 3800, 1),
    ("cakes", "House", "CK-MAC", "Macarons, box of 6 马卡龙6枚装", 6800, 2),
    ("cakes", "House", "CK-B06", "Birthday Cake 6-inch 6寸生日蛋糕", 16800, 1.2),
    ("cakes", "House", "CK-B08", "Birthday Cake 8-inch 8寸生日蛋糕", 23800, 0.8),
    ("cakes", "House", "CK-B10", "Birthday Cake 10-inch 10寸生日蛋糕", 32800, 0.3),
    ("cakes", "House", "CK-FRC", "Fruit Cream Cake 8-inch 8寸水果奶油蛋糕", 25800, 0.5),
    ("cakes", "House", "CK-YUL", "Christmas Yule Log 圣诞树桩蛋糕", 19800, 2),
    ("cakes", "House", "CK-SRB", "Swiss Roll Gift Box 瑞士卷礼盒", 8800, 0.6),
    ("cakes", "House", "CK-EYP", "Egg Yolk Pastry, 4 蛋黄酥4枚", 4800, 2),
    ("snacks", "Three Squirrels 三只松鼠", "SN-NUT", "Daily Nuts, 7 bags 每日坚果", 5900, 3),
    ("snacks", "Three Squirrels 三只松鼠", "SN-MAC", "Macadamia Nuts 夏威夷果", 3900, 2),
    ("snacks", "Bestore 良品铺子", "SN-MGO", "Dried Mango 芒果干", 2500, 3),
    ("snacks", "Bestore 良品铺子", "SN-BFJ", "Beef Jerky 牛肉干", 3900, 2),
    ("snacks", "Bestore 良品铺子", "SN-PKJ", "Pork Jerky 猪肉脯", 3500, 2),
    ("snacks", "Dove 德芙", "SN-DDK", "Dark Chocolate 德芙黑巧克力", 1890, 3),
    ("snacks", "Dove 德芙", "SN-DMK", "Milk Chocolate 德芙牛奶巧克力", 1890, 3),
    ("snacks", "Ferrero 费列罗", "SN-FER", "Ferrero Rocher, 16 费列罗榛果巧克力", 6900, 1.5),
    ("snacks", "Lay's 乐事", "SN-LAO", "Potato Chips Original 乐事原味薯片", 850, 4),
    ("snacks", "Lay's 乐事", "SN-LAC", "Potato Chips Cucumber 乐事黄瓜味薯片", 850, 3),
    ("snacks", "Oreo 奥利奥", "SN-ORE", "Oreo Cookies 奥利奥饼干", 990, 3),
    ("snacks", "Want Want 旺旺", "SN-WWC", "Rice Crackers 旺旺雪饼", 1290, 2),
    ("snacks", "Weilong 卫龙", "SN-WLS", "Spicy Gluten Strips 卫龙辣条", 690, 3),
    ("snacks", "Lotte 乐天", "SN-XYL", "Xylitol Gum 木糖醇口香糖", 1290, 2),
    ("snacks", "Glico 格力高", "SN-POC", "Pocky 百奇", 900, 3),
    ("snacks", "House", "SN-BCK", "Butter Cookies, box 黄油曲奇礼盒", 4800, 2),
    ("snacks", "House", "SN-EGR", "Egg Rolls 蛋卷", 2800, 2),
    ("snacks", "House", "SN-SES", "Sesame Brittle 芝麻糖", 1800, 1),
    ("beans", "House", "BN-HOU", "House Blend Beans 500g 拼配咖啡豆", 12800, 2),
    ("beans", "House", "BN-YUN", "Yunnan Single Origin 250g 云南单品咖啡豆", 8800, 1.5),
    ("beans", "House", "BN-YIR", "Ethiopia Yirgacheffe 250g 耶加雪菲咖啡豆", 11800, 1),
    ("beans", "House", "BN-DRP", "Drip Bags, 10 挂耳咖啡", 6900, 2.5),
    ("beans", "Saturnbird 三顿半", "BN-SAT", "Instant Coffee, 24 三顿半超即溶", 17900, 1.5),
    ("beans", "Nestlé 雀巢", "BN-NES", "Coffee Mix 1+2, 30 雀巢速溶咖啡", 4900, 2),
    ("gifts", "House", "GF-SPR", "Spring Festival Gift Box 新春礼盒", 19800, 5),
    ("gifts", "House", "GF-HMP", "Deluxe New Year Hamper 新春豪华礼篮", 39800, 1.5),
    ("gifts", "House", "GF-MOO", "Mooncake Gift Box 月饼礼盒", 29800, 5),
    ("gifts", "House", "GF-XMS", "Christmas Cookie Tin 圣诞曲奇礼盒", 12800, 4),
    ("gifts", "House", "GF-ZZI", "Zongzi Gift Box 粽子礼盒", 16800, 4),
    ("gifts", "House", "GF-TEA", "Tieguanyin Tea Gift Set 铁观音茶叶礼盒", 26800, 1),
    ("gifts", "House", "GF-VAL", "Valentine Chocolate Box 情人节巧克力礼盒", 16800, 4),
    ("gifts", "House", "GF-NGO", "Nian Gao Gift Box 年糕礼盒", 8800, 2),
    ("haircare", "Head & Shoulders 海飞丝", "HC-HSS",
     "Anti-dandruff Shampoo 400ml 海飞丝去屑洗发水", 5990, 5),
    ("haircare", "Head & Shoulders 海飞丝", "HC-HSC", "Conditioner 400ml 海飞丝护发素", 5490, 2),
    ("haircare", "Pantene 潘婷", "HC-PAS", "Repair Shampoo 400ml 潘婷修护洗发水", 4990, 4),
    ("haircare", "Pantene 潘婷", "HC-PAC", "Conditioner 400ml 潘婷护发素", 4590, 2),
    ("haircare", "Rejoice 飘柔", "HC-RJS", "Silky Shampoo 400ml 飘柔洗发水", 3990, 4),
    ("haircare", "Clear 清扬", "HC-CLM", "Men's Shampoo 400ml 清扬男士洗发水", 6990, 3),
    ("haircare", "L'Oréal 欧莱雅", "HC-LOS", "Elvive Shampoo 400ml 欧莱雅洗发水", 6990, 3),
    ("haircare", "L'Oréal 欧莱雅", "HC-LOM", "Elvive Hair Mask 欧莱雅发膜", 7990, 1.5),
    ("haircare", "Schwarzkopf 施华蔻", "HC-SKS", "Shampoo 400ml 施华蔻洗发水", 7490, 2),
    ("haircare", "Lux 力士", "HC-LXS", "Shampoo 400ml 力士洗发水", 3590, 3),
    ("haircare", "Seeyoung 滋源", "HC-SYS", "Silicone-free Shampoo 滋源无硅油洗发水", 8990, 2),
    ("haircare", "Kérastase 卡诗", "HC-KER", "Bain Shampoo 250ml 卡诗洗发水", 25000, 0.7),
    ("skincare", "Olay 玉兰油", "SK-OLR", "Regenerist Cream 50g 玉兰油大红瓶面霜", 29900, 1.5),
    ("skincare", "Olay 玉兰油", "SK-OLC", "Foaming Cleanser 玉兰油洁面乳", 6900, 3),
    ("skincare", "L'Oréal 欧莱雅", "SK-LRS", "Revitalift Serum 欧莱雅复颜精华", 28900, 1.2),
    ("skincare", "Nivea 妮维雅", "SK-NVW", "Face Wash 妮维雅洗面奶", 4990, 3),
    ("skincare", "Nivea 妮维雅", "SK-NVM", "Men's Face Cream 妮维雅男士面霜", 7990, 2),
    ("skincare", "Pechoin 百雀羚", "SK-PCT", "Hydrating Toner 百雀羚爽肤水", 9900, 2),
    ("skincare", "Pechoin 百雀羚", "SK-PCC", "Moisturising Cream 百雀羚面霜", 8900, 2),
    ("skincare", "Anessa 安热沙", "SK-ANE", "Sunscreen 60ml 安热沙防晒乳", 19800, 2),
    ("skincare", "Kiehl's 科颜氏", "SK-KCT", "Calendula Toner 科颜氏金盏花水", 32000, 0.8),
    ("skincare", "Mediheal 可莱丝", "SK-MED", "Sheet Masks, 10 可莱丝面膜", 9900, 3),
    ("skincare", "Winona 薇诺娜", "SK-WIN", "Soothing Cream 薇诺娜舒敏保湿特护霜", 26800, 1),
    ("skincare", "L'Occitane 欧舒丹", "SK-LOH", "Shea Hand Cream 欧舒丹护手霜", 12000, 2),
    ("skincare", "Mentholatum 曼秀雷敦", "SK-LIP", "Lip Balm 曼秀雷敦润唇膏", 2890, 3),
    ("bodycare", "Safeguard 舒肤佳", "BC-SGW", "Body Wash 720ml 舒肤佳沐浴露", 3990, 4),
    ("bodycare", "Safeguard 舒肤佳", "BC-SGS", "Soap, 3 bars 舒肤佳香皂", 1590, 3),
    ("bodycare", "Lux 力士", "BC-LXW", "Body Wash 力士沐浴露", 3990, 3),
    ("bodycare", "Dove 多芬", "BC-DVW", "Body Wash 多芬沐浴露", 4990, 3),
    ("bodycare", "Johnson's 强生", "BC-JBL", "Baby Lotion 强生婴儿润肤露", 3990, 2),
    ("bodycare", "Vaseline 凡士林", "BC-VAS", "Body Lotion 凡士林身体乳", 4990, 3),
    ("bodycare", "Nivea 妮维雅", "BC-NVL", "Body Lotion 妮维雅身体乳", 5990, 2),
    ("bodycare", "Blue Moon 蓝月亮", "BC-BMH", "Hand Soap 蓝月亮洗手液", 1990, 3),
    ("bodycare", "Adidas 阿迪达斯", "BC-ADS", "Shower Gel 阿迪达斯沐浴露", 3590, 2),
    ("bodycare", "Dettol 滴露", "BC-DET", "Hand Wash 滴露洗手液", 2490, 2),
    ("oralcare", "Colgate 高露洁", "OC-CGT", "Toothpaste 高露洁牙膏", 1590, 4),
    ("oralcare", "Colgate 高露洁", "OC-CGB", "Toothbrushes, 2 高露洁牙刷", 1990, 2),
    ("oralcare", "Crest 佳洁士", "OC-CRW", "3D White Toothpaste 佳洁士美白牙膏", 2590, 3),
    ("oralcare", "Darlie 黑人", "OC-DAR", "Toothpaste 黑人牙膏", 1890, 3),
    ("oralcare", "Yunnan Baiyao 云南白药", "OC-YNB", "Toothpaste 云南白药牙膏", 3290, 3),
    ("oralcare", "Listerine 李施德林", "OC-LIS", "Mouthwash 李施德林漱口水", 4590, 2),
    ("oralcare", "Oral-B 欧乐B", "OC-OBE", "Electric Toothbrush 欧乐B电动牙刷", 19900, 0.6),
    ("oralcare", "Oral-B 欧乐B", "OC-OBR", "Brush Heads, 2 欧乐B刷头", 8900, 1),
    ("oralcare", "Sensodyne 舒适达", "OC-SEN", "Toothpaste 舒适达牙膏", 3990, 2),
    ("oralcare", "Lion 狮王", "OC-FLS", "Dental Floss 狮王牙线", 1290, 1),
    ("cards", "House", "PC-COF10", "10-Coffee Card 十次咖啡卡", 25000, 0),
    ("cards", "House", "PC-COF20", "20-Coffee Card 二十次咖啡卡", 46000, 0),
    ("cards", "House", "PC-TEA10", "10-Tea Card 十次茶饮卡", 17000, 0),
    ("cards", "House", "PC-BRD12", "12-Bread Card 十二次面包卡", 12000, 0),
    ("cards", "House", "PC-CAK05", "5-Cake Card 五次蛋糕卡", 14000, 0),
)
# fmt: on
# punch-card SKU -> (visits, valid days, the category one visit covers)
PUNCH = {"PC-COF10": (10, 365, "coffee"), "PC-COF20": (20, 365, "coffee"),
         "PC-TEA10": (10, 180, "tea"), "PC-BRD12": (12, 90, "bakery"),
         "PC-CAK05": (5, 120, "cakes")}
PACKAGED = frozenset(("drinks", "snacks", "beans", "haircare", "skincare", "bodycare",
                      "oralcare"))

# taste profiles: (share of members, category weights, the punch card they might buy)
PROFILES: tuple[tuple[float, dict[str, float], str | None], ...] = (
    (0.40, {"coffee": 6, "bakery": 3, "cakes": 1, "tea": 0.6, "drinks": 0.5, "snacks": 0.5,
            "beans": 0.35, "gifts": 0.1, "haircare": 0.1, "oralcare": 0.1}, "PC-COF10"),
    (0.22, {"bakery": 6, "cakes": 2, "coffee": 1.5, "tea": 1, "drinks": 1, "snacks": 1,
            "gifts": 0.2, "bodycare": 0.1}, "PC-BRD12"),
    (0.12, {"tea": 6, "bakery": 2, "cakes": 1.2, "snacks": 1, "drinks": 0.8, "coffee": 0.3,
            "gifts": 0.2}, "PC-TEA10"),
    (0.18, {"haircare": 3, "skincare": 2.5, "bodycare": 2, "oralcare": 2, "snacks": 1,
            "drinks": 1, "coffee": 1, "bakery": 1, "gifts": 0.2}, None),
    (0.08, {"cakes": 4, "coffee": 2, "bakery": 2, "tea": 1, "snacks": 1, "gifts": 0.4},
     "PC-CAK05"),
)

# cross-sell and campaign templates the demo adds next to the defaults
DEMO_TEMPLATES: tuple[dict[str, Any], ...] = (
    dict(code="XS-PASTRY", name="Coffee lovers: 5 off pastries", name_zh_cn="咖啡配面包立减5元",
         kind="amount", amount=500, min_spend=1200, categories="bakery", valid_days=14,
         auto_rule="cross_sell", auto_category="coffee", auto_min_spend=10_000),
    dict(code="XS-SKIN", name="Hair care buyers: 15% off skin care", name_zh_cn="护肤85折",
         kind="percent", percent=15, categories="skincare", valid_days=30,
         auto_rule="cross_sell", auto_category="haircare", auto_min_spend=8000),
    dict(code="D11", name="11.11: 11 off 66", name_zh_cn="双十一满66减11", kind="amount",
         amount=1100, min_spend=6600, valid_days=11),
    dict(code="SPRING", name="Spring Festival: 30 off gift boxes", name_zh_cn="年货礼盒立减30",
         kind="amount", amount=3000, min_spend=19800, categories="gifts", valid_days=21),
)
CAMPAIGNS = {6: ("BIRTHDAY", "birthday"), 7: ("WINBACK", "winback"), 8: ("D11", "double11"),
             9: ("SPRING", "spring-festival")}
USE_COUPON = {"NEXTVISIT": 0.55, "WELCOME": 0.35, "BIRTHDAY": 0.6, "WINBACK": 0.9,
              "XS-PASTRY": 0.35, "XS-SKIN": 0.3, "D11": 0.6, "SPRING": 0.7}


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    brand: str
    price: int
    discountable: bool  # as checkout decides: punch cards never take the tier discount
    punch_visits: int | None
    punch_valid_days: int | None
    popularity: float


@dataclass(frozen=True)
class Template:
    code: str
    terms: CouponTerms
    valid_days: int
    auto_rule: str | None
    auto_min_spend: int
    auto_category: str | None
    use: float  # how likely a member holding one uses it on a visit


def _ean13(body12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)



def ensure_catalogue() -> list[Product]:
    """The demo catalogue (existing SKUs are left as they are); the products as stored."""
    rows, barcodes = [], []
    for j, (cat, brand, sku, name, price, _) in enumerate(CATALOGUE):
        punch = PUNCH.get(sku)
        barcode = None
        if cat in PACKAGED and brand != "House":
            barcode = _ean13(f"69{20_000 + sum(map(ord, brand)) % 80_000:05d}{j:05d}")
            barcodes.append(dict(code=barcode, product=sku))
        rows.append(dict(sku=sku, name=name, category=cat, brand=brand, price=price,
                         discountable=cat != "cards",
                         punch_visits=punch[0] if punch else None,
                         punch_valid_days=punch[1] if punch else None, active=True))
    with proxy.atomic():
        m.Product.insert_many(rows).on_conflict_ignore().execute()
        m.ProductBarcode.insert_many(barcodes).on_conflict_ignore().execute()
    stored = {p.sku: p for p in m.Product.select().where(
        m.Product.sku.in_([r["sku"] for r in rows]))}
    popularity = {sku: pop for _, _, sku, _, _, pop in CATALOGUE}
    return [Product(p.sku, p.name, p.category, p.brand, int(p.price),
                    bool(p.discountable) and not p.punch_visits, p.punch_visits,
                    p.punch_valid_days, popularity[p.sku] if p.active else 0.0)
            for p in (stored[r["sku"]] for r in rows) if p.sku in stored]


def ensure_templates() -> list[Template]:
    coupon_service.ensure_default_templates()
    with proxy.atomic():
        for t in DEMO_TEMPLATES:
            m.CouponTemplate.insert(**t).on_conflict_ignore().execute()
    out = []
    for tpl in m.CouponTemplate.select().where(m.CouponTemplate.active).order_by(
            m.CouponTemplate.code):
        out.append(Template(tpl.code, coupon_service.terms(tpl), int(tpl.valid_days),
                            tpl.auto_rule, int(tpl.auto_min_spend), tpl.auto_category,
                            USE_COUPON.get(tpl.code, 0.3)))
    return out



def ensure_staff(ctx: Context) -> None:
    """The demo's owner, managers and cashiers (see DEMO_STAFF for their PINs)."""
    if m.Staff.select().exists():
        return
    rows = [dict(id=_STAFF_IDS[name], name=name, role=role, pin_hash=staff.hash_pin(pin),
                 created_at=ctx.now()) for name, role, pin in DEMO_STAFF]
    with write_transaction():
        m.Staff.insert_many(rows).execute()
