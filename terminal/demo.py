"""Demo data: a café, bakery and personal-care shop with its members and their history, in bulk."""

from __future__ import annotations

import bisect
import calendar
import marshal
import math
import multiprocessing
import os
import random
import sys
import time
import unicodedata
import uuid
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import peewee
import phonenumbers

from .core import money
from .core.rules import Programme
from .db import models as m
from .db.database import SQLITE_PRAGMAS, is_sqlite, proxy, write_transaction
from .loyalty import codes
from .loyalty import points as prules
from .loyalty import stored_value as sv_rules
from .loyalty import tiers as tier_rules
from .loyalty.coupon_rules import CouponTerms
from .services import coupons as coupon_service
from .services import staff
from .services.context import Context

DAY = 86_400
OPEN_S, CLOSE_S = 7 * 3600, 22 * 3600  # the shop's hours; nightly jobs run while it is shut
PRE_YEARS = 3  # members enrolled before the period joined up to this many years earlier
NEW_DAYS = 45  # enrolled this recently: the "new" segment
LAPSED_QUIET_DAYS = 100  # a lapsed member's last visit is at least this long ago
CHUNK_MEMBERS = 4096  # members simulated per work unit (a multiple of RNG_BLOCK)
CHUNK_DAYS = 30  # days of anonymous sales per work unit
POOL_MIN_MEMBERS = 50_000  # below this, worker processes cost more than they save

SEGMENTS = ("loyal", "regular", "occasional", "lapsed", "zombie", "new")
LOYAL, REGULAR, OCCASIONAL, LAPSED, ZOMBIE, NEW = range(6)
# share of members enrolled before the last NEW_DAYS days, by segment
SEGMENT_MIX = ((LOYAL, 0.015), (REGULAR, 0.065), (OCCASIONAL, 0.27), (LAPSED, 0.20),
               (ZOMBIE, 0.45))
# visits per ordinary day while active: loyal about weekly, regular about monthly
VISIT_RATE = {LOYAL: (0.065, 0.13), REGULAR: (0.014, 0.028), OCCASIONAL: (0.0015, 0.0045),
              LAPSED: (0.008, 0.02), NEW: (0.03, 0.08)}
F_CONSENT, F_WINBACK, F_CONTROL, F_COMEBACK, F_ADVOCATE, F_STORED_VALUE = (
    1, 2, 4, 8, 16, 32)
SV_SHARE = {LOYAL: 0.45, REGULAR: 0.2, NEW: 0.08, LAPSED: 0.1}  # who keeps stored value
ADVOCATE_SHARE = {LOYAL: 0.35, REGULAR: 0.15, OCCASIONAL: 0.04}  # who brings friends
ANONYMOUS_RATE = 0.0015  # sales to non-members per enrolled member on an ordinary day
TOP_UPS = (10_000, 20_000, 30_000, 50_000, 100_000)
CASH_NOTES = (1000, 2000, 5000, 10_000, 10_000)
RNG_BLOCK = 64  # members sharing one random stream (seeding one costs as much as a sale)

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
BUSY_HOURS = frozenset((8, 12, 13, 18))  # the second till opens at the rush

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
CARE = ("haircare", "skincare", "bodycare", "oralcare")

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
    dict(code="XS-PASTRY", name="Coffee lovers: 5 off pastries 咖啡配面包立减5元",
         kind="amount", amount=500, min_spend=1200, categories="bakery", valid_days=14,
         auto_rule="cross_sell", auto_category="coffee", auto_min_spend=10_000),
    dict(code="XS-SKIN", name="Hair care buyers: 15% off skin care 护肤85折", kind="percent",
         percent=15, categories="skincare", valid_days=30, auto_rule="cross_sell",
         auto_category="haircare", auto_min_spend=8000),
    dict(code="D11", name="11.11: 11 off 66 双十一满66减11", kind="amount", amount=1100,
         min_spend=6600, valid_days=11),
    dict(code="SPRING", name="Spring Festival: 30 off gift boxes 年货礼盒立减30", kind="amount",
         amount=3000, min_spend=19800, categories="gifts", valid_days=21),
)
CAMPAIGNS = {6: ("BIRTHDAY", "birthday"), 7: ("WINBACK", "winback"), 8: ("D11", "double11"),
             9: ("SPRING", "spring-festival")}
USE_COUPON = {"NEXTVISIT": 0.55, "WELCOME": 0.35, "BIRTHDAY": 0.6, "WINBACK": 0.9,
              "XS-PASTRY": 0.35, "XS-SKIN": 0.3, "D11": 0.6, "SPRING": 0.7}

# the Spring Festival (Chinese New Year) and the Mid-Autumn Festival move with the moon
SPRING_FESTIVAL = {
    2015: (2, 19), 2016: (2, 8), 2017: (1, 28), 2018: (2, 16), 2019: (2, 5), 2020: (1, 25),
    2021: (2, 12), 2022: (2, 1), 2023: (1, 22), 2024: (2, 10), 2025: (1, 29), 2026: (2, 17),
    2027: (2, 6), 2028: (1, 26), 2029: (2, 13), 2030: (2, 3), 2031: (1, 23), 2032: (2, 11),
    2033: (1, 31), 2034: (2, 19), 2035: (2, 8)}
MID_AUTUMN = {
    2015: (9, 27), 2016: (9, 15), 2017: (10, 4), 2018: (9, 24), 2019: (9, 13),
    2020: (10, 1), 2021: (9, 21), 2022: (9, 10), 2023: (9, 29), 2024: (9, 17),
    2025: (10, 6), 2026: (9, 25), 2027: (9, 15), 2028: (10, 3), 2029: (9, 22),
    2030: (9, 12), 2031: (10, 1), 2032: (9, 19), 2033: (9, 8), 2034: (9, 27),
    2035: (9, 16)}
WEEKDAY = (0.85, 0.85, 0.9, 0.95, 1.1, 1.45, 1.35)  # Monday .. Sunday
HOURS = (0.5, 1.7, 1.2, 0.9, 1.0, 1.5, 1.2, 0.9, 1.1, 1.0, 1.1, 1.3, 1.0, 0.7, 0.4)  # 7h..21h

# fmt: off
SURNAMES = (
    ("王", "Wang", 71), ("李", "Li", 70), ("张", "Zhang", 69), ("刘", "Liu", 54),
    ("陈", "Chen", 46), ("杨", "Yang", 31), ("黄", "Huang", 23), ("赵", "Zhao", 23),
    ("吴", "Wu", 20), ("周", "Zhou", 19), ("徐", "Xu", 16), ("孙", "Sun", 15),
    ("马", "Ma", 15), ("朱", "Zhu", 13), ("胡", "Hu", 13), ("郭", "Guo", 12), ("何", "He", 12),
    ("高", "Gao", 11), ("林", "Lin", 11), ("罗", "Luo", 9), ("郑", "Zheng", 9),
    ("梁", "Liang", 9), ("谢", "Xie", 8), ("宋", "Song", 7), ("唐", "Tang", 7), ("许", "Xu", 7),
    ("韩", "Han", 7), ("冯", "Feng", 7), ("邓", "Deng", 7), ("曹", "Cao", 6), ("彭", "Peng", 6),
    ("曾", "Zeng", 6), ("肖", "Xiao", 6), ("田", "Tian", 6), ("董", "Dong", 5), ("袁", "Yuan", 5),
    ("潘", "Pan", 5), ("于", "Yu", 5), ("蒋", "Jiang", 5), ("蔡", "Cai", 5), ("余", "Yu", 5),
    ("杜", "Du", 5), ("叶", "Ye", 4), ("程", "Cheng", 4), ("苏", "Su", 4), ("魏", "Wei", 4),
    ("吕", "Lyu", 4), ("丁", "Ding", 4), ("任", "Ren", 4), ("沈", "Shen", 4), ("姚", "Yao", 3),
    ("卢", "Lu", 3), ("姜", "Jiang", 3), ("崔", "Cui", 3), ("钟", "Zhong", 3), ("谭", "Tan", 3),
    ("陆", "Lu", 3), ("汪", "Wang", 3), ("范", "Fan", 3), ("金", "Jin", 3), ("石", "Shi", 3),
    ("廖", "Liao", 3), ("贾", "Jia", 3), ("夏", "Xia", 3), ("韦", "Wei", 2), ("付", "Fu", 2),
    ("方", "Fang", 2), ("白", "Bai", 2), ("邹", "Zou", 2), ("孟", "Meng", 2), ("熊", "Xiong", 2),
    ("秦", "Qin", 2), ("邱", "Qiu", 2), ("江", "Jiang", 2), ("尹", "Yin", 2), ("薛", "Xue", 2),
    ("闫", "Yan", 2), ("段", "Duan", 2), ("雷", "Lei", 2), ("侯", "Hou", 2), ("龙", "Long", 2),
    ("史", "Shi", 2), ("陶", "Tao", 2), ("黎", "Li", 2), ("贺", "He", 2), ("顾", "Gu", 2),
    ("毛", "Mao", 2), ("郝", "Hao", 2), ("龚", "Gong", 2), ("邵", "Shao", 2), ("万", "Wan", 2),
    ("钱", "Qian", 2), ("严", "Yan", 2), ("武", "Wu", 2), ("戴", "Dai", 2), ("莫", "Mo", 1),
    ("孔", "Kong", 1), ("向", "Xiang", 1), ("汤", "Tang", 1), ("欧阳", "Ouyang", 0.5),
    ("司马", "Sima", 0.2), ("诸葛", "Zhuge", 0.1), ("上官", "Shangguan", 0.1))
GIVEN = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"),
    ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂", "gui"), ("英", "ying"), ("华", "hua"),
    ("玉", "yu"), ("兰", "lan"), ("萍", "ping"), ("红", "hong"), ("鹏", "peng"), ("辉", "hui"),
    ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"), ("斌", "bin"), ("宇", "yu"),
    ("浩", "hao"), ("然", "ran"), ("子", "zi"), ("轩", "xuan"), ("欣", "xin"), ("怡", "yi"),
    ("梓", "zi"), ("涵", "han"), ("诗", "shi"), ("琪", "qi"), ("晨", "chen"), ("雨", "yu"),
    ("思", "si"), ("嘉", "jia"), ("博", "bo"), ("俊", "jun"), ("昊", "hao"), ("佳", "jia"),
    ("婷", "ting"), ("雪", "xue"), ("慧", "hui"), ("晓", "xiao"), ("丹", "dan"), ("琳", "lin"),
    ("颖", "ying"), ("倩", "qian"), ("阳", "yang"), ("帆", "fan"), ("凯", "kai"),
    ("翔", "xiang"), ("鑫", "xin"), ("悦", "yue"), ("瑶", "yao"), ("妍", "yan"), ("一", "yi"),
    ("诺", "nuo"), ("泽", "ze"), ("睿", "rui"), ("晴", "qing"), ("安", "an"), ("乐", "le"),
    ("宁", "ning"), ("心", "xin"), ("蕾", "lei"), ("毅", "yi"), ("峰", "feng"), ("雅", "ya"),
    ("梅", "mei"), ("莉", "li"), ("天", "tian"), ("成", "cheng"), ("春", "chun"), ("林", "lin"))
ENGLISH = (
    "Alice", "Amy", "Andy", "Angela", "Annie", "Ben", "Bella", "Cathy", "Chloe", "Cindy",
    "Daisy", "David", "Eric", "Emily", "Emma", "Frank", "Grace", "Helen", "Henry", "Ivy",
    "Jack", "Jason", "Jenny", "Jerry", "Kevin", "Leo", "Lily", "Linda", "Lucy", "Max", "Mia",
    "Nancy", "Nina", "Oscar", "Peter", "Rachel", "Ruby", "Sam", "Sandy", "Sophia", "Stella",
    "Tina", "Tony", "Vivian", "Wendy", "Yoyo", "Zoe")
# fmt: on
# mobile prefixes whose every 8-digit continuation is a valid CN mobile number
# (phonenumbers' CN mobile pattern; checked again at start-up)
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "153", "155", "156", "157", "158", "159", "166", "176",
                   "177", "178", "180", "181", "182", "183", "185", "186", "187", "188",
                   "189", "191", "198", "199")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as codes.new_coupon_code: 5 bits each
M62 = (1 << 62) - 1
NEVER = 1 << 62  # a time after everything
M50 = (1 << 50) - 1
V7 = (0x7 << 76) | (1 << 63)  # UUID version 7, RFC 4122 variant
B32_PAIRS = tuple(a + b for a in CODE_ALPHABET for b in CODE_ALPHABET)

# columns written, per table (points_use.id is left to the database)
COLUMNS: dict[str, tuple[str, ...]] = {
    "member": ("id", "created_at", "store_id", "terminal_id", "staff_id", "card_no", "name",
               "name_key", "phone", "birthday", "marketing_consent", "referral_code",
               "referred_by_id", "tier", "tier_since", "points_balance", "sv_paid_balance",
               "sv_bonus_balance", "last_visit_at", "erased_at", "note"),
    "txn": ("id", "created_at", "store_id", "terminal_id", "staff_id", "idempotency_key",
            "kind", "status", "seq", "business_date", "member_id", "original_id",
            "approved_by", "tier", "subtotal", "line_discount", "tier_discount",
            "coupon_discount", "points_discount", "total", "points_redeemed", "points_earned",
            "stored_value", "cash", "card", "other", "change", "sv_bonus", "coupon_code",
            "note"),
    "txn_line": ("id", "txn_id", "line_no", "sku", "name", "category", "brand", "qty",
                 "unit_price", "line_discount", "tier_discount", "coupon_discount",
                 "points_discount", "net", "points_earned", "original_line_id"),
    "coupon": ("id", "created_at", "store_id", "terminal_id", "staff_id", "code",
               "template_id", "member_id", "status", "valid_from", "valid_until",
               "issued_txn_id", "redeemed_txn_id", "redeemed_at", "campaign"),
    "points_entry": ("id", "created_at", "store_id", "terminal_id", "staff_id", "member_id",
                     "kind", "delta", "remaining", "expires_at", "txn_id", "reverses_id",
                     "reason"),
    "points_use": ("entry_id", "batch_id", "points"),
    "stored_value_entry": ("id", "created_at", "store_id", "terminal_id", "staff_id",
                           "member_id", "kind", "delta_paid", "delta_bonus", "txn_id",
                           "reason"),
    "punch_card": ("id", "created_at", "store_id", "terminal_id", "staff_id", "member_id",
                   "sku", "name", "visits_total", "visits_left", "expires_at", "status",
                   "txn_line_id"),
    "punch_entry": ("id", "created_at", "store_id", "terminal_id", "staff_id", "card_id",
                    "member_id", "kind", "delta", "txn_id", "reason"),
}
TABLES = tuple(COLUMNS)
BULK_TABLES = ("member", "txn", "txn_line", "coupon", "points_entry", "points_use",
               "stored_value_entry", "punch_card", "punch_entry")
MEMBER_ONLY_TABLES = tuple(t for t in BULK_TABLES if t not in ("txn", "txn_line"))

Rows = dict[str, list[tuple[Any, ...]]]


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


@dataclass
class Summary:
    """What a demo run made, for the closing report and for tests."""

    members: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    sales: int = 0
    member_sales: int = 0
    anonymous_sales: int = 0
    refunds: int = 0
    top_ups: int = 0
    punch_visits: int = 0
    revenue: int = 0
    member_revenue: int = 0
    top20_share: float = 0.0  # share of member revenue made by the top 20% of members
    points_issued: int = 0
    points_redeemed: int = 0
    points_expired: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


# --- deterministic codes ----------------------------------------------------------------


def _feistel(x: int, half: int, keys: tuple[int, ...]) -> int:
    """A keyed permutation of [0, 2**(2*half)): unique codes from indexes, no lookups."""
    mask = (1 << half) - 1
    left, right = x >> half, x & mask
    for k in keys:
        left, right = right, left ^ ((((right * 0x9E3779B1) ^ k) + (right >> 3)) & mask)
    return (left << half) | right


def _permute(x: int, n: int, half: int, keys: tuple[int, ...]) -> int:
    """A keyed permutation of [0, n) by cycle walking (n <= 2**(2*half))."""
    x = _feistel(x, half, keys)
    while x >= n:
        x = _feistel(x, half, keys)
    return x


def _keys(seed: int, salt: int) -> tuple[int, ...]:
    r = random.Random(seed * 1_000_003 + salt)
    return tuple(r.getrandbits(32) for _ in range(4))


def _base32(value: int, chars: int) -> str:
    out = []
    for _ in range(chars):
        out.append(CODE_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(out))


def _ean13(body12: str) -> str:
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body12))
    return body12 + str((10 - total % 10) % 10)


# --- the calendar -----------------------------------------------------------------------


def _spring_festival(year: int) -> date:
    month, day = SPRING_FESTIVAL.get(year, (2, 1))
    return date(year, month, day)


def _mid_autumn(year: int) -> date:
    month, day = MID_AUTUMN.get(year, (9, 20))
    return date(year, month, day)


def _day_weight(d: date) -> float:
    """How busy the shop is on ``d`` relative to an ordinary day."""
    w = WEEKDAY[d.weekday()]
    if d.month in (7, 8):
        w *= 1.15  # summer: cold drinks
    if d.month == 12:
        w *= 1.5 if d.day in (24, 25) else 1.3 if d.day == 31 else 1.15
    if d.month == 11 and 9 <= d.day <= 12:
        w *= 2.2 if d.day == 11 else 1.4
    if d.month == 2 and d.day == 14:
        w *= 1.3
    sf = _spring_festival(d.year if d.month < 6 else d.year + 1)
    gap = (d - sf).days
    if -14 <= gap < 0:
        w *= 1.3 + 0.3 * (14 + gap) / 14  # new-year shopping builds up to the eve
    elif 0 <= gap <= 4:
        w *= 0.5  # the holiday: many have gone home
    elif 5 <= gap <= 14:
        w *= 0.9
    return w


def _seasonal_skus(d: date) -> frozenset[str]:
    """Seasonal products on sale on ``d``."""
    out: set[str] = set()
    sf = _spring_festival(d.year if d.month < 6 else d.year + 1)
    if -30 <= (d - sf).days <= 7:
        out.update(("GF-SPR", "GF-HMP", "GF-NGO"))
    ma = _mid_autumn(d.year)
    if -35 <= (d - ma).days <= 0:
        out.add("GF-MOO")
    if (d.month, d.day) >= (5, 10) and (d.month, d.day) <= (6, 20):
        out.add("GF-ZZI")
    if d.month == 12 and d.day <= 25:
        out.update(("GF-XMS", "CK-YUL"))
    if d.month == 2 and d.day <= 14:
        out.add("GF-VAL")
    if d.month in (9, 10, 11):
        out.add("CF-OSM")
    if d.month in (6, 7, 8, 9):
        out.update(("DR-WMJ", "DR-MGS"))
    return frozenset(out)


SEASONAL = frozenset(("GF-SPR", "GF-HMP", "GF-NGO", "GF-MOO", "GF-ZZI", "GF-XMS", "CK-YUL",
                      "GF-VAL", "CF-OSM", "DR-WMJ", "DR-MGS"))


def _category_boost(d: date) -> tuple[tuple[str, float], ...]:
    boost: dict[str, float] = {}
    sf = _spring_festival(d.year if d.month < 6 else d.year + 1)
    if -21 <= (d - sf).days < 0:
        boost["gifts"] = 12.0
    if -20 <= (d - _mid_autumn(d.year)).days <= 0:
        boost["gifts"] = 10.0
    if d.month in (7, 8):
        boost["drinks"] = boost["tea"] = 1.6
    if d.month == 11 and d.day <= 11:
        for c in CARE:
            boost[c] = 2.5
    if d.month == 12:
        boost["cakes"] = 1.8 if d.day in range(20, 26) else 1.2
        boost["gifts"] = max(boost.get("gifts", 1.0), 3.0)
    if d.month == 2 and 10 <= d.day <= 14:
        boost["cakes"] = 2.0
        boost["gifts"] = max(boost.get("gifts", 1.0), 4.0)
    return tuple(sorted(boost.items()))


# --- the world every work unit reads --------------------------------------------------


class World:
    """Everything decided up front: the rules, the catalogue, the calendar and, per member,
    enrolment, segment, flags and referrals. Read-only once built (worker processes share
    it); each member's visits are drawn in the work units."""

    def __init__(self, ctx: Context, members: int, days: int, seed: int,
                 products: list[Product], templates: list[Template]) -> None:
        self.seed = seed
        self.n = members
        self.days = days
        self.programme: Programme = ctx.programme
        self.currency = ctx.currency
        self.store = ctx.store_id
        first = ctx.terminal_id
        self.terminals = (first, "T02" if first != "T02" else "T01")
        self.now = ctx.now().replace(microsecond=0)
        # the history ends at the close of yesterday: a rerun on the same day gives the same
        # database, and today's till starts fresh
        self.as_of = datetime.combine(self.now.date(), datetime.min.time())
        start = self.as_of - timedelta(days=days)
        self.base = start - timedelta(days=PRE_YEARS * 366 + 7)
        self.base_ms = calendar.timegm(self.base.timetuple()) * 1000
        self.t_start = (start - self.base).days * DAY
        self.t_end = self.t_start + days * DAY
        self.t_now = self.t_end + int((self.now - self.as_of).total_seconds())
        horizon = (self.t_end // DAY + 31 * max(self.programme.points.expiry_months, 12)
                   + 800)
        all_days = [(self.base + timedelta(days=d)).date() for d in range(horizon)]
        self.day_str = [d.isoformat() for d in all_days]
        self.midnight = [s + " 00:00:00" for s in self.day_str]
        self.month_day = [d.month * 100 + d.day for d in all_days]
        self.leap = bytes(calendar.isleap(d.year) for d in all_days)
        self.hms = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]

        self.products = products
        self.by_sku = {p.sku: p for p in products}
        self.templates = templates
        self.by_template = {t.code: t for t in templates}
        self.auto = {rule: [t for t in templates if t.auto_rule == rule]
                     for rule in ("welcome", "next_visit", "cross_sell")}
        self.cross_sell_from = min((t.auto_min_spend for t in self.auto["cross_sell"]),
                                   default=NEVER)

        # per period day: weight, seasonal catalogue and category boosts
        dates = [start.date() + timedelta(days=d) for d in range(days)]
        self.weights = [_day_weight(d) for d in dates]
        self.cum_weights = [0.0]
        for w in self.weights:
            self.cum_weights.append(self.cum_weights[-1] + w)
        self.mean_weight = self.cum_weights[-1] / max(1, days)
        season_keys: dict[tuple[frozenset[str], tuple[tuple[str, float], ...]], int] = {}
        self.day_season = array("i")
        for d in dates:
            key = (_seasonal_skus(d), _category_boost(d))
            self.day_season.append(season_keys.setdefault(key, len(season_keys)))
        self.seasons = list(season_keys)
        self._pickers: dict[tuple[int, int], tuple[list[Product], list[float]]] = {}
        self._brands: dict[tuple[int, str, str], list[Product]] = {}
        self.hour_cum = list(_cumulate(HOURS))
        # monthly tier reviews (the 1st, just after midnight) and the last one tonight
        self.reviews: list[int] = []
        d0 = start.date().replace(day=1)
        while True:
            d0 = (d0 + timedelta(days=32)).replace(day=1)
            t = (d0 - self.base.date()).days * DAY + 600
            if t >= self.t_end:
                break
            self.reviews.append(t)
        self.reviews.append(self.t_end)

        rules = self.programme
        self.unit = 10 ** money.minor_digits(self.currency)
        self.ppu = rules.points.redeem_points_per_unit
        self.redeem_min = rules.points.redeem_min_points
        share = Fraction(rules.points.redeem_max_share_percent)
        self.share = (share.numerator, share.denominator)
        self.tier_pct = {t.code: (Fraction(t.discount_percent).numerator,
                                  Fraction(t.discount_percent).denominator)
                         for t in rules.tiers.tiers}
        self.tier_mult = {t.code: Fraction(t.points_multiplier) for t in rules.tiers.tiers}
        self.base_tier = rules.tiers.base.code
        # the spend that would lift a member above each tier (never reached at the top)
        ranked = rules.tiers.tiers
        self.next_threshold = {t.code: (ranked[k + 1].threshold if k + 1 < len(ranked)
                                        else NEVER) for k, t in enumerate(ranked)}
        self.window = rules.tiers.window_days * DAY
        self.lowest_threshold = min((t.threshold for t in rules.tiers.tiers if t.threshold),
                                    default=0)
        self._earn_cache: dict[tuple[str, Decimal], tuple[dict[str, int], int]] = {}
        self.quick_days = rules.points.birthday_window == "day" and not rules.points.member_days
        one = Decimal(1)
        self.earn_plain = {t.code: self.earn_factors(t.code, one) for t in rules.tiers.tiers}
        self.earn_birthday = {
            t.code: self.earn_factors(t.code, max(one, rules.points.birthday_multiplier))
            for t in rules.tiers.tiers}
        self._expiry_cache: dict[int, int] = {}
        self.bonus = {p: sv_rules.bonus_for(p, rules.stored_value)
                      for p in (10_000, 20_000, 30_000, 50_000, 100_000)}
        self.card_keys = _keys(seed, 1)
        self.phone_keys = _keys(seed, 2)
        self.ref_keys = _keys(seed, 3)
        ck = _keys(seed, 4)
        self.coupon_mix = (ck[0] | ck[1] << 32 | 1, ck[2] << 18 | ck[3], ck[3] << 20 | ck[0] | 1)

        # planned per member (filled by plan())
        self.enrol = array("q")
        self.segment = bytearray()
        self.flags = bytearray()
        self.referrer = array("q")
        self.member_ids: list[str] = []
        self.first_sale: dict[int, tuple[int, str]] = {}  # referred: first sale time and id
        self.rewards: dict[int, list[int]] = {}  # referrer -> the members they brought
        self.enrolled_by_day = array("q")  # members enrolled by the end of each period day
        self.t_winback = (self.t_end - 45 * DAY) // DAY * DAY + 10 * 3600 if days >= 150 else -1

    # times ------------------------------------------------------------------------
    def ts(self, t: int) -> str:
        return self.day_str[t // DAY] + self.hms[t % DAY]

    def day(self, t: int) -> str:
        return self.day_str[t // DAY]

    def date_of(self, t: int) -> date:
        return (self.base + timedelta(days=t // DAY)).date()

    def date_time(self, t: int) -> datetime:
        return self.base + timedelta(seconds=t)

    def tod(self, rng: random.Random) -> int:
        """A time of day when customers come, in seconds after midnight."""
        h = bisect.bisect(self.hour_cum, rng.random() * self.hour_cum[-1])
        return OPEN_S + h * 3600 + rng.randrange(3600)

    def period_day(self, rng: random.Random, lo: int, hi: int) -> int:
        """A period day in [lo, hi), busy days more likely."""
        cw = self.cum_weights
        d = bisect.bisect(cw, cw[lo] + rng.random() * (cw[hi] - cw[lo])) - 1
        return min(max(d, lo), hi - 1)

    def expires(self, t: int) -> int:
        """prules.expiry_for, on the day index."""
        d = t // DAY
        hit = self._expiry_cache.get(d)
        if hit is None:
            start = self.base + timedelta(days=d)
            hit = (prules.expiry_for(start, self.programme.points) - self.base).days * DAY
            self._expiry_cache[d] = hit
        return hit

    def origin(self, t: int) -> tuple[str, str]:
        """The terminal and cashier at time ``t``: two tills at the rush, shifts by day."""
        d, s = divmod(t, DAY)
        h = s // 3600
        second = h in BUSY_HOURS and t % 7 < 3
        shift = 0 if h < 15 else 1
        return (self.terminals[second],
                CASHIERS[(d * 2 + shift * 3 + second) % len(CASHIERS)])

    # codes ------------------------------------------------------------------------
    def card_no(self, i: int) -> str:
        body = str(100_000_000 + _permute(i, 900_000_000, 15, self.card_keys))
        return body + codes.luhn_digit(body)

    def phone(self, i: int) -> str:
        x = _permute(i, len(MOBILE_PREFIXES) * 100_000_000, 16, self.phone_keys)
        return f"+86{MOBILE_PREFIXES[x // 100_000_000]}{x % 100_000_000:08d}"

    def referral_code(self, i: int) -> str:
        return "R" + _base32(_permute(i, 1 << 35, 18, self.ref_keys), 7)

    def coupon_code(self, index: int) -> str:
        """Ten characters from a 50-bit bijection of ``index``: unique without a lookup."""
        a, b, c = self.coupon_mix
        x = (index * a + b) & M50
        x ^= x >> 23
        x = (x * c) & M50
        x ^= x >> 21
        pairs = B32_PAIRS
        return (pairs[x >> 40] + pairs[x >> 30 & 1023] + pairs[x >> 20 & 1023]
                + pairs[x >> 10 & 1023] + pairs[x & 1023])

    # catalogue ---------------------------------------------------------------------
    def picker(self, profile: int, season: int) -> tuple[list[Product], list[float]]:
        """Products on sale in ``season`` and how likely a customer of ``profile`` picks
        each: the category by taste and season, then the product by popularity."""
        key = (profile, season)
        hit = self._pickers.get(key)
        if hit is None:
            on_sale, boosts = self.seasons[season]
            boost = dict(boosts)
            items: list[Product] = []
            weights: list[float] = []
            for cat, taste in sorted(PROFILES[profile][1].items()):
                ours = [p for p in self.products if p.category == cat and p.popularity > 0
                        and (p.sku not in SEASONAL or p.sku in on_sale)]
                total = sum(p.popularity for p in ours)
                for p in ours:
                    items.append(p)
                    weights.append(taste * boost.get(cat, 1.0) * p.popularity / total)
            hit = (items, list(_cumulate(weights)))
            self._pickers[key] = hit
        return hit

    def same_brand(self, season: int, category: str, brand: str) -> list[Product]:
        key = (season, category, brand)
        hit = self._brands.get(key)
        if hit is None:
            on_sale = self.seasons[season][0]
            hit = [p for p in self.products if p.category == category and p.brand == brand
                   and p.popularity > 0 and (p.sku not in SEASONAL or p.sku in on_sale)]
            self._brands[key] = hit
        return hit

    def earn_factors(self, tier: str | None, day_mult: Decimal) -> tuple[dict[str, int], int]:
        """points.earn as integers: line points x Q = base x factor[category]."""
        key = (tier or "", day_mult)
        hit = self._earn_cache.get(key)
        if hit is None:
            rules = self.programme.points
            mult = (self.tier_mult.get(tier or "", Fraction(1)) if tier else Fraction(1))
            mult *= Fraction(day_mult)
            cats = {p.category for p in self.products} | set(rules.category_multipliers)
            exact = {c: Fraction(rules.category_multipliers.get(c, Decimal(1)))
                     * Fraction(rules.earn_per_unit) / self.unit * mult for c in cats}
            exact[""] = Fraction(rules.earn_per_unit) / self.unit * mult
            q = math.lcm(*(f.denominator for f in exact.values()))
            hit = ({c: int(f * q) for c, f in exact.items()}, q)
            self._earn_cache[key] = hit
        return hit


def _cumulate(weights: Iterable[float]) -> Iterator[float]:
    total = 0.0
    for w in weights:
        total += w
        yield total


def _pick(rng: random.Random, cum: list[float]) -> int:
    return bisect.bisect(cum, rng.random() * cum[-1])


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 40:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _alloc(total: int, weights: list[int]) -> list[int]:
    """money.allocate for non-negative totals: largest remainder, ties to the earlier line."""
    if len(weights) == 1:
        return [total]
    wsum = sum(weights)
    shares = [total * w // wsum for w in weights]
    left = total - sum(shares)
    if left:
        order = sorted(((total * w % wsum, -i) for i, w in enumerate(weights)), reverse=True)
        for _, neg in order[:left]:
            shares[-neg] += 1
    return shares


def _half_up(num: int, den: int) -> int:
    """money.round_half_up(num / den) for num >= 0, den > 0."""
    return (2 * num + den) // (2 * den)


# --- planning: who joins when, and who brought whom ------------------------------------


def plan(world: World) -> None:
    """Enrolment times, segments, flags and referrals for every member."""
    w = world
    rng = random.Random(f"member-terminal-demo/{w.seed}/plan")
    rnd = rng.random
    n, days, t_start = w.n, w.days, w.t_start
    in_share = min(0.75, 0.45 * days / 365)
    # more members join on busy days and, as the shop grows, later in the period
    enrol_cum = list(_cumulate(wt * (0.8 + 0.4 * d / max(1, days))
                               for d, wt in enumerate(w.weights)))
    total = enrol_cum[-1]
    pre_span = PRE_YEARS * 365
    times = []
    for _ in range(n):
        if rnd() < in_share:
            d = min(bisect.bisect(enrol_cum, rnd() * total), days - 1)
        else:
            d = -rng.randrange(1, pre_span)
        times.append(t_start + d * DAY + w.tod(rng))
    times.sort()
    for d in range(days):
        w.enrolled_by_day.append(bisect.bisect_left(times, t_start + (d + 1) * DAY))
    seg_cum = list(_cumulate(s for _, s in SEGMENT_MIX))
    new_from = w.t_end - min(NEW_DAYS, max(7, days // 3)) * DAY
    lapse_by = w.t_end - (LAPSED_QUIET_DAYS + 30) * DAY
    advocates: list[int] = []
    referrers: list[int] = []
    ids = w.member_ids
    base_ms = w.base_ms
    for i, t0 in enumerate(times):
        w.enrol.append(t0)
        ids.append(_uuid7(rng, base_ms, t0))
        if t0 >= new_from:
            seg = NEW
        else:
            seg = SEGMENT_MIX[bisect.bisect(seg_cum, rnd() * seg_cum[-1])][0]
            if seg == LAPSED and max(t0, t_start) > lapse_by:
                seg = OCCASIONAL  # joined too late to have lapsed already
        flags = 0
        if rnd() < (0.55 if seg in (LOYAL, REGULAR) else 0.35):
            flags |= F_CONSENT
        if rnd() < SV_SHARE.get(seg, 0.03):
            flags |= F_STORED_VALUE
        # referrals: advocates bring friends (a few bring many), who buy when they join;
        # the ones who joined before the period came before our records
        ref = -1
        if t0 >= t_start and advocates and rnd() < 0.12:
            if referrers and rnd() < 0.5:
                ref = referrers[rng.randrange(len(referrers))]
            else:
                ref = advocates[rng.randrange(len(advocates))]
            referrers.append(ref)
            first = t0 + rng.randint(30, 300)
            w.first_sale[i] = (first, _uuid7(rng, base_ms, first))
            w.rewards.setdefault(ref, []).append(i)
        w.referrer.append(ref)
        if rnd() < ADVOCATE_SHARE.get(seg, 0.01):
            flags |= F_ADVOCATE
            advocates.append(i)
        w.segment.append(seg)
        w.flags.append(flags)


def _uuid7(rng: random.Random, base_ms: int, t: int) -> str:
    """A UUIDv7 (as the 32 hex digits peewee stores) for a row made at ``t``."""
    r = rng.getrandbits(74)
    return f"{((base_ms + t * 1000) << 80) | V7 | (r >> 62) << 64 | (r & M62):032x}"


# --- one member's history -------------------------------------------------------------

# positions in the mutable records kept while a member is simulated
B_ID, B_REM, B_EXP = 0, 8, 13  # points batch: a points_entry row + expiry as an int
C_STATUS, C_RTXN, C_RAT, C_FROM, C_UNTIL, C_TPL = 8, 12, 13, 15, 16, 17  # coupon
P_LEFT, P_STATUS, P_EXP, P_COVERS = 9, 11, 13, 14  # punch card


class Out:
    """Rows of one work unit, and what they add up to."""

    def __init__(self, chunk: int) -> None:
        self.rows: Rows = {t: [] for t in TABLES}
        self.txn = self.rows["txn"]
        self.lines = self.rows["txn_line"]
        self.points = self.rows["points_entry"]
        self.uses = self.rows["points_use"]
        self.sv = self.rows["stored_value_entry"]
        self.punches = self.rows["punch_entry"]
        self.seq = chunk * 10_000_000  # placeholder receipt numbers, renumbered at the end
        self.spend: list[int] = []
        self.segments = [0] * len(SEGMENTS)
        self.member_sales = self.anonymous_sales = self.refunds = self.top_ups = 0
        self.punch_visits = self.revenue = self.visits = 0
        self.points_issued = self.points_redeemed = self.points_expired = 0
        self.coupons_issued = self.coupons_redeemed = 0

    def next_seq(self) -> int:
        self.seq += 1
        return -self.seq

    def stats(self) -> dict[str, int]:
        out = {k: v for k, v in vars(self).items() if isinstance(v, int) and k != "seq"}
        out.update({"segment_" + s: c for s, c in zip(SEGMENTS, self.segments, strict=True)})
        return out


class MemberSim:
    """Plays one member's life through the rules of checkout, refunds and the nightly jobs,
    writing the rows the services would have written."""

    def __init__(self, w: World, i: int, out: Out, rng: random.Random) -> None:
        self.w = w
        self.i = i
        self.out = out
        self.rng = rng
        self.bits = rng.getrandbits
        self.id = w.member_ids[i]
        self.seg = w.segment[i]
        self.flags = w.flags[i]
        self.batches: list[list[Any]] = []
        self.next_exp = NEVER
        self.points = 0
        self.sv_paid = 0
        self.sv_bonus = 0
        self.coupons: list[list[Any]] = []
        self.open: list[list[Any]] = []  # coupons still issued
        self.n_coupons = 0
        self.cards: list[list[Any]] = []
        self.tier = w.base_tier
        self.tier_since = w.enrol[i]
        self.window: deque[tuple[int, int]] = deque()
        self.window_sum = 0
        self.review_at = 0
        self.next_review = w.reviews[0]
        self.last_visit: int | None = None
        self.spend = 0
        self.brands: dict[str, str] = {}
        self._ut = self._tt = -1
        self._uhi = 0
        self._ts = ""
        self.name = _name(rng)
        self.birthday: date | None = None
        self.bday = (0, 0)  # month*100+day in common and in leap years
        if rng.random() < 0.85:
            age_days = int(365.25 * rng.triangular(16, 75, 30))
            bd = w.date_of(w.enrol[i]) - timedelta(days=age_days)
            self.birthday = bd
            md = bd.month * 100 + bd.day
            self.bday = (228 if md == 229 else md, md)  # as points.is_birthday
        self.profile = _pick(rng, PROFILE_CUM)
        self.appetite = rng.lognormvariate(0, 0.5) * (1.4 if self.seg == LOYAL else 1.0)
        self.redeemer = rng.random() < 0.6
        self.pay = rng.random()
        self.punch_user = (PROFILES[self.profile][2] is not None
                           and self.seg in (LOYAL, REGULAR) and rng.random() < 0.35)
        self.sv_user = bool(self.flags & F_STORED_VALUE)

    # rows and times -----------------------------------------------------------------
    def uid(self, t: int) -> str:
        if t != self._ut:
            self._ut = t
            self._uhi = ((self.w.base_ms + t * 1000) << 80) | V7
        r = self.bits(74)
        return f"{self._uhi | (r >> 62) << 64 | (r & M62):032x}"

    def ts(self, t: int) -> str:
        if t != self._tt:
            self._tt = t
            self._ts = self.w.day_str[t // DAY] + self.w.hms[t % DAY]
        return self._ts

    # ledger primitives --------------------------------------------------------------
    def add_points(self, t: int, pts: int, kind: str, txn: str | None, reason: str,
                   term: str, staff: str, expires: int = 0) -> list[Any]:
        """ledger.add_points: a new batch."""
        w = self.w
        exp = expires or w.expires(t)
        batch = [self.uid(t), self.ts(t), w.store, term, staff, self.id, kind, pts, pts,
                 w.midnight[exp // DAY], txn, None, reason, exp]
        self.batches.append(batch)
        self.points += pts
        if exp < self.next_exp:
            self.next_exp = exp
        self.out.points_issued += pts
        return batch

    def take_points(self, t: int, pts: int, kind: str, txn: str, term: str, staff: str,
                    first_from: list[Any] | None = None
                    ) -> tuple[str, list[tuple[list[Any], int]]]:
        """ledger.take_points: ``first_from`` first, then soonest-expiring live batches."""
        plan: list[tuple[list[Any], int]] = []
        left = pts
        if first_from is not None and first_from[B_EXP] > t and first_from[B_REM]:
            part = min(left, first_from[B_REM])
            plan.append((first_from, part))
            left -= part
        if left:
            live = [b for b in self.batches
                    if b[B_REM] > 0 and b[B_EXP] > t and b is not first_from]
            live.sort(key=_batch_order)
            for b in live:
                part = min(left, b[B_REM])
                plan.append((b, part))
                left -= part
                if not left:
                    break
        if left:
            raise AssertionError("demo: more points taken than the member has")
        w = self.w
        eid = self.uid(t)
        self.out.points.append((eid, self.ts(t), w.store, term, staff, self.id, kind, -pts, 0,
                                None, txn, None, ""))
        uses = self.out.uses
        for b, part in plan:
            uses.append((eid, b[B_ID], part))
            b[B_REM] -= part
        self.points -= pts
        return eid, plan

    def catch_up(self, t: int) -> None:
        """The nightly jobs up to ``t``: expire points, review tiers once a month."""
        if t >= self.next_exp:
            self.expire_until(t)
        if t >= self.next_review:
            self.review_until(t)

    def expire_until(self, t: int) -> None:
        """jobs.expire_points, run each night: one 'expire' row per batch past its date."""
        w = self.w
        due = [b for b in self.batches if b[B_REM] > 0 and b[B_EXP] <= t]
        due.sort(key=_batch_order)
        out = self.out
        for b in due:
            at = min(b[B_EXP] + 300, w.t_now)
            eid = self.uid(at)
            out.points.append((eid, self.ts(at), w.store, w.terminals[0], SYSTEM, self.id,
                               "expire", -b[B_REM], 0, None, None, None,
                               f"expired {w.day_str[b[B_EXP] // DAY]}"))
            out.uses.append((eid, b[B_ID], b[B_REM]))
            self.points -= b[B_REM]
            out.points_expired += b[B_REM]
            b[B_REM] = 0
        self.next_exp = min((b[B_EXP] for b in self.batches if b[B_REM] > 0), default=NEVER)

    def spend_at(self, t: int) -> int:
        """members.qualifying_spend at ``t``: sales and refunds in the rolling window."""
        since = t - self.w.window
        win = self.window
        while win and win[0][0] < since:
            self.window_sum -= win.popleft()[1]
        return self.window_sum

    def review_until(self, t: int) -> None:
        """jobs.review_tiers on the 1st of each month (and tonight)."""
        w = self.w
        reviews = w.reviews
        if self.tier == w.base_tier:
            # nothing to review: checkout already moved up whoever qualified
            self.review_at = bisect.bisect_right(reviews, t, self.review_at)
        while self.review_at < len(reviews) and reviews[self.review_at] <= t:
            r = reviews[self.review_at]
            self.review_at += 1
            target = tier_rules.review(self.tier, w.date_time(self.tier_since),
                                       self.spend_at(r), w.date_time(r), w.programme.tiers)
            if target is not None:
                self.tier, self.tier_since = target.code, r
        self.next_review = reviews[self.review_at] if self.review_at < len(reviews) else NEVER

    def issue_coupon(self, t: int, tpl: Template, txn: str | None, campaign: str | None,
                     term: str, staff: str) -> None:
        """coupons._issue: a single-use code, valid to the end of the template's days."""
        if self.n_coupons >= 4096:
            return
        w = self.w
        until = (t // DAY + tpl.valid_days + 1) * DAY
        ts = self.ts(t)
        coupon = [self.uid(t), ts, w.store, term, staff,
                  w.coupon_code(self.i << 12 | self.n_coupons), tpl.code, self.id, "issued",
                  ts, w.midnight[until // DAY], txn, None, None, campaign, t, until, tpl]
        self.n_coupons += 1
        self.coupons.append(coupon)
        self.open.append(coupon)
        self.out.coupons_issued += 1

    # the life ------------------------------------------------------------------------
    def run(self) -> None:
        w, i = self.w, self.i
        t0 = w.enrol[i]
        visits = self.draw_visits(t0)
        self.out.visits += len(visits)
        events: list[tuple[int, int, int]] = [(t0, 0, 0)]
        if t0 < w.t_start:
            # the evening before the period the shop moved over from its old system
            events.append((max(w.t_start - DAY + 21 * 3600, t0 + 60), 1, 0))
        events.extend((t, 5, k) for k, t in enumerate(visits))
        for referee in w.rewards.get(i, ()):
            events.append((w.first_sale[referee][0], 4, referee))
        if self.flags & F_CONSENT:
            self.campaign_events(events, visits, t0)
        events.sort()
        last = len(events) - 1
        for e, (t, kind, arg) in enumerate(events):
            if t >= self.next_exp or t >= self.next_review:
                self.catch_up(t)
            if kind == 5:
                self.visit(t, arg == 0, events[e + 1][0] if e < last else w.t_end)
            elif kind == 4:
                self.referral_reward(t, arg)
            elif kind == 0:
                self.enrol(t)
            elif kind == 1:
                self.opening_balances(t)
            else:
                self.campaign(t, kind)
        self.catch_up(w.t_end)
        self.finish(t0)

    def draw_visits(self, t0: int) -> list[int]:
        """This member's visit times, ascending and at least ten minutes apart."""
        w, rng, seg = self.w, self.rng, self.seg
        rnd = rng.random
        days = w.days
        d_enrol = (t0 - w.t_start) // DAY  # negative: joined before the period
        out: list[int] = []
        referred = w.first_sale.get(self.i)
        if referred is not None:
            out.append(referred[0])
        elif d_enrol >= 0 and rnd() < (0.4 if seg == ZOMBIE else 0.7):
            out.append(t0 + rng.randint(30, 300))  # joined while buying
        if seg == ZOMBIE:
            if not out and d_enrol < 0 and rnd() < 0.12:
                out.append(w.t_start + w.period_day(rng, 0, days) * DAY + w.tod(rng))
            return out
        lo, hi = max(0, d_enrol + 1), days
        if seg == LAPSED:
            # active for a while, then gone for months
            last = (w.t_end - LAPSED_QUIET_DAYS * DAY - w.t_start) // DAY
            hi = max(lo + 1, min(hi, last - rng.randrange(0, max(1, days // 3))))
        if lo < hi:
            r_lo, r_hi = VISIT_RATE[seg]
            lam = rng.uniform(r_lo, r_hi) * (w.cum_weights[hi] - w.cum_weights[lo])
            for _ in range(_poisson(rng, lam / w.mean_weight)):
                out.append(w.t_start + w.period_day(rng, lo, hi) * DAY + w.tod(rng))
            out.sort()
        spaced: list[int] = []
        for t in out:
            if spaced and t < spaced[-1] + 600:
                t = spaced[-1] + 600 + rng.randrange(600)
            if t >= w.t_end:
                break
            spaced.append(t)
        if (seg == LAPSED and w.t_winback > 0 and self.flags & F_CONSENT
                and (not spaced or spaced[-1] < w.t_winback - 90 * DAY)):
            if rnd() < 0.1:
                self.flags |= F_CONTROL  # the hold-out group: not mailed, measured all the same
            else:
                self.flags |= F_WINBACK
                if rnd() < 0.15:
                    self.flags |= F_COMEBACK
                    d = w.t_winback // DAY + rng.randint(1, 25)
                    spaced.append(d * DAY + w.tod(rng))
        return spaced

    def campaign_events(self, events: list[tuple[int, int, int]], visits: list[int],
                        t0: int) -> None:
        """Campaign coupons this member (who agreed to marketing) receives."""
        w = self.w
        lo_t = max(t0, w.t_start)
        first_year, last_year = w.date_of(w.t_start).year, w.date_of(w.t_end).year
        base = w.base.date()
        bd = self.birthday
        for year in range(first_year, last_year + 1):
            if bd is not None:
                md = self.bday[1 if calendar.isleap(year) else 0]
                t = ((date(year, md // 100, md % 100) - base).days - 7) * DAY + 9 * 3600
                # birthday perks go to members seen in the past year
                if lo_t <= t < w.t_end and _visits_between(visits, t - 365 * DAY, t) >= 1:
                    events.append((t, 6, 0))
            t = (date(year, 11, 1) - base).days * DAY + 9 * 3600 + 1800
            if lo_t <= t < w.t_end and _visits_between(visits, t - 90 * DAY, t) >= 2:
                events.append((t, 8, 0))
            t = ((_spring_festival(year) - base).days - 21) * DAY + 9 * 3600 + 1800
            if lo_t <= t < w.t_end and _visits_between(visits, t - 180 * DAY, t) >= 2:
                events.append((t, 9, 0))
        if self.flags & F_WINBACK and lo_t <= w.t_winback < w.t_end:
            events.append((w.t_winback, 7, 0))

    def campaign(self, t: int, kind: int) -> None:
        code, name = CAMPAIGNS[kind]
        tpl = self.w.by_template.get(code)
        if tpl is not None:
            self.issue_coupon(t, tpl, None, f"{name}-{self.w.day_str[t // DAY]}",
                              self.w.terminals[0], MANAGERS[0])

    def enrol(self, t: int) -> None:
        """members.enrol: welcome points for the referred, welcome coupons for all."""
        w = self.w
        term, staff = w.origin(t)
        ref = w.referrer[self.i]
        if ref >= 0 and w.programme.referral.referee_points:
            self.add_points(t, w.programme.referral.referee_points, "welcome", None,
                            f"referred by {w.card_no(ref)}", term, staff)
        if t >= w.t_start:  # members moved over from the old system came without theirs
            for tpl in w.auto["welcome"]:
                self.issue_coupon(t, tpl, None, None, term, staff)

    def opening_balances(self, t: int) -> None:
        """Balances brought over from the shop's previous system when it moved to this one."""
        w, rng = self.w, self.rng
        if self.seg != ZOMBIE or rng.random() < 0.3:
            pts = int(rng.lognormvariate(6.2, 0.9))
            if pts > 0:
                # earned before the move: they expire on their own schedule, some soon
                lo = max(w.enrol[self.i], w.t_start - w.programme.points.expiry_months * 30 * DAY)
                earned = lo + rng.randrange(max(1, t - lo))
                exp = max(w.expires(earned), (t // DAY + 2) * DAY)
                self.add_points(t, pts, "import", None, "imported from the previous system",
                                w.terminals[0], SYSTEM, exp)
        # the tier they had earned comes along; the monthly review takes it from there
        tiers = w.programme.tiers.tiers
        r = rng.random()
        rank = 0
        if self.seg == LOYAL:
            rank = 2 if r < 0.25 else 1 if r < 0.85 else 0
        elif self.seg == REGULAR:
            rank = 1 if r < 0.35 else 0
        rank = min(rank, len(tiers) - 1)
        if rank:
            self.tier, self.tier_since = tiers[rank].code, t
        if self.sv_user and rng.random() < 0.4:
            paid = rng.choice((3000, 5000, 8000, 12_000, 20_000, 35_000))
            bonus = paid // 5
            self.sv_paid += paid
            self.sv_bonus += bonus
            self.out.sv.append((self.uid(t), self.ts(t), w.store, w.terminals[0], SYSTEM,
                                self.id, "import", paid, bonus, None,
                                "imported from the previous system"))

    def referral_reward(self, t: int, referee: int) -> None:
        """checkout._referral_reward: the friend's first sale rewards whoever brought them."""
        w = self.w
        pts = w.programme.referral.referrer_points
        if pts:
            term, staff = w.origin(t)
            self.add_points(t, pts, "referral", w.first_sale[referee][1],
                            f"brought member {w.card_no(referee)}", term, staff)

    def visit(self, t: int, first: bool, nxt: int) -> None:
        """A visit to the counter: a sale (or a punch-card visit), maybe a top-up first, and
        rarely a refund later that day."""
        w, rng = self.w, self.rng
        season = w.day_season[(t - w.t_start) // DAY]
        lines = _basket(w, rng, self.profile, season, self.appetite, self.brands, t)
        card = None
        if self.punch_user:
            usable = self.usable_card(t)
            if usable is not None:
                if rng.random() < 0.85:
                    # the card pays for one drink (or bun, or slice): it leaves the basket
                    card = usable
                    for k, ln in enumerate(lines):
                        if ln[0].category == usable[P_COVERS]:
                            if ln[1] > 1:
                                ln[1] -= 1
                            else:
                                del lines[k]
                            break
            elif rng.random() < (0.18 if first else 0.3):
                sku = PROFILES[self.profile][2]
                if sku == "PC-COF10" and self.seg == LOYAL and rng.random() < 0.4:
                    sku = "PC-COF20"
                if sku is not None and sku in w.by_sku:
                    lines.append([w.by_sku[sku], 1, 0])
        self.last_visit = t
        if not lines and card is not None:
            self.punch_visit(t, card)
        else:
            self.sale(t, lines or _basket(w, rng, self.profile, season, 1.0, self.brands, t),
                      card, first, nxt)

    def usable_card(self, t: int) -> list[Any] | None:
        for c in self.cards:
            if c[P_LEFT] > 0 and (c[P_EXP] is None or t < c[P_EXP]):
                return c
        return None

    def punch_visit(self, t: int, card: list[Any]) -> None:
        """accounts.use_punch: a visit paid by the card alone."""
        w = self.w
        term, staff = w.origin(t)
        tid = self.uid(t)
        ts = self.ts(t)
        self.out.txn.append(
            (tid, ts, w.store, term, staff, "demo-" + tid, "visit", "completed",
             self.out.next_seq(), w.day_str[t // DAY], self.id, None, None, None, 0, 0, 0, 0,
             0, 0, 0, 0, 0, 0, 0, 0, 0, 0, None, ""))
        self.punch(t, card, -1, "use", tid, term, staff)
        self.out.punch_visits += 1

    def punch(self, t: int, card: list[Any], delta: int, kind: str, txn: str, term: str,
              staff: str) -> None:
        """ledger.move_punch."""
        self.out.punches.append((self.uid(t), self.ts(t), self.w.store, term, staff, card[0],
                                 self.id, kind, delta, txn, ""))
        card[P_LEFT] += delta

    def sale(self, t: int, basket: list[list[Any]], card: list[Any] | None, first: bool,
             nxt: int) -> None:
        """checkout.checkout, in the same order and with the same arithmetic."""
        w, rng, out = self.w, self.rng, self.out
        term, staff = w.origin(t)
        tier = self.tier
        n = len(basket)
        zeros = [0] * n
        # 1. lines; 2. the tier discount on the discountable ones
        gross_sum = ld_sum = 0
        after: list[int] = []
        disc: list[int] = []
        has_card_line = False
        for prod, qty, ld in basket:
            g = prod.price * qty
            gross_sum += g
            ld_sum += ld
            after.append(g - ld)
            disc.append(g - ld if prod.discountable else 0)
            if prod.punch_visits:
                has_card_line = True
        tier_total, tier_parts = 0, zeros
        pn, pd = w.tier_pct[tier]
        if pn:
            base = sum(disc)
            if base:
                tier_total = (2 * base * pn + 100 * pd) // (200 * pd)  # half up
                if tier_total:
                    tier_parts = _alloc(tier_total, disc)
                    after = [a - d for a, d in zip(after, tier_parts, strict=True)]
        # 3. a coupon the member holds and wants to use
        coupon, coupon_parts = None, zeros
        if self.open:
            coupon, parts = self.choose_coupon(t, basket, after)
            if coupon is not None and parts is not None:
                coupon_parts = parts
                after = [a - c for a, c in zip(after, parts, strict=True)]
        bill = sum(after)
        # 4. points: a round sum within the cap, when the member cares to
        taken = value = 0
        points_parts = zeros
        if self.redeemer and self.points >= w.redeem_min and rng.random() < 0.45:
            sn, sd = w.share
            cap = bill * sn // (100 * sd)
            unit, ppu = w.unit, w.ppu
            cap_points = -(-cap * ppu // unit)
            while cap_points and cap_points * unit // ppu > cap:
                cap_points -= 1
            usable = min(self.points, cap_points)
            if usable >= w.redeem_min:
                want = usable // 100 * 100
                value = (want if want >= w.redeem_min else usable) * unit // ppu
                taken = -(-value * ppu // unit)
                if value:
                    points_parts = _alloc(value, after)
                    after = [a - p for a, p in zip(after, points_parts, strict=True)]
        nets = after
        total = bill - value
        # 5. stored value first (topped up on the spot when short), then the rest
        sv = sv_paid = sv_bonus = 0
        if self.sv_user and total:
            balance = self.sv_paid + self.sv_bonus
            if balance < total and rng.random() < 0.8:
                self.top_up(t - rng.randint(20, 120), total - balance, term, staff)
                balance = self.sv_paid + self.sv_bonus
            sv = min(balance, total)
            if sv:
                sv_paid, sv_bonus = sv_rules.split_spend(sv, self.sv_paid, self.sv_bonus)
        cash, card_t, other, change = _tender(rng, total - sv, self.pay)
        # points earned (points.earn): fractions dropped once, on the total
        pr = w.programme.points
        bases = ([nt + pp for nt, pp in zip(nets, points_parts, strict=True)]
                 if pr.earn_on_points_paid else nets)
        if not pr.earn_on_stored_value_paid and sv and sum(bases) > 0:
            cut = _alloc(min(sv, sum(bases)), bases)
            bases = [b - c for b, c in zip(bases, cut, strict=True)]
        factors, q = self.earn_table(t)
        exact = [b * factors[ln[0].category] for b, ln in zip(bases, basket, strict=True)]
        earned = sum(exact) // q
        per_line = _alloc(earned, [e * 1000 // q for e in exact]) if earned > 0 else zeros
        if earned < 0:
            earned = 0

        fs = w.first_sale.get(self.i) if first else None
        tid = fs[1] if fs is not None else self.uid(t)
        ts = self.ts(t)
        refund_at = 0
        if not has_card_line and rng.random() < 0.004:
            later = t + rng.randint(600, 5400)
            if later < nxt and later % DAY < CLOSE_S and later < w.t_end:
                refund_at = later
        store = w.store
        out.seq += 1
        out.txn.append(
            (tid, ts, store, term, staff, "demo-" + tid, "sale",
             "refunded" if refund_at else "completed", -out.seq, w.day_str[t // DAY],
             self.id, None, None, tier, gross_sum, ld_sum, tier_total, sum(coupon_parts),
             value, total, taken, earned, sv, cash, card_t, other, change, 0,
             coupon[5] if coupon else None, ""))
        my_lines = []
        for k in range(n):
            prod, qty, ld = basket[k]
            lid = self.uid(t)
            my_lines.append((lid, tid, k + 1, prod.sku, prod.name, prod.category, prod.brand,
                             qty, prod.price, ld, tier_parts[k], coupon_parts[k],
                             points_parts[k], nets[k], per_line[k], None))
            if prod.punch_visits:
                for _ in range(qty):
                    exp = _punch_expiry(t, prod.punch_valid_days)
                    new_card = [self.uid(t), ts, store, term, staff, self.id, prod.sku,
                                prod.name, prod.punch_visits, 0,
                                w.midnight[exp // DAY] if exp is not None else None, "active",
                                lid, exp, PUNCH.get(prod.sku, (0, 0, "coffee"))[2]]
                    self.cards.append(new_card)
                    self.punch(t, new_card, prod.punch_visits, "sell", tid, term, staff)
        out.lines.extend(my_lines)

        redeem = None
        if taken:
            redeem = self.take_points(t, taken, "redeem", tid, term, staff)
            out.points_redeemed += taken
        spend_row = None
        if sv:
            spend_row = (self.uid(t), ts, store, term, staff, self.id, "spend", -sv_paid,
                         -sv_bonus, tid, "")
            out.sv.append(spend_row)
            self.sv_paid -= sv_paid
            self.sv_bonus -= sv_bonus
        earn_batch = self.add_points(t, earned, "earn", tid, "", term, staff) if earned else None
        if card is not None:
            self.punch(t, card, -1, "use", tid, term, staff)
        self.window.append((t, total))
        self.window_sum += total
        if self.window_sum >= w.next_threshold[tier]:
            up = tier_rules.upgrade(tier, self.spend_at(t), w.programme.tiers)
            if up is not None:
                self.tier, self.tier_since = up.code, t
        issued_from = len(self.coupons)
        for tpl in w.auto["next_visit"]:
            if total >= tpl.auto_min_spend:
                self.issue_coupon(t, tpl, tid, None, term, staff)
        if total >= w.cross_sell_from:
            cats = {ln[0].category for ln in basket}
            for tpl in w.auto["cross_sell"]:
                if total >= tpl.auto_min_spend and tpl.auto_category in cats:
                    self.issue_coupon(t, tpl, tid, None, term, staff)
        if coupon is not None:
            coupon[C_STATUS], coupon[C_RTXN], coupon[C_RAT] = "redeemed", tid, ts
            self.open.remove(coupon)
            out.coupons_redeemed += 1
        self.spend += total
        out.member_sales += 1
        out.revenue += total
        if refund_at:
            self.refund(refund_at, tid, tier, my_lines, taken, redeem, earned, earn_batch,
                        sv, spend_row, (cash, card_t, other), card, coupon, issued_from)

    def earn_table(self, t: int) -> tuple[dict[str, int], int]:
        """World.earn_factors for this member's tier today (points.day_multiplier), with the
        common 'birthday on the day, no member days' rule done quickly."""
        w = self.w
        if not w.quick_days:
            return w.earn_factors(self.tier, prules.day_multiplier(
                w.date_of(t), self.birthday, w.programme.points))
        d = t // DAY
        if self.birthday is not None and w.month_day[d] == self.bday[w.leap[d]]:
            return w.earn_birthday[self.tier]
        return w.earn_plain[self.tier]

    def choose_coupon(self, t: int, basket: list[list[Any]], after_tier: list[int]
                      ) -> tuple[list[Any] | None, list[int] | None]:
        """The first held coupon the member decides to use and that applies to the basket."""
        self.open = [c for c in self.open if c[C_UNTIL] > t]
        held = [c for c in self.open if c[C_FROM] <= t]
        if len(held) > 1:
            held.sort(key=_coupon_order)
        rnd = self.rng.random
        for c in held:
            tpl: Template = c[C_TPL]
            if rnd() < tpl.use:
                parts = _coupon_parts(tpl.terms, basket, after_tier)
                if parts is not None:
                    return c, parts
        return None, None

    def top_up(self, t: int, short: int, term: str, staff: str) -> None:
        """accounts.top_up: paid at the till, the bonus rule adds its bonus."""
        w, rng = self.w, self.rng
        paid = next((p for p in TOP_UPS if p >= short * rng.uniform(1.5, 4)), TOP_UPS[-1])
        bonus = w.bonus[paid]
        rules = w.programme.stored_value
        if paid < rules.min_top_up or (self.sv_paid + self.sv_bonus + paid + bonus
                                       > rules.max_balance):
            return
        tid = self.uid(t)
        ts = self.ts(t)
        cash, card, other, change = _tender(rng, paid, self.pay)
        self.out.txn.append(
            (tid, ts, w.store, term, staff, "demo-" + tid, "topup", "completed",
             self.out.next_seq(), w.day_str[t // DAY], self.id, None, None, None, paid, 0, 0,
             0, 0, paid, 0, 0, 0, cash, card, other, change, bonus, None, ""))
        self.out.sv.append((self.uid(t), ts, w.store, term, staff, self.id, "topup", paid,
                            bonus, tid, ""))
        self.sv_paid += paid
        self.sv_bonus += bonus
        self.out.top_ups += 1

    def refund(self, t: int, orig: str, tier: str, lines: list[tuple[Any, ...]], taken: int,
               redeem: tuple[str, list[tuple[list[Any], int]]] | None, earned: int,
               earn_batch: list[Any] | None, sv: int, spend_row: tuple[Any, ...] | None,
               tenders: tuple[int, int, int], card: list[Any] | None,
               coupon: list[Any] | None, issued_from: int) -> None:
        """refunds.refund of the whole sale later the same day, approved by a manager."""
        w, out = self.w, self.out
        self.catch_up(t)
        term, staff = w.origin(t)
        ts = self.ts(t)
        tid = self.uid(t)
        sums = [0, 0, 0, 0, 0, 0]  # subtotal, line, tier, coupon, points discounts, net
        for no, ln in enumerate(lines, start=1):
            _, _, _, sku, name, cat, brand, qty, price, ld, td, cd, pd, net, pe, _ = ln
            out.lines.append((self.uid(t), tid, no, sku, name, cat, brand, -qty, price, -ld,
                              -td, -cd, -pd, -net, -pe, ln[0]))
            for k, v in enumerate((price * qty, ld, td, cd, pd, net)):
                sums[k] += v
        if taken and redeem is not None:
            # ledger.restore_points: back into the batches it came from, latest-expiring first
            rid = self.uid(t)
            out.points.append((rid, ts, w.store, term, staff, self.id, "refund_redeem", taken,
                               0, None, tid, redeem[0], ""))
            for b, part in sorted(redeem[1], key=lambda bp: bp[0][B_EXP], reverse=True):
                out.uses.append((rid, b[B_ID], -part))
                b[B_REM] += part
                self.next_exp = min(self.next_exp, b[B_EXP])
            self.points += taken
            out.points_redeemed -= taken
        if earned:
            self.take_points(t, earned, "refund_earn", tid, term, staff, first_from=earn_batch)
            out.points_issued -= earned
        if sv and spend_row is not None:
            paid_back, bonus_back = -spend_row[7], -spend_row[8]
            out.sv.append((self.uid(t), ts, w.store, term, staff, self.id, "refund", paid_back,
                           bonus_back, tid, ""))
            self.sv_paid += paid_back
            self.sv_bonus += bonus_back
        if card is not None and card[P_STATUS] == "active":
            self.punch(t, card, 1, "refund_use", tid, term, staff)
        if coupon is not None:
            coupon[C_STATUS], coupon[C_RTXN], coupon[C_RAT] = "issued", None, None
            self.open.append(coupon)
            out.coupons_redeemed -= 1
        for c in self.coupons[issued_from:]:
            if c[C_STATUS] == "issued":
                c[C_STATUS] = "void"
                self.open.remove(c)
        cash, card_t, other = tenders
        total = sums[5]
        out.txn.append(
            (tid, ts, w.store, term, staff, "demo-" + tid, "refund", "completed",
             out.next_seq(), w.day_str[t // DAY], self.id, orig, MANAGERS[t % 2], tier,
             -sums[0], -sums[1], -sums[2], -sums[3], -sums[4], -total, -taken, -earned, -sv,
             -cash, -card_t, -other, 0, 0, coupon[5] if coupon else None,
             "customer changed their mind"))
        self.window.append((t, -total))
        self.window_sum -= total
        self.spend -= total
        out.refunds += 1
        out.revenue -= total

    def finish(self, t0: int) -> None:
        w, i, rows = self.w, self.i, self.out.rows
        rows["points_entry"].extend([tuple(b[:B_EXP]) for b in self.batches])
        rows["coupon"].extend([tuple(c[:C_FROM]) for c in self.coupons])
        rows["punch_card"].extend([tuple(c[:P_EXP]) for c in self.cards])
        ref = w.referrer[i]
        term, staff = w.origin(t0)
        name = self.name
        rows["member"].append((
            self.id, w.day_str[t0 // DAY] + w.hms[t0 % DAY], w.store, term, staff, w.card_no(i),
            name, _name_key(name), w.phone(i),
            self.birthday.isoformat() if self.birthday else None,
            bool(self.flags & F_CONSENT), w.referral_code(i),
            w.member_ids[ref] if ref >= 0 else None, self.tier, self.ts(self.tier_since),
            self.points, self.sv_paid, self.sv_bonus,
            self.ts(self.last_visit) if self.last_visit is not None else None, None, ""))
        self.out.spend.append(self.spend)
        self.out.segments[self.seg] += 1


def _batch_order(b: list[Any]) -> tuple[int, str]:
    return b[B_EXP], b[B_ID]


def _coupon_order(c: list[Any]) -> tuple[int, str]:
    return c[C_UNTIL], c[5]


def _visits_between(visits: list[int], lo: int, hi: int) -> int:
    return bisect.bisect_left(visits, hi) - bisect.bisect_left(visits, lo)


def _punch_expiry(t: int, valid_days: int | None) -> int | None:
    """punch.expiry on the day index."""
    if not valid_days:
        return None
    return (t // DAY + valid_days + 1) * DAY


PROFILE_CUM = list(_cumulate(p[0] for p in PROFILES))
SURNAME_CUM = list(_cumulate(s[2] for s in SURNAMES))


def _name(rng: random.Random) -> str:
    """A member's name: mostly in characters, some in pinyin, some with an English name."""
    sur, sur_py, _ = SURNAMES[_pick(rng, SURNAME_CUM)]
    given = [GIVEN[rng.randrange(len(GIVEN))] for _ in range(1 if rng.random() < 0.35 else 2)]
    form = rng.random()
    if form < 0.8:
        return sur + "".join(g[0] for g in given)
    if form < 0.92:
        return f"{sur_py} {''.join(g[1] for g in given).capitalize()}"
    return f"{ENGLISH[rng.randrange(len(ENGLISH))]} {sur_py}"


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).casefold()


def _basket(w: World, rng: random.Random, profile: int, season: int, appetite: float,
            brands: dict[str, str], t: int) -> list[list[Any]]:
    """What a customer of this taste picks up: [product, quantity, line discount]."""
    rnd = rng.random
    x = rnd()
    k = 1 if x < 0.55 else 2 if x < 0.85 else 3 if x < 0.96 else 4 if x < 0.99 else 5
    if appetite > 1.2 and rnd() < min(0.7, (appetite - 1.2) * 0.6):
        k += 1
    items, cum = w.picker(profile, season)
    top = cum[-1]
    lines: list[list[Any]] = []
    for _ in range(k):
        prod = items[bisect.bisect(cum, rnd() * top)]
        cat = prod.category
        if prod.brand != "House":
            # brand loyalty: most buy their usual brand again
            usual = brands.get(cat)
            if usual is None:
                brands[cat] = prod.brand
            elif usual != prod.brand and rnd() < 0.8:
                same = w.same_brand(season, cat, usual)
                if same:
                    prod = same[rng.randrange(len(same))]
        for ln in lines:
            if ln[0] is prod:
                ln[1] += 1
                break
        else:
            qty = 1
            if cat == "bakery" and rnd() < 0.3:
                qty = rng.randint(2, 4)
            elif cat in ("drinks", "snacks") and rnd() < 0.15:
                qty = 2
            lines.append([prod, qty, 0])
    if t % DAY >= 20 * 3600:
        for ln in lines:
            if ln[0].category == "bakery":
                ln[2] = ln[0].price * ln[1] * 3 // 10  # the evening markdown on the day's bread
    return lines


def _coupon_parts(terms: CouponTerms, basket: list[list[Any]], after_tier: list[int]
                  ) -> list[int] | None:
    """coupons.discount, or None where it raises (not applicable, minimum spend not met)."""
    eligible = [terms.eligible(ln[0].category, ln[0].brand, ln[0].sku) for ln in basket]
    if True not in eligible:
        return None
    base = [a if ok else 0 for a, ok in zip(after_tier, eligible, strict=True)]
    spend = sum(base)
    if spend < terms.min_spend:
        return None
    n = len(basket)
    if terms.kind == "amount":
        total = min(terms.amount, spend)
    elif terms.kind == "percent":
        pct = Fraction(terms.percent)
        total = _half_up(spend * pct.numerator, 100 * pct.denominator)
    else:
        i = eligible.index(True)
        unit = _half_up(after_tier[i], basket[i][1])
        parts = [0] * n
        parts[i] = min(unit, after_tier[i])
        return parts
    return _alloc(total, base) if total else [0] * n


def _tender(rng: random.Random, due: int, habit: float) -> tuple[int, int, int, int]:
    """(cash kept, card, other, change): mostly WeChat Pay / Alipay, some card, some cash."""
    if due <= 0:
        return 0, 0, 0, 0
    if habit < 0.72:
        return 0, 0, due, 0
    if habit < 0.85:
        return 0, due, 0, 0
    note = CASH_NOTES[rng.randrange(len(CASH_NOTES))]
    given = -(-due // note) * note if rng.random() < 0.8 else due
    return due, 0, 0, given - due


# --- anonymous trade ----------------------------------------------------------------


def anonymous(w: World, d_lo: int, d_hi: int, out: Out) -> None:
    """Sales to customers who are not members, for period days [d_lo, d_hi)."""
    for d in range(d_lo, d_hi):
        rng = random.Random(f"member-terminal-demo/{w.seed}/anonymous/{d}")
        season = w.day_season[d]
        lam = ANONYMOUS_RATE * max(w.enrolled_by_day[d], 50) * w.weights[d]
        times = sorted(w.t_start + d * DAY + w.tod(rng) for _ in range(_poisson(rng, lam)))
        for t in times:
            _anonymous_sale(w, rng, out, t, season)


def _anonymous_sale(w: World, rng: random.Random, out: Out, t: int, season: int) -> None:
    basket = [ln for ln in _basket(w, rng, _pick(rng, PROFILE_CUM), season, 0.8, {}, t)
              if not ln[0].punch_visits]
    if not basket:
        return
    term, staff = w.origin(t)
    tid = _uuid7(rng, w.base_ms, t)
    ts, day_s = w.ts(t), w.day_str[t // DAY]
    gross = sum(ln[0].price * ln[1] for ln in basket)
    ld_sum = sum(ln[2] for ln in basket)
    total = gross - ld_sum
    cash, card, other, change = _tender(rng, total, rng.random())
    refunded = rng.random() < 0.002
    out.txn.append(
        (tid, ts, w.store, term, staff, "demo-" + tid, "sale",
         "refunded" if refunded else "completed", out.next_seq(), day_s, None, None, None,
         None, gross, ld_sum, 0, 0, 0, total, 0, 0, 0, cash, card, other, change, 0, None, ""))
    lines = []
    for k, (prod, qty, ld) in enumerate(basket, start=1):
        lines.append((_uuid7(rng, w.base_ms, t), tid, k, prod.sku, prod.name, prod.category,
                      prod.brand, qty, prod.price, ld, 0, 0, 0, prod.price * qty - ld, 0, None))
    out.lines.extend(lines)
    out.anonymous_sales += 1
    out.revenue += total
    if refunded:
        rt = t + rng.randint(300, 3600)
        rid = _uuid7(rng, w.base_ms, rt)
        rterm, rstaff = w.origin(rt)
        out.txn.append(
            (rid, w.ts(rt), w.store, rterm, rstaff, "demo-" + rid, "refund", "completed",
             out.next_seq(), w.day_str[rt // DAY], None, tid, MANAGERS[rt % 2], None, -gross,
             -ld_sum, 0, 0, 0, -total, 0, 0, 0, -cash, -card, -other, 0, 0, None, "returned"))
        for k, row in enumerate(lines, start=1):
            out.lines.append(
                (_uuid7(rng, w.base_ms, rt), rid, k, row[3], row[4], row[5], row[6], -row[7],
                 row[8], -row[9], 0, 0, 0, -row[13], 0, row[0]))
        out.refunds += 1
        out.revenue -= total


# --- work units, in this process or in workers --------------------------------------

_WORLD: World | None = None  # set before worker processes fork, read by them


def _work(task: tuple[str, int, int, int]) -> bytes:
    kind, chunk, lo, hi = task
    w = _WORLD
    assert w is not None
    out = Out(chunk)
    if kind == "members":
        rng = random.Random()
        for i in range(lo, hi):
            if i % RNG_BLOCK == 0:
                rng.seed((w.seed & 0xFFFFFFFF) << 32 | i // RNG_BLOCK)
            MemberSim(w, i, out, rng).run()
    else:
        anonymous(w, lo, hi, out)
    for table, rows in out.rows.items():
        if table != "points_use":
            rows.sort()  # by id: the writer's primary-key inserts then walk the B-tree in order
    return marshal.dumps((out.rows, out.stats(), out.spend))


def _tasks(w: World) -> list[tuple[str, int, int, int]]:
    tasks = []
    for chunk, lo in enumerate(range(0, w.n, CHUNK_MEMBERS)):
        tasks.append(("members", chunk, lo, min(w.n, lo + CHUNK_MEMBERS)))
    first = len(tasks)
    for k, lo in enumerate(range(0, w.days, CHUNK_DAYS)):
        tasks.append(("anonymous", first + k, lo, min(w.days, lo + CHUNK_DAYS)))
    return tasks


def _results(w: World, workers: int) -> Iterator[tuple[str, bytes]]:
    """Every work unit's rows, in task order, made by ``workers`` processes (0: here)."""
    global _WORLD
    _WORLD = w
    tasks = _tasks(w)
    try:
        if workers <= 0:
            for task in tasks:
                yield task[0], _work(task)
            return
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(workers) as pool:
            # a bounded window of member chunks (finished ones wait in memory until the writer
            # takes them); the small anonymous ones all at once, so the workers keep going
            # while the writer rebuilds the member tables' indexes
            pending: deque[tuple[str, Any]] = deque()
            it = iter(tasks)

            def submit() -> None:
                for task in it:
                    pending.append((task[0], pool.apply_async(_work, (task,))))
                    if task[0] == "members" and len(pending) >= 2 * workers + 1:
                        return

            submit()
            while pending:
                kind, res = pending.popleft()
                data = res.get()
                submit()
                yield kind, data
    finally:
        _WORLD = None


# --- writing ------------------------------------------------------------------------


class Writer:
    """Bulk inserts on the raw DB-API cursor, and what a bulk load needs around them."""

    def __init__(self, database: peewee.Database) -> None:
        self.db = database
        self.sqlite = is_sqlite(database)
        self.cursor = database.cursor()
        self.counts = {t: 0 for t in TABLES}
        self.dropped: list[tuple[str, str]] = []
        self.sql = {}
        for table, cols in COLUMNS.items():
            names = ", ".join(f'"{c}"' for c in cols)
            if self.sqlite:
                marks = ", ".join("?" * len(cols))
                self.sql[table] = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
            else:
                self.sql[table] = f'INSERT INTO "{table}" ({names}) VALUES %s'

    def write(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.sqlite:
            self.cursor.executemany(self.sql[table], rows)
        else:
            from psycopg2.extras import execute_values

            execute_values(self.cursor, self.sql[table], rows, page_size=2000)
        self.counts[table] += len(rows)

    def drop_indexes(self) -> None:
        """SQLite builds an index faster at once than row by row: drop the secondary indexes
        now and recreate exactly the same ones (their SQL from sqlite_master) at the end."""
        if not self.sqlite:
            return
        marks = ", ".join("?" * len(BULK_TABLES))
        self.dropped = list(self.db.execute_sql(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks}) ORDER BY name", BULK_TABLES).fetchall())
        for name, _ in self.dropped:
            self.db.execute_sql(f'DROP INDEX "{name}"')

    def recreate_indexes(self, tables: tuple[str, ...] | None = None) -> int:
        """Rebuild the dropped indexes (of ``tables`` only, if given); how many."""
        todo = [(name, sql) for name, sql in self.dropped
                if tables is None or _index_table(sql) in tables]
        for _, sql in todo:
            self.db.execute_sql(sql)
        self.dropped = [d for d in self.dropped if d not in todo]
        return len(todo)

    def renumber(self) -> None:
        """Receipt numbers in time order per terminal (the rows were written per member)."""
        key = "rowid" if self.sqlite else "id"
        self.db.execute_sql(
            f"UPDATE txn SET seq = r.s FROM (SELECT {key} AS k, ROW_NUMBER() OVER "
            "(PARTITION BY terminal_id ORDER BY created_at, id) AS s FROM txn) AS r "
            f"WHERE txn.{key} = r.k")


def _index_table(sql: str) -> str:
    """The table a CREATE INDEX statement (as peewee writes them) is on."""
    return sql.split(" ON ", 1)[1].split("(", 1)[0].strip().strip('"')


def _fast_sqlite(database: peewee.Database, on: bool) -> None:
    """For the load: no fsync (a demo load that dies is simply rerun, into a fresh file), a
    rollback journal in memory instead of the WAL (a bulk load would write everything twice)
    and foreign keys checked by ``check`` afterwards; the settings are restored after."""
    if on:
        pragmas = {"foreign_keys": 0, "synchronous": 0, "journal_mode": "memory",
                   "secure_delete": 0, "cache_size": -400_000}
    else:
        pragmas = dict(SQLITE_PRAGMAS)
    for key, value in pragmas.items():
        database.execute_sql(f"PRAGMA {key} = {value}")


# --- catalogue and templates --------------------------------------------------------


def ensure_catalogue() -> list[Product]:
    """The demo catalogue (existing SKUs are left as they are); the products as stored."""
    rows = []
    for j, (cat, brand, sku, name, price, _) in enumerate(CATALOGUE):
        punch = PUNCH.get(sku)
        barcode = None
        if cat in PACKAGED and brand != "House":
            barcode = _ean13(f"69{20_000 + sum(map(ord, brand)) % 80_000:05d}{j:05d}")
        rows.append(dict(sku=sku, name=name, category=cat, brand=brand, price=price,
                         barcode=barcode, discountable=cat != "cards",
                         punch_visits=punch[0] if punch else None,
                         punch_valid_days=punch[1] if punch else None, active=True))
    with proxy.atomic():
        m.Product.insert_many(rows).on_conflict_ignore().execute()
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


def _check_phones() -> None:
    """Every prefix used must give valid numbers whatever follows (phonenumbers decides)."""
    for prefix in MOBILE_PREFIXES:
        for tail in ("00000000", "49999999", "99999999", "12345678"):
            number = phonenumbers.parse(f"+86{prefix}{tail}")
            if not phonenumbers.is_valid_number(number):
                raise RuntimeError(f"demo: +86 {prefix} numbers are not valid mobile numbers")


# --- the command --------------------------------------------------------------------


def _counts() -> tuple[int, int]:
    members = m.Member.select().count()
    txns = m.Txn.select().count()
    return members, txns


def ensure_staff(ctx: Context) -> None:
    """The demo's owner, managers and cashiers (see DEMO_STAFF for their PINs)."""
    if m.Staff.select().exists():
        return
    rows = [dict(id=_STAFF_IDS[name], name=name, role=role, pin_hash=staff.hash_pin(pin),
                 created_at=ctx.now()) for name, role, pin in DEMO_STAFF]
    with write_transaction():
        m.Staff.insert_many(rows).execute()


def generate(ctx: Context, *, members: int, days: int, seed: int,
             progress: Callable[[str], None] | None = None, workers: int | None = None
             ) -> Summary:
    """Fill an empty database; return what was made. ``workers``: processes (None: auto)."""
    if members < 1 or days < 1:
        raise ValueError("the demo needs at least one member and one day")
    say = progress or (lambda _line: None)
    started = time.monotonic()
    clock = [started]

    def phase(text: str) -> None:
        now = time.monotonic()
        say(f"demo: {text} [{now - clock[0]:.1f} s]")
        clock[0] = now

    _check_phones()
    ensure_staff(ctx)
    products = ensure_catalogue()
    templates = ensure_templates()
    phase(f"catalogue: {len(products)} products ({sum(1 for p in products if p.punch_visits)} "
          f"punch cards), {len(templates)} coupon templates")

    world = World(ctx, members, days, seed, products, templates)
    plan(world)
    segs = {name: world.segment.count(k) for k, name in enumerate(SEGMENTS)}
    phase(f"planned {members:,} members ("
          + ", ".join(f"{k} {v / members:.0%}" for k, v in segs.items())
          + f"), {len(world.first_sale):,} of them referred, over {days} days")

    if workers is None:
        workers = (min(2, os.cpu_count() or 1) if members >= POOL_MIN_MEMBERS
                   and "fork" in multiprocessing.get_all_start_methods() else 0)
    database = proxy.obj
    writer = Writer(database)
    stats: dict[str, int] = {}
    spend: list[int] = []
    sqlite = writer.sqlite
    if sqlite:
        _fast_sqlite(database, True)
    try:
        with database.atomic():
            writer.drop_indexes()
            done_members = 0
            next_report = 0.1
            phase_name = "members"
            built = 0
            for kind, data in _results(world, workers):
                rows, chunk_stats, chunk_spend = marshal.loads(data)
                if kind != phase_name:
                    phase(_members_line(stats, done_members))
                    phase_name = kind
                    # only sales to non-members are still to come
                    built = writer.recreate_indexes(MEMBER_ONLY_TABLES)
                    if built:
                        phase(f"{built} indexes of the member tables rebuilt")
                for table in TABLES:
                    writer.write(table, rows[table])
                for key, value in chunk_stats.items():
                    stats[key] = stats.get(key, 0) + value
                spend.extend(chunk_spend)
                if kind == "members":
                    done_members += len(chunk_spend)
                    if members >= 100_000 and done_members >= next_report * members:
                        say(f"demo:   ... {done_members:,} members "
                            f"[{time.monotonic() - clock[0]:.1f} s]")
                        next_report += 0.1
            phase(f"anonymous sales: {stats.get('anonymous_sales', 0):,}")
            writer.renumber()
            phase("receipt numbers in time order per terminal")
            left = writer.recreate_indexes()
            if sqlite:
                phase(f"{left} indexes of the sales tables rebuilt ({built + left} in all)")
    finally:
        if sqlite:
            _fast_sqlite(database, False)
    if not sqlite:
        database.execute_sql("ANALYZE")

    summary = Summary(members=members, segments=segs, rows=dict(writer.counts))
    summary.member_sales = stats.get("member_sales", 0)
    summary.anonymous_sales = stats.get("anonymous_sales", 0)
    summary.sales = summary.member_sales + summary.anonymous_sales
    summary.refunds = stats.get("refunds", 0)
    summary.top_ups = stats.get("top_ups", 0)
    summary.punch_visits = stats.get("punch_visits", 0)
    summary.revenue = stats.get("revenue", 0)
    summary.member_revenue = sum(spend)
    spend.sort(reverse=True)
    top = spend[: max(1, len(spend) // 5)]
    summary.top20_share = sum(top) / summary.member_revenue if summary.member_revenue else 0.0
    summary.points_issued = stats.get("points_issued", 0)
    summary.points_redeemed = stats.get("points_redeemed", 0)
    summary.points_expired = stats.get("points_expired", 0)
    summary.seconds = time.monotonic() - started
    return summary


def _members_line(stats: dict[str, int], done: int) -> str:
    return (f"{done:,} members and their history: {stats.get('visits', 0):,} visits, "
            f"{stats.get('member_sales', 0):,} sales, "
            f"{stats.get('top_ups', 0):,} top-ups, {stats.get('punch_visits', 0):,} punch "
            f"visits, {stats.get('coupons_issued', 0):,} coupons")


def run(ctx: Context, url: str, *, members: int, days: int, seed: int, if_empty: bool) -> int:
    """``member-terminal demo``: fill an empty database with a demo store."""
    existing, txns = _counts()
    if existing or txns:
        what = f"{existing:,} members" if existing else f"{txns:,} transactions"
        if if_empty:
            print(f"demo: the database already has {what}; nothing to do")
            return 0
        print(f"demo: the database already has {what}; the demo fills an empty database "
              "(use --if-empty to skip quietly)", file=sys.stderr)
        return 1
    if members < 1 or days < 1:
        print("demo: --members and --days must be at least 1", file=sys.stderr)
        return 2
    print(f"demo: {members:,} members, {days} days, seed {seed} -> {_safe_url(url)}")
    s = generate(ctx, members=members, days=days, seed=seed,
                 progress=lambda line: print(line, flush=True))
    years = days / 365
    print(f"demo: done in {s.seconds:.1f} s")
    print(f"  sales {s.sales:,} ({s.member_sales:,} by members, {s.anonymous_sales:,} "
          f"anonymous), {s.member_sales / members / years:.1f} per member-year; "
          f"refunds {s.refunds:,}; top-ups {s.top_ups:,}; punch visits {s.punch_visits:,}")
    print(f"  revenue {money.format_amount(s.revenue, ctx.currency)}; members "
          f"{s.member_revenue / s.revenue:.0%} of it; top 20% of members make "
          f"{s.top20_share:.0%} of member revenue" if s.revenue else "  no revenue")
    print(f"  points issued {s.points_issued:,}, redeemed {s.points_redeemed:,}, "
          f"expired {s.points_expired:,}")
    print("  rows: " + ", ".join(f"{t} {n:,}" for t, n in s.rows.items()))
    path = getattr(proxy.obj, "database", None)
    if is_sqlite() and path and path != ":memory:" and os.path.exists(path):
        print(f"  file {path}: {os.path.getsize(path) / 1e6:,.1f} MB")
    return 0


def _safe_url(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        return f"{scheme}://{cred.split(':', 1)[0]}@{host}"
    return url
