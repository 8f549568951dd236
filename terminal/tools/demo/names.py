"""The demo members' names: common Chinese surnames by frequency, given names, and the
pinyin and English forms some members go by."""

from __future__ import annotations

import random

from .world import cumulate, pick

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


SURNAME_CUM = list(cumulate(s[2] for s in SURNAMES))


def member_name(rng: random.Random) -> str:
    """A member's name: mostly in characters, some in pinyin, some with an English name."""
    sur, sur_py, _ = SURNAMES[pick(rng, SURNAME_CUM)]
    given = [GIVEN[rng.randrange(len(GIVEN))] for _ in range(1 if rng.random() < 0.35 else 2)]
    form = rng.random()
    if form < 0.8:
        return sur + "".join(g[0] for g in given)
    if form < 0.92:
        return f"{sur_py} {''.join(g[1] for g in given).capitalize()}"
    return f"{ENGLISH[rng.randrange(len(ENGLISH))]} {sur_py}"
