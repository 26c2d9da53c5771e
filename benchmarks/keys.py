"""Answer keys: hecha measured against hand audits of corpus documents (``python -m benchmarks keys``).

An answer key (``benchmarks/answer_keys/<corpus file name>.yaml``) is an audit done without hecha:
every relation a reviewer would recompute in (a section of) one document, with the line (text,
Markdown) or PDF page of its stated figure and the figure as printed, whether it holds, and every
discrepancy found, classed ``material``, ``rounding-level`` (the rounding of the printed figures
explains it) or ``explained`` (the document itself explains it). The format is in
benchmarks/README.md.

Two measures per key:

- **discrepancies**: a clean check of the document (as the findings mode runs it). A discrepancy is
  *found* when a non-info finding stands at it: same line (same page for a PDF) as the key's
  ``where``, and the finding's quote or stated value is the key's ``stated`` figure (magnitudes
  compared as Decimals after dropping separators, spaces, %, units and direction words), or one
  of the finding's related places is (material ones only: a rounding-level or explained one
  counts only when a finding stands at the figure itself). A found one is *diagnosed* when such a
  finding standing at the figure itself recomputes the key's ``expected`` figure (equal, or within
  half a unit of the last digit the key prints). Material ones should be found; rounding-level and
  explained ones should not (found ones are false alarms), nor should relations the key says hold
  (*alarms on held*: a non-info finding standing at their stated figure).
- **key mutations**: each relation that holds (and no discrepancy names) has its stated figure
  rewritten in the source (its line for text and Markdown; its page of the ``.pdfplumber.txt``
  twin for a PDF) with one of the recall mode's kinds (``digit``, ``sign``, ``transpose``,
  ``times-ten``, ``unit``), taken in turn over the relations shuffled with the seed; the file is
  re-read and re-checked whole. *Found*: a new (fingerprint not in the check of the unmutated
  source) non-info finding at that line/page whose quote or stated value is the mutated figure, or
  whose related places include it.
"""

from __future__ import annotations

import functools
import random
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from benchmarks.groups import Groups
from benchmarks.mutation import MutationSkipped
from benchmarks.output import JsonValue, render_table, share
from benchmarks.recall import MAX_PROCESSES, RECALL_KINDS, mutated_figure
from hecha.engine import CheckResult, check_document
from hecha.ingest.loader import load
from hecha.ingest.numbers import FIGURE_CHARACTERS, find_quantities, normalize, parse_quantity
from hecha.model.diagnostic import Diagnostic, Severity
from hecha.model.document import Location
from hecha.rules.registry import select_rules

KEYS_DIR = Path(__file__).resolve().parent / "answer_keys"
TARGET_FOUND = 0.70  # share of material discrepancies found
MATERIAL = "material"
ROUNDING = "rounding-level"
EXPLAINED = "explained"
CLASSES = (MATERIAL, ROUNDING, EXPLAINED)
RELATION_KINDS = ("total", "share", "change", "margin", "difference", "restatement", "average", "other")
PLUMBER_SUFFIX = ".pdfplumber.txt"


class KeyFileError(ValueError):
    """An answer key file is malformed; the message is one line naming the file and the entry."""


# ---------------------------------------------------------------- the key files


@dataclass(frozen=True)
class Where:
    line: int | None = None
    page: int | None = None

    def __str__(self) -> str:
        return f"l.{self.line}" if self.line is not None else f"p.{self.page}"


@dataclass(frozen=True)
class KeyRelation:
    id: str
    where: Where
    kind: str
    formula: str
    stated: str
    holds: bool


@dataclass(frozen=True)
class KeyDiscrepancy:
    id: str
    relation: str
    where: Where
    stated: str
    expected: str
    klass: str
    note: str = ""


@dataclass(frozen=True)
class AnswerKey:
    name: str  # the key file's name
    document: str  # the corpus file audited
    scope: str
    source_for_positions: str
    audited_by: str
    relations: tuple[KeyRelation, ...]
    discrepancies: tuple[KeyDiscrepancy, ...]

    @property
    def is_pdf(self) -> bool:
        return self.document.lower().endswith(".pdf")


def _text(entry: dict[object, object], field_name: str, what: str, required: bool = True) -> str:
    value = entry.get(field_name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise KeyFileError(f"{what}: '{field_name}' is missing")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise KeyFileError(f"{what}: '{field_name}' must be a string, not {type(value).__name__}")
    return str(value).strip()


def _figure(entry: dict[object, object], field_name: str, what: str, required: bool = True) -> str:
    text = _text(entry, field_name, what, required)
    if text and figure_value(text) is None:
        raise KeyFileError(f"{what}: '{field_name}' {text!r} is not a figure")
    return text


def _where(entry: dict[object, object], what: str, pdf: bool) -> Where:
    where = entry.get("where")
    if not isinstance(where, dict):
        raise KeyFileError(f"{what}: 'where' must be a mapping such as {{line: 21}} or {{page: 16}}")
    numbers: dict[str, int | None] = {}
    for name in ("line", "page"):
        value = where.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise KeyFileError(f"{what}: where.{name} must be a positive whole number, not {value!r}")
        numbers[name] = value
    unknown = sorted(str(k) for k in where if k not in ("line", "page"))
    if unknown:
        raise KeyFileError(f"{what}: 'where' has unknown field(s) {', '.join(unknown)} (line or page)")
    if pdf and numbers["page"] is None:
        raise KeyFileError(f"{what}: 'where' needs a 'page' (PDF page number) for a PDF document")
    if numbers["line"] is None and numbers["page"] is None:
        raise KeyFileError(f"{what}: 'where' needs a 'line' or a 'page'")
    # A PDF is matched by page; any other file by line when the key gives one.
    return Where(None if pdf else numbers["line"], numbers["page"])


def _entries(data: dict[object, object], name: str) -> list[dict[object, object]]:
    entries = data.get(name)
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise KeyFileError(f"'{name}' must be a list")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise KeyFileError(f"{name} entry {number} must be a mapping")
    return entries


def parse_key(name: str, text: str) -> AnswerKey:
    """The answer key in ``text`` (the file ``name``); raises KeyFileError naming the problem."""
    try:
        return _parse_key(name, text)
    except KeyFileError as error:
        raise KeyFileError(f"{name}: {error}") from None


def _parse_key(name: str, text: str) -> AnswerKey:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or type(error).__name__
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise KeyFileError(f"invalid YAML{at}: {problem}") from None
    if not isinstance(data, dict):
        raise KeyFileError("expected a mapping with 'document', 'relations' and 'discrepancies'")
    document = _text(data, "document", "the key")
    pdf = document.lower().endswith(".pdf")
    relations: list[KeyRelation] = []
    for number, entry in enumerate(_entries(data, "relations"), start=1):
        what = f"relation {number}" + (f" ({entry['id']})" if entry.get("id") is not None else "")
        holds = entry.get("holds")
        if not isinstance(holds, bool):
            raise KeyFileError(f"{what}: 'holds' must be true or false, not {holds!r}")
        relations.append(
            KeyRelation(
                id=_text(entry, "id", what),
                where=_where(entry, what, pdf),
                kind=_text(entry, "kind", what, required=False) or "other",
                formula=_text(entry, "formula", what, required=False),
                stated=_figure(entry, "stated", what),
                holds=holds,
            )
        )
    _unique([r.id for r in relations], "relation")
    known = {r.id for r in relations}
    discrepancies: list[KeyDiscrepancy] = []
    for number, entry in enumerate(_entries(data, "discrepancies"), start=1):
        what = f"discrepancy {number}" + (f" ({entry['id']})" if entry.get("id") is not None else "")
        klass = _text(entry, "class", what)
        if klass not in CLASSES:
            raise KeyFileError(f"{what}: class {klass!r} is not one of {', '.join(CLASSES)}")
        relation = _text(entry, "relation", what, required=False)
        if relation and relation not in known:
            raise KeyFileError(f"{what}: relation {relation!r} is not the id of a relation of the key")
        discrepancies.append(
            KeyDiscrepancy(
                id=_text(entry, "id", what),
                relation=relation,
                where=_where(entry, what, pdf),
                stated=_figure(entry, "stated", what),
                expected=_figure(entry, "expected", what, required=False),
                klass=klass,
                note=_text(entry, "note", what, required=False),
            )
        )
    _unique([d.id for d in discrepancies], "discrepancy")
    return AnswerKey(
        name=name,
        document=document,
        scope=_text(data, "scope", "the key", required=False),
        source_for_positions=_text(data, "source_for_positions", "the key", required=False),
        audited_by=_text(data, "audited_by", "the key", required=False),
        relations=tuple(relations),
        discrepancies=tuple(discrepancies),
    )


def _unique(ids: list[str], what: str) -> None:
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        raise KeyFileError(f"{what} id {repeated[0]!r} is used twice")


def load_key(path: Path) -> AnswerKey:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise KeyFileError(f"{path.name}: cannot be read: {error}") from None
    return parse_key(path.name, text)


def load_keys(directory: Path = KEYS_DIR) -> tuple[list[AnswerKey], dict[str, str]]:
    """Every key of ``directory`` (*.yaml, by name), and an error line per malformed file."""
    keys: list[AnswerKey] = []
    errors: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:
            keys.append(load_key(path))
        except KeyFileError as error:
            errors[path.name] = str(error)
    return keys, errors


# ---------------------------------------------------------------- figures


_DIRECTION = re.compile(r"^(增加|上升|提高|增长|增亏|减少|下降|降低|减亏)")
_NEGATIVE_WORDS = ("减少", "下降", "降低")


def figure_value(text: str) -> tuple[Decimal, int] | None:
    """The signed value and printed decimals of the one figure ``text`` holds ("50,356.55万元",
    "-31.28%", "(1,234)", "下降31.28%", "15, 093.17"); None when it holds none or several."""
    cleaned = normalize(text).strip().replace(" ", "")
    quantity = parse_quantity(cleaned)
    if quantity is not None:
        return quantity.value, quantity.decimals
    word = _DIRECTION.match(cleaned)
    found = list(find_quantities(cleaned[word.end() :] if word else cleaned))
    if len(found) != 1:
        return None
    value, decimals = found[0][2].value, found[0][2].decimals
    if word and word.group(1) in _NEGATIVE_WORDS:
        value = -value
    return value, decimals


def magnitude(text: str) -> Decimal | None:
    value = figure_value(text)
    return None if value is None else abs(value[0])


def within_rounding(value: Decimal, printed: str) -> bool:
    """``value`` is the figure ``printed`` within half a unit of its last printed digit (signs
    compared as printed; when the printed figure has no sign or direction word, magnitudes)."""
    figure = figure_value(printed)
    if figure is None:
        return False
    target, decimals = figure
    half = Decimal(5).scaleb(-decimals - 1)
    if abs(value - target) <= half:
        return True
    signed = bool(re.search(r"[-(−－]|减少|下降|降低|增加|上升|提高|增长", normalize(printed)))
    return not signed and abs(abs(value) - abs(target)) <= half


# ---------------------------------------------------------------- hecha's findings, as the keys see them


@dataclass(frozen=True)
class Place:
    line: int | None
    page: int | None
    quote: str

    @classmethod
    def of(cls, location: Location) -> Place:
        return cls(location.line, location.page, location.quote)


@dataclass(frozen=True)
class FindingView:
    """What the keys compare of a Diagnostic (picklable, so that worker processes can send it)."""

    code: str
    fingerprint: str
    severity: str
    place: Place
    stated: Decimal | None
    expected: Decimal | None
    related: tuple[Place, ...]
    diagnosis: str

    @classmethod
    def of(cls, diagnostic: Diagnostic) -> FindingView:
        return cls(
            code=diagnostic.code,
            fingerprint=diagnostic.fingerprint,
            severity=diagnostic.severity.value,
            place=Place.of(diagnostic.location),
            stated=diagnostic.stated,
            expected=diagnostic.expected,
            related=tuple(Place.of(r.location) for r in diagnostic.related),
            diagnosis=diagnostic.diagnosis.kind if diagnostic.diagnosis else "",
        )

    @property
    def reported(self) -> bool:
        return self.severity != Severity.INFO.value

    def describe(self) -> str:
        where = f"l.{self.place.line}" if self.place.line is not None else f"p.{self.place.page}"
        expected = f" expected {self.expected.normalize():f}" if self.expected is not None else ""
        kind = f" <{self.diagnosis}>" if self.diagnosis else ""
        return f"{self.code}@{where} {self.place.quote!r}{expected}{kind}"


def views(result: CheckResult) -> tuple[FindingView, ...]:
    return tuple(FindingView.of(d) for d in result.diagnostics)


def _at(place: Place, where: Where) -> bool:
    if where.line is not None:
        return place.line == where.line
    return place.page == where.page


def stands_at(finding: FindingView, where: Where, value: Decimal) -> bool:
    """The finding's own figure is ``value`` (a magnitude) at ``where``: its quote or its stated."""
    if not _at(finding.place, where):
        return False
    if magnitude(finding.place.quote) == value:
        return True
    return finding.stated is not None and abs(finding.stated) == value


def names(finding: FindingView, where: Where, value: Decimal) -> bool:
    """The finding stands at (``where``, ``value``) or lists it among its related places."""
    if stands_at(finding, where, value):
        return True
    return any(_at(r, where) and magnitude(r.quote) == value for r in finding.related)


# ---------------------------------------------------------------- discrepancies


@dataclass(frozen=True)
class DiscrepancyOutcome:
    id: str
    klass: str
    where: str
    stated: str
    expected: str
    found: bool
    diagnosed: bool
    hecha_expected: str  # hecha's expected figure(s) at the figure itself, "" when none
    findings: tuple[str, ...]  # the findings that stand at or name the figure
    note: str = ""


def judge_discrepancy(discrepancy: KeyDiscrepancy, findings: Iterable[FindingView]) -> DiscrepancyOutcome:
    """Found: a non-info finding stands at the discrepancy's figure or (material ones only) names
    it among its related places; a rounding-level or explained one counts as a false alarm only
    when hecha reports that figure itself, not when another relation's finding uses it as an
    operand (on a Markdown table printed as one line, every figure of the table shares a line)."""
    value = magnitude(discrepancy.stated)
    assert value is not None  # parse_key checked it
    judge = names if discrepancy.klass == MATERIAL else stands_at
    matching = [f for f in findings if f.reported and judge(f, discrepancy.where, value)]
    own = [f for f in matching if stands_at(f, discrepancy.where, value) and f.expected is not None]
    diagnosed = bool(discrepancy.expected) and any(
        f.expected is not None and within_rounding(f.expected, discrepancy.expected) for f in own
    )
    return DiscrepancyOutcome(
        id=discrepancy.id,
        klass=discrepancy.klass,
        where=str(discrepancy.where),
        stated=discrepancy.stated,
        expected=discrepancy.expected,
        found=bool(matching),
        diagnosed=diagnosed,
        hecha_expected=", ".join(f"{f.expected.normalize():f}" for f in own if f.expected is not None),
        findings=tuple(f.describe() for f in matching),
        note=discrepancy.note,
    )


def alarms_on_held(key: AnswerKey, findings: Sequence[FindingView]) -> tuple[str, ...]:
    """Relations the key says hold with a non-info finding standing at their stated figure:
    "id: finding"."""
    alarms = []
    for relation in key.relations:
        if not relation.holds or relation.id in _discrepant(key):
            continue
        value = magnitude(relation.stated)
        assert value is not None
        hits = [f for f in findings if f.reported and stands_at(f, relation.where, value)]
        if hits:
            alarms.append(f"{relation.id} {relation.where} {relation.stated}: {hits[0].describe()}")
    return tuple(alarms)


def _discrepant(key: AnswerKey) -> frozenset[str]:
    return frozenset(d.relation for d in key.discrepancies if d.relation)


# ---------------------------------------------------------------- finding a figure in the source


def figure_pattern(stated: str) -> re.Pattern[str]:
    """The printed figure ``stated`` as it may stand in a line: any spaces between its characters
    (extraction splits figures: "15, 093.17", "44. 75%"; converters print "$4 . 4 6 \\%$"), not
    inside a longer number, never across a line break."""
    characters = [c for c in stated.translate(FIGURE_CHARACTERS) if not c.isspace()]
    body = _SPACES.join(("\\\\?%" if c == "%" else re.escape(c)) for c in characters)
    return re.compile(r"(?<!\d)(?<!\d[.,])(?<!\d[.,]\s)" + body + r"(?!\d)(?![.,]\s?\d)")


_SPACES = r"[ \t\u00a0\u3000\u2009]*"
# The figure of a key's stated text without the words and units around it ("减少16.43个百分点" →
# "16.43", "2.07亿元" → "2.07", "-31.28%" → "-31.28%"): a PDF's text may wrap those onto other lines.
_CORE = re.compile(r"[-+(]?\d(?:[\d,.]*\d)?%?")
# A LaTeX figure as converters print it: "$4 . 4 6 \\%$".
_LATEX_BODY = re.compile(r"[\s\d.,%\\{}()+\-]*")


def region(text: str, where: Where) -> tuple[int, int] | None:
    """Character offsets of ``where`` in ``text``: its line, or its page (pages joined by form
    feeds); None when the text is shorter."""
    if where.line is not None:
        separator, number = "\n", where.line
    else:
        assert where.page is not None
        separator, number = "\f", where.page
    start = 0
    for _ in range(number - 1):
        start = text.find(separator, start) + 1
        if start == 0:
            return None
    end = text.find(separator, start)
    return start, len(text) if end < 0 else end


def locate(text: str, where: Where, stated: str) -> tuple[int, int] | None:
    """Offsets in ``text`` of the first printing of ``stated`` at ``where``, None when it is not
    printed there. When the whole of ``stated`` is not found on one line (a PDF's text wraps
    "减少16.43个百分点" over lines), its bare figure is looked for. A sign printed just before
    a figure the key wrote without one is taken with it; a LaTeX figure is taken whole with its $.
    """
    span = region(text, where)
    if span is None:
        return None
    start, end = span
    printed = text[start:end].translate(FIGURE_CHARACTERS)
    match = figure_pattern(stated).search(printed)
    if match is None:
        core = _CORE.search(normalize(stated).replace(" ", ""))
        if core is None or core.group(0) == stated:
            return None
        stated = core.group(0)
        match = figure_pattern(stated).search(printed)
        if match is None:
            return None
    first, last = start + match.start(), start + match.end()
    if first > start and text[first - 1].translate(FIGURE_CHARACTERS) in "-+" and stated[:1] not in "-+(":
        first -= 1
    left, right = text.rfind("$", start, first), text.find("$", last, end)
    if left >= 0 and right >= 0 and _LATEX_BODY.fullmatch(text[left + 1 : right]):
        first, last = left, right + 1
    return first, last


# ---------------------------------------------------------------- key mutations


@dataclass(frozen=True)
class CheckTask:
    """One re-check: ``source`` with characters [start, end) printed as ``new_text``, written as
    ``name`` into a temporary directory, read and checked by the selected rules."""

    name: str
    source: Path
    start: int
    end: int
    new_text: str
    select: tuple[str, ...]


@dataclass(frozen=True)
class CheckedTask:
    findings: tuple[FindingView, ...]
    rule_failures: tuple[str, ...] = ()
    error: str = ""


@functools.lru_cache(maxsize=8)
def _source_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def run_task(task: CheckTask) -> CheckedTask:
    """``task``, in whichever process runs it; a crash becomes an error."""
    try:
        text = _source_text(task.source)
        mutated = text[: task.start] + task.new_text + text[task.end :]
        with tempfile.TemporaryDirectory(prefix="hecha-keys-") as workdir:
            target = Path(workdir) / task.name
            # Bytes, so that "\r\n" and form feeds reach the reader unchanged.
            target.write_bytes(mutated.encode("utf-8"))
            result = check_document(load(str(target)), select_rules(list(task.select) or None))
    except Exception as error:  # one re-check's failure must not stop the others
        return CheckedTask((), error=f"{type(error).__name__}: {error}")
    return CheckedTask(views(result), tuple(f"{f.code}: {f.error}" for f in result.rule_failures))


def run_tasks(tasks: Sequence[CheckTask], jobs: int) -> list[CheckedTask]:
    """Every task in ``jobs`` worker processes (at most MAX_PROCESSES; 1: in this process)."""
    jobs = max(1, min(jobs, MAX_PROCESSES))
    if jobs == 1 or len(tasks) <= 1:
        return [run_task(task) for task in tasks]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(run_task, tasks, chunksize=4))


@dataclass(frozen=True)
class PlannedMutation:
    relation: str
    relation_kind: str
    kind: str
    where: Where
    original: str  # the characters rewritten
    mutated: str
    task: CheckTask


@dataclass(frozen=True)
class KeySkip:
    relation: str
    kind: str
    reason: str


@dataclass(frozen=True)
class KeyMutationOutcome:
    relation: str
    relation_kind: str
    kind: str
    where: str
    original: str
    mutated: str
    found: bool
    findings: tuple[str, ...]  # the new non-info findings at (or naming) the mutated figure's line/page
    rule_failures: tuple[str, ...] = ()
    error: str = ""


def mutation_source(key: AnswerKey, document_path: Path) -> Path | None:
    """The file whose characters a key mutation rewrites: the document, or for a PDF its
    ``.pdfplumber.txt`` twin beside it (None when there is none)."""
    if not key.is_pdf:
        return document_path
    twin = document_path.with_name(document_path.name[: -len(".pdf")] + PLUMBER_SUFFIX)
    return twin if twin.is_file() else None


def plan_mutations(
    key: AnswerKey,
    source: Path | None,
    select: tuple[str, ...],
    seed: int,
    sample: int | None = None,
) -> tuple[list[PlannedMutation], list[KeySkip]]:
    """One mutation per relation that holds (and that no discrepancy names): the relations
    shuffled with (seed, key), at most ``sample`` of them, kinds taken in turn (a kind that cannot
    apply is skipped with its reason and the next one tried)."""
    targets = [r for r in key.relations if r.holds and r.id not in _discrepant(key)]
    rng = random.Random(f"{seed}:{key.name}")
    rng.shuffle(targets)
    if sample is not None:
        targets = targets[: max(0, sample)]
    if source is None:
        return [], [KeySkip(r.id, "", "PDF without a .pdfplumber.txt twin beside it") for r in targets]
    text = _source_text(source)
    planned: list[PlannedMutation] = []
    skipped: list[KeySkip] = []
    turns = 0
    for relation in targets:
        span = locate(text, relation.where, relation.stated)
        if span is None:
            skipped.append(
                KeySkip(relation.id, "", f"stated figure not printed at its {_unit(relation.where)}")
            )
            continue
        original = text[span[0] : span[1]]
        for turn in range(len(RECALL_KINDS)):
            kind = RECALL_KINDS[(turns + turn) % len(RECALL_KINDS)]
            try:
                figure = mutated_figure(
                    original, kind, random.Random(f"{seed}:{key.name}:{relation.id}:{kind}")
                )
            except MutationSkipped as skip:
                skipped.append(KeySkip(relation.id, kind, skip.reason))
                continue
            task = CheckTask(source.name, source, span[0], span[1], figure.text, select)
            planned.append(
                PlannedMutation(relation.id, relation.kind, kind, relation.where, original, figure.text, task)
            )
            turns += 1
            break
    return planned, skipped


def _unit(where: Where) -> str:
    return "line" if where.line is not None else "page"


def judge_mutation(
    planned: PlannedMutation, checked: CheckedTask, baseline: frozenset[str]
) -> KeyMutationOutcome:
    """Found: a new (fingerprint not in ``baseline``, the unmutated source's check) non-info
    finding standing at the mutated figure or naming it (a sign flip keeps the magnitude, so a
    finding the clean check already had at the figure must not count)."""
    value = magnitude(planned.mutated)
    at_place = [
        f
        for f in checked.findings
        if f.reported and f.fingerprint not in baseline and _near(f, planned.where)
    ]
    found = value is not None and any(names(f, planned.where, value) for f in at_place)
    return KeyMutationOutcome(
        relation=planned.relation,
        relation_kind=planned.relation_kind,
        kind=planned.kind,
        where=str(planned.where),
        original=planned.original,
        mutated=planned.mutated,
        found=found,
        findings=tuple(f.describe() for f in at_place),
        rule_failures=checked.rule_failures,
        error=checked.error,
    )


def _near(finding: FindingView, where: Where) -> bool:
    return _at(finding.place, where) or any(_at(r, where) for r in finding.related)


# ---------------------------------------------------------------- one key, and adding up


@dataclass(frozen=True)
class KeyResult:
    key: str  # the key file's name
    document: str
    scope: str = ""
    relations: int = 0
    held: int = 0
    discrepancies: tuple[DiscrepancyOutcome, ...] = ()
    alarms_on_held: tuple[str, ...] = ()
    misplaced: tuple[str, ...] = ()  # key entries whose stated figure is not printed at their where
    mutations: tuple[KeyMutationOutcome, ...] = ()
    skipped: tuple[KeySkip, ...] = ()


@dataclass(frozen=True)
class KeySummary:
    label: str
    relations: int = 0
    held: int = 0
    material: int = 0
    found: int = 0
    diagnosed: int = 0
    with_expected: int = 0  # found material discrepancies whose key gives an expected figure
    rounding: int = 0
    rounding_found: int = 0
    explained: int = 0
    explained_found: int = 0
    alarms_on_held: int = 0
    misplaced: int = 0
    mutated: int = 0
    mutations_found: int = 0
    mutations_skipped: int = 0

    @property
    def found_share(self) -> float | None:
        return self.found / self.material if self.material else None

    @property
    def false_alarms(self) -> int:
        return self.rounding_found + self.explained_found + self.alarms_on_held

    @property
    def mutation_share(self) -> float | None:
        return self.mutations_found / self.mutated if self.mutated else None


def summarize_keys(label: str, results: Iterable[KeyResult]) -> KeySummary:
    chosen = list(results)
    outcomes = [o for r in chosen for o in r.discrepancies]
    material = [o for o in outcomes if o.klass == MATERIAL]
    rounding = [o for o in outcomes if o.klass == ROUNDING]
    explained = [o for o in outcomes if o.klass == EXPLAINED]
    mutations = [m for r in chosen for m in r.mutations]
    return KeySummary(
        label=label,
        relations=sum(r.relations for r in chosen),
        held=sum(r.held for r in chosen),
        material=len(material),
        found=sum(o.found for o in material),
        diagnosed=sum(o.found and o.diagnosed for o in material),
        with_expected=sum(o.found and bool(o.expected) for o in material),
        rounding=len(rounding),
        rounding_found=sum(o.found for o in rounding),
        explained=len(explained),
        explained_found=sum(o.found for o in explained),
        alarms_on_held=sum(len(r.alarms_on_held) for r in chosen),
        misplaced=sum(len(r.misplaced) for r in chosen),
        mutated=len(mutations),
        mutations_found=sum(m.found for m in mutations),
        mutations_skipped=sum(len(r.skipped) for r in chosen),
    )


def misplaced_entries(key: AnswerKey, text: str | None) -> tuple[str, ...]:
    """Relations and discrepancies whose stated figure is not printed at their line/page of
    ``text`` (the document's text, or a PDF's pdfplumber twin): a wrong position in the key, or
    a figure printed differently."""
    if text is None:
        return ()
    entries = [(r.id, r.where, r.stated) for r in key.relations]
    entries += [(d.id, d.where, d.stated) for d in key.discrepancies]
    return tuple(f"{i} {w} {s}" for i, w, s in entries if locate(text, w, s) is None)


def evaluate_keys(
    work: Sequence[tuple[AnswerKey, Path, CheckResult]],
    select: tuple[str, ...],
    seed: int,
    sample: int | None = None,
    jobs: int = MAX_PROCESSES,
) -> list[KeyResult]:
    """Each key against its document's clean check (``work``: key, the document's path, the
    check), and its relations that hold mutated; the re-checks of every key share the workers."""
    prepared = []
    tasks: list[CheckTask] = []
    for key, path, result in work:
        findings = views(result)
        source = mutation_source(key, path)
        planned, skipped = plan_mutations(key, source, select, seed, sample)
        # The baseline of the re-checks: the clean check, or for a PDF a check of its twin.
        twin = source is not None and source != path and bool(planned)
        if twin:
            assert source is not None
            tasks.append(CheckTask(source.name, source, 0, 0, "", select))
        tasks += [p.task for p in planned]
        prepared.append((key, findings, source, twin, planned, skipped))
    checked = iter(run_tasks(tasks, jobs))
    results = []
    for key, findings, source, twin, planned, skipped in prepared:
        base = next(checked).findings if twin else findings
        baseline = frozenset(f.fingerprint for f in base)
        results.append(
            KeyResult(
                key=key.name,
                document=key.document,
                scope=key.scope,
                relations=len(key.relations),
                held=sum(r.holds for r in key.relations),
                discrepancies=tuple(judge_discrepancy(d, findings) for d in key.discrepancies),
                alarms_on_held=alarms_on_held(key, findings),
                misplaced=misplaced_entries(key, _source_text(source) if source else None),
                mutations=tuple(judge_mutation(p, next(checked), baseline) for p in planned),
                skipped=tuple(skipped),
            )
        )
    return results


@dataclass
class KeyRun:
    """What ``python -m benchmarks keys`` produced: results per key, and error lines per key file
    (malformed, or its document missing or unreadable)."""

    results: list[KeyResult] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- output


def _name(result: KeyResult) -> str:
    return result.document


def _lines(results: list[KeyResult], groups: Groups) -> list[KeySummary]:
    """Per key, per format and kind of the keys' documents, and all."""
    lines = [summarize_keys(r.key, [r]) for r in results]
    lines += [summarize_keys(label, chosen) for label, chosen in groups.split(results, _name)]
    return [*lines, summarize_keys("all", results)]


def _record(summary: KeySummary) -> dict[str, JsonValue]:
    return {
        **asdict(summary),
        "found_share": summary.found_share,
        "false_alarms": summary.false_alarms,
        "mutation_found_share": summary.mutation_share,
    }


def _by(results: list[KeyResult], attribute: str, values: Iterable[str]) -> list[tuple[str, int, int]]:
    """(value, mutated, found) of the key mutations per kind or per relation kind."""
    mutations = [m for r in results for m in r.mutations]
    rows = []
    for value in values:
        mine = [m for m in mutations if getattr(m, attribute) == value]
        if mine:
            rows.append((value, len(mine), sum(m.found for m in mine)))
    return rows


def keys_payload(run: KeyRun, groups: Groups | None = None) -> dict[str, JsonValue]:
    groups = groups or Groups()
    relation_kinds = dict.fromkeys(
        [*RELATION_KINDS, *(m.relation_kind for r in run.results for m in r.mutations)]
    )
    return {
        "target_found_share": TARGET_FOUND,
        "keys": [
            {
                **_record(summarize_keys(r.key, [r])),
                "key": r.key,
                "document": r.document,
                "scope": r.scope,
                "discrepancies": [asdict(o) for o in r.discrepancies],
                "alarms_on_held": list(r.alarms_on_held),
                "misplaced": list(r.misplaced),
                "mutations": [asdict(m) for m in r.mutations],
                "skip_reasons": dict(Counter(s.reason for s in r.skipped)),
            }
            for r in run.results
        ],
        **groups.records(run.results, _name, lambda label, chosen: _record(summarize_keys(label, chosen))),
        "mutations_by_kind": [
            {"kind": k, "mutated": n, "found": f} for k, n, f in _by(run.results, "kind", RECALL_KINDS)
        ],
        "mutations_by_relation_kind": [
            {"relation_kind": k, "mutated": n, "found": f}
            for k, n, f in _by(run.results, "relation_kind", relation_kinds)
        ],
        "overall": _record(summarize_keys("all", run.results)),
        "errors": dict(run.errors),
    }


def print_keys(run: KeyRun, examples: int = 10, groups: Groups | None = None) -> None:
    groups = groups or Groups()
    results = run.results
    lines = _lines(results, groups) if results else []
    print("== answer keys: discrepancies found by hand, found by hecha (clean check of the document)")
    rows = []
    for s in lines:
        rows.append(
            [
                s.label,
                str(s.relations),
                str(s.material),
                str(s.found),
                share(s.found, s.material),
                f"{s.diagnosed}/{s.with_expected}",
                f"{s.rounding_found}/{s.rounding}",
                f"{s.explained_found}/{s.explained}",
                f"{s.alarms_on_held}/{s.held}",
                str(s.false_alarms),
                str(s.misplaced),
            ]
        )
    for name, error in run.errors.items():
        rows.append([name, "error: " + error[:100], "", "", "", "", "", "", "", "", ""])
    headers = ["key", "relations", "material", "found", "% found", "diagnosed", "rounding found"]
    headers += ["explained found", "alarms on held", "false alarms", "misplaced"]
    print(render_table(headers, rows))
    print(
        f"target: ≥ {TARGET_FOUND:.0%} of material discrepancies found (all line); found: a non-info "
        "finding at the key's line/page whose quote or stated value (or a related place) is the key's "
        "stated figure; diagnosed: of those found, hecha's expected is the key's (within its rounding); "
        "rounding-level and explained ones found, and findings at relations the key says hold "
        "(alarms on held), are false alarms; misplaced: key entries whose figure is not printed at "
        "their line/page"
    )
    print("== answer keys: relations that hold, their stated figure mutated in the source and re-checked")
    rows = [
        [
            s.label,
            str(s.held),
            str(s.mutated),
            str(s.mutations_found),
            share(s.mutations_found, s.mutated),
            str(s.mutations_skipped),
        ]
        for s in lines
    ]
    rows += [
        [f"mutation {k}", "", str(n), str(f), share(f, n), ""]
        for k, n, f in _by(results, "kind", RECALL_KINDS)
    ]
    relation_kinds = dict.fromkeys(
        [*RELATION_KINDS, *(m.relation_kind for r in results for m in r.mutations)]
    )
    rows += [
        [f"relation {k}", "", str(n), str(f), share(f, n), ""]
        for k, n, f in _by(results, "relation_kind", relation_kinds)
    ]
    print(render_table(["key", "held", "mutated", "found", "% found", "skipped"], rows))
    print(
        "found: a new non-info finding at the relation's line (PDF: page of the .pdfplumber.txt twin) whose "
        "quote or stated value (or a related place) is the mutated figure; one mutation per relation "
        "that holds, kinds in turn"
    )
    reasons = Counter(s.reason for r in results for s in r.skipped)
    if reasons:
        print("skipped, by reason:")
        for reason, count in reasons.most_common():
            print(f"  {count:5d}  {reason}")
    crashed = sum(1 for r in results for m in r.mutations if m.rule_failures or m.error)
    if crashed:
        print(f"re-checks in which a rule crashed or the document failed: {crashed}")
    _print_details(results, examples)


def _print_details(results: list[KeyResult], examples: int) -> None:
    for r in results:
        missed = [o for o in r.discrepancies if o.klass == MATERIAL and not o.found]
        undiagnosed = [o for o in r.discrepancies if o.klass == MATERIAL and o.found and not o.diagnosed]
        alarms = [o for o in r.discrepancies if o.klass != MATERIAL and o.found]
        if not (missed or undiagnosed or alarms or r.alarms_on_held or r.misplaced):
            continue
        print(f"-- {r.key} ({r.document})")
        for o in missed:
            note = f"  ({o.note})" if o.note else ""
            print(f"  missed {o.id} {o.where}: {o.stated}, expected {o.expected or '?'}{note}")
        for o in undiagnosed:
            hecha = o.hecha_expected or "none at the figure"
            print(f"  not diagnosed {o.id} {o.where}: {o.stated}, key {o.expected or '?'}, hecha {hecha}")
            print(f"      {'; '.join(o.findings[:3])}")
        for o in alarms:
            print(
                f"  {o.klass} found (false alarm) {o.id} {o.where}: {o.stated}: {'; '.join(o.findings[:2])}"
            )
        for alarm in r.alarms_on_held[: max(examples, 0)]:
            print(f"  alarm on a relation that holds: {alarm}")
        if r.misplaced:
            shown = ", ".join(r.misplaced[: max(examples, 0)])
            print(f"  {len(r.misplaced)} entries not printed at their line/page: {shown}")
    missed_mutations = [(r.key, m) for r in results for m in r.mutations if not m.found]
    if missed_mutations and examples > 0:
        count = min(examples, len(missed_mutations))
        print(f"first {count} of {len(missed_mutations)} key mutations not found:")
        for name, m in missed_mutations[:examples]:
            found = "; ".join(m.findings[:3]) or m.error or "no finding there"
            what = f"{m.relation} ({m.relation_kind}) {m.where} {m.kind}"
            print(f"  {name} {what}: {m.original} → {m.mutated} ({found})")
