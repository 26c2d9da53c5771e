"""A candidate explanation, the kinds it may name and their order of simplicity.

Kinds are stable strings. ``TIER`` ranks them: a lower tier is a simpler explanation. Kinds that
share a tier are equally simple, so two different kinds fitting in the best tier leave the cause
open (no diagnosis). The order, simplest first:

0. copied-neighbour of an operand whose own row states the adjustment that was not carried
   into it (two independent pieces of evidence, the failed relation and the row, name one figure);
1. sign-flip, omitted-row, double-counted, wrong-count (one operand treated wrongly in the
   formula);
2. transposition, unit-slip, decimal-shift (one figure misprinted by a mechanical slip);
3. wrong-base, prior-base, complement (the right operands, another real cell as the base, or
   the other part of 100%);
4. copied-neighbour of the stated figure (it repeats the cell beside it);
5. typo (one digit differs: the weakest, since some digit of some figure often fits).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hecha.model.diagnostic import Related
from hecha.rules.base import format_decimal

TIER: dict[str, int] = {
    "sign-flip": 1,
    "omitted-row": 1,
    "double-counted": 1,
    "wrong-count": 1,
    "transposition": 2,
    "unit-slip": 2,
    "decimal-shift": 2,
    "wrong-base": 3,
    "prior-base": 3,
    "complement": 3,
    "copied-neighbour": 4,
    "typo": 5,
}

# What each kind is called in a Chinese / English sentence listing the other fitting kinds.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "sign-flip": ("符号错误", "sign flip"),
    "omitted-row": ("漏计项目", "omitted row"),
    "double-counted": ("重复计算", "double counting"),
    "wrong-count": ("项数错误", "wrong count"),
    "transposition": ("相邻数字颠倒", "transposed digits"),
    "unit-slip": ("单位错误", "unit slip"),
    "decimal-shift": ("小数点错位", "decimal shift"),
    "wrong-base": ("基数错误", "wrong base"),
    "prior-base": ("误用上期基数", "prior-period base"),
    "complement": ("列示了互补比例", "complement"),
    "copied-neighbour": ("照抄相邻单元格", "copied neighbouring cell"),
    "typo": ("个别数字录入错误", "typo"),
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One explanation that reproduces the stated figure.

    ``evidence`` names the places of the alternative formula (the figure said to be wrong first,
    then any cell it used instead); ``tier`` overrides the kind's tier when the evidence is
    stronger than the kind usually carries (see copied-neighbour).
    """

    kind: str
    evidence: tuple[Related, ...]
    sentence: str
    sentence_en: str
    tier_override: int | None = None
    # The printed figure the explanation used instead (a wrong base's value), when it has one.
    used: Decimal | None = None

    @property
    def tier(self) -> int:
        return self.tier_override if self.tier_override is not None else TIER[self.kind]

    @property
    def key(self) -> tuple[str, tuple[tuple[object, ...], ...]]:
        """Same kind about the same places: one candidate, however it was reached."""
        return (
            self.kind,
            tuple(
                (r.location.table, r.location.row, r.location.col, r.location.line, r.location.quote)
                for r in self.evidence
            ),
        )


def show(value: Decimal, decimals: int, percent: bool = False) -> str:
    """A figure as the reviewer reads it: thousands separators, the stated figure's decimals."""
    text = format_decimal(value, max(decimals, 0))
    return text + "%" if percent else text
