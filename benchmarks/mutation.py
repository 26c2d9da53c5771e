"""Mutation benchmark: change one verified table figure at a time and see whether hecha notices.

A clean check of a real report tells which cells took part in relations that held
(``CheckResult.verified_cells``). Each mutation changes one such figure the way a typing error
would (a digit changed, the sign flipped, two adjacent digits transposed, ×10), rebuilds the
cell in memory (text, quote and quantity re-parsed by ``numbers.parse_quantity``), and re-checks
a Document holding only that table. A mutation is *detected* when the re-check yields a finding
(by fingerprint) that the clean re-check of the same one-table Document did not, and *located*
when such a new finding stands at the mutated cell or names it among its related operands.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from hecha.engine import CheckResult, check_document
from hecha.ingest.numbers import is_blank, normalize, parse_quantity
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Cell, Document, Location, Table
from hecha.rules.base import Rule

CellKey = tuple[int, int, int]  # (table, row, col), as CheckStats.verified_cells holds them

# A change smaller than this many units of the last printed digit could be absorbed by the
# rounding of a few operands; such mutations are skipped rather than counted as misses.
MIN_CHANGE_IN_LAST_DIGITS = 5
# A typo in the 7th significant digit of a figure that only enters a ratio printed to 4 digits
# cannot be seen by any checker; outcomes also say whether the change is at least this share of
# the figure, so that the located share can be read for changes a relation must show.
LARGE_CHANGE = Decimal("0.01")


class MutationKind(StrEnum):
    DIGIT = "digit"  # one digit changed (never the last printed one)
    SIGN = "sign"  # sign flipped
    TRANSPOSE = "transpose"  # two adjacent, different digits swapped
    TIMES_TEN = "times-ten"  # value × 10, printed with the same decimals


KINDS = tuple(MutationKind)


class MutationSkipped(Exception):
    """The mutation cannot be applied to this figure; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class MutatedFigure:
    text: str
    value: Decimal
    original: Decimal

    @property
    def large(self) -> bool:
        """True when the change is at least LARGE_CHANGE of the original figure (or it was 0)."""
        if self.original == 0:
            return True
        return abs(self.value - self.original) >= LARGE_CHANGE * abs(self.original)


_POSITIVE_WORDS = {"增加": "减少", "上升": "下降", "提高": "降低", "增长": "下降"}
_NEGATIVE_WORDS = {"减少": "增加", "下降": "上升", "降低": "提高"}
_FIGURE = re.compile(
    r"^(?P<word>增加|上升|提高|增长|减少|下降|降低)?(?P<open>\()?(?P<sign>[-+])?(?P<open2>\()?"
    r"(?P<body>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<close>\))?(?P<suffix>\D*)$"
)


@dataclass(frozen=True)
class _Style:
    """How a figure is printed, so that the mutated figure is printed the same way."""

    word: str | None
    parenthesised: bool
    plus_sign: bool
    commas: bool
    suffix: str


def _style(text: str) -> _Style:
    cleaned = normalize(text).strip().replace(" ", "")
    match = _FIGURE.match(cleaned)
    if match is None:
        raise MutationSkipped("figure printed in a form the mutator does not rewrite")
    if match.group("word") and match.group("sign"):
        raise MutationSkipped("figure printed with both a direction word and a sign")
    return _Style(
        word=match.group("word"),
        parenthesised=bool(match.group("open") or match.group("open2")),
        plus_sign=match.group("sign") == "+",
        commas="," in match.group("body"),
        suffix=match.group("suffix"),
    )


def render(value: Decimal, decimals: int, style: _Style) -> str:
    """``value`` printed with ``decimals`` places in ``style`` (separators, sign form, suffix)."""
    magnitude = f"{abs(value):.{decimals}f}"
    if style.commas:
        whole, _, fraction = magnitude.partition(".")
        magnitude = f"{int(whole):,}" + (f".{fraction}" if fraction else "")
    negative = value < 0
    if style.word is not None:
        word_is_negative = style.word in _NEGATIVE_WORDS
        word = style.word
        if negative != word_is_negative:
            word = _NEGATIVE_WORDS[word] if word_is_negative else _POSITIVE_WORDS[word]
        return word + magnitude + style.suffix
    if style.parenthesised:
        body = f"({magnitude})" if negative else magnitude
    elif negative:
        body = "-" + magnitude
    else:
        body = ("+" if style.plus_sign else "") + magnitude
    return body + style.suffix


def _digits(value: Decimal, decimals: int) -> tuple[str, int]:
    """The printed digits of |value| (no point) and how many of them are before the point."""
    whole, _, fraction = f"{abs(value):.{decimals}f}".partition(".")
    return whole + fraction, len(whole)


def _from_digits(digits: str, decimals: int, negative: bool) -> Decimal:
    value = Decimal(int(digits)).scaleb(-decimals)
    return -value if negative else value


def _changed_digit(value: Decimal, decimals: int, rng: random.Random) -> Decimal:
    digits, whole_length = _digits(value, decimals)
    if len(digits) < 2:
        raise MutationSkipped("only one printed digit, and the last one is never changed")
    position = rng.randrange(len(digits) - 1)
    # A leading zero would change how the figure is printed, not just its value.
    leading = position == 0 and whole_length > 1
    choices = [d for d in "0123456789" if d != digits[position] and not (leading and d == "0")]
    new_digits = digits[:position] + rng.choice(choices) + digits[position + 1 :]
    return _from_digits(new_digits, decimals, value < 0)


def _transposed(value: Decimal, decimals: int, rng: random.Random) -> Decimal:
    digits, whole_length = _digits(value, decimals)
    pairs = [
        i
        for i in range(len(digits) - 1)
        if digits[i] != digits[i + 1] and not (i == 0 and whole_length > 1 and digits[1] == "0")
    ]
    if not pairs:
        raise MutationSkipped("no two adjacent different digits")
    i = rng.choice(pairs)
    new_digits = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    return _from_digits(new_digits, decimals, value < 0)


def mutate_text(text: str, kind: MutationKind, rng: random.Random) -> MutatedFigure:
    """The printed figure ``text`` changed by ``kind``; raises MutationSkipped when it cannot be.

    The result re-parses (``parse_quantity``) to exactly the mutated value with the original
    decimals and unit, and differs from the original by at least MIN_CHANGE_IN_LAST_DIGITS units
    of the last printed digit.
    """
    if is_blank(text):
        raise MutationSkipped("printed blank (a rule took it as zero)")
    quantity = parse_quantity(text)
    if quantity is None:
        raise MutationSkipped("cell text is not one figure")
    _style(text)  # a figure printed in a form the mutator cannot rewrite is skipped first
    value, decimals = quantity.value, quantity.decimals
    if kind is MutationKind.DIGIT:
        new_value = _changed_digit(value, decimals, rng)
    elif kind is MutationKind.TRANSPOSE:
        new_value = _transposed(value, decimals, rng)
    elif kind is MutationKind.SIGN:
        if value == 0:
            raise MutationSkipped("zero has no sign to flip")
        new_value = -value
    else:
        if value == 0:
            raise MutationSkipped("zero times ten is zero")
        new_value = value * 10
    return rewritten(text, new_value)


def rewritten(text: str, new_value: Decimal) -> MutatedFigure:
    """The printed figure ``text`` rewritten to ``new_value`` (rounded to its printed decimals),
    in the same print style; raises MutationSkipped when it cannot be.

    The result re-parses to exactly the new value with the original decimals and unit, and
    differs from the original by at least MIN_CHANGE_IN_LAST_DIGITS units of the last digit.
    """
    if is_blank(text):
        raise MutationSkipped("printed blank (a rule took it as zero)")
    quantity = parse_quantity(text)
    if quantity is None:
        raise MutationSkipped("cell text is not one figure")
    style = _style(text)
    value, decimals = quantity.value, quantity.decimals
    unit_of_last_digit = Decimal(1).scaleb(-decimals)
    new_value = new_value.quantize(unit_of_last_digit)
    if abs(new_value - value) < MIN_CHANGE_IN_LAST_DIGITS * unit_of_last_digit:
        raise MutationSkipped(f"change below {MIN_CHANGE_IN_LAST_DIGITS} units of the last digit")
    new_text = render(new_value, decimals, style)
    reparsed = parse_quantity(new_text)
    if (
        reparsed is None
        or reparsed.value != new_value
        or reparsed.decimals != decimals
        or reparsed.unit != quantity.unit
        or reparsed.scale != quantity.scale
    ):
        raise MutationSkipped("mutated text does not re-parse to the mutated value")
    return MutatedFigure(text=new_text, value=new_value, original=value)


def _same_cell(location: Location, key: CellKey) -> bool:
    return (location.table, location.row, location.col) == key


def with_cell_text(table: Table, key: CellKey, text: str) -> Table:
    """``table`` with the cell at ``key`` (and its spanned copies) printing ``text`` instead.

    The cell's quote and quantity follow the text; its location otherwise stays, so findings on
    the mutated table map back to the original document's (table, row, col).
    """
    quantity = parse_quantity(text)
    found = False
    rows: list[tuple[Cell, ...]] = []
    for row in table.rows:
        cells: list[Cell] = []
        for cell in row:
            if _same_cell(cell.location, key):
                found = True
                cell = replace(
                    cell,
                    text=text,
                    quantity=quantity,
                    blank=False,
                    location=replace(cell.location, quote=text),
                )
            cells.append(cell)
        rows.append(tuple(cells))
    if not found:
        raise MutationSkipped("verified cell not found in the table's grid")
    return replace(table, rows=tuple(rows))


def find_cell(table: Table, key: CellKey) -> Cell:
    for row in table.rows:
        for cell in row:
            if _same_cell(cell.location, key) and not cell.spanned:
                return cell
    for row in table.rows:
        for cell in row:
            if _same_cell(cell.location, key):
                return cell
    raise MutationSkipped("verified cell not found in the table's grid")


def one_table_document(document: Document, table: Table) -> Document:
    """``document`` reduced to ``table``: the table keeps its own index and cell locations.

    The prose is left out too: table rules read only grids, and the prose would make every
    re-check rebuild the whole document's claims (prose mutations have their own mode).
    """
    return replace(document, tables=(table,), paragraphs=())


def names_cell(diagnostic: Diagnostic, key: CellKey) -> bool:
    """True when the finding stands at ``key`` or lists it among its related operands."""
    if _same_cell(diagnostic.location, key):
        return True
    return any(_same_cell(related.location, key) for related in diagnostic.related)


@dataclass(frozen=True)
class MutationOutcome:
    kind: str
    table: int
    row: int
    col: int
    original: str
    mutated: str
    detected: bool
    located: bool
    new_findings: tuple[str, ...]  # "code@table,row,col" of each new finding
    rule_failures: tuple[str, ...] = ()
    large: bool = True  # changes the figure by at least LARGE_CHANGE of its value


@dataclass(frozen=True)
class SkippedMutation:
    kind: str
    table: int
    row: int
    col: int
    original: str
    reason: str


@dataclass(frozen=True)
class KindSummary:
    kind: str
    applied: int
    detected: int
    located: int
    skipped: int
    large_applied: int = 0
    large_located: int = 0

    @property
    def large_located_share(self) -> float | None:
        return self.large_located / self.large_applied if self.large_applied else None

    @property
    def detected_share(self) -> float | None:
        return self.detected / self.applied if self.applied else None

    @property
    def located_share(self) -> float | None:
        return self.located / self.applied if self.applied else None


@dataclass(frozen=True)
class DocumentMutations:
    document: str
    verified_cells: int
    outcomes: tuple[MutationOutcome, ...]
    skipped: tuple[SkippedMutation, ...]
    error: str | None = None
    by_kind: tuple[KindSummary, ...] = field(default=())

    def skip_reasons(self) -> Counter[str]:
        return Counter(skip.reason for skip in self.skipped)


class Applied(Protocol):
    """What ``summarize`` reads of an applied mutation (of a table cell or of a prose figure)."""

    @property
    def kind(self) -> str: ...
    @property
    def detected(self) -> bool: ...
    @property
    def located(self) -> bool: ...
    @property
    def large(self) -> bool: ...


class Skipped(Protocol):
    """What ``summarize`` reads of a skipped mutation."""

    @property
    def kind(self) -> str: ...


def summarize(outcomes: Iterable[Applied], skipped: Iterable[Skipped]) -> tuple[KindSummary, ...]:
    """Counts per kind, plus an "all" line (table mutations, and prose ones via ``summarize_target``)."""
    outcome_list, skipped_list = list(outcomes), list(skipped)
    lines = []
    for kind in [*[k.value for k in KINDS], "all"]:
        chosen = [o for o in outcome_list if kind in ("all", o.kind)]
        lines.append(
            KindSummary(
                kind=kind,
                applied=len(chosen),
                detected=sum(o.detected for o in chosen),
                located=sum(o.located for o in chosen),
                skipped=sum(1 for s in skipped_list if kind in ("all", s.kind)),
                large_applied=sum(o.large for o in chosen),
                large_located=sum(o.large and o.located for o in chosen),
            )
        )
    return tuple(lines)


@dataclass(frozen=True)
class _Baseline:
    fingerprints: frozenset[str]
    verified: frozenset[CellKey]


class MutationRunner:
    """Applies mutations to one ingested document and checks them against per-table baselines."""

    def __init__(self, document: Document, rules: list[Rule] | None) -> None:
        self.document = document
        self.rules = rules
        self.tables = {table.index: table for table in document.tables}
        self._baselines: dict[int, _Baseline] = {}

    def verified_cells(self) -> frozenset[CellKey]:
        """Cells verified by a clean check of the whole document."""
        return check_document(self.document, self.rules).verified_cells

    def baseline(self, table_index: int) -> _Baseline:
        if table_index not in self._baselines:
            result = check_document(one_table_document(self.document, self.tables[table_index]), self.rules)
            self._baselines[table_index] = _Baseline(
                fingerprints=frozenset(d.fingerprint for d in result.diagnostics),
                verified=result.verified_cells,
            )
        return self._baselines[table_index]

    def table_alone(self, key: CellKey) -> Table:
        """The table of ``key``, provided ``key`` is verified when that table is checked alone;
        raises MutationSkipped otherwise."""
        table = self.tables.get(key[0])
        if table is None:
            raise MutationSkipped("verified cell names a table the document does not have")
        if key not in self.baseline(key[0]).verified:
            # Either the relation needs other tables, or the rule numbers tables by position:
            # both would make a one-table re-check meaningless for this cell.
            raise MutationSkipped("not verified when its table is checked alone")
        return table

    def recheck(self, key: CellKey, text: str) -> tuple[list[Diagnostic], CheckResult]:
        """Re-check ``key``'s table alone with that cell printing ``text``: the findings the clean
        one-table check did not have (by fingerprint), and the whole result."""
        table = self.table_alone(key)
        baseline = self.baseline(key[0])
        result = check_document(
            one_table_document(self.document, with_cell_text(table, key, text)), self.rules
        )
        return [d for d in result.diagnostics if d.fingerprint not in baseline.fingerprints], result

    def apply(self, key: CellKey, kind: MutationKind, rng: random.Random) -> MutationOutcome:
        """Mutate the figure at ``key`` and re-check its table; raises MutationSkipped."""
        table = self.table_alone(key)
        original = find_cell(table, key).text
        mutated = mutate_text(original, kind, rng)
        new, result = self.recheck(key, mutated.text)
        return MutationOutcome(
            kind=kind.value,
            table=key[0],
            row=key[1],
            col=key[2],
            original=original,
            mutated=mutated.text,
            detected=bool(new),
            located=any(names_cell(d, key) for d in new),
            new_findings=tuple(f"{d.code}@{d.location.table},{d.location.row},{d.location.col}" for d in new),
            rule_failures=tuple(f"{f.code}: {f.error}" for f in result.rule_failures),
            large=mutated.large,
        )


def quotas(sample_size: int) -> dict[MutationKind, int]:
    """``sample_size`` split over the kinds as evenly as possible (stratified sample)."""
    base, extra = divmod(sample_size, len(KINDS))
    return {kind: base + (1 if i < extra else 0) for i, kind in enumerate(KINDS)}


def run_mutations(
    name: str,
    document: Document,
    rules: list[Rule] | None,
    sample_size: int,
    seed: int,
) -> DocumentMutations:
    """Up to ``sample_size`` mutations of ``document``'s verified cells, stratified over kinds.

    For each kind the verified cells are shuffled by a generator seeded from ``seed``, the
    document name and the kind, and tried in that order until the kind's quota of applied
    mutations is reached; every cell that could not be mutated is recorded with its reason.
    """
    runner = MutationRunner(document, rules)
    candidates = sorted(runner.verified_cells())
    outcomes: list[MutationOutcome] = []
    skipped: list[SkippedMutation] = []
    for kind, quota in quotas(sample_size).items():
        rng = random.Random(f"{seed}:{name}:{kind.value}")
        order = list(candidates)
        rng.shuffle(order)
        applied = 0
        for key in order:
            if applied >= quota:
                break
            try:
                outcomes.append(runner.apply(key, kind, rng))
                applied += 1
            except MutationSkipped as skip:
                text = ""
                table = runner.tables.get(key[0])
                if table is not None:
                    try:
                        text = find_cell(table, key).text
                    except MutationSkipped:
                        text = ""
                skipped.append(SkippedMutation(kind.value, *key, original=text, reason=skip.reason))
    return DocumentMutations(
        document=name,
        verified_cells=len(candidates),
        outcomes=tuple(outcomes),
        skipped=tuple(skipped),
        by_kind=summarize(outcomes, skipped),
    )
