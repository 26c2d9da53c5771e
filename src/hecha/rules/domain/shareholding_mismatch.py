"""D007 shareholding-mismatch: a holding the prose states in shares and as a share of the
company's 总股本 ("持有公司 3,123,284,215 股股份，占公司总股本的 47.72%"; "不超过发行前公司总股本的
30%（即 1,932,113,759 股）") whose two figures the 总股本 the document states do not tie."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from hecha.extract.factbase import FactBase
from hecha.ingest.numbers import parse_quantity, squeezed, unit_scale
from hecha.model.diagnostic import Diagnostic, Related, Relation, RelationForm, Term
from hecha.model.document import Document, Location, Paragraph
from hecha.model.quantity import Interval, Quantity, Unit
from hecha.rules.base import Comparison, Rule, RuleContext, compare, format_decimal
from hecha.rules.prose._linking import fact_interval
from hecha.rules.registry import register

HUNDRED = Decimal(100)
_SCALES = {"": 0, "万": 4, "亿": 8}
# The company's own share capital, now or before an issue: not another company's (占友诚科技总股本),
# not the capital after an issue or at a grant (发行后, 增资后, 授予时).
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# ... and the capital itself when the sentence prints it: "占公司当前总股本（1,618,820,253股）的".
_OWN_BASE = (
    r"(?:公司|本公司|上市公司|发行人)?(?:当前|目前|现有)?(?:(?:本次)?发行前)?(?:公司|上市公司)?"
    rf"(?:总股本|股份总数|股本总额)(?:[（(](?P<base>{_NUMBER})(?P<bu>万|亿)?股[)）])?"
)
# "3,123,284,215 股股份，占公司总股本的 47.72%", "5,940万股（占总股本的18.31%"
_HOLDING = re.compile(
    rf"(?P<n>{_NUMBER})(?P<u>万|亿)?股(?:股份|股票)?[，,（(]?(?:合计)?(?:约)?占{_OWN_BASE}的?(?:比例)?(?:为)?(?P<p>\d+(?:\.\d+)?)%"
)
# "不超过发行前公司总股本的 30%（即 1,932,113,759 股）"
_CAP = re.compile(rf"{_OWN_BASE}的(?P<p>\d+(?:\.\d+)?)%[（(]即(?:不超过)?(?P<n>{_NUMBER})(?P<u>万|亿)?股")
_BASE_NAME = re.compile(r"^(?:表\d+行\d+列\d+|段\d+)?:?$")
_BASE_METRIC = re.compile(r"^(?:总股本|股份总数|股本总额|股本总数|股本)$")


@dataclass(frozen=True)
class _Holding:
    shares: Quantity
    scale: int
    stated: Quantity  # the percentage
    location: Location
    cap: bool  # "总股本的 30%（即 N 股）": N is the percentage of the capital, rounded to a share
    capital: Quantity | None = None  # the capital the sentence prints itself
    capital_scale: int = 0


_YEAR = re.compile(r"((?:19|20)\d{2})年")


def _quantity(text: str) -> Quantity | None:
    return parse_quantity(text.replace("，", ","))


def _holdings(paragraphs: Sequence[Paragraph], at: int, report_year: int | None) -> list[_Holding]:
    """The holdings paragraph ``at`` states. Its first sentence may begin in the paragraphs
    before it (a text twin breaks sentences at page and layout lines, and may put a heading line
    in between): up to three of them are read back for its date, only when a holding is found."""
    paragraph = paragraphs[at]
    text = squeezed(paragraph.text)
    found = []
    for pattern, cap in ((_HOLDING, False), (_CAP, True)):
        for match in pattern.finditer(text):
            shares, rate = _quantity(match.group("n")), _quantity(match.group("p") + "%")
            if shares is None or rate is None or rate.value == 0 or rate.value > HUNDRED:
                continue
            sentence = _sentence(text, match.start(), match.end())
            if text.startswith(sentence):
                before = squeezed("".join(p.text for p in paragraphs[max(at - 3, 0) : at]))
                sentence = before[max(before.rfind(mark) for mark in "。；;") + 1 :] + sentence
            if _dated_before(sentence, report_year):
                continue
            quoted = match.group("n") + (match.group("u") or "") + "股" if cap else match.group("p") + "%"
            location = replace(paragraph.location, quote=quoted)
            capital = _quantity(match.group("base")) if match.group("base") else None
            found.append(
                _Holding(
                    shares,
                    _SCALES[match.group("u") or ""],
                    rate,
                    location,
                    cap,
                    capital,
                    _SCALES[match.group("bu") or ""],
                )
            )
    return found


def _sentence(text: str, start: int, end: int) -> str:
    begin = max(text.rfind(mark, 0, start) for mark in "。；;") + 1
    stops = [at for mark in "。；;" if (at := text.find(mark, end)) >= 0]
    return text[begin : min(stops) if stops else len(text)]


def _dated_before(sentence: str, report_year: int | None) -> bool:
    """The sentence speaks of a year before the one reported on ("2010 年 9 月，…转让其所持有的
    3,480 万股（占总股本的 21.68%）"): the capital of that time, which the document need not state."""
    if report_year is None:
        return False
    return any(int(year) < report_year - 1 for year in _YEAR.findall(sentence))


_Capital = tuple[Interval, Location, Quantity, int | None]
_CAPITAL_ROW = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.])?(?:股本|股份总数|总股本|实收资本（股本）|实收资本\(股本\))$"
)
_CAPITAL_SENTENCE = re.compile(
    rf"(?:总股本|股份总数)(?:为|是|由|增加至|变更为)?(?P<n>{_NUMBER})(?P<u>万|亿)?股"
)


def _capital_figures(document: Document, facts: FactBase) -> list[_Capital]:
    """Every figure the document states as the company's 总股本 / 股份总数 / 股本 (a 股本 in 元 at
    a par value of one yuan is the share count), at any date: which one a sentence means is not
    always said, so any of them may give it. Read from the facts, and from the printed rows and
    sentences themselves, since a text twin's statements are often read too poorly to name them."""
    found: list[_Capital] = []
    for fact in facts.facts:
        metric = fact.metric.split("·")[0]
        if _BASE_METRIC.match(metric) and _BASE_NAME.match(fact.entity):
            found.append((fact_interval(fact), fact.location, fact.quantity, fact.scale))
    for table in document.tables:
        scale = unit_scale(table.unit or "") or 0
        for row in table.rows:
            label = next((cell.text for cell in row if cell.quantity is None and cell.text.strip()), "")
            if not _CAPITAL_ROW.match(squeezed(label)):
                continue
            for cell in row:
                if cell.quantity is not None and cell.quantity.unit is not Unit.PERCENT:
                    found.append((cell.quantity.in_base_units(scale), cell.location, cell.quantity, scale))
    for paragraph in document.paragraphs:
        text = squeezed(paragraph.text)
        for match in _CAPITAL_SENTENCE.finditer(text):
            quantity = _quantity(match.group("n"))
            if quantity is not None:
                power = _SCALES[match.group("u") or ""]
                found.append((quantity.in_base_units(power), paragraph.location, quantity, power))
    # Not a listed company's share count: a rate, a per-share figure, an amount in 万元 misread.
    return [capital for capital in found if capital[0].low >= 1_000_000]


@register
class ShareholdingMismatch(Rule):
    """A holding stated in shares and as a share of 总股本 that the document's 总股本 does not tie.

    What it checks:
        Sentences that state a number of shares and its share of the company's own share capital:
        "持有公司 3,123,284,215 股股份，占公司总股本的 47.72%", "5,940万股（占总股本的18.31%", and
        the cap of an issue "不超过发行前公司总股本的 30%（即 1,932,113,759 股）". The shares /
        总股本 × 100 must give the percentage (the cap: the percentage of 总股本 must give the
        shares, to one share). 总股本 is any figure the document states as the company's 总股本,
        股份总数 or 股本 (in 元 at a par of one yuan), at any date: a sentence that one of them
        explains is not reported. Shares of another company's capital (占友诚科技总股本), of the
        capital after an issue (发行后, 增资后) or at a grant (授予时) are not checked.

    Why it matters:
        Holdings and issue caps decide control, disclosure thresholds and whether an issue stays
        within the 30% limit; a share of the wrong capital misstates them.

    Failing example:
        "截至 2026 年 3 月 31 日，公司总股本为 6,544,428,734 股 … 发行数量不超过发行前公司总股本的
        30%（即 1,932,113,759 股）": 30% of 6,544,428,734 is 1,963,328,620 shares.

    Passing example:
        "中国节能直接持有公司 3,123,284,215 股股份，占公司总股本的 47.72%" with 总股本
        6,544,428,734 股.

    Options:
        absolute_tolerance: extra percentage points of slack (default 0).
    """

    code = "D007"
    name = "shareholding-mismatch"
    summary = "持股数量与其占总股本比例不符"
    summary_en = "Shares held and their share of the company's capital do not tie"

    @dataclass(frozen=True)
    class Options:
        absolute_tolerance: Decimal = Decimal(0)

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        options: ShareholdingMismatch.Options = self.options  # type: ignore[assignment]
        year = ctx.facts.report_year
        paragraphs = ctx.document.paragraphs
        holdings = [holding for at in range(len(paragraphs)) for holding in _holdings(paragraphs, at, year)]
        if not holdings:
            return
        stated_capitals = _capital_figures(ctx.document, ctx.facts)
        for holding in holdings:
            capitals = stated_capitals
            if holding.capital is not None:
                printed = holding.capital.interval.scaled(Decimal(1).scaleb(holding.capital_scale))
                capitals = [(printed, holding.location, holding.capital, holding.capital_scale)]
            if not capitals:
                continue
            shares = holding.shares.interval.scaled(Decimal(1).scaleb(holding.scale))
            if holding.cap:
                shares = shares.widened(Decimal(1))  # rounded to a whole share either way
            # A cap's percentage is the rule's exact figure (30%), not a rounded one.
            exact = Interval.exact(holding.stated.value) if holding.cap else holding.stated.interval
            stated = exact.widened(options.absolute_tolerance)
            ratios = [
                (capital, ratio.scaled(HUNDRED)) for capital in capitals if (ratio := shares / capital[0])
            ]
            if not ratios:
                continue
            held = any(stated.overlaps(ratio) for _, ratio in ratios)
            ctx.stats.relation(held=held, cells=[holding.location])
            if held:
                continue
            capital, ratio = self._nearest(holding, ratios)
            if holding.cap:
                # The share count is what the cap's sentence computes: it is the stated figure.
                cap_shares = capital[0].scaled(holding.stated.value / HUNDRED).widened(Decimal(1))
                scaled = cap_shares.scaled(Decimal(1).scaleb(-holding.scale))
                comparison = compare(holding.shares, scaled, Decimal(0))
            else:
                comparison = compare(holding.stated, ratio, options.absolute_tolerance, exact)
            if comparison is not None:
                yield self._finding(holding, capital, ratio, comparison)

    @staticmethod
    def _nearest(holding: _Holding, ratios: list[tuple[_Capital, Interval]]) -> tuple[_Capital, Interval]:
        """The capital stated last before the sentence (else the first stated after it)."""

        def place(location: Location) -> tuple[int, int]:
            return (location.page or 0, location.line or 0)

        here = place(holding.location)
        before = [item for item in ratios if place(item[0][1]) <= here]
        return max(before, key=lambda item: place(item[0][1])) if before else ratios[0]

    def _finding(
        self,
        holding: _Holding,
        capital: tuple[Interval, Location, Quantity, int | None],
        ratio: Interval,
        comparison: Comparison,
    ) -> Diagnostic:
        _, capital_location, capital_quantity, capital_scale = capital
        digits = max(holding.stated.decimals, 2)
        unit = {0: "", 4: "万", 8: "亿"}.get(holding.scale, "")
        shares_text = f"{holding.shares.text}{unit}股"
        if holding.cap:
            expected_shares = (
                capital_quantity.value.scaleb(capital_scale or 0) * holding.stated.value / HUNDRED
            )
            message = (
                f"正文所述总股本的 {holding.stated.text}（即 {shares_text}）"
                f"与总股本 {capital_quantity.text} 股不符："
                f"按总股本计算为 {format_decimal(expected_shares, 0)} 股，{shares_text}为总股本的 "
                f"{format_decimal(ratio.mid, digits)}%"
            )
            message_en = (
                f"Prose states {holding.stated.text} of the share capital as {shares_text}; "
                f"{holding.stated.text} of {capital_quantity.text} shares is "
                f"{format_decimal(expected_shares, 0)}"
            )
        else:
            message = (
                f"正文所述持股 {shares_text}占总股本比例为 {holding.stated.text}，按总股本 "
                f"{capital_quantity.text} 股计算为 {format_decimal(ratio.mid, digits)}%"
            )
            message_en = (
                f"Prose states {shares_text} as {holding.stated.text} of the share capital; "
                f"{capital_quantity.text} shares give {format_decimal(ratio.mid, digits)}%"
            )
        capital_term = Term(
            "denominator", capital_location, capital_quantity.value, capital_quantity.decimals
        )
        if holding.cap:
            # shares = 总股本 × the cap's percentage
            relation = Relation(
                RelationForm.PRODUCT, (replace(capital_term, role="factor"),), holding.stated.value / HUNDRED
            )
        else:
            shift = holding.scale - (capital_scale or 0)
            shares_term = Term(
                "numerator",
                holding.location,
                holding.shares.value.scaleb(shift),
                holding.shares.decimals - shift,
            )
            relation = Relation(RelationForm.RATIO, (shares_term, capital_term), HUNDRED)
        return self.diagnostic(
            message=message,
            message_en=message_en,
            location=holding.location,
            comparison=comparison,
            related=(Related(capital_location, "总股本"),),
            relation=relation,
        )
