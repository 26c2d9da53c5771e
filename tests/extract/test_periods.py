"""Period normalization: header and prose forms from the corpus map to one key per period."""

from __future__ import annotations

from pathlib import Path

import pytest

from hecha.extract.periods import find_periods, parse_period, report_year
from hecha.ingest.loader import load

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2025年度", "2025"),
        ("2025 年", "2025"),
        ("202 5年度", "2025"),  # a year broken by PDF extraction
        ("2025", "2025"),
        ("2025年末", "2025-12-31"),
        ("2025年12月31日", "2025-12-31"),
        ("2025 年 12 月31 日", "2025-12-31"),
        ("2025.12.31", "2025-12-31"),
        ("2025年1-6月", "2025-01~2025-06"),
        ("2025年1-4季度", "2025"),
        ("2025年第4季度", "2025Q4"),
        ("第四季度", "2025Q4"),
        ("四季度", "2025Q4"),
        ("2024年10-12月", "2024Q4"),
        ("2024 年 10-12 月", "2024Q4"),
        ("本期", "2025"),
        ("本年", "2025"),
        ("本报告期", "2025"),
        ("报告期", "2025"),
        ("上期", "2024"),
        ("上年同期", "2024"),
        ("去年", "2024"),
        ("期末", "2025-12-31"),
        ("期初", "2025-01-01"),
        ("期初余额", "2025-01-01"),
        ("年初", "2025-01-01"),
        ("2025年初", "2025-01-01"),
        ("2025年1月1日", "2025-01-01"),
        ("上年末", "2024-12-31"),
        ("本年比上年增减", "2025"),
        ("2025年度 / 变动比例", "2025"),
    ],
)
def test_forms_of_one_period_share_a_key(text: str, key: str) -> None:
    period = parse_period(text, 2025)
    assert period is not None, text
    assert period.key == key


@pytest.mark.parametrize("text", ["营业收入", "1、", "金额", "占比", "123.45", ""])
def test_texts_without_a_period(text: str) -> None:
    assert parse_period(text, 2025) is None


def test_relative_words_need_the_report_year() -> None:
    assert parse_period("上年同期", None) is None
    assert parse_period("2023年度", None) is not None


def test_a_bare_number_in_prose_is_not_a_year() -> None:
    assert parse_period("营业收入 2025 万元", 2025) is None


def test_every_period_of_a_corpus_sentence() -> None:
    sentence = "2024 年 10-12 月、2025 年度营业收入分别为 11,058.91 万元、34,048.57 万元"
    assert [found.period.key for found in find_periods(sentence, 2025)] == ["2024Q4", "2025"]


def test_report_year_from_the_reply_title() -> None:
    document = load(str(FIXTURES / "facts" / "chengbang_revenue_and_segments.md"))
    assert report_year(document) == 2025


def test_report_year_from_table_headers_when_the_title_is_a_running_header() -> None:
    document = load(str(FIXTURES / "text" / "haixiang_p15-16.pdfplumber.txt"))
    assert report_year(document) == 2019


def test_an_opening_balance_is_not_the_prior_closing_one() -> None:
    # haixiang_2019_annual p.116: 首次执行新金融工具准则 prints 2018年12月31日 and 2019年01月01日
    # side by side with different figures; the notes' 期初余额 is the second one.
    opening = parse_period("期初余额", 2019)
    prior_closing = parse_period("2018年12月31日", 2019)
    adjusted = parse_period("2019年01月01日", 2019)
    assert opening is not None and prior_closing is not None and adjusted is not None
    assert opening.key == adjusted.key
    assert opening.key != prior_closing.key


@pytest.mark.parametrize(
    ("header", "rank"),
    [
        ("2025年度", (1, 2025, 12)),
        ("2024年1-6月", (1, 2024, 6)),  # a half year ranks at its last month, before the year
        ("2024年第3季度", (1, 2024, 9)),
        ("2023年12月31日", (1, 2023, 12)),
        ("2024年初", (1, 2024, 0)),
        ("上年同期", (0, 0, 0)),
        ("本报告期", (0, 1, 0)),
        ("金额", None),
    ],
)
def test_one_period_rank_for_rules_and_diagnosis(header: str, rank: tuple[int, int, int] | None) -> None:
    # Rules (_columns) and diagnosis (cells) used two period_rank that disagreed on month ranges
    # and quarters ("2024年1-6月" ranked as December); both read this one now.
    from hecha.diagnose import cells
    from hecha.extract.periods import period_rank
    from hecha.rules.tables import _columns

    assert period_rank(header) == rank
    assert cells.period_rank is period_rank and _columns.period_rank is period_rank
