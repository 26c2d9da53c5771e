"""The one place that turns printed strings into Quantities.

Handles what Chinese disclosures and their PDF extractions print: thousands separators, signs
(-, −, –, parentheses), percentages, 个百分点, scale words (万元, 亿元), counts (人, 家), full-width
characters, figures split by extraction ("8,744. 29", "34, 789. 38"), LaTeX-ish converter output
("$1 6 . 6 \\%$") and printed blanks (-, —, 不适用, N/A).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from hecha.model.quantity import Quantity, Unit

# Full-width and other forms of digits and signs, one character for one so that offsets are kept
# (the answer-key benchmark finds figures in a document's own text with it). The full-width comma
# is left out: in prose it separates clauses ("增长10%，20%").
FIGURE_CHARACTERS = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "％": "%",
        "－": "-",
        "＋": "+",
        "（": "(",
        "）": ")",
        "−": "-",  # U+2212 minus sign
        "﹣": "-",
        "\u00a0": " ",
        "\u3000": " ",
        "\u2009": " ",
    }
)
# normalize() reads the full-width comma as a half-width one as well, and the small and vertical
# forms of the colon ("减﹕利息收入") as the full-width one.
_TRANSLATE = {**FIGURE_CHARACTERS, ord("，"): ",", ord("﹕"): "：", ord("︰"): "："}

BLANK_TEXTS = frozenset(
    {"", "-", "--", "—", "——", "–", "－", "/", "不适用", "n/a", "N/A", "NA", "无", "*", "—-"}
)

# Suffixes after a figure, longest first so that "个百分点" wins over "个".
_SUFFIXES: tuple[tuple[str, Unit, int | None], ...] = (
    ("个百分点", Unit.PERCENT_POINT, None),
    ("百分点", Unit.PERCENT_POINT, None),
    ("pp", Unit.PERCENT_POINT, None),
    ("%", Unit.PERCENT, None),
    ("亿元", Unit.CURRENCY, 8),
    ("万元", Unit.CURRENCY, 4),
    ("千元", Unit.CURRENCY, 3),
    ("百元", Unit.CURRENCY, 2),
    ("元", Unit.CURRENCY, 0),
    ("亿", Unit.NUMBER, 8),
    ("万", Unit.NUMBER, 4),
    ("倍", Unit.MULTIPLE, None),
    ("人", Unit.COUNT, None),
    ("家", Unit.COUNT, None),
    ("台", Unit.COUNT, None),
    ("个", Unit.COUNT, None),
    ("户", Unit.COUNT, None),
    ("名", Unit.COUNT, None),
    ("项", Unit.COUNT, None),
    ("次", Unit.COUNT, None),
)

_NUMBER_BODY = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_CELL_RE = re.compile(
    r"^(?P<open>\()?(?P<sign>[-+])?(?P<open2>\()?(?P<body>" + _NUMBER_BODY + r")(?P<close>\))?"
    r"(?P<suffix>个百分点|百分点|pp|%|亿元|万元|千元|百元|元|亿|万|倍|人|家|台|个|户|名|项|次)?$"
)
# Extraction splits figures at separators: "34, 789. 38". Only 1-2 digits after a split point
# are joined, so that a list number before a year ("1. 2020年") stays apart.
_SPLIT_THOUSANDS = re.compile(r"(?<=\d)\s*,\s*(?=\d{3}(?!\d))")
_SPLIT_DECIMAL = re.compile(r"(?<=\d)(?:\s*\.\s+|\s+\.\s*)(?=\d{1,2}(?!\d))")
_LATEX = re.compile(r"\$([^$]*)\$")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Half-width digits and punctuation, one minus sign, no stray spaces inside figures.

    Cached: labels and cells are normalized again by every stage that reads them."""
    text = text.translate(_TRANSLATE)
    if "$" in text:
        text = _LATEX.sub(lambda m: _latex_to_plain(m.group(1)), text)
    text = _SPLIT_THOUSANDS.sub(",", text)
    text = _SPLIT_DECIMAL.sub(".", text)
    return text


def squeezed(text: str) -> str:
    """``text`` normalized, with every space and line break taken out: how labels and headers
    are compared, whatever spacing a reader or converter left in them."""
    return "".join(normalize(text).split())


def _latex_to_plain(body: str) -> str:
    body = body.replace("\\%", "%").replace("\\,", "").replace("{", "").replace("}", "")
    body = body.replace("\\mathrm", "").replace("\\text", "").replace("\\", "")
    return re.sub(r"(?<=[\d.,%-])\s+(?=[\d.,%])", "", body).strip()


def is_blank(text: str) -> bool:
    """True for the printed blanks of a table cell: -, —, 不适用, N/A, empty."""
    stripped = normalize(text).strip()
    return stripped in BLANK_TEXTS or stripped.lower() in BLANK_TEXTS


# Figure-shaped text that parses as no figure: a decimal point where a thousands separator belongs,
# followed by more groups ("147.661.41", "1.287.678,00"). An OCR converter prints these when
# it misreads a separator; the figure is printed but its value is unknown. Dates ("2023.12.31")
# and section numbers ("1.2.3") do not have the shape.
_GARBLED_FIGURE = re.compile(r"^[-(]?\d{1,3}(?:[.,]\d{3})*\.\d{3}(?:[.,]\d{3})*[.,]\d{1,2}\)?%?$")


def is_garbled_figure(text: str) -> bool:
    """A cell printing a figure hecha cannot read for certain ("147.661.41"), not a label."""
    cleaned = normalize(text).strip()
    return bool(_GARBLED_FIGURE.match(cleaned)) and parse_quantity(cleaned) is None


_DIRECTION_WORDS = (
    ("增加", ""),
    ("上升", ""),
    ("提高", ""),
    ("增长", ""),
    ("减少", "-"),
    ("下降", "-"),
    ("降低", "-"),
)


def parse_quantity(text: str) -> Quantity | None:
    """Parse a whole cell's text as one figure; None when it is not exactly one figure.

    A leading direction word gives the sign, as change columns print it: "减少1.11个百分点" is
    -1.11 percentage points, "增加 2.07" is +2.07.
    """
    original = text
    cleaned = normalize(text).strip()
    if not cleaned:
        return None
    cleaned = cleaned.replace(" ", "")
    for word, sign in _DIRECTION_WORDS:
        if cleaned.startswith(word) and len(cleaned) > len(word) and cleaned[len(word)].isdigit():
            cleaned = sign + cleaned[len(word) :]
            break
    match = _CELL_RE.match(cleaned)
    if match is None:
        return None
    opened = bool(match.group("open") or match.group("open2"))
    if opened != bool(match.group("close")):
        return None
    return _build(match.group("body"), match.group("sign"), opened, match.group("suffix"), original)


def _build(
    body: str, sign: str | None, parenthesised: bool, suffix: str | None, original: str
) -> Quantity | None:
    digits = body.replace(",", "")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    if (sign == "-") != parenthesised:  # "-5" and "(5)" are negative; "-(5)" is not printed
        value = -value
    unit, scale = Unit.NUMBER, None
    if suffix:
        for text, suffix_unit, suffix_scale in _SUFFIXES:
            if suffix == text:
                unit, scale = suffix_unit, suffix_scale
                break
    return Quantity(value=value, decimals=decimals, unit=unit, scale=scale, text=original.strip())


_PROSE_RE = re.compile(
    r"(?P<sign>[-+])?(?P<body>" + _NUMBER_BODY + r")\s*"
    r"(?P<suffix>个百分点|百分点|%|亿元|万元|千元|元|亿|万|倍|人|家|台|个|户|名|项|次)?"
)


def find_quantities(text: str) -> Iterator[tuple[int, int, Quantity]]:
    """Every figure in a run of prose or a table line, with its span in ``normalize(text)``.

    Callers that need spans in the original string should normalize first: normalization can
    shorten the text (it removes stray spaces inside figures).
    """
    normalized = normalize(text)
    for match in _PROSE_RE.finditer(normalized):
        start = match.start()
        # A digit glued to letters (e.g. "A1", "H7N9") is an identifier, not a figure.
        if start > 0 and (normalized[start - 1].isascii() and normalized[start - 1].isalpha()):
            continue
        quantity = _build(
            match.group("body"), match.group("sign"), False, match.group("suffix"), match.group(0)
        )
        if quantity is not None:
            yield start, match.end(), quantity


# "单位均为人民币万元" states a unit for a whole section, as "单位：万元" does for one table.
_UNIT_LINE_RE = re.compile(
    r"(?:单位|金额单位|币种)\s*(?:均为|为)?\s*[:：]?\s*(?:人民币)?\s*(亿元|万元|千元|百元|元|%|人|家)"
    # The currency alone on its line, as statements audited in the international style head
    # every table ("人民币元", shenzhen_energy 2016; "人民币千元").
    r"|^\s*人民币\s*(亿元|万元|千元|元)\s*$"
)
_UNIT_SCALES = {"亿元": 8, "万元": 4, "千元": 3, "百元": 2, "元": 0}


def unit_scale(text: str) -> int | None:
    """The power of ten named by a unit line ("单位：万元" → 4) or a header ("金额（万元）")."""
    normalized = normalize(text)
    match = _UNIT_LINE_RE.search(normalized)
    if match:
        return _UNIT_SCALES.get(match.group(1) or match.group(2))
    bracket = re.search(r"[(（\[]\s*(?:人民币)?(亿元|万元|千元|元)\s*[)）\]]", normalized)
    if bracket:
        return _UNIT_SCALES[bracket.group(1)]
    return None


def is_unit_line(text: str) -> bool:
    """True for a line that only states a table's unit ("单位：元 币种：人民币")."""
    normalized = normalize(text).strip()
    return bool(_UNIT_LINE_RE.match(normalized)) and len(normalized) <= 40


_CJK = re.compile(r"[\u4e00-\u9fff]")


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character (a word, not a dash or a Latin code)."""
    return _CJK.search(text) is not None
