"""Claims from prose, and the classification of every figure the prose prints.

``extract_claims`` reads each Paragraph of a Document sentence by sentence (。；; and line ends)
and clause by clause (，), carrying the subject (metric, entity) and the period over from earlier
clauses, and turns what a clause asserts into Claims: a value (实现营业收入 X 万元), a change rate
(同比增长 X%, 较2022年度下降 X%, 增亏 X%), a percentage-point change, a share (占营业收入的比重为
X%), a multiple (是…的 X 倍), a from-to change (由 A 下降至 B), an amount change (减少 X 万元) and
"分别为 A、B、C" lists mapped onto the periods, metrics or entities they enumerate.

Every figure in the prose also gets a NumericToken saying what it is: part of a claim, a year, a
date, an ordinal, an identifier, a page, or UNLINKED. Extraction is conservative: a clause whose
metric cannot be found gives no claim and its figures stay UNLINKED; nothing is guessed.

Classification choices (what counts as excluded, and why):
- PAGE: a running footer "41/195" (this page / pages), a table-of-contents entry ("第四节经营情况讨论与
  分析11", "第五节重要事项..28") and a dotted leader's page read as a decimal (".14").
- ORDINAL: a heading number that PDF extraction glued to its title ("12一年内到期的非流动资产、" after
  the previous heading's "□适用√不适用"), "组合1：", and ranks "前10名", "前5大", "排名前10" (a rank
  bound, not an amount).
- IDENTIFIER: document numbers 财会〔2019〕6号 (the year inside 〔〕 and the serial after it), 公告编号
  2020-002, note references 附注五38, standards GB21907-2008 / DB11/139-2015, serotypes and strains
  (4型, 99株).
- DATE: durations that are spans of time (24 小时, 前 8 个月, 9-28 年). Bounds of a policy ("10%以上的
  行业", "20%以下表决权") and share counts (万股) stay UNLINKED: they are figures, but hecha cannot yet
  name what they measure without guessing the period or the entity.
- A base amount ("较2024年度的27,584.81万元") is a VALUE claim of the metric the sentence just stated,
  for the period named after 较; a share may name its whole without 的比重 ("占营业收入95.93%") but
  not when a noun follows the figure ("占科菲化工公司49.00%的股权" is a stake).

Approximate figures ("逾140亿元", "提高50%以上", "30多万元", "80余家", the bounds of "1-2次") are
claims like exact ones, with the word that qualifies them in Claim.approximate; rules must not
recompute them. A maximum or an average ("最高可达", "平均约为") and the bound of a rule ("不超过")
give no claim.

Direction (Claim.direction) is the sign of the change of the metric's value, as the domain's
change rate (current − prior) / |prior| gives it: 增长/增加/上升 → +1, 下降/减少 → −1; for a loss,
增亏/亏损扩大 → −1 (profit fell) and 减亏/亏损缩窄 → +1 (profit rose), as documents state them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from hecha.extract.factbase import NumericToken, TokenClass
from hecha.extract.metrics import entity_name, is_known_metric, normalize_metric, split_entity
from hecha.extract.periods import find_periods, parse_period
from hecha.ingest.lines import open_brackets
from hecha.ingest.numbers import find_quantities, normalize, parse_quantity
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim, ClaimKind, FactSource, Period
from hecha.model.quantity import Quantity, Unit

__all__ = ["extract_claims", "paragraph_sources"]

_SENTENCE_END = re.compile(r"[。；;\n]")
# A clause ends at a comma that is not inside a figure ("1,234" keeps its separator).
_CLAUSE_END = re.compile(r"，|,(?!\s*\d)|:|：")
_SPACES = re.compile(r"\s+")

_QUESTION_START = re.compile(r"^\s*问题\s*\d+\s*[.．、:：]")
_REPLY_HEADING = re.compile(r"【[^】]*回复】|^\s*(?:公司)?回复\s*[:：]|^\s*#*\s*回复\s*$")


@dataclass(frozen=True, slots=True)
class _Figure:
    """One figure of a clause: its span in the compact (space-free) clause text."""

    start: int
    end: int
    quantity: Quantity
    quote: str


@dataclass
class _Subject:
    """What earlier clauses established: carried over to clauses that do not restate it."""

    metric: str = ""
    metric_text: str = ""
    entity: str = ""
    period: Period | None = None
    # The last enumeration (periods, or (entity, metric) pairs) a list mapped onto, by size.
    periods_list: list[Period] = field(default_factory=list)
    items_list: list[tuple[str, str, str]] = field(default_factory=list)
    items_are_entities: bool = False


# ---------------------------------------------------------------------------------------------
# Words

_UP_WORDS = "增长|增加|上升|提高|提升|上涨|增至|升至|扩大|增幅|涨幅|增速|增长率"
_DOWN_WORDS = "下降|减少|降低|下滑|下跌|降至|减至|缩减|缩小|缩窄|降幅|减幅|降低至"
_LOSS_UP = "增亏|亏损扩大|亏损增加"
_LOSS_DOWN = "减亏|亏损缩窄|亏损减少|亏损收窄"
_DIRECTION_WORD = (
    rf"(?P<loss_up>{_LOSS_UP})|(?P<loss_down>{_LOSS_DOWN})|(?P<up>{_UP_WORDS})|(?P<down>{_DOWN_WORDS})"
)
_ADVERBS = (
    r"(?:同比|大幅|有所|明显|显著|小幅|略有|较大幅度|快速|稳步|持续|进一步|分别|均|约|达|达到|了|为|高达)*"
)
# "同比增长" / "较上年同期下降" / "较2022年度增长" / "比2024年四季度增长": the comparison words.
_COMPARE = (
    r"(?P<compare>同比|环比|较上年同期|较上年度|较上年|较去年同期|较去年|比上年同期|比上年|与上年相比"
    r"|较(?P<base>[^,，较比]{2,16}?)|比(?P<base2>[^,，较比]{2,16}?))?"
)

_CHANGE_RE = re.compile(_COMPARE + _ADVERBS + r"(?:" + _DIRECTION_WORD + r")" + r"(?:了|达到|达|为|约|至)*$")
_SHARE_RE = re.compile(
    r"(?:占比|所占比例|占(?P<base>[^,，占]{1,20}?)(?:的)?(?:比重|比例|比率|份额)|占(?P<base3>[^,，占]{1,20}?)的"
    r"|^的?(?:比重|比例)|占(?P<base4>[^,，占的比达为应]{2,20}))"
    r"(?:分别)?(?:为|达到|达|约为|约|仅为|高达)?$"
)
_MULTIPLE_RE = re.compile(r"(?:是|为|相当于)(?P<base>[^,，]{1,20}?)的$")
_TO_RE = re.compile(r"(?:" + _DIRECTION_WORD + r"|变动|变化|调整|提升|回升|回落)?(?:至|到)$")
_FROM_RE = re.compile(r"(?:由|从)(?P<period>[^,，]{0,16}?)(?:的)?$")
_VALUE_VERB = re.compile(
    r"(?:实现|为|达到|达|共计|合计|总计|累计|金额为|约为|约|是|分别为|分别是|分别达到|分别达|分别)$"
)
_LIST_VERB = re.compile(r"(?:分别)(?:为|是|达到|达|约为)?$")
_LIST_JOIN = re.compile(r"^(?:、|和|及|与|以及|,)$")
_PERIOD_JOIN = re.compile(r"(?:、|和|及|与|以及|至|-|~|,)")

# Where a noun phrase starts: the last of these words or marks before it. Verbs that take their
# object after them (实现, 形成, 计提…) start a noun phrase too.
_NP_BOUNDARY = re.compile(
    r".*(?:其中|主要系|主要是|主要为|主要由于|主要|由于|导致|使得|因此|同时|此外|另外|而|且|即|以及|但|并|"
    r"截至|截止|报告期内|之后|其|对比|相比|受|在|从|由|为|是|实现|形成|产生|发生|确认|计提|收到|取得|"
    r"支付|提供|新增|完成|适用|[、：:“”\"《》【】\[\]①②③④⑤⑥⑦⑧⑨⑩])"
)
_NUMBERING = re.compile(r"^(?:[)）]|[(（][\d一二三四五六七八九十]{1,2}[)）]|\d{1,2}[、.)）])")
_NP_LEADING = re.compile(
    r"^(?:公司|本公司|我公司|上市公司|全年|当期|当年|本期|整体|合并范围内|分别|相应|累计|已|仍|"
    r"按全年完整口径|合并|期末|年末|其中|共|总共|的|占|同行业可比公司|同行业公司|可比公司"
    r"|(?:后|以后)年度(?:所)?(?:采用|使用)的)+"
)
# "现金流量增长率预计分别为…": 预计/预期 say the figures are forecasts, not what is measured.
_NP_TRAILING = re.compile(
    r"(?:的|分别|均|共|同比|环比|合计|总计|累计|共计|约|已|仍|实际|大幅|有所|明显|预计|预期)+$"
)
# A phrase that names a metric does not end in these (they are verbs, prepositions or limits).
_NOT_A_NOUN_END = re.compile(
    r"(?:上浮|下浮|超过|低于|高于|不足|以上|以下|以内|至|到|前|后|近|按|第|每|仅|内|外|较|占|可|"
    r"增加|减少|增长|下降|上升|提高|降低|实现|达到|形成|发生|产生|确认|计提|享受|收到|取得|支付|完成|"
    r"新增|新采购|采购|向|对|于|和|及|与|或|是|有|为)$"
)
_NP_FORBIDDEN = re.compile(
    r"[\d%]|^[A-Za-z]+(?![A-Za-z]*[\u4e00-\u9fff])|导致|因素|原因|影响|情况|如下|所示|主要系|详见|参见|与|口径|按"
)
# Words that alone name no metric: the clause's subject is the one carried over.
_VAGUE = frozenset({"金额", "余额", "总额", "规模", "数量", "收入金额", "比例", "占比", "幅度", "增速"})
# A percent VALUE must be about a ratio ("毛利率为 14.91%"), not a fragment before a percent.
_RATIO_METRIC = re.compile(r"(?:率|比例|比重|占比|份额|率区间)$")
# After a stated value the clause goes on or ends; a noun right after it means the figure
# qualifies what follows ("3900 万元借款"); 左右/以上 and 约/超过 make it approximate.
_VALUE_AFTER = re.compile(
    r"^(?:$|[,，。；;、:：)）(（]|和|及|与|同比|环比|较|比|占|其中|分别|进行|用于|作为|予以|为基数)"
)
# "较 2024 年度的 27,584.81 万元": the amount of the period compared with.
_STATED_BASE = re.compile(r"^(?:较|比|相比)(?P<period>[^,，较比的]{2,16}?)的$")
_APPROXIMATE_BEFORE = re.compile(r"(?:约|近|超过|逾|不足|不到|接近|大约|约为|最高可达|最高|最低|平均约为)$")
_APPROXIMATE_AFTER = re.compile(r"^(?:左右|以上|以下|多|余|上下)")
# What makes a stated figure approximate ("逾140亿元", "提高50%以上", "80余家"): the claim keeps
# the word (Claim.approximate). A maximum or an average ("最高可达", "平均约为") is another
# figure than the one printed, and gives no claim.
_APPROXIMATE_WORD_BEFORE = re.compile(r"(?:大约|约为|约|接近|近|(?<!不)超过|逾|不足|不到)$")
_APPROXIMATE_WORD_AFTER = re.compile(r"^(?:左右|以上|以下|上下)")
# "30多万元", "80余家": 多/余 sit between the figure and its unit.
_ROUGH_UNIT_AFTER = re.compile(r"^(?P<word>多|余)(?P<unit>万元|亿元|元|万|亿|家|人|名|个|项|次|台|件|只)")
# "近20年动物疫苗累计收入": a total over a span of years, of no fiscal period.
_SPAN_OF_YEARS_BEFORE = re.compile(r"(?:近|过去|最近)$")
_SPAN_OF_YEARS = re.compile(r"^年(?:来|以来)?")
# "80余家企业营业额不足1.5亿元": the figure is about a counted group of companies, not the company.
_COUNTED_GROUP = re.compile(r"^(?:余|多)?(?:家|个)[\u4e00-\u9fff]{0,6}?(?:企业|公司|厂家|厂商|单位)")
# Equipment and works, measured ("1080吨事故应急池", "污水排放管道760米") and counted ("事故应急池1座",
# "自备6台4蒸吨天然气锅炉"): a claim of the item's capacity, length or area, or of how many there are.
_MEASURE = r"(?P<unit>蒸吨|吨|立方米|m³|t/d|平方米|千米|公里|米)"
_ITEM_END = r"(?=$|\d|[,，、。；;]|作为|供|用于)"
_MEASURED_ITEM_AFTER = re.compile(r"^" + _MEASURE + r"(?P<item>[\u4e00-\u9fff]{2,10}?)" + _ITEM_END)
_MEASURE_AFTER = re.compile(r"^" + _MEASURE + r"(?=$|[,，、。；;])")
_PIECES_AFTER = re.compile(r"^(?:座|台|套)(?=$|[,，、。；;])")
_PIECES_OF_MEASURED_AFTER = re.compile(
    r"^\d+(?:\.\d+)?" + _MEASURE + r"(?P<item>[\u4e00-\u9fff]{2,10}?)" + _ITEM_END
)
_DIMENSION = {
    "蒸吨": "容量",
    "吨": "容量",
    "立方米": "容量",
    "m³": "容量",
    "t/d": "处理能力",
    "平方米": "面积",
    "千米": "长度",
    "公里": "长度",
    "米": "长度",
}
# The item's name says already what is measured: "事故应急池容积1300 m³", "设计能力1000t/d".
_DIMENSION_NAMED = re.compile(r"(?:容积|容量|能力|面积|长度|规模)$")
# "每年招标1-2次": a frequency; the actor opens the clause ("省级兽医主管部门通常…").
_FREQUENCY_BEFORE = re.compile(r"每(?P<per>年|季度|月|周)(?P<verb>[\u4e00-\u9fff]{2,4})$")
_CLAUSE_ACTOR = re.compile(r"^(?P<actor>[\u4e00-\u9fff]{2,12}?)(?:通常|一般|原则上|均|每)")
_DURATION_AFTER = re.compile(r"^(?:小时|个月|天|周|年内|年以上|年以内|年|个工作日|日内)")
# "X 业务 / 板块" alone is an entity: "其中半导体存储板块 14 人" states the carried metric of it.
_ENTITY_ONLY = re.compile(r"^.{2,12}(?:业务板块|业务|板块|分部|子公司)$")
_ATTRIBUTE_TAIL = re.compile(
    r"(?:实际税率|税率|毛利率|营业收入|收入|净利润|坏账准备|计提比例|余额|金额|占比|比例)$"
)


# The counted thing printed after a figure the number parser leaves without a unit: shares
# ("627.90万股"), incidents ("82起"), head of livestock ("4.07亿头"); and the "per" of a unit price
# ("4.5元/股", "75.68元/件").
_COUNTER_AFTER = re.compile(r"^(?:股|起|头|只|件)(?!份|东|本|权|票|利)")
_PER_UNIT_AFTER = re.compile(r"^/(?:股|件|片|支|吨|千克|公斤|头份)")
# "授予3,473.5万股限制性股票", "召开5次董事会", "向335名激励对象", "等10个省份的…": the noun the
# count is of, up to a clause mark, a figure, 的 or the verb that follows it.
_COUNTED_NOUN = re.compile(
    r"^(?!已|正在|因|均|共|合计|进行|作为|为|予以|是|在|于|的)(?P<noun>[^\d,，、。；;:：()（）“”《》]{2,14}?)"
    r"(?=$|[\d,，、。；;:：()（）]|的|授予|进行|纳入|通过|开展|处于|获得|放弃|已经|离职|作为|因|已|正在|均|共|合计)"
)
_COUNTING_VERB = re.compile(
    r"(?P<verb>召开|授予|通过|开展|新增|拥有|组织|纳入|完成|获得|承担|实施|回购|解锁|持有|捐赠|建设|设立|"
    r"取得|申报|参加|举办|签订|签署|引进|培养|招聘|演练)(?:了)?(?:共|共计|累计|合计)?$"
)
# "10个处于实验室研究阶段": a count at the head of a clause, then what the counted things are.
_COUNTED_STATE = re.compile(r"^(?P<state>(?:处于|来自|属于|已进入|进入)[^\d,，、。；;:：()（）]{2,14})$")
# Tax rates: "减按15%的税率计缴企业所得税", "享受15%的企业所得税优惠税率", "按20%的税率缴纳企业所得税",
# "所得减按25%计入应纳税所得额", "按…的3%计缴增值税".
_TAX_BEFORE = re.compile(r"(?:减按|按照|按|适用|执行)(?:[^,，按]{0,12}的)?$|享受[^,，]{0,14}$")
_TAX_AFTER = re.compile(
    r"^的?(?P<tax1>企业所得税|所得税|增值税)?(?:优惠)?税率"
    r"|^(?:的税率)?(?:计缴|缴纳|征收)(?P<tax2>企业所得税|所得税|增值税)"
    r"|^(?P<taxable>计入应纳税所得额)"
)
# The company a tax sentence is about: "盐城瓯华公司被认定为", "本公司下属子公司辽宁益康属于",
# "上海海翔公司、东旭医化公司享受", "对港翔科技公司所得减按".
_TAX_ENTITY = re.compile(
    r"(?P<name>(?:[\u4e00-\u9fff]{2,12}?公司、)*[\u4e00-\u9fff]{2,12}?)(?=被认定|属于|享受|所得减按|为高新|于\d{4}年)"
)
# Stakes: "致达控股集团有限公司持股80%", "东港投资持股49%的企业", "占科菲化工公司49.00%的股权".
_STAKE_BEFORE = re.compile(r"(?P<holder>[^,，、：:（(]{2,20}?)持股(?:比例)?(?:为)?$")
_STAKE_OF = re.compile(r"占(?P<company>[^,，、占]{2,20}?)$")
# "德明利内销毛利率比外销高5.68个百分点": a difference between two of its kind, not a change.
_PP_BETWEEN = re.compile(r"^(?P<subject>.+?)比(?P<other>[^,，比]{1,10}?)(?P<way>高|低)(?:了)?$")
# "影响期初未分配利润0.00元": the effect on an account, not its balance.
_EFFECT_ON = re.compile(r"影响(?P<account>[^,，影响]{2,12})$")
# "…11.08 亿元，合计 22.78 亿元": the sum of the amounts the sentence just listed.
_SUM_WORD = re.compile(r"^(?:合计|总计|共计|合计为|总计为|共计为)$")


def _counter_after(quantity: Quantity, after: str) -> str:
    """The counter word or the "/件" of a unit price printed right after the figure ("" if none)."""
    if quantity.unit == Unit.NUMBER:
        counter = _COUNTER_AFTER.match(after)
        return counter.group(0) if counter else ""
    if quantity.unit == Unit.CURRENCY:
        per_unit = _PER_UNIT_AFTER.match(after)
        return per_unit.group(0) if per_unit else ""
    return ""


def _own_period(own_periods: list[tuple[int, int, Period]], position: int) -> Period | None:
    """The period the clause itself names before ``position`` (never one carried over)."""
    found = [period for start, _, period in own_periods if start < position]
    return found[-1] if found else None


# A sentence that opens with a business line: "报告期内，医药板块培南系列…", "染料板块受…影响".
_SENTENCE_SUBJECT = re.compile(
    r"^(?:报告期内|本报告期|本期|同时|其中)?[,，]?(?P<entity>[\u4e00-\u9fff]{2,8}?(?:板块|业务分部|分部|事业部))"
)


# A paragraph that opens with a business line as its subject: "生态环境建设业务受行业环境影响，…",
# "2025 年受行业环境影响，公司生态环境建设业务规模收缩，…", "半导体存储业务，芯存科技…".
_PARAGRAPH_SEGMENT = re.compile(
    r"(?:^|[，,])(?:\d{4}年度?)?(?:报告期内|本期|本年)?(?:公司)?"
    r"(?P<entity>[\u4e00-\u9fff]{2,8}?业务)(?=受|规模|方面|[，,])"
)
# "公司半导体存储业务实现收入34,048.57万元": the clause's actor is a business line.
_CLAUSE_SEGMENT = re.compile(
    r"^(?:其中)?(?:公司|本公司)?(?P<entity>[\u4e00-\u9fff]{2,8}?(?:业务|板块))(?=实现(?:营业)?收入|实现净利润|营业收入|收入[为达])"
)
# Any business line the paragraph names: a second one puts the paragraph's figures in doubt.
_ANY_SEGMENT = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:业务|板块|分部|事业部))")
_GENERIC_SEGMENTS = frozenset(
    {"主营", "其他", "主要", "各项", "相关", "该项", "该", "上述", "各", "新", "全部"}
)
# "扩大业务规模", "聚焦半导体存储业务": an action on a business, not a business line as subject.
_SEGMENT_VERB = re.compile(
    r"^(?:扩大|拓展|发展|聚焦|开展|推进|加快|做大|做强|提升|深化|加强|优化|整合|布局|切入|新增|完成|收缩|"
    r"剥离|开拓|从事|经营|实现|保持|围绕|专注|推动|主要|积极|持续|不断|进一步)"
)
# Words of a clause that speak of the company as a whole, not of the paragraph's business line.
_COMPANY_WIDE = re.compile(r"公司|合并|合计|总计|整体|总体|集团|全部|各业务|分别")


def _paragraph_segment(text: str) -> str:
    """The one business line the first sentence of ``text`` makes its subject, or ""."""
    compact = _SPACES.sub("", normalize(text))
    first_sentence = re.split(r"[。；;!！?？]", compact, maxsplit=1)[0]
    head = ",".join(re.split(r"[，,]", first_sentence)[:2])
    found = _PARAGRAPH_SEGMENT.search(head)
    if found is None:
        return ""
    name = found.group("entity")
    if name.removesuffix("业务") in _GENERIC_SEGMENTS or _SEGMENT_VERB.match(name):
        return ""
    # Every business line the paragraph names must be this one (or the company-wide words).
    for other in _ANY_SEGMENT.findall(compact):
        if other.endswith(name) or other.removesuffix("业务") in _GENERIC_SEGMENTS:
            continue
        if entity_name(other) != entity_name(name) and not other.endswith(("主营业务", "其他业务")):
            return ""
    return entity_name(name)


@lru_cache(maxsize=4096)
def _periods_in(compact: str, report_year: int | None) -> tuple[tuple[int, int, Period], ...]:
    return tuple((m.start, m.end, m.period) for m in find_periods(compact, report_year))


def _prior(period: Period | None, compare: str) -> Period | None:
    """The period a 同比/较上年 comparison is against: the same span one year earlier (环比: the
    previous quarter)."""
    if period is None:
        return None
    key = period.key
    if compare == "环比":
        quarter = re.fullmatch(r"(\d{4})Q([1-4])", key)
        if quarter is None:
            return None
        year, q = int(quarter.group(1)), int(quarter.group(2))
        prior_key = f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"
        return Period(prior_key, compare)
    shifted = re.sub(r"(?<!\d)((?:19|20)\d{2})(?!\d)", lambda m: str(int(m.group(1)) - 1), key)
    return Period(shifted, compare)


def _direction(match: re.Match[str]) -> int:
    if match.group("loss_up"):
        return -1
    if match.group("loss_down"):
        return 1
    if match.group("up"):
        return 1
    if match.group("down"):
        return -1
    return 0


def _noun_phrase(text: str) -> str:
    """The metric noun phrase at the end of ``text`` (period words already removed), or ""."""
    boundary = _NP_BOUNDARY.match(text)
    if boundary is not None:
        text = text[boundary.end() :]
    text = _NUMBERING.sub("", text)
    opened = max(text.rfind("（"), text.rfind("("))
    if opened >= 0 and opened > max(text.rfind("）"), text.rfind(")")):
        text = text[opened + 1 :]  # "…的63,005,888股" inside "（扣除存放于…的…）"
    text = re.sub(r"^(?:扣除|以(?=总股本))", "", text).rstrip("（(")
    text = _NP_LEADING.sub("", text)
    text = _NP_TRAILING.sub("", text)
    too_long = len(text) > 24 or bool(re.search(r"按|导致|影响", text))
    if too_long and "的" in text:
        head = text.rpartition("的")[2]
        if 2 <= len(head) <= 16 and not is_known_metric(normalize_metric(head)):
            text = head
    if not (2 <= len(text) <= 24) or _NP_FORBIDDEN.search(text) or _NOT_A_NOUN_END.search(text):
        return ""
    if text in _VAGUE:
        return ""
    return text


def _is_empty_subject(text: str) -> bool:
    """True when the words before a verb name nothing (so the carried subject applies)."""
    rest = _NP_LEADING.sub("", _NP_TRAILING.sub("", text))
    rest = re.sub(_ADVERBS, "", rest)
    return rest in _VAGUE or not re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", rest)


def _strip_periods(text: str, periods: tuple[tuple[int, int, Period], ...], offset: int) -> str:
    """``text`` (starting at ``offset`` of the clause) with the clause's period words cut out,
    and the 、/和/至 that joined two of them ("2024年度、2025年度营业收入" → "营业收入")."""
    kept: list[str] = []
    position = 0
    previous_end: int | None = None
    for start, end, _ in periods:
        start, end = start - offset, end - offset
        if end <= 0 or start >= len(text):
            continue
        piece = text[position : max(start, 0)]
        if previous_end is not None and previous_end == position and _PERIOD_JOIN.fullmatch(piece):
            piece = ""
        kept.append(piece)
        position = max(end, 0)
        previous_end = position
    kept.append(text[position:])
    return "".join(kept)


# ---------------------------------------------------------------------------------------------
# Figures that are not claims: years, dates, ordinals, identifiers, pages

# A running footer "41/195" (page / pages) and a table of contents line: "第四节经营情况讨论与分析11",
# "第五节重要事项..28", "......14" (a dotted leader read as ".14").
_FOOTER = re.compile(r"^/\d{1,4}$")
_TOC_LINE = re.compile(r"^第[一二三四五六七八九十]{1,3}节[^\d,，。；]{1,30}?[.…·]*$")
_DOTTED_LEADER = re.compile(r"[.…·]{2,}$")
# A heading numbered "12一年内到期的非流动资产、" (PDF extraction moves the 、 after the title) after
# the previous heading's "□适用√不适用": the number opens the clause or follows a check box.
_HEADING_BEFORE = re.compile(r"(?:^|适用|说明|人民币|[□√]|[)）])$")
_HEADING_AFTER = re.compile(
    r"^[\u4e00-\u9fff][^，。；:：\d%]{1,30}?(?:、(?:$|[□√(（\u4e00-\u9fff])|[□√](?:适用|不适用))"
)
# Document numbers: 财会〔2019〕6号, 天健审〔2020〕58号, 公告编号：2020-002, GB21907-2008, DB11/139-2015.
_DOCUMENT_NUMBER_BEFORE = re.compile(r"[〔【\[][\d]{4}[〕】\]]$")
_NOTE_REFERENCE = re.compile(
    r"附注[一二三四五六七八九十]{1,3}(?:[(（][一二三四五六七八九十]{1,3}[)）])?[、.]?(?:\d{1,2}[、.])?$"
)
# "前10名股东", "前5大客户", "排名前10": a rank, not an amount.
_RANK = re.compile(r"前$")
_RANK_AFTER = re.compile(r"^(?:名|大|位|$|的)")


def _reference_class(
    before: str, after: str, quantity: Quantity, plain: bool, context: str, page: int | None
) -> TokenClass | None:
    """Pages, headings, ranks and document numbers that the sentence-level tests below miss."""
    text = quantity.text.strip()
    integer = abs(quantity.value)
    if plain and page is not None and integer == page and _FOOTER.match(after):
        return TokenClass.PAGE  # 41/195: this page's number
    if plain and page is not None and re.search(rf"(?:^|\D){page}/$", before) and not after:
        return TokenClass.PAGE  # 41/195: the number of pages
    if (plain or text.startswith(".")) and (
        not after or re.match(r"^第[一二三四五六七八九十]{1,3}节", after)
    ):
        if _DOTTED_LEADER.search(before) or (text.startswith(".") and before.endswith(".")):
            return TokenClass.PAGE
        if text.startswith(".") and not before:
            return TokenClass.PAGE  # a leader's last dot on its own: ".14"
        if _TOC_LINE.match(re.split(r"(?<=\d)(?=第[一二三四五六七八九十]{1,3}节)", before)[-1]):
            return TokenClass.PAGE
    if plain and 1 <= integer <= 99 and _HEADING_BEFORE.search(before) and _HEADING_AFTER.match(after):
        return TokenClass.ORDINAL
    if plain and re.search(r"组合$", before) and not after:
        return TokenClass.ORDINAL  # 应收票据组合1：银行承兑汇票
    if plain and re.search(r"[〔【\[]$", before) and re.match(r"^[〕】\]]", after):
        return TokenClass.IDENTIFIER  # the year inside 〔2019〕 of a document number
    if plain and _DOCUMENT_NUMBER_BEFORE.search(before):
        return TokenClass.IDENTIFIER  # the serial number after 〔2019〕
    if plain and _NOTE_REFERENCE.search(before):
        return TokenClass.IDENTIFIER  # 附注五38: a note number
    if plain and re.search(r"编号$", context) and re.fullmatch(r"(?:-\d{1,4})?[)）]?", after):
        return TokenClass.IDENTIFIER  # 公告编号：2020-002
    if plain and re.search(r"编号\d{4}$", context + before):
        return TokenClass.IDENTIFIER
    if plain and text.startswith("-") and re.search(r"[A-Za-z]+\d+$|[A-Za-z]+\d*/\d+$", before):
        return TokenClass.IDENTIFIER  # GB21907-2008, DB11/139-2015: a standard's year
    if plain and re.search(r"[A-Za-z]+\d*/?$", before) and re.match(r"^-\d{4}", after):
        return TokenClass.IDENTIFIER  # DB11/139-2015: the standard's number
    if plain and re.match(r"^(?:型|株)", after):
        return TokenClass.IDENTIFIER  # 4型SH株, O/HB/HK/99株: serotypes and strains
    if (
        _RANK.search(before)
        and integer <= 100
        and quantity.decimals == 0
        and quantity.unit
        in (
            Unit.NUMBER,
            Unit.COUNT,
        )
    ):
        if quantity.unit == Unit.COUNT and not text.endswith(("名", "大", "位")):
            return None
        if quantity.unit == Unit.COUNT or _RANK_AFTER.match(after):
            return TokenClass.ORDINAL
    return None


def _classify_other(compact: str, figure: _Figure, context: str = "", page: int | None = None) -> TokenClass:
    """What a figure that is part of no claim is. ``context`` is the sentence before the clause
    (compact), ``page`` the page the paragraph is printed on."""
    before = compact[: figure.start]
    after = compact[figure.end :]
    quantity = figure.quantity
    digits = quantity.text.strip().lstrip("+-")
    plain = quantity.unit == Unit.NUMBER and quantity.scale is None and quantity.decimals == 0
    integer = abs(quantity.value)
    reference = _reference_class(before, after, quantity, plain, context, page)
    if reference is not None:
        return reference
    if _is_definition(before, after, quantity, context):
        return TokenClass.DEFINITION
    if plain and integer <= 12 and re.match(r"^[ꞏ·•]\d{1,2}[”\"]", after) and re.search(r"[“\"]$", before):
        return TokenClass.DATE  # “3ꞏ21”事故: the date that names an event
    if plain and re.search(r"[“\"]\d{1,2}[ꞏ·•]$", before):
        return TokenClass.DATE
    if plain and re.search(r"(?:附注?[一二三四五六七八九十]{1,3}、|表)$", before):
        return TokenClass.IDENTIFIER  # 见附注五、30 / GB21907-2008表2: a note or a table of a text
    if re.search(r"工业$|GOTS$", before) and re.fullmatch(r"\d\.0", quantity.text.strip()):
        return TokenClass.IDENTIFIER  # 工业4.0, GOTS 5.0: names of a standard
    if _PROJECT_NAME_AFTER.match(after):
        return TokenClass.IDENTIFIER  # 1.55万吨活性染料项目: a capacity inside a project's name
    if quantity.unit == Unit.COUNT and before.endswith("第") and quantity.decimals == 0:
        return TokenClass.ORDINAL  # 连续第4次通过
    if plain and integer <= 100 and re.match(r"^-\d{1,3}年", after):
        return TokenClass.DATE  # 运维期内（9-28 年）: the lower bound of a span of years
    inside_title = "《" in before and "》" not in before[before.rfind("《") :]
    if before.endswith(("《", "第")) and re.match(r"^(?:号|条|款|项)", after) and inside_title:
        return TokenClass.IDENTIFIER
    if "《" in before and "》" not in before[before.rfind("《") :] and "》" in after:
        return TokenClass.IDENTIFIER
    if plain and re.search(r"[【\[]$", before) and after.startswith(("】", "]")):
        return TokenClass.IDENTIFIER  # 上证公函【2026】
    if plain and re.match(r"^号", after) and re.search(r"[】\]]$", before):
        return TokenClass.IDENTIFIER  # 【2026】0555 号
    if re.search(r"注$|注\s*$", before) or (re.search(r"[\[［(（]注?$", before) and "注" in before[-3:]):
        return TokenClass.IDENTIFIER
    if plain and re.match(r"^[A-Za-z]", after):
        return TokenClass.IDENTIFIER  # 128GB, 5U, 3D
    if plain and (re.search(r"(?:代码|证券代码|股票代码|电话|传真|邮编|编号)[^,，]{0,6}$", before)):
        return TokenClass.IDENTIFIER
    if plain and len(digits) == 6 and re.match(r"^(?:60|68|00|30|43|83|87|88)", digits):
        return TokenClass.IDENTIFIER  # a stock code
    if (
        plain
        and (len(digits) >= 7 or re.search(r"\d-$", before))
        and not re.match(r"^(?:年|月|日|股|元)", after)
        and "," not in digits
    ):
        return TokenClass.IDENTIFIER  # phone numbers, licence and contract numbers (a share count
        # "1,555,709,365股" has separators or its 股: it is a figure)
    if plain and re.match(r"^页", after):
        return TokenClass.PAGE
    if plain and re.search(r"(?:第|页码|P)$", before) and re.match(r"^页", after):
        return TokenClass.PAGE
    if (
        plain
        and 1900 <= integer <= 2100
        and (
            re.match(r"^(?:年|-\d{4}年|~\d{4}年|至\d{4}年|/\d{4}|、\d{4}年)", after)
            or re.search(r"\d{4}[-~至]$", before)
            or re.match(r"^(?:[.\-/]\d{1,2}[.\-/]\d{1,2})", after)
        )
    ):
        return TokenClass.YEAR
    if (
        plain
        and integer <= 31
        and (
            re.match(r"^(?:月|日|号|季度|-\d{1,2}月|-\d{1,2}季度|~\d{1,2}月|至\d{1,2}月|个季度)", after)
            or re.search(r"(?:\d{4}[.\-/]|月|\d[-~])$", before)
        )
    ):
        return TokenClass.DATE
    numbered = re.search(r"(?:问题|第)$", before) or re.match(
        r"^(?:[、.．)）]|节|章|条|部分|项|次|届)", after
    )
    if plain and numbered and not re.match(r"^[.．]\d", after):
        return TokenClass.ORDINAL
    if plain and re.search(r"[(（]$", before) and re.match(r"^[)）]", after):
        return TokenClass.ORDINAL
    # Durations (24 小时, 前 8 个月, 9-28 年) are spans of time, counted with the dates.
    if integer <= 100 and quantity.decimals == 0:
        counted_months = quantity.text.strip().endswith("个") and after.startswith("月")
        if counted_months or (plain and _DURATION_AFTER.match(after)):
            return TokenClass.DATE
    return TokenClass.UNLINKED


# Parameters of definitions, rules and policies (TokenClass.DEFINITION). Each pattern names the
# wording that makes a figure a parameter; a company's own figure never matches them.
# "10%以上的行业", "变动30%以上的原因", "持有20%以下表决权", "20%或以上表决权", "75%以上（含75%）",
# "20%（含20%）以上但低于50%的表决权股份": a bound that qualifies what follows it.
_THRESHOLD_AFTER = re.compile(
    r"^(?:或)?(?:以上|以下|以内)(?:[(（]含\d+(?:\.\d+)?%[)）])?(?:的|但|或|表决权|[)）\]］])"
    r"|^(?:或)?(?:以上|以下)表决权|^[(（]含\d+(?:\.\d+)?%[)）](?:以上|以下)"
    r"|^(?:或)?(?:以上|以下)[(（]含"
)
# "本项所称“重大资金支出”是指…": the sentence defines a term.
_DEFINED_TERM = re.compile(r"所称[^,，。；;]{1,30}?(?:是指|系指)")
_THRESHOLD_INCLUSIVE = re.compile(r"[(（]含$")  # the "75%" inside "（含75%）"
_THRESHOLD_BEFORE = re.compile(r"(?:低于|高于|不超过|不低于)$")
_THRESHOLD_VOTE_AFTER = re.compile(r"^的?表决权")
# A policy text: "现金分红在本次利润分配中所占比例最低应达到80%", "超过公司最近一期经审计净资产的15%".
_POLICY_BEFORE = re.compile(r"(?:最低应达到|最低应当达到|最近一期经审计(?:净资产|总资产)的)$")
# "每10股派发现金红利3元": the 10 is the basis of a ratio; "假定利率变动50个基准点": an assumption;
# "按照名义金额1元计量": the nominal amount of a measurement policy.
_PER_SHARES_BEFORE = re.compile(r"每$")
_PER_SHARES_AFTER = re.compile(r"^股")
_ASSUMED_AFTER = re.compile(r"^(?:个)?(?:基准点|基点)")
_NOMINAL_BEFORE = re.compile(r"名义金额$")
# "1.55万吨活性染料项目", "年产30亿片(粒)固体制剂技改项目": a capacity that is part of a name.
_PROJECT_NAME_AFTER = re.compile(r"^(?:万|亿)?(?:吨|蒸吨|片|粒|支|头份)[^,，。；;、]{0,20}?(?:项目|锅炉)")


def _is_definition(before: str, after: str, quantity: Quantity, context: str) -> bool:
    """True when the figure is a parameter of a definition, a rule or a policy (see above)."""
    if _DEFINED_TERM.search(context + before):
        return True  # 本项所称“重大资金支出”是指…超过5000万元
    if quantity.unit == Unit.PERCENT:
        if _THRESHOLD_AFTER.match(after):
            return True
        if _THRESHOLD_INCLUSIVE.search(before) and re.match(r"^[)）]", after):
            return True
        if _THRESHOLD_BEFORE.search(before) and _THRESHOLD_VOTE_AFTER.match(after):
            return True
        if _POLICY_BEFORE.search(before):
            return True
    if quantity.decimals == 0 and (
        re.match(r"^/\d{1,2}以上", after) or (re.search(r"\d/$", before) and re.match(r"^以上", after))
    ):
        return True  # 所持表决权的2/3以上同意: a voting rule
    if (
        quantity.unit == Unit.PERCENT
        and re.search(r"(?:不低于|不高于|不超过|不少于)$", before)
        and re.match(r"^的[^,，]{0,6}(?:考核目标|目标|条件|标准)", after)
    ):
        return True  # 净利润增长率不低于80%的业绩考核目标: a condition of an incentive plan
    if quantity.decimals == 0 and quantity.value == 10 and _PER_SHARES_BEFORE.search(before):
        return bool(_PER_SHARES_AFTER.match(after))
    if re.search(r"假定|假设", context + before) and (
        _ASSUMED_AFTER.match(after) or (quantity.unit == Unit.COUNT and after.startswith("基准点"))
    ):
        return True
    return quantity.unit == Unit.CURRENCY and bool(_NOMINAL_BEFORE.search(before))


# ---------------------------------------------------------------------------------------------
# Clauses


@dataclass(frozen=True, slots=True)
class _ParagraphInput:
    paragraph: Paragraph
    source: FactSource
    report_year: int | None
    lead: str = ""  # the unfinished sentence the paragraph before ends with (compact)
    trail: str = ""  # the start of the next paragraph, when this one ends inside a sentence
    # "…本期增亏主要项目变动原因如下：" then "①营业毛利减少 2,608.09 万元，…": the business line and
    # period of the paragraph that announces the list, for the headline clause of each item.
    listed_entity: str = ""
    listed_period: Period | None = None
    # "玻璃业务板块：" on a line of its own: the business line the paragraphs under it are about.
    headed_entity: str = ""


class _ClauseReader:
    """Reads the clauses of one paragraph in order, carrying the subject over."""

    def __init__(self, item: _ParagraphInput) -> None:
        self.item = item
        self.subject = _Subject()
        self.claims: list[Claim] = []
        self.tokens: list[NumericToken] = []
        self.context = ""  # the end of the sentence's previous clause (compact)
        # The sentence before the clause (compact); a paragraph that continues a sentence cut by
        # the reader starts with the tail of the paragraph before it.
        self.sentence_before = item.lead
        self.last_claim: Claim | None = None  # the claim of the last figure read, if it made one
        self._last_clause = ""  # the clause being read, when it ends the paragraph
        self.tax_entity: str | None = None  # the company the paragraph's tax rates are about
        # The business line a sentence opens with ("医药板块…，实现净利润2.95亿元"): the entity of
        # every claim of the sentence that names none of its own.
        self.sentence_entity = ""
        # The business line the paragraph is about ("生态环境建设业务受行业环境影响，…"): the entity
        # of its later claims that name none, unless their clause speaks of the company as a whole.
        self.paragraph_entity = _paragraph_segment(item.paragraph.text) or _opening_subject(
            item.paragraph.text, item.headed_entity
        )
        self._clause_compact = ""
        self._clauses_read = 0  # clauses of the paragraph read so far (0: its first, the headline)
        # The business line a clause opens with before its verb ("公司半导体存储业务实现收入…").
        self.clause_entity = ""

    # -- helpers ------------------------------------------------------------------------------

    def _location(self, figure: _Figure) -> Location:
        return replace(self.item.paragraph.location, quote=figure.quote)

    def _claim(
        self,
        kind: ClaimKind,
        figure: _Figure,
        metric: tuple[str, str, str],
        period: Period | None,
        sentence: str,
        direction: int = 0,
        base_period: Period | None = None,
        base_metric: str = "",
        base_quantity: Quantity | None = None,
    ) -> Claim:
        entity, metric_name, metric_text = metric
        if not entity and self.clause_entity:
            entity = self.clause_entity
            if self.subject.metric == metric_name and not self.subject.entity:
                self.subject.entity = entity  # "…，较2024年度同比增长207.88%" speaks of it too
        if not entity and self.sentence_entity:
            entity = self.sentence_entity
        if self._clauses_read == 0 and self.item.listed_entity:
            # The headline of a listed item: "①营业毛利减少 2,608.09 万元" (its explanations after the
            # first clause are parts of the change, never the change itself).
            if not entity and not _COMPANY_WIDE.search(self._clause_compact[: figure.start]):
                entity = self.item.listed_entity
            if kind is ClaimKind.DIFFERENCE and period is None and base_period is None:
                period = self.item.listed_period
                base_period = _prior(period, "同比")
        if (
            not entity
            and self.paragraph_entity
            and not _COMPANY_WIDE.search(self._clause_compact[: figure.start])
        ):
            entity = self.paragraph_entity
        quantity = figure.quantity
        return Claim(
            kind=kind,
            metric=metric_name,
            metric_text=metric_text,
            entity=entity,
            period=period,
            quantity=quantity,
            location=self._location(figure),
            sentence=sentence,
            source=self.item.source,
            direction=direction,
            base_period=base_period,
            base_metric=base_metric,
            base_quantity=base_quantity,
            scale=quantity.scale if quantity.unit in (Unit.CURRENCY, Unit.NUMBER) else None,
        )

    def _metric(self, phrase: str) -> tuple[str, str, str] | None:
        """(entity, metric, metric text) of a noun phrase, or None when it names no metric."""
        if not phrase:
            return None
        if _ENTITY_ONLY.match(phrase) and self.subject.metric:
            # "其中半导体存储板块 14 人": the carried metric, of this business line.
            return entity_name(phrase), self.subject.metric, self.subject.metric_text
        entity, metric_text = split_entity(phrase)
        metric = normalize_metric(metric_text)
        if not metric or metric in _VAGUE:
            return None
        if entity.startswith(("该", "上述", "此", "这")):
            entity = self.subject.entity  # 该项业务: the business line named before
        return entity, metric, phrase

    def _subject_metric(self, text: str) -> tuple[str, str, str] | None:
        """The metric the words before a verb name; the carried one when they name nothing."""
        if _is_empty_subject(text):
            return self._carried_metric()
        return self._metric(_noun_phrase(text))

    def _carried_metric(self) -> tuple[str, str, str] | None:
        if not self.subject.metric:
            return None
        return self.subject.entity, self.subject.metric, self.subject.metric_text

    def _remember(self, metric: tuple[str, str, str]) -> None:
        self.subject.entity, self.subject.metric, self.subject.metric_text = metric

    def _other(self, compact: str, figure: _Figure) -> TokenClass:
        page = self.item.paragraph.location.page
        token_class = _classify_other(compact, figure, self.context, page)
        if (
            token_class is TokenClass.UNLINKED
            and figure.end == len(compact)
            and self.item.trail
            and compact == self._last_clause
        ):
            # "…自2019" / "年6月10日起…": the reader cut the line inside a date.
            token_class = _classify_other(compact + self.item.trail, figure, self.context, page)
        return token_class

    def _token(self, figure: _Figure, token_class: TokenClass) -> None:
        self.tokens.append(NumericToken(figure.quote, self._location(figure), token_class))

    def _period_before(self, own_periods: list[tuple[int, int, Period]], position: int) -> Period | None:
        found = [period for start, _, period in own_periods if start < position]
        if found:
            return found[-1]
        return self.subject.period

    # -- reading --------------------------------------------------------------------------------

    def read(self) -> None:
        for sentence in _SENTENCE_END.split(self.item.paragraph.text):
            sentence_text = sentence.strip()
            if not sentence_text:
                continue
            self.context = ""
            subject = _SENTENCE_SUBJECT.match(_SPACES.sub("", normalize(sentence_text)))
            self.sentence_entity = entity_name(subject.group("entity")) if subject else ""
            for clause in _clauses(sentence):
                if clause.strip():
                    self._read_clause(clause, sentence_text)
                    compact_clause = _SPACES.sub("", normalize(clause))
                    self.context = compact_clause[-24:]
                    self._clauses_read += 1
                    self.sentence_before += compact_clause + "，"
            self.sentence_before = ""

    def _figures(self, clause: str) -> tuple[str, list[_Figure]]:
        normalized = normalize(clause)
        # Patterns are matched on the text without spaces, which PDF extraction scatters inside
        # words ("2025 年", "营业收 入"); figures keep their printed form for the quote.
        compact_index: list[int] = []
        compact_chars: list[str] = []
        for char in normalized:
            compact_index.append(len(compact_chars))
            if not char.isspace():
                compact_chars.append(char)
        compact_index.append(len(compact_chars))
        compact = "".join(compact_chars)
        figures = [
            _Figure(compact_index[start], compact_index[end], quantity, normalized[start:end].strip())
            for start, end, quantity in find_quantities(normalized)
        ]
        return compact, figures

    def _read_clause(self, clause: str, sentence: str) -> None:
        compact, figures = self._figures(clause)
        self._clause_compact = compact
        actor = _CLAUSE_SEGMENT.match(compact)
        self.clause_entity = (
            entity_name(actor.group("entity"))
            if actor is not None
            and not _SEGMENT_VERB.match(actor.group("entity"))
            and actor.group("entity").removesuffix("业务") not in _GENERIC_SEGMENTS
            else ""
        )
        paragraph_compact = _SPACES.sub("", normalize(self.item.paragraph.text)).rstrip()
        self._last_clause = compact if paragraph_compact.endswith(compact) else ""
        report_year = self.item.report_year
        periods = _periods_in(compact, report_year)
        free: list[_Figure] = []
        for figure in figures:
            if any(start <= figure.start < end for start, end, _ in periods):
                # Figures inside period words ("2025年", "10-12月") are years and dates.
                token_class = self._other(compact, figure)
                if token_class not in (TokenClass.YEAR, TokenClass.DATE):
                    token_class = TokenClass.DATE if abs(figure.quantity.value) < 1900 else TokenClass.YEAR
                self._token(figure, token_class)
            else:
                free.append(figure)
        # The clause's own periods: not a comparison base (较2022年度), not a from-period (由2024年
        # 的), not a month (2025 年 4 月公司整合…: the date of an event, not a fact's period).
        own_periods = [
            (start, end, period)
            for start, end, period in periods
            if not re.search(r"(?:较|比|与|由|从|相比|自)$", compact[:start])
            and not re.fullmatch(r"\d{4}-\d{2}", period.key)
            and not _in_brackets(compact, start)
        ]
        if not own_periods and report_year is not None and "全年" in compact and self.subject.period is None:
            own_periods = [
                (compact.index("全年"), compact.index("全年") + 2, Period(str(report_year), "全年"))
            ]
        self._note_enumeration(compact, periods)
        claimed: set[int] = set()
        members: set[int] = set()
        self._read_lists(compact, free, periods, own_periods, sentence, claimed, members)
        position = 0
        index = 0
        while index < len(free):
            figure = free[index]
            if index in claimed or index in members:
                position = figure.end
                index += 1
                continue
            if index + 1 < len(free) and index + 1 not in members:
                bounds = self._range(compact, free, index, position, periods, own_periods, sentence)
                if bounds:
                    self.claims.extend(bounds)
                    claimed.update((index, index + 1))
                    position = free[index + 1].end
                    index += 2
                    continue
                from_to = self._from_to(compact, free, index + 1, position, periods, own_periods, sentence)
                if from_to is not None:
                    self.claims.append(from_to)
                    claimed.update((index, index + 1))
                    position = free[index + 1].end
                    index += 2
                    continue
            claim = self._read_figure(compact, free, index, position, periods, own_periods, sentence)
            if claim is not None:
                claimed.add(index)
                self.claims.append(claim)
            position = figure.end
            index += 1
        item_number = (
            len(free) == 1
            and compact == free[0].quote
            and re.fullmatch(r"\d{1,2}", compact) is not None
            and _SPACES.sub("", normalize(self.item.paragraph.text)).startswith(compact + ",")
        )
        for index, figure in enumerate(free):
            if item_number:
                token_class = TokenClass.ORDINAL
            else:
                token_class = TokenClass.CLAIM if index in claimed else self._other(compact, figure)
            self._token(figure, token_class)
        if free:
            last_claimed = (
                len(free) - 1 in claimed and self.claims and self.claims[-1].location.quote == free[-1].quote
            )
            self.last_claim = self.claims[-1] if last_claimed else None
        if free and len(free) - 1 not in claimed:
            # A figure hecha could not read breaks the chain: later clauses do not inherit a
            # subject from before it ("…11.08 亿元，合计 22.78 亿元，同比下降 2.85%").
            self.subject.metric = ""
        if own_periods:
            self.subject.period = own_periods[-1][2]

    def _note_enumeration(self, compact: str, periods: tuple[tuple[int, int, Period], ...]) -> None:
        """Remember "2023 年至 2025 年" / "2024年度、2025年度" for a later "分别为" list."""
        if len(periods) < 2:
            return
        (s1, e1, p1), (s2, e2, p2) = periods[-2], periods[-1]
        joint = compact[e1:s2]
        if joint in ("至", "-", "~") and p1.key.isdigit() and p2.key.isdigit():
            years = range(int(p1.key), int(p2.key) + 1)
            self.subject.periods_list = [Period(str(year), compact[s1:e2]) for year in years]
        elif _LIST_JOIN.match(joint):
            group = [p2]
            for number in range(len(periods) - 2, -1, -1):
                if not _LIST_JOIN.match(compact[periods[number][1] : periods[number + 1][0]]):
                    break
                group.insert(0, periods[number][2])
            self.subject.periods_list = group

    # -- single figures -------------------------------------------------------------------------

    def _range(
        self,
        compact: str,
        free: list[_Figure],
        index: int,
        position: int,
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> list[Claim]:
        """每年招标1-2次: the two bounds of a range, each a claim of what the range is stated for,
        with the range as printed for their approximation ([] when it is not a range or names
        nothing)."""
        low, high = free[index], free[index + 1]
        joint = compact[low.end : high.start]
        dash = not joint and high.quote.startswith(("-", "~"))
        if not (dash or (joint in ("至", "~") and not high.quote.startswith("-"))):
            return []
        if low.quantity.unit != Unit.NUMBER or low.quantity.scale is not None:
            return []
        high_quantity = parse_quantity(high.quote.lstrip("-~"))
        if high_quantity is None or high_quantity.unit == Unit.NUMBER:
            return []
        unit_text = re.sub(r"^[\d.,\s]+", "", high_quantity.text)
        low_quantity = parse_quantity(low.quote + unit_text)
        if (
            low_quantity is None
            or low_quantity.unit != high_quantity.unit
            or low_quantity.value >= high_quantity.value
        ):
            return []
        stated = [*free[: index + 1], replace(high, quantity=high_quantity), *free[index + 2 :]]
        around = (compact[position : low.start], compact[high.end :])
        claim = self._read_stated(
            compact, stated, index + 1, position, around, periods, own_periods, sentence
        )
        if claim is None:
            return []
        printed = compact[low.start : high.end]
        return [
            replace(
                claim,
                quantity=low_quantity,
                location=replace(claim.location, quote=low.quote),
                approximate=printed,
            ),
            replace(
                claim, location=replace(claim.location, quote=high.quote.lstrip("-~")), approximate=printed
            ),
        ]

    def _from_to(
        self,
        compact: str,
        free: list[_Figure],
        index: int,
        position: int,
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> Claim | None:
        """由 A 下降至 B / 从 412 人下降至 236 人: the claim is about B, from A."""
        previous, figure = free[index - 1], free[index]
        between = re.fullmatch(
            r"(?:的)?(?P<verb>[^,，]{0,8}?)(?:至|到)(?P<period>[^,，]{0,12}?)(?:的)?",
            compact[previous.end : figure.start],
        )
        if between is None:
            return None
        lead = compact[position : previous.start]
        from_match = re.search(r"(?:由|从)(?P<period>[^,，由从]{0,12}?)(?:的)?$", lead)
        if from_match is None:
            return None
        same_unit = previous.quantity.unit == figure.quantity.unit
        if not same_unit or (figure.quantity.unit == Unit.NUMBER and figure.quantity.scale is None):
            return None
        metric = self._subject_metric(_strip_periods(lead[: from_match.start()], periods, position))
        if metric is None:
            return None
        self._remember(metric)
        verb = re.search(_DIRECTION_WORD + r"|提升|上涨|回落|降", between.group("verb"))
        direction = 0
        if verb is not None:
            direction = -1 if verb.group(0) in ("回落", "降") else (_direction(verb) or 1)
        base_text, to_text = from_match.group("period"), between.group("period")
        base_period = parse_period(base_text, self.item.report_year) if base_text else None
        to_period = parse_period(to_text, self.item.report_year) if to_text else None
        period = to_period or self._period_before(own_periods, previous.start)
        return self._claim(
            ClaimKind.FROM_TO,
            figure,
            metric,
            period,
            sentence,
            direction=direction,
            base_period=base_period,
            base_quantity=previous.quantity,
        )

    def _read_figure(
        self,
        compact: str,
        free: list[_Figure],
        index: int,
        position: int,
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> Claim | None:
        figure = free[index]
        before = compact[position : figure.start]
        after = compact[figure.end :]
        if _is_definition(compact[: figure.start], after, figure.quantity, self.context):
            return None  # "占租赁资产使用寿命的75%以上": a policy's threshold, never a claim
        approximate = ""
        rough = _ROUGH_UNIT_AFTER.match(after) if figure.quantity.unit == Unit.NUMBER else None
        if rough is not None and figure.quantity.scale is None:
            # 30多万元: the figure is 30万元, stated as "more than".
            stated = parse_quantity(figure.quote + rough.group("unit"))
            if stated is not None:
                figure = replace(figure, quantity=stated)
                approximate, after = rough.group("word"), after[rough.end() :]
        word_before = _APPROXIMATE_WORD_BEFORE.search(before)
        if word_before is not None:
            approximate, before = word_before.group(0) + approximate, before[: word_before.start()]
        word_after = _APPROXIMATE_WORD_AFTER.match(after)
        if word_after is not None:
            approximate, after = approximate + word_after.group(0), after[word_after.end() :]
        if approximate:
            free = [*free[:index], figure, *free[index + 1 :]]
        claim = self._read_stated(
            compact, free, index, position, (before, after), periods, own_periods, sentence
        )
        return replace(claim, approximate=approximate) if claim is not None and approximate else claim

    def _read_stated(
        self,
        compact: str,
        free: list[_Figure],
        index: int,
        position: int,
        around: tuple[str, str],
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> Claim | None:
        """The claim ``free[index]`` makes; ``around`` is the clause before and after it (from
        ``position`` on) without the words that make it approximate."""
        figure = free[index]
        before, after = around
        group_entity = ""
        span_of_years = False
        if index > 0:
            previous = free[index - 1]
            group = _COUNTED_GROUP.match(before)
            span = _SPAN_OF_YEARS.match(before)
            if group is not None:
                group_entity, before = previous.quote + group.group(0), before[group.end() :]
                position = figure.start - len(before)
            elif (
                span is not None
                and _SPAN_OF_YEARS_BEFORE.search(compact[: previous.start])
                and not any(previous.end <= start < figure.start for start, _, _ in periods)
            ):
                # 近20年动物疫苗累计收入: no period named between the span and the figure.
                span_of_years, before = True, before[span.end() :]
                position = figure.start - len(before)
        claim = self._read_plain(
            compact, free, index, position, (before, after), periods, own_periods, sentence
        )
        if claim is not None and group_entity:
            claim = replace(claim, entity=group_entity)
        if claim is not None and span_of_years:
            claim = replace(claim, period=None)
        return claim

    def _read_plain(
        self,
        compact: str,
        free: list[_Figure],
        index: int,
        position: int,
        around: tuple[str, str],
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> Claim | None:
        figure = free[index]
        quantity = figure.quantity
        before, after = around
        counter = _counter_after(quantity, after)
        if counter:
            after = after[len(counter) :]  # 627.90万股 / 4.5元/股: the counted thing, not the clause
        equipment = self._equipment(figure, (compact[: figure.start], before, after), own_periods, sentence)
        if equipment is not None:
            return equipment
        if quantity.unit == Unit.NUMBER and quantity.scale is None and not counter:
            return None  # a bare number names nothing a claim can be about
        if _APPROXIMATE_BEFORE.search(before) or _APPROXIMATE_AFTER.match(after):
            return None  # 最高可达 / 平均约为 / 80多: not the figure printed
        period = self._period_before(own_periods, figure.start)
        comparative = self._bracket_comparative(free, index, before, sentence)
        if comparative is not None:
            return comparative
        special = self._special(figure, before, after, compact, own_periods, sentence)
        if special is not None:
            return special
        if (
            index > 0
            and re.search(r"(?:至|到)[^,，]{0,12}$", before)
            and re.search(r"(?:由|从)[^,，]{0,12}$", compact[: free[index - 1].start])
        ):
            return None  # the end of a 由 A 至 B that _from_to could not read

        stated_base = self._stated_base(free, index, before, sentence)
        if stated_base is not None:
            return stated_base

        change = _CHANGE_RE.search(before)
        if change is not None:
            return self._change(figure, change, before, periods, position, own_periods, period, sentence)

        if quantity.unit == Unit.PERCENT:
            share = _SHARE_RE.search(before)
            if share is not None and share.group("base4") and not _VALUE_AFTER.match(after):
                share = None  # 占科菲化工公司 49.00% 的股权: a stake, not a share of a total
            if share is not None:
                base_text = share.group("base") or share.group("base3") or share.group("base4") or ""
                if not base_text and index > 0 and re.match(r"^的?(?:比重|比例)", before):
                    # 占全年收入 33,865.58 万元的比重达 44.30%: the base is named before the amount.
                    base_phrase = re.search(r"占([^,，占]{1,24})$", compact[: free[index - 1].start])
                    base_text = base_phrase.group(1) if base_phrase else ""
                    metric = self._carried_metric()
                else:
                    metric = self._subject_metric(_strip_periods(before[: share.start()], periods, position))
                if metric is None:
                    return None
                self._remember(metric)
                base_metric = normalize_metric(_strip_periods(base_text, _periods_in(base_text, None), 0))
                return self._claim(ClaimKind.SHARE, figure, metric, period, sentence, base_metric=base_metric)

        if quantity.unit == Unit.MULTIPLE:
            multiple = _MULTIPLE_RE.search(before)
            if multiple is None:
                return None
            metric = self._subject_metric(_strip_periods(before[: multiple.start()], periods, position))
            if metric is None:
                return None
            base_text = multiple.group("base")
            base_period = parse_period(base_text, self.item.report_year)
            base_metric = normalize_metric(_strip_periods(base_text, _periods_in(base_text, None), 0))
            return self._claim(
                ClaimKind.MULTIPLE,
                figure,
                metric,
                period,
                sentence,
                base_period=base_period,
                base_metric=base_metric,
            )

        if quantity.unit == Unit.PERCENT_POINT:
            return None
        if quantity.unit == Unit.COUNT or counter == "股":
            # A count or a number of shares is dated by its own clause only: the period carried
            # from an earlier clause is often an event's date ("2019年3月13日…解锁…160万股").
            own = _own_period(own_periods, figure.start)
            months = quantity.text.strip().endswith("个") and after.startswith("月")
            if _RANK.search(before) or before.endswith("第") or _DURATION_AFTER.match(after) or months:
                return None
            frequency = _FREQUENCY_BEFORE.search(before) if quantity.text.strip().endswith("次") else None
            if frequency is not None:
                # 每年招标1-2次: how often the clause's actor does it.
                actor = _CLAUSE_ACTOR.match(before)
                actor_name = actor.group("actor") if actor else ""
                entity = "" if actor_name in ("", "公司", "本公司") else entity_name(actor_name)
                name = f"每{frequency.group('per')}{frequency.group('verb')}次数"
                return self._claim(ClaimKind.VALUE, figure, (entity, name, name), own, sentence)
            value = self._value(figure, before, after, periods, position, period, sentence)
            if value is not None and not is_known_metric(value.metric):
                value = replace(value, period=own)
            return value or self._counted(figure, before, after, own, sentence)
        return self._value(figure, before, after, periods, position, period, sentence)

    def _equipment(
        self,
        figure: _Figure,
        context: tuple[str, str, str],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> Claim | None:
        """1080吨事故应急池 (capacity), 污水排放管道760米 (length), 事故应急池1座 and
        6台4蒸吨天然气锅炉 (how many): what the works and equipment a sentence lists measure. A
        capacity inside a project's name ("1.55万吨活性染料项目") is not one. ``context``: the
        clause before the figure, the words of its claim before it, and the clause after it."""
        quantity = figure.quantity
        preceding, before, after = context
        if quantity.scale is not None or quantity.unit not in (Unit.NUMBER, Unit.COUNT):
            return None
        own = _own_period(own_periods, figure.start)
        plain = quantity.unit == Unit.NUMBER
        item = ""
        measured = _MEASURED_ITEM_AFTER.match(after) if plain else None
        measure = _MEASURE_AFTER.match(after) if plain else None
        pieces_of = (
            _PIECES_OF_MEASURED_AFTER.match(after)
            if quantity.text.strip().endswith(("台", "座", "套"))
            else None
        )
        project = re.match(r"^[^,，。；;、]{0,24}?项目", after)
        if measured is not None and project is None:
            each = "单台" if re.search(r"\d(?:台|座|套)$", preceding) else ""  # 6台4蒸吨锅炉: each 4
            item = measured.group("item") + each + _DIMENSION[measured.group("unit")]
        elif measure is not None:
            noun = _noun_phrase(_VALUE_VERB.sub("", re.sub(r"^" + _MEASURE, "", before)))
            dimension = "" if _DIMENSION_NAMED.search(noun) else _DIMENSION[measure.group("unit")]
            item = noun + dimension if noun else ""
        elif plain and _PIECES_AFTER.match(after):
            noun = _noun_phrase(re.sub(r"^" + _MEASURE, "", before))
            item = noun + "数量" if noun else ""
        elif pieces_of is not None:
            item = pieces_of.group("item") + "数量"
        if not item:
            return None
        name = re.sub(r"^(?:自备|新建|建设|建有|配备)", "", item)
        return self._claim(ClaimKind.VALUE, figure, ("", name, name), own, sentence)

    def _previous_claim(self, free: list[_Figure], index: int) -> Claim | None:
        """The claim of the figure just before ``free[index]`` in this clause, if it made one."""
        if index > 0 and self.claims and self.claims[-1].location.quote == free[index - 1].quote:
            return self.claims[-1]
        return None

    def _bracket_comparative(
        self, free: list[_Figure], index: int, before: str, sentence: str
    ) -> Claim | None:
        """资产负债率为16.17%（2019年12月31日：12.83%）: the bracket gives the same metric for another
        period. The bracket's period is the claim's only; the carried period stays."""
        bracket = re.fullmatch(r"[(（](?P<period>[^()（）:：]{2,20}?)[:：](?:人民币)?", before)
        previous = self._previous_claim(free, index)
        if bracket is None or previous is None or previous.kind not in (ClaimKind.VALUE, ClaimKind.SHARE):
            return None
        figure = free[index]
        if previous.quantity.unit != figure.quantity.unit:
            return None
        period = parse_period(bracket.group("period"), self.item.report_year)
        if period is None:
            return None
        metric = (previous.entity, previous.metric, previous.metric_text)
        return self._claim(previous.kind, figure, metric, period, sentence, base_metric=previous.base_metric)

    def _special(
        self,
        figure: _Figure,
        before: str,
        after: str,
        compact: str,
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
    ) -> Claim | None:
        """Tax rates, stakes, differences between two of a kind, effects on an account and the sum
        of a listed run: each with the entity the sentence names, and the period only when the
        clause itself states one."""
        unit = figure.quantity.unit
        own = _own_period(own_periods, figure.start)
        if unit == Unit.PERCENT:
            tax = _TAX_AFTER.match(after) if _TAX_BEFORE.search(before) else None
            if tax is not None:
                kind = tax.group("tax1") or tax.group("tax2") or ""
                if not kind and not tax.group("taxable"):
                    kind = "企业所得税" if "所得税" in after[:16] else ""
                tax_metric = "应纳税所得额计入比例" if tax.group("taxable") else f"{kind}税率"
                if tax_metric == "税率":
                    return None
                entity = self._tax_entity(self.sentence_before + compact[: figure.start])
                if entity is None:
                    entity = self.tax_entity
                if entity is None:
                    return None
                self.tax_entity = entity
                # A tax rate holds from a year on ("自2017年起"): no period of its own.
                taxed = (entity, tax_metric, tax_metric)
                return self._claim(ClaimKind.VALUE, figure, taxed, None, sentence)
            stake = _STAKE_BEFORE.search(before)
            if stake is not None and (_VALUE_AFTER.match(after) or after.startswith("的")):
                holder_text = re.split(r"系|控股股东|股东|[:：]", stake.group("holder"))[-1]
                holder = entity_name(_NP_LEADING.sub("", holder_text))
                if holder:
                    return self._claim(
                        ClaimKind.VALUE, figure, (holder, "持股比例", "持股比例"), None, sentence
                    )
            stake_of = _STAKE_OF.search(before)
            if stake_of is not None and re.match(r"^的?股权", after):
                company = stake_of.group("company")
                stake_metric = f"持有{company}股权比例"
                # The holder is the company that invests just before: "台州前进公司计划投资…，占…".
                holders = re.findall(
                    r"([\u4e00-\u9fff]{2,12}?公司)(?:计划|拟)?(?:出资|投资|持有|认缴)", self.context + before
                )
                if holders:
                    holder = entity_name(re.sub(r"^(?:其中|由|公司子公司|子公司)", "", holders[-1]))
                    held = (holder, stake_metric, stake_metric)
                    return self._claim(ClaimKind.VALUE, figure, held, None, sentence)
        if unit == Unit.PERCENT_POINT:
            between = _PP_BETWEEN.match(_strip_periods(before, _periods_in(before, None), 0))
            if between is not None:
                metric = self._metric(_noun_phrase(between.group("subject")))
                if metric is None:
                    return None
                other = between.group("other")
                subject_text = _noun_phrase(between.group("subject"))
                tail = _ATTRIBUTE_TAIL.search(subject_text)
                if tail is not None and not _ATTRIBUTE_TAIL.search(other) and tail.start() > len(other):
                    # 德明利内销毛利率 比 外销: the metric is 内销毛利率, the entity 德明利.
                    cut = tail.start() - len(other)
                    metric = (entity_name(subject_text[:cut]), subject_text[cut:], subject_text)
                base_metric = other + tail.group(0) if tail and not other.endswith(tail.group(0)) else other
                return self._claim(
                    ClaimKind.PP_CHANGE,
                    figure,
                    metric,
                    own or self.subject.period,
                    sentence,
                    direction=1 if between.group("way") == "高" else -1,
                    base_metric=base_metric,
                )
        if unit == Unit.CURRENCY:
            effect = _EFFECT_ON.search(before)
            if effect is not None and _VALUE_AFTER.match(after):
                effect_name = f"对{effect.group('account')}的影响"
                return self._claim(ClaimKind.VALUE, figure, ("", effect_name, effect_name), own, sentence)
            if _SUM_WORD.match(before) and _VALUE_AFTER.match(after) and figure.quantity.scale is not None:
                listed = [
                    claim
                    for claim in self.claims
                    if claim.sentence == sentence
                    and claim.kind is ClaimKind.VALUE
                    and claim.quantity.scale is not None
                ]
                if listed:
                    first = listed[0]
                    sum_name = f"{first.metric}等合计"
                    summed = (first.entity, sum_name, sum_name)
                    self._remember(summed)
                    return self._claim(ClaimKind.VALUE, figure, summed, first.period, sentence)
        return None

    def _tax_entity(self, text: str) -> str | None:
        """The company a tax sentence is about ("" for 本公司), or None when it names none."""
        found = [match for match in _TAX_ENTITY.finditer(text) if not match.group("name").startswith("被")]
        if found:
            name = found[-1].group("name")
            name = re.sub(
                r"^(?:对|本公司之子公司|公司之子公司|之子公司|本公司下属子公司|公司下属子公司|下属子公司|本公司下属|下属|子公司)",
                "",
                name,
            )
            return "" if name in ("本公司", "公司") else entity_name(name)
        if re.search(r"本公司|^公司", text):
            return ""
        return None

    def _counted(
        self, figure: _Figure, before: str, after: str, period: Period | None, sentence: str
    ) -> Claim | None:
        """召开5次董事会 / 授予3,473.5万股限制性股票 / 向335名激励对象 / 10个处于实验室研究阶段: a count
        of the noun that follows the figure (with the verb before it), or of the state that
        follows a count heading its clause. The period is the clause's own, if any."""
        noun = _COUNTED_NOUN.match(after)
        if noun is not None and not _NOT_A_NOUN_END.search(noun.group("noun")):
            verb = _COUNTING_VERB.search(before)
            name = (verb.group("verb") if verb else "") + noun.group("noun")
            metric = self._metric(name)
            if metric is not None:
                return self._claim(ClaimKind.VALUE, figure, metric, period, sentence)
        state = _COUNTED_STATE.match(re.split(r"[,，。；;]", after)[0])
        if state is not None and re.fullmatch(r"(?:其中|另有|有)?", before):
            name = state.group("state")
            return self._claim(ClaimKind.VALUE, figure, ("", name, name), period, sentence)
        return None

    def _stated_base(self, free: list[_Figure], index: int, before: str, sentence: str) -> Claim | None:
        """收入为 22,210.37 万元，较 2024 年度的 27,584.81 万元有所下降: the base amount is the value
        of the metric just stated, for the period named after 较 (only when the figure before it
        in the clause is that claim, in the same unit)."""
        base = _STATED_BASE.search(before)
        last = self.last_claim if index == 0 else None
        if index > 0 and self.claims and self.claims[-1].location.quote == free[index - 1].quote:
            last = self.claims[-1]
        if base is None or last is None:
            return None
        figure = free[index]
        if (
            last.kind is not ClaimKind.VALUE
            or last.sentence != sentence
            or last.quantity.unit != figure.quantity.unit
            or (last.quantity.scale is None) != (figure.quantity.scale is None)
        ):
            return None
        period = parse_period(base.group("period"), self.item.report_year)
        if period is None:
            return None
        metric = (last.entity, last.metric, last.metric_text)
        return self._claim(ClaimKind.VALUE, figure, metric, period, sentence)

    def _change(
        self,
        figure: _Figure,
        change: re.Match[str],
        before: str,
        periods: tuple[tuple[int, int, Period], ...],
        position: int,
        own_periods: list[tuple[int, int, Period]],
        period: Period | None,
        sentence: str,
    ) -> Claim | None:
        """同比增长 X% / 较2022年度下降 X% / 增亏 X% / 减少 X 万元 / 增加 X 个百分点."""
        metric = self._subject_metric(_strip_periods(before[: change.start()], periods, position))
        if metric is None:
            return None
        self._remember(metric)
        unit = figure.quantity.unit
        direction = _direction(change)
        if unit == Unit.MULTIPLE:
            return None
        if unit not in (Unit.PERCENT, Unit.PERCENT_POINT) and re.search(r"(?:至|到)$", change.group(0)):
            # 缩减至 1 人: the value reached, only when the clause names its own period.
            if not any(start < figure.start for start, _, _ in own_periods):
                return None
            return self._claim(ClaimKind.VALUE, figure, metric, period, sentence)
        kind = {Unit.PERCENT: ClaimKind.CHANGE_RATE, Unit.PERCENT_POINT: ClaimKind.PP_CHANGE}.get(
            unit, ClaimKind.DIFFERENCE
        )
        return self._claim(
            kind,
            figure,
            metric,
            period,
            sentence,
            direction=direction,
            base_period=self._base_period(change, period),
        )

    def _value(
        self,
        figure: _Figure,
        before: str,
        after: str,
        periods: tuple[tuple[int, int, Period], ...],
        position: int,
        period: Period | None,
        sentence: str,
    ) -> Claim | None:
        """实现营业收入 X 万元 / 税金及附加为 X 万元 / 应收账款 6.87 亿元."""
        is_share_base = "占" in before and re.match(r"^的(?:比重|比例)", after) is not None
        if not (_VALUE_AFTER.match(after) or is_share_base):
            return None
        verb = _VALUE_VERB.search(before)
        if verb is not None and verb.group(0) == "实现":
            return None  # "实现 X 万元的收入": the metric comes after the figure
        phrase_text = before[: verb.start()] if verb is not None else before
        phrase = _noun_phrase(_strip_periods(phrase_text, periods, position))
        leading_change = re.match(
            r"(?:相应)?(?P<up>增加|增长|上升)|(?:相应)?(?P<down>减少|下降|降低)", phrase
        )
        if leading_change is not None and figure.quantity.unit != Unit.PERCENT:
            # 减少借款利息费用 913.99 万元: an amount change of the metric named after the verb.
            changed = self._metric(phrase[leading_change.end() :])
            if changed is None:
                return None
            return self._claim(
                ClaimKind.DIFFERENCE,
                figure,
                changed,
                period,
                sentence,
                direction=1 if leading_change.group("up") else -1,
                base_period=_prior(period, "同比"),
            )
        metric = self._metric(phrase)
        if metric is None:
            return None
        if figure.quantity.unit == Unit.PERCENT and not _RATIO_METRIC.search(metric[2]):
            return None
        if not is_share_base:
            self._remember(metric)
        return self._claim(ClaimKind.VALUE, figure, metric, period, sentence)

    def _base_period(self, change: re.Match[str], period: Period | None) -> Period | None:
        compare = change.group("compare") or ""
        base_text = change.group("base") or change.group("base2")
        if base_text:
            return parse_period(base_text, self.item.report_year)
        # No comparison word ("营业毛利减少 2,608.09 万元"): prose means against the prior period.
        return _prior(period, "环比" if compare == "环比" else "同比")

    # -- lists -----------------------------------------------------------------------------------

    def _read_lists(
        self,
        compact: str,
        free: list[_Figure],
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
        claimed: set[int],
        members: set[int],
    ) -> None:
        """Runs of two or more figures joined by 、/和/及 ("分别为 A、B 和 C", "税率5%、3%、2%")
        mapped onto an enumeration of the same size; unmapped runs give no claims at all."""
        index = 0
        while index < len(free):
            run = [index]
            while run[-1] + 1 < len(free):
                joint = compact[free[run[-1]].end : free[run[-1] + 1].start]
                if not _LIST_JOIN.match(joint):
                    break
                run.append(run[-1] + 1)
            if len(run) >= 2:
                members.update(run)
                if all(free[i].quantity.unit == free[run[0]].quantity.unit for i in run):
                    self._map_list(compact, free, run, periods, own_periods, sentence, claimed)
            index = run[-1] + 1

    def _map_list(
        self,
        compact: str,
        free: list[_Figure],
        run: list[int],
        periods: tuple[tuple[int, int, Period], ...],
        own_periods: list[tuple[int, int, Period]],
        sentence: str,
        claimed: set[int],
    ) -> None:
        first = free[run[0]]
        size = len(run)
        unit = first.quantity.unit
        if unit in (Unit.PERCENT_POINT, Unit.MULTIPLE) or (
            unit == Unit.NUMBER and first.quantity.scale is None
        ):
            return
        start_of_clause = free[run[0] - 1].end if run[0] > 0 else 0
        head = compact[start_of_clause : first.start]
        if _APPROXIMATE_BEFORE.search(head):
            return
        list_verb = _LIST_VERB.search(head)
        head_text = head[: list_verb.start()] if list_verb else _VALUE_VERB.sub("", head)
        kind, direction = ClaimKind.VALUE, 0
        change = re.search(r"(?:同比)?(?:增幅|涨幅|增长率|增速|降幅|增长|下降)$", head_text)
        if change is not None:
            if unit != Unit.PERCENT:
                return
            kind = ClaimKind.CHANGE_RATE
            direction = -1 if re.search("降幅|下降", change.group(0)) else 1
            head_text = head_text[: change.start()]
        head_periods = tuple(
            (s - start_of_clause, e - start_of_clause, p)
            for s, e, p in periods
            if start_of_clause <= s < first.start
        )
        own_before = self._period_before(own_periods, first.start)
        period_list = self._enumerated_periods(head_text, head_periods, size)
        items: list[tuple[str, str, str]] | None = None
        if period_list is not None:
            metric = self._subject_metric(_strip_periods(head_text, head_periods, 0))
            if metric is None:
                return
            items = [metric] * size
            self.subject.periods_list = [period for period in period_list if period is not None]
        else:
            items = self._enumerated_items(head_text, head_periods, size)
            if items is not None:
                period_list = [own_before] * size
                self.subject.items_list = items if self.subject.items_are_entities else []
            elif list_verb is not None:
                # "实际缴纳增值税分别为 A、B": the enumeration of an earlier clause, same size.
                metric = self._subject_metric(_strip_periods(head_text, head_periods, 0))
                if metric is None:
                    return
                carried = self._carried_periods(size)
                if carried is not None:
                    # The same enumeration of periods: the same entity as the list before.
                    entity = metric[0] or self.subject.entity
                    period_list, items = carried, [(entity, metric[1], metric[2])] * size
                elif len(self.subject.items_list) == size:
                    items = [(entity, metric[1], metric[2]) for entity, _, _ in self.subject.items_list]
                    period_list = [own_before] * size
        if (items is None or period_list is None) and list_verb is not None and unit == Unit.PERCENT:
            # "现金流量增长率预计分别为17%、13%、10%、7%和5%", "解锁比例分别为30%、40%、30%": the
            # metric's values in an order the sentence does not tie to periods: no period.
            metric = self._subject_metric(_strip_periods(head_text, head_periods, 0))
            if metric is not None and _RATIO_METRIC.search(metric[2]) and metric[1] not in _VAGUE:
                items, period_list = [metric] * size, [None] * size
        if items is None or period_list is None:
            return
        for figure_index, item, list_period in zip(run, items, period_list, strict=True):
            figure = free[figure_index]
            if unit == Unit.PERCENT and kind == ClaimKind.VALUE and not _RATIO_METRIC.search(item[2]):
                return
            base_period = _prior(list_period, "同比") if kind == ClaimKind.CHANGE_RATE else None
            self.claims.append(
                self._claim(
                    kind, figure, item, list_period, sentence, direction=direction, base_period=base_period
                )
            )
            claimed.add(figure_index)
        self._remember(items[-1])

    def _carried_periods(self, size: int) -> list[Period | None] | None:
        if len(self.subject.periods_list) == size:
            return list(self.subject.periods_list)
        if self.subject.period is not None:
            expanded = _expand(self.subject.period, size)
            if expanded is not None:
                return list(expanded)
        return None

    def _enumerated_periods(
        self, head: str, head_periods: tuple[tuple[int, int, Period], ...], size: int
    ) -> list[Period | None] | None:
        """The periods "2024年度、2025年度营业收入", "2025 年1-4 季度" or "2023 年至2025 年"
        enumerate, when there are ``size`` of them."""
        if not head_periods:
            return None
        group = [head_periods[-1]]
        for item in reversed(head_periods[:-1]):
            if not _LIST_JOIN.match(head[item[1] : group[0][0]]):
                break
            group.insert(0, item)
        if len(group) == size:
            return [period for _, _, period in group]
        if len(group) == 1:
            expanded = _expand(group[0][2], size)
            if expanded is not None:
                return list(expanded)
        if len(head_periods) >= 2:
            (s1, e1, p1), (s2, e2, p2) = head_periods[-2], head_periods[-1]
            if head[e1:s2] in ("至", "-", "~") and p1.key.isdigit() and p2.key.isdigit():
                years = list(range(int(p1.key), int(p2.key) + 1))
                if len(years) == size:
                    return [Period(str(year), head[s1:e2]) for year in years]
        return None

    def _enumerated_items(
        self, head: str, head_periods: tuple[tuple[int, int, Period], ...], size: int
    ) -> list[tuple[str, str, str]] | None:
        """(entity, metric, text) for each item of "江波龙、德明利、佰维存储2025年收入" (entities,
        then their metric) or "城建税、教育费附加、地方教育附加的税率" (metrics)."""
        self.subject.items_are_entities = False
        parts = head.split("、")
        if len(parts) < 2:
            return None
        offset = len(head) - len(parts[-1])
        joined = re.split(r"和|与|以及", parts[-1], maxsplit=1)
        if len(parts) + 1 == size and len(joined) == 2:
            offset += len(joined[0]) + (len(parts[-1]) - len(joined[0]) - len(joined[1]))
            parts = [*parts[:-1], *joined]
        if len(parts) != size:
            return None
        cut = _NP_BOUNDARY.match(parts[0])
        parts[0] = _NP_LEADING.sub("", parts[0][cut.end() :] if cut else parts[0])
        last = parts[-1]
        tail_periods = [(s - offset, e - offset) for s, e, _ in head_periods if s >= offset]
        if tail_periods and tail_periods[0][0] > 0:
            # 佰维存储 2025 年收入: the items are entities, the words after the period the metric.
            item_end, tail_start = tail_periods[0]
            parts[-1] = last[:item_end]
            tail = _strip_periods(last[tail_start:], (), 0)
            tail_metric = self._metric(_noun_phrase(tail))
            if tail_metric is None or any(not (2 <= len(part) <= 12) for part in parts):
                return None
            self.subject.items_are_entities = True
            return [(entity_name(part), tail_metric[1], part + tail_metric[2]) for part in parts]
        if "的" in last:
            parts[-1], _, tail = last.rpartition("的")
        else:
            attribute = _ATTRIBUTE_TAIL.search(last)
            if attribute is None or attribute.start() == 0:
                return None
            parts[-1], tail = last[: attribute.start()], attribute.group(0)
        items: list[tuple[str, str, str]] = []
        for part in parts:
            if not (2 <= len(part) <= 16):
                return None
            metric = self._metric(_noun_phrase(part + tail))
            if metric is None:
                return None
            items.append(metric)
        return items


def _expand(period: Period, size: int) -> list[Period] | None:
    """A year or a span of quarters cut into ``size`` quarters (2025年1-4季度 → 2025Q1…Q4)."""
    text = _SPACES.sub("", period.text)
    quarters = re.search(r"(?P<q1>[1-4一二三四])[-~至](?:第)?(?P<q2>[1-4一二三四])季度", text)
    numbers = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
    if quarters is not None:
        q1, q2 = numbers[quarters.group("q1")], numbers[quarters.group("q2")]
        year = re.match(r"(\d{4})", period.key) or re.match(r"(\d{4})", text)
        if year is None or q2 - q1 + 1 != size:
            return None
        return [Period(f"{year.group(1)}Q{q}", text) for q in range(q1, q2 + 1)]
    return None


def _clauses(sentence: str) -> list[str]:
    """The clauses of a sentence: cut at ，/:/：, except inside brackets, where "（2018年：13.00%）"
    gives the comparative of the figure before it and belongs to its clause."""
    clauses: list[str] = []
    start = 0
    for match in _CLAUSE_END.finditer(sentence):
        head = sentence[start : match.start()]
        if open_brackets(head) > 0:
            continue
        clauses.append(head)
        start = match.end()
    clauses.append(sentence[start:])
    return clauses


def _in_brackets(compact: str, position: int) -> bool:
    return open_brackets(compact[:position]) > 0


def paragraph_sources(paragraphs: Sequence[Paragraph]) -> list[FactSource]:
    """For each paragraph: INQUIRY inside the exchange's question (from "问题 N." up to the next
    reply heading), PROSE otherwise."""
    sources: list[FactSource] = []
    in_question = False
    for paragraph in paragraphs:
        text = paragraph.text
        if _QUESTION_START.match(text):
            in_question = True
        elif _REPLY_HEADING.search(text) and (paragraph.heading or len(text.strip()) <= 20):
            in_question = False
        sources.append(FactSource.INQUIRY if in_question else FactSource.PROSE)
    return sources


def _read(items: Iterator[_ParagraphInput]) -> tuple[list[Claim], list[NumericToken]]:
    claims: list[Claim] = []
    tokens: list[NumericToken] = []
    listed: tuple[str, Period | None] | None = None  # what an announced list of items is about
    headed = ""  # the business line a "X板块：" heading line puts the paragraphs under
    for item in items:
        text = item.paragraph.text.strip()
        heading = _SEGMENT_HEADING.match(_SPACES.sub("", normalize(text)))
        if heading is not None:
            headed = entity_name(heading.group("entity"))
        elif item.paragraph.heading or _ANY_HEADING.match(text):
            headed = ""
        item = replace(item, headed_entity=headed)
        if listed is not None and _LIST_ITEM.match(text) and not item.paragraph.heading:
            item = replace(item, listed_entity=listed[0], listed_period=listed[1])
        else:
            listed = None
        reader = _ClauseReader(item)
        reader.read()
        claims.extend(reader.claims)
        tokens.extend(reader.tokens)
        if reader.paragraph_entity and reader.subject.period is not None and _ANNOUNCES_LIST.search(text):
            listed = (reader.paragraph_entity, reader.subject.period)
    return claims, tokens


# "玻璃业务板块：", "太阳能板块：" alone on a line: a business line's part of the discussion.
_SEGMENT_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十\d]{1,2}[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）])?"
    r"(?P<entity>[\u4e00-\u9fff]{2,14}?(?:业务板块|板块|业务分部|分部|事业部|业务))[:：]$"
)
# A numbered heading of any level ends what the segment heading above it governs.
_ANY_HEADING = re.compile(
    r"^(?:第[一二三四五六七八九十]+节|[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）])"
)
# "平板玻璃：2018 年…": under a business line's heading, a paragraph opening with a name and a
# colon speaks of that product line.
_OPENING_NAME = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,10})[:：]")
_NOT_SUBJECTS = re.compile(
    r"报告期|本期|本年|说明|注|回复|答复|原因|分析|核查|意见|结论|问题|情况|其中|主要|综上|此外"
)


def _opening_subject(text: str, headed: str) -> str:
    """The product line a paragraph under a segment heading opens with ("平板玻璃："), else the
    heading's business line ("" outside one)."""
    if not headed:
        return ""
    found = _OPENING_NAME.match(_SPACES.sub("", normalize(text)))
    name = found.group("name") if found is not None else ""
    if name and not _NOT_SUBJECTS.search(name) and not is_known_metric(name):
        return entity_name(name)
    return headed


# "本期增亏主要项目变动原因如下：": the paragraph announces a list of items that follow it.
_ANNOUNCES_LIST = re.compile(r"如下\s*[:：]\s*$")
_LIST_ITEM = re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")


def _joined(document: Document) -> list[Paragraph]:
    """Paragraphs with PDF lines rejoined: a PDF gives one Paragraph per printed line, which cuts
    sentences and figures ("全年研发投入2.07" / "亿元"). Lines of one page join until a line ends
    a sentence; formats with line numbers keep their paragraphs (a claim points to its line).
    The PDF reader joins most lines itself, but not where its layout signals fail (a line that
    stops short of the margin, "□适用√不适用" before a heading glued to its number): without this
    pass jinyu_2020_annual.pdf loses 11 ordinals to UNLINKED and haixiang_2019_annual.pdf a claim."""
    joined: list[Paragraph] = []
    for paragraph in document.paragraphs:
        if joined:
            last = joined[-1]
            if (
                paragraph.location.line is None
                and last.location.line is None
                and not paragraph.heading
                and not last.heading
                and last.location.page == paragraph.location.page
                and not _QUESTION_START.match(paragraph.text)
                and not re.search(r"[。；;:：!！?？]\s*$", last.text)
            ):
                joined[-1] = replace(last, text=last.text.rstrip() + paragraph.text.strip())
                continue
        joined.append(paragraph)
    return joined


def extract_claims(document: Document, report_year: int | None) -> tuple[list[Claim], list[NumericToken]]:
    """Claims the prose of ``document`` makes, and every figure of the prose as a NumericToken.

    ``report_year`` is the fiscal year the document reports on (本期, 上年 are read against it).
    Claims come in document order; each Claim's location is its paragraph's with ``quote`` the
    figure as printed. Tokens classify every figure of every paragraph exactly once.
    """
    paragraphs = _joined(document)
    if not paragraphs:
        return [], []
    sources = paragraph_sources(paragraphs)
    leads = [""] + [_unfinished(paragraph.text) for paragraph in paragraphs[:-1]]
    trails = [
        _SPACES.sub("", normalize(following.text))[:12] if _unfinished(paragraph.text) else ""
        for paragraph, following in zip(
            paragraphs, [*paragraphs[1:], Paragraph("", Location(""))], strict=True
        )
    ]
    return _read(
        _ParagraphInput(paragraph, source, report_year, lead, trail)
        for paragraph, source, lead, trail in zip(paragraphs, sources, leads, trails, strict=True)
    )


def _unfinished(text: str) -> str:
    """The end of ``text`` after its last sentence mark, compact ("" when it ends a sentence)."""
    tail = re.split(r"[。；;!！?？]", text)[-1]
    return _SPACES.sub("", normalize(tail))[-60:]
