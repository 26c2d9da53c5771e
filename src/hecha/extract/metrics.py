"""Names of metrics and entities: the one place that decides that "归母净利润" and
"归属于上市公司股东的净利润" are one metric, and that "半导体存储业务营业收入" is the metric 营业收入 of
the entity 半导体存储业务.

Conservative on purpose: two names are one metric only when the synonym table says so; an unknown
label stays its own (cleaned) metric, so it can only match itself. 营业收入 and 主营业务收入 are
different metrics (a reply may quote one and tabulate the other), as are 净利润 and 归母净利润.
"""

from __future__ import annotations

import re

from hecha.ingest.numbers import normalize

# canonical name -> the names documents print for it (the canonical one is implied).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "营业收入": ("营业总收入", "营业收入总额", "收入总额", "营业收入金额"),
    "主营业务收入": ("主营收入",),
    "其他业务收入": (),
    "营业成本": ("营业成本总额", "营业成本金额"),
    "主营业务成本": ("主营成本",),
    "营业总成本": (),
    "毛利": ("毛利额", "营业毛利", "毛利润", "销售毛利"),
    "毛利率": ("综合毛利率", "销售毛利率", "毛利率(%)"),
    "净利润": ("净利润总额",),
    "归属于上市公司股东的净利润": (
        "归母净利润",
        "归属母公司净利润",
        "归属于母公司净利润",
        "归属于母公司所有者的净利润",
        "归属于母公司股东的净利润",
        "归属于上市公司普通股股东的净利润",
        "归属于母公司普通股股东的净利润",
        "归属于本公司股东的净利润",
    ),
    "归属于上市公司股东的扣除非经常性损益的净利润": (
        "扣非净利润",
        "扣非后净利润",
        "扣非归母净利润",
        "扣非后归母净利润",
        "归属于母公司所有者的扣除非经常性损益的净利润",
        "归属于母公司股东的扣除非经常性损益的净利润",
        "归属于上市公司股东的扣除非经常性损益后的净利润",
        "扣除非经常性损益后归属于母公司股东的净利润",
        "扣除非经常性损益后归属于母公司所有者的净利润",
        "扣除非经常性损益后归属于上市公司股东的净利润",
        "扣除非经常性损益后的净利润",
    ),
    "非经常性损益": ("非经常性损益合计", "非经常性损益净额"),
    "营业利润": (),
    "利润总额": (),
    "所得税费用": ("所得税",),
    "经营活动产生的现金流量净额": (
        "经营活动现金流量净额",
        "经营性现金流量净额",
        "经营活动净现金流量",
        "经营活动产生的净现金流量",
        "经营活动现金净流量",
        "经营性现金流净额",
    ),
    "投资活动产生的现金流量净额": ("投资活动现金流量净额",),
    "筹资活动产生的现金流量净额": ("筹资活动现金流量净额",),
    "研发投入": ("研发投入合计", "研发投入金额", "研发投入总额", "研发投入总计"),
    "研发投入占营业收入比例": (
        "研发投入总额占营业收入比例",
        "研发投入占营业收入的比例",
        "研发投入占营业收入比重",
        "研发投入总额占营业收入的比例",
    ),
    "研发人员数量": ("研发人员人数", "研发人员数量(人)", "研发人员", "研发人员数"),
    "研发人员数量占比": ("研发人员数量占公司总人数的比例", "研发人员占比"),
    "研发费用": (),
    "销售费用": (),
    "管理费用": (),
    "财务费用": (),
    "期间费用": (),
    "税金及附加": ("营业税金及附加",),
    "应收账款": (),
    "应收票据": (),
    "预付款项": ("预付账款",),
    "其他应收款": (),
    "存货": (),
    "合同资产": (),
    "合同负债": (),
    "货币资金": (),
    "交易性金融资产": (),
    "固定资产": (),
    "在建工程": (),
    "无形资产": (),
    "商誉": (),
    "短期借款": (),
    "长期借款": (),
    "应付账款": (),
    "应付票据": (),
    "总资产": ("资产总额", "资产总计", "资产合计"),
    "总负债": ("负债总额", "负债总计", "负债合计"),
    "流动资产": ("流动资产合计",),
    "流动负债": ("流动负债合计",),
    "归属于上市公司股东的净资产": (
        "归母净资产",
        "归属于母公司所有者权益",
        "归属于母公司所有者权益合计",
        "归属于母公司股东权益",
        "归属于母公司股东权益合计",
        "归属于上市公司股东的所有者权益",
    ),
    "所有者权益": ("所有者权益合计", "股东权益", "股东权益合计", "净资产"),
    "资产负债率": (),
    "基本每股收益": (),
    "稀释每股收益": (),
    "加权平均净资产收益率": (),
    "信用减值损失": (),
    "投资收益": (),
    "其他收益": (),
    "营业外收入": (),
    "营业外支出": (),
    "公允价值变动收益": (),
    "资产减值损失": (),
    "员工人数": ("员工总数", "在职员工的数量合计", "职工人数", "员工数量"),
}

_CANONICAL: dict[str, str] = {}
for _canonical, _names in _SYNONYMS.items():
    _CANONICAL[_canonical] = _canonical
    for _name in _names:
        _CANONICAL[_name] = _canonical

# Known names longest first, for finding a metric at the end of a longer phrase.
_KNOWN_BY_LENGTH: tuple[str, ...] = tuple(sorted(_CANONICAL, key=len, reverse=True))
# Prose drops the possessive 的 freely ("归属于上市公司股东净利润"): names are also known without it.
_CANONICAL_WITHOUT_DE: dict[str, str] = {}
for _name, _canonical in _CANONICAL.items():
    _CANONICAL_WITHOUT_DE.setdefault(_name.replace("的", ""), _canonical)

_NUMBERING = re.compile(
    r"^(?:"
    r"[(（]?[一二三四五六七八九十]{1,3}[)）、.．]"  # 一、 （一）
    r"|[(（]\d{1,2}[)）]"  # (1)
    r"|\d{1,2}(?:\.\d{1,2})*[、.．)](?!\d)"  # 1、 1. 1.1
    r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r"|[A-Za-z][、.．)]"
    r")\s*"
)
_SIGN_WORD = re.compile(r"^(?:减|加|其中|其中包括|包括)\s*[:：]\s*")
_NOTE = re.compile(r"[\[［【(（]\s*注\s*\d*\s*[\]］】)）]|注\d+$|[*＊※]+")
_UNIT_BRACKET = re.compile(
    r"[(（]\s*(?:单位\s*[:：]\s*)?(?:人民币)?\s*(?:亿元|万元|千元|元|%|％|人|家|个|台|户|名|倍|"
    r"个百分点|百分点|pp)\s*[)）]"
)
_TRAILING = re.compile(r"(?:合计|总计)$")
_SPACES = re.compile(r"\s+")
_LIST_MARKS = re.compile(r"[、，,；;/]|及|和|与|费用|收益|损失|成本|收入")


def clean_label(text: str) -> str:
    """A row label or noun phrase without numbering, 减：/加：, note marks, unit brackets and
    spaces ("（一）营业收入（万元）[注1]" → "营业收入")."""
    cleaned = _SPACES.sub("", normalize(text))
    cleaned = cleaned.replace("(", "（").replace(")", "）")
    for _ in range(2):
        stripped = _NUMBERING.sub("", cleaned)
        stripped = _SIGN_WORD.sub("", stripped)
        if stripped == cleaned:
            break
        cleaned = stripped
    cleaned = _NOTE.sub("", cleaned)
    cleaned = _UNIT_BRACKET.sub("", cleaned)
    return cleaned.strip("：:、，,;；。 ")


def normalize_metric(text: str) -> str:
    """The canonical name of the metric ``text`` names ("" when it names none).

    Unknown names come back cleaned but otherwise unchanged, so they match only themselves.
    """
    cleaned = clean_label(text)
    if not cleaned or not any(char.isalpha() for char in cleaned):
        return ""
    canonical = _CANONICAL.get(cleaned) or _CANONICAL_WITHOUT_DE.get(cleaned.replace("的", ""))
    if canonical is not None:
        return canonical
    without_total = _TRAILING.sub("", cleaned)
    if without_total and without_total != cleaned:
        canonical = _CANONICAL.get(without_total)
        if canonical is not None:
            return canonical
    return cleaned


def is_known_metric(name: str) -> bool:
    """True when ``name`` (canonical or a synonym) is in the synonym table."""
    return name in _CANONICAL


def metric_ending(text: str) -> str:
    """The canonical metric whose longest known name ``text`` ends with ("…经营活动产生的现金流量净额"
    → 经营活动产生的现金流量净额); "" when it ends with none (names of one character never count)."""
    compact = clean_label(text)
    for name in _KNOWN_BY_LENGTH:
        if len(name) >= 2 and compact.endswith(name):
            return _CANONICAL[name]
    return ""


# The reporting company itself, in the words documents use for it.
_SELF_WORDS = frozenset(
    {"公司", "本公司", "我公司", "发行人", "上市公司", "集团", "本集团", "公司整体", "合并"}
)
_SELF_PREFIXES = ("公司", "本公司", "我公司", "发行人", "本集团")
_CONNECTORS = re.compile(r"(?:的|之|实现|整体|全年|合计|总体)+$")
# "半导体存储业务收入" names the segment's revenue: the business line is the entity. Its metric stays
# the vague "收入": an inquiry's "X业务收入" is often 主营业务收入 while the reply tabulates 营业收入.
_SEGMENT_REVENUE = re.compile(
    r"^(?P<entity>.{2,20}?(?:业务|板块|分部|产品|行业))(?P<metric>收入|成本|毛利率|毛利)$"
)
_SEGMENT_METRICS = {"收入": "收入", "成本": "成本", "毛利率": "毛利率", "毛利": "毛利"}
# "半导体存储业务" and a column group "半导体存储" name one segment.
_ENTITY_SUFFIX = re.compile(r"(?<=..)(?:业务板块|业务分部|业务|板块|分部)$")


def entity_name(text: str) -> str:
    """The normalized entity a phrase names: "" for the reporting company itself."""
    cleaned = _CONNECTORS.sub("", clean_label(text))
    if cleaned in _SELF_WORDS:
        return ""
    return _ENTITY_SUFFIX.sub("", cleaned)


def split_entity(text: str) -> tuple[str, str]:
    """(entity, metric text) of a label or noun phrase; entity "" means the reporting company.

    "半导体存储业务营业收入" → ("半导体存储业务", "营业收入"); "芯存科技净利润" → ("芯存科技", "净利润");
    "公司营业收入" → ("", "营业收入"); "营业收入" → ("", "营业收入"). The metric part must be a
    known metric name; otherwise the whole text is the metric and the entity is "" (or the
    business line for "X业务收入").
    """
    cleaned = clean_label(text)
    if not cleaned:
        return "", ""
    if cleaned in _CANONICAL:
        return "", cleaned
    if cleaned.replace("的", "") in _CANONICAL_WITHOUT_DE:
        return "", _CANONICAL_WITHOUT_DE[cleaned.replace("的", "")]
    for name in _KNOWN_BY_LENGTH:
        if len(name) < 2 or not cleaned.endswith(name):
            continue
        prefix = cleaned[: -len(name)]
        # "税金及附加、销售费用、管理费用、研发费用" lists metrics: no entity before the last one.
        if _LIST_MARKS.search(prefix):
            return "", cleaned
        # "主营业务收入" ends with "业务收入"-like names; never cut inside a longer known name.
        if prefix and (prefix[-1] in "主其总净非"):
            continue
        return entity_name(prefix), name
    segment = _SEGMENT_REVENUE.match(cleaned)
    if segment is not None and segment.group("entity") not in ("主营业务", "其他业务"):
        return entity_name(segment.group("entity")), _SEGMENT_METRICS[segment.group("metric")]
    for word in _SELF_PREFIXES:
        if cleaned.startswith(word) and len(cleaned) > len(word):
            return "", cleaned[len(word) :]
    return "", cleaned


# What a derived column or claim states about a metric: "营业收入" + CHANGE_RATE_SUFFIX is the
# tabulated change rate of 营业收入.
CHANGE_RATE_SUFFIX = "变动比例"
SHARE_SUFFIX = "占比"
PP_CHANGE_SUFFIX = "变动百分点"
DIFFERENCE_SUFFIX = "变动额"
# The vague words a table header or a sentence uses for a metric ("一季度收入" over a column group,
# "国内业务收入"), and the metrics each may stand for: the table's own metric refines them.
VAGUE_METRICS = {"收入": ("营业收入", "主营业务收入"), "成本": ("营业成本", "主营业务成本")}
RING_PREFIX = "环比"  # quarter-on-quarter, not year-on-year

# Short names are only found as whole labels: "毛利" inside "毛利率" or "存货" inside a sentence
# about something else must not name the metric of a heading.
_FINDABLE = tuple(name for name in _KNOWN_BY_LENGTH if len(name) >= 4 or name in ("毛利率", "净利润"))


_FINDABLE_RE = re.compile("|".join(re.escape(name) for name in _FINDABLE))


def find_metrics(text: str) -> list[str]:
    """The known metrics a heading or sentence names, left to right, canonical, longest match
    first at each position ("分季度、分业务类别营业收入列示" → ["营业收入"])."""
    compact = re.sub(r"\s+", "", normalize(text))
    found: list[str] = []
    for match in _FINDABLE_RE.finditer(compact):
        # "其他业务收入"/"主营业务收入" are not the 业务收入-like names inside them.
        if match.start() > 0 and compact[match.start() - 1] in "主其":
            continue
        found.append(_CANONICAL[match.group(0)])
    return found
