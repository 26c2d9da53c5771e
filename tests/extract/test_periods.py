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
        ("期初", "2024-12-31"),
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
