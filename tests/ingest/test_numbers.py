"""The number parser: printed forms found in the corpus, and properties over generated figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hecha.ingest.numbers import (
    find_quantities,
    is_blank,
    is_garbled_figure,
    is_unit_line,
    normalize,
    parse_quantity,
    unit_scale,
)
from hecha.model.quantity import Unit


@pytest.mark.parametrize(
    ("text", "value", "decimals", "unit", "scale"),
    [
        ("1,234.56", "1234.56", 2, Unit.NUMBER, None),
        ("-1.70", "-1.70", 2, Unit.NUMBER, None),
        ("(1,234.56)", "-1234.56", 2, Unit.NUMBER, None),
        ("（1,234.56）", "-1234.56", 2, Unit.NUMBER, None),
        ("10.07%", "10.07", 2, Unit.PERCENT, None),
        ("9.19个百分点", "9.19", 2, Unit.PERCENT_POINT, None),
        ("3.36亿元", "3.36", 2, Unit.CURRENCY, 8),
        ("50,356.55万元", "50356.55", 2, Unit.CURRENCY, 4),
        ("72.39 万元", "72.39", 2, Unit.CURRENCY, 4),
        ("1,581,905,632.48元", "1581905632.48", 2, Unit.CURRENCY, 0),
        ("８，７４４．２９", "8744.29", 2, Unit.NUMBER, None),
        ("8,744. 29", "8744.29", 2, Unit.NUMBER, None),  # split by PDF extraction
        ("34, 789. 38", "34789.38", 2, Unit.NUMBER, None),  # chengbang md table
        ("44. 75%", "44.75", 2, Unit.PERCENT, None),
        ("−1,674. 44", "-1674.44", 2, Unit.NUMBER, None),  # U+2212 minus
        ("-1, 414. 12", "-1414.12", 2, Unit.NUMBER, None),
        ("$1 6 . 6 \\%$", "16.6", 1, Unit.PERCENT, None),  # LaTeX-ish converter output
        ("236人", "236", 0, Unit.COUNT, None),
        ("1.5倍", "1.5", 1, Unit.MULTIPLE, None),
        ("减少1.11个百分点", "-1.11", 2, Unit.PERCENT_POINT, None),
        ("增加 2.07", "2.07", 2, Unit.NUMBER, None),
        ("0.00", "0.00", 2, Unit.NUMBER, None),
    ],
)
def test_printed_forms(text: str, value: str, decimals: int, unit: Unit, scale: int | None) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None, text
    assert quantity.value == Decimal(value)
    assert quantity.decimals == decimals
    assert quantity.unit == unit
    assert quantity.scale == scale


@pytest.mark.parametrize("text", ["-", "—", "——", "–", "不适用", "N/A", "n/a", "", "  "])
def test_blanks(text: str) -> None:
    assert is_blank(text)
    assert parse_quantity(text) is None


@pytest.mark.parametrize("text", ["abc", "1.2.3", "2023年度", "(12", "12)", "第3列", "减少"])
def test_not_one_figure(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize("text", ["147.661.41", "1.287.678,00", "(1.234.567,89)", "12.345,67"])
def test_garbled_figures(text: str) -> None:
    # "147.661.41": tongrentang_2023_annual.md line 5279, an OCR converter's 147,661.41.
    assert is_garbled_figure(text)
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    "text", ["147,661.41", "2023.12.31", "1.2.3", "147.661", "5,142,0", "7,284,721.14 1,334,995.86", "第3列"]
)
def test_not_garbled_figures(text: str) -> None:
    # Dates, section numbers, one decimal point, a figure cut by extraction ("5,142,0", joined
    # elsewhere) and two figures in one cell are not garbled figures.
    assert not is_garbled_figure(text)


@pytest.mark.parametrize(("line", "scale"), [("人民币元", 0), ("人民币千元", 3), ("人民币万元", 4)])
def test_a_currency_alone_on_its_line_is_a_unit_line(line: str, scale: int) -> None:
    # shenzhen_energy_2016_annual: "人民币元" heads every table of the audited statements.
    assert is_unit_line(line) and unit_scale(line) == scale
    assert unit_scale("以人民币元为记账本位币") is None


def test_units_from_lines_and_headers() -> None:
    assert unit_scale("单位：万元") == 4
    assert unit_scale("单位：元 币种：人民币") == 0
    assert unit_scale("金额（亿元）") == 8
    assert unit_scale("项目") is None
    assert is_unit_line("单位：元 币种：人民币")
    assert not is_unit_line(
        "公司2025年实现营业收入50,356.55万元，单位：万元的表格如下所示，这是一段很长的正文内容"
    )


def test_prose_figures_keep_units() -> None:
    sentence = "2025 年，公司实现营业收入 50,356.55 万元，同比增长 44.75%；归母净利润为-11,959.82 万元"
    found = [q for _, _, q in find_quantities(sentence)]
    assert [(q.value, q.unit, q.scale) for q in found] == [
        (Decimal("2025"), Unit.NUMBER, None),
        (Decimal("50356.55"), Unit.CURRENCY, 4),
        (Decimal("44.75"), Unit.PERCENT, None),
        (Decimal("-11959.82"), Unit.CURRENCY, 4),
    ]


def test_list_number_before_year_is_not_joined() -> None:
    assert normalize("1. 2020年") == "1. 2020年"


def _printed(value: Decimal, decimals: int, thousands: bool) -> str:
    quantized = value.quantize(Decimal(1).scaleb(-decimals))
    return f"{quantized:,}" if thousands else f"{quantized}"


figures = st.tuples(
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=4),
    st.integers(min_value=0, max_value=4),
    st.booleans(),
)


@given(figures)
def test_roundtrip_printed_figures(figure: tuple[Decimal, int, bool]) -> None:
    value, decimals, thousands = figure
    text = _printed(value, decimals, thousands)
    quantity = parse_quantity(text)
    assert quantity is not None
    assert quantity.value == Decimal(text.replace(",", ""))
    assert quantity.decimals == decimals


@given(figures)
def test_parentheses_and_full_width_agree_with_plain(figure: tuple[Decimal, int, bool]) -> None:
    value, decimals, thousands = figure
    text = _printed(abs(value), decimals, thousands)
    plain = parse_quantity(text)
    bracketed = parse_quantity(f"({text})")
    full_width = parse_quantity(text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．")))
    assert plain is not None and bracketed is not None and full_width is not None
    assert bracketed.value == -plain.value
    assert full_width.value == plain.value


@given(figures)
def test_split_by_extraction_parses_the_same(figure: tuple[Decimal, int, bool]) -> None:
    value, decimals, _ = figure
    text = _printed(value, decimals, True)
    split = text.replace(",", ", ").replace(".", ". ") if decimals in (1, 2) else text.replace(",", ", ")
    parsed, reference = parse_quantity(split), parse_quantity(text)
    assert parsed is not None and reference is not None
    assert (parsed.value, parsed.decimals) == (reference.value, reference.decimals)


@given(figures)
def test_interval_contains_value_and_has_half_unit_radius(figure: tuple[Decimal, int, bool]) -> None:
    value, decimals, thousands = figure
    quantity = parse_quantity(_printed(value, decimals, thousands))
    assert quantity is not None
    interval = quantity.interval
    assert interval.low <= quantity.value <= interval.high
    assert interval.radius == Decimal(5).scaleb(-(decimals + 1))
