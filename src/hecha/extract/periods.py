"""Reads periods from headers and prose ("2025年度", "2023年12月31日", "2025年末", "本期", "上年同期",
"2025年1-4季度") into normalized Period keys, given the year the document reports on.

Keys: "2025" (a fiscal year), "2025-12-31" (an instant), "2025Q4" (a quarter),
"2025-01~2025-06" (a range of months). Two texts that name the same period get the same key, so
that "2025年末", "2025年12月31日", "2025.12.31" and (in a 2025 report) "期末" are one period.
An opening balance ("期初", "年初", "2025年初") is "2025-01-01", the same instant as "2025年1月1日"
and not the prior year's closing "2024-12-31": a change of accounting standards restates it.

Also ``report_year(document)``: the fiscal year a document reports on, which the relative words
(本期, 上年同期, 期初…) are read against.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from hecha.ingest.numbers import normalize
from hecha.model.document import Document
from hecha.model.facts import Period

_YEAR = r"(?P<year>(?:19|20)\d{2})"
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
_DASH = r"\s*[-~～—至到]\s*"

# Absolute forms, tried in this order at each position; the first that matches wins. All are
# matched on text with whitespace removed ("2025 年度", "202 5年" from PDF extraction).
_ABSOLUTE: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 2025年1月1日-2025年6月30日 / 2025年1月1日至6月30日: a range between two dates
    (
        "date_range",
        re.compile(
            _YEAR + r"年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日" + _DASH + r"(?:(?P<year2>(?:19|20)\d{2})年)?"
            r"(?P<m2>\d{1,2})月(?P<d2>\d{1,2})日"
        ),
    ),
    ("date", re.compile(_YEAR + r"年(?P<month>\d{1,2})月(?P<day>\d{1,2})日")),
    ("dotted", re.compile(_YEAR + r"[./-](?P<month>\d{1,2})[./-](?P<day>\d{1,2})(?!\d)")),
    (
        "quarters",
        re.compile(_YEAR + r"年?(?:第)?(?P<q1>[1-4一二三四])" + _DASH + r"(?:第)?(?P<q2>[1-4一二三四])季度"),
    ),
    ("quarter", re.compile(_YEAR + r"年?(?:第)?(?P<q>[1-4一二三四])季度")),
    ("quarter_q", re.compile(_YEAR + r"年?Q(?P<q>[1-4])")),
    ("months", re.compile(_YEAR + r"年(?P<m1>\d{1,2})" + _DASH + r"(?P<m2>\d{1,2})月")),
    ("month", re.compile(_YEAR + r"年(?P<month>\d{1,2})月(?!\d)")),
    ("half", re.compile(_YEAR + r"年?(?:半年度|上半年|中期|1-6月)")),
    ("year_end", re.compile(_YEAR + r"年(?:末|年末|底|期末)")),
    ("year_start", re.compile(_YEAR + r"年(?:初|年初|期初)")),
    ("year", re.compile(_YEAR + r"(?:年度|财年|年)")),
)
# A year alone ("2025") names a period only when it is the whole text (a column header).
_BARE_YEAR = re.compile(r"^" + _YEAR + r"(?:年度|年)?(?:/|$)")

# Relative forms, longest first. (offset in years from the report year, kind)
_RELATIVE: tuple[tuple[str, int, str], ...] = (
    ("上年年初", -1, "start"),
    ("本年年初", 0, "start"),
    ("本期期初", 0, "start"),
    ("上年初", -1, "start"),
    ("本年初", 0, "start"),
    ("上年同期", -1, "year"),
    ("上年年末", -1, "end"),
    ("上年期末", -1, "end"),
    ("上期期末", -1, "end"),
    ("上年末", -1, "end"),
    ("上期末", -1, "end"),
    ("上年度", -1, "year"),
    ("上一年度", -1, "year"),
    ("上一年", -1, "year"),
    ("上年", -1, "year"),
    ("上期", -1, "year"),
    ("去年同期", -1, "year"),
    ("去年", -1, "year"),
    ("前年", -2, "year"),
    ("本报告期末", 0, "end"),
    ("报告期末", 0, "end"),
    ("本报告期", 0, "year"),
    ("报告期内", 0, "year"),
    ("报告期", 0, "year"),
    ("本期期末", 0, "end"),
    ("本期末", 0, "end"),
    ("本年末", 0, "end"),
    ("本年度", 0, "year"),
    ("本年", 0, "year"),
    ("本期", 0, "year"),
    ("当期", 0, "year"),
    ("今年", 0, "year"),
    ("期末", 0, "end"),
    ("年末", 0, "end"),
    # The opening balance of the year is its first day, not the prior year's closing one: after a
    # new standard (or a restatement) 2019年1月1日 differs from 2018年12月31日.
    ("期初", 0, "start"),
    ("年初", 0, "start"),
)
_RELATIVE_RE = re.compile("|".join(re.escape(word) for word, _, _ in _RELATIVE))
_RELATIVE_BY_WORD = {word: (offset, kind) for word, offset, kind in _RELATIVE}

_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    """A period found in a text, with its span in the whitespace-free normalized text."""

    period: Period
    start: int
    end: int


def _compact(text: str) -> str:
    return _SPACES.sub("", normalize(text))


def _quarter(year: int, q1: int, q2: int) -> str:
    if q1 == 1 and q2 == 4:
        return str(year)
    if q1 == q2:
        return f"{year}Q{q1}"
    first, _ = _QUARTER_MONTHS[q1]
    _, last = _QUARTER_MONTHS[q2]
    return _months(year, first, last)


def _months(year: int, first: int, last: int) -> str:
    if first == 1 and last == 12:
        return str(year)
    for quarter, (start, end) in _QUARTER_MONTHS.items():
        if (first, last) == (start, end):
            return f"{year}Q{quarter}"
    return f"{year}-{first:02d}~{year}-{last:02d}"


def _instant(year: int, month: int, day: int) -> str | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year}-{month:02d}-{day:02d}"


def _absolute_key(kind: str, match: re.Match[str]) -> str | None:
    year = int(match.group("year"))
    if kind == "date_range":
        year2 = int(match.group("year2") or year)
        m1, d1 = int(match.group("m1")), int(match.group("d1"))
        m2, d2 = int(match.group("m2")), int(match.group("d2"))
        if year2 == year and d1 == 1 and d2 >= 28 and 1 <= m1 <= m2 <= 12:
            return _months(year, m1, m2)
        start, end = _instant(year, m1, d1), _instant(year2, m2, d2)
        return f"{start}~{end}" if start and end else None
    if kind in ("date", "dotted"):
        return _instant(year, int(match.group("month")), int(match.group("day")))
    if kind == "quarters":
        q1, q2 = _CN_DIGITS[match.group("q1")], _CN_DIGITS[match.group("q2")]
        return _quarter(year, q1, q2) if q1 <= q2 else None
    if kind in ("quarter", "quarter_q"):
        q = _CN_DIGITS[match.group("q")]
        return f"{year}Q{q}"
    if kind == "months":
        m1, m2 = int(match.group("m1")), int(match.group("m2"))
        return _months(year, m1, m2) if 1 <= m1 <= m2 <= 12 else None
    if kind == "month":
        month = int(match.group("month"))
        return f"{year}-{month:02d}" if 1 <= month <= 12 else None
    if kind == "half":
        return f"{year}-01~{year}-06"
    if kind == "year_end":
        return f"{year}-12-31"
    if kind == "year_start":
        return f"{year}-01-01"
    return str(year)


def _relative_key(word: str, report_year: int) -> str:
    offset, kind = _RELATIVE_BY_WORD[word]
    year = report_year + offset
    if kind == "start":
        return f"{year}-01-01"
    return f"{year}-12-31" if kind == "end" else str(year)


# A quarter without a year: 第四季度 / 四季度 / Q4 (of the report year).
_QUARTER_ONLY = re.compile(r"(?:第)?(?P<q>[1-4一二三四])季度|(?<![A-Za-z0-9])Q(?P<qq>[1-4])(?!\d)")
_QUARTERS_ONLY = re.compile(r"(?:第)?(?P<q1>[1-4一二三四])" + _DASH + r"(?:第)?(?P<q2>[1-4一二三四])季度")


def find_periods(text: str, report_year: int | None = None) -> Iterator[PeriodMatch]:
    """Every period ``text`` names, left to right (spans index the whitespace-free text).

    Relative words (本期, 上年同期, 期末…) and bare quarters are read against ``report_year``
    and skipped when it is unknown.
    """
    compact = _compact(text)
    position = 0
    length = len(compact)
    while position < length:
        found = _period_at(compact, position, report_year)
        if found is None:
            position += 1
            continue
        yield found
        position = found.end


def _period_at(compact: str, position: int, report_year: int | None) -> PeriodMatch | None:
    char = compact[position]
    if char.isdigit():
        if position > 0 and compact[position - 1].isdigit():
            return None
        for kind, pattern in _ABSOLUTE:
            match = pattern.match(compact, position)
            if match is None:
                continue
            key = _absolute_key(kind, match)
            if key is not None:
                return PeriodMatch(Period(key, match.group(0)), position, match.end())
        if report_year is not None:
            for pattern in (_QUARTERS_ONLY, _QUARTER_ONLY):
                match = pattern.match(compact, position)
                if match is not None:
                    return _bare_quarter(match, report_year, position)
        return None
    if report_year is None:
        return None
    if char in "第一二三四Q":
        for pattern in (_QUARTERS_ONLY, _QUARTER_ONLY):
            match = pattern.match(compact, position)
            if match is not None:
                return _bare_quarter(match, report_year, position)
        return None
    match = _RELATIVE_RE.match(compact, position)
    if match is None:
        return None
    word = match.group(0)
    return PeriodMatch(Period(_relative_key(word, report_year), word), position, match.end())


def _bare_quarter(match: re.Match[str], report_year: int, position: int) -> PeriodMatch | None:
    groups = match.groupdict()
    if groups.get("q1"):
        q1, q2 = _CN_DIGITS[groups["q1"]], _CN_DIGITS[groups["q2"]]
        if q1 > q2:
            return None
        key = _quarter(report_year, q1, q2)
    else:
        q = groups.get("q") or groups.get("qq")
        if not q:
            return None
        key = f"{report_year}Q{_CN_DIGITS[q]}"
    return PeriodMatch(Period(key, match.group(0)), position, match.end())


def parse_period(text: str, report_year: int | None = None) -> Period | None:
    """The period ``text`` names (the first one, left to right), or None when it names none.

    A bare year ("2025") counts only when it is the whole text, as in a column header.
    """
    compact = _compact(text)
    if not compact:
        return None
    bare = _BARE_YEAR.match(compact)
    if bare is not None:
        return Period(bare.group("year"), bare.group(0).rstrip("/"))
    for found in find_periods(text, report_year):
        return found.period
    return None


# Titles name the year reported on: "2025 年年度报告", "2019年年度报告全文", "2025年半年度报告",
# "关于…对公司 2025 年年度报告信息披露监管问询函的回复".
_TITLE_YEAR = re.compile(_YEAR + r"年(?:年度报告|度报告|半年度报告|第[一二三]季度报告|年报)")


def report_year(document: Document) -> int | None:
    """The fiscal year ``document`` reports on: the year its title names ("2025 年年度报告"),
    else the year most often printed beside 本期/本年/期末 in table headers, else None."""
    for paragraph in document.paragraphs[:40]:
        match = _TITLE_YEAR.search(_compact(paragraph.text))
        if match is not None:
            return int(match.group("year"))
    for table in document.tables[:5]:
        match = _TITLE_YEAR.search(_compact(table.title + table.context))
        if match is not None:
            return int(match.group("year"))
    votes: Counter[int] = Counter()
    for paragraph in document.paragraphs[:400]:
        for match in _TITLE_YEAR.finditer(_compact(paragraph.text)):
            votes[int(match.group("year"))] += 1
    if votes:
        return votes.most_common(1)[0][0]
    return _header_year(document)


_HEADER_YEAR = re.compile(_YEAR + r"年(?:度|12月31日|末)?")


def _header_year(document: Document) -> int | None:
    """The latest year table headers name most: tables show the current year beside the prior."""
    votes: Counter[int] = Counter()
    for table in document.tables:
        header_count = table.header_rows or 1
        for row in table.rows[:header_count]:
            years = {
                int(match.group("year"))
                for cell in row
                for match in _HEADER_YEAR.finditer(_compact(cell.text))
            }
            if years:
                votes[max(years)] += 1
    if not votes:
        return None
    return votes.most_common(1)[0][0]


# --- ranking the period a column header names (one answer for rules and diagnosis) ----------

_RANK_YEAR = re.compile(r"(19|20)\d{2}")
_RANK_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-–~至]\s*(\d{1,2})\s*月")
_RANK_MONTH = re.compile(r"(\d{1,2})\s*月")
_RANK_QUARTER = {
    "一季度": 3,
    "二季度": 6,
    "三季度": 9,
    "四季度": 12,
    "第1季度": 3,
    "第2季度": 6,
    "第3季度": 9,
}
_RELATIVE_CURRENT = ("本期", "本年", "本报告期", "报告期", "期末", "本年末", "年末", "当期", "本月")
_RELATIVE_PRIOR = ("上期", "上年", "上年同期", "同期", "期初", "年初", "上年末", "去年", "上月")


def period_rank(text: str | None) -> tuple[int, int, int] | None:
    """A sortable key for a period header: later periods rank higher; None when none is named.

    Years give (1, year, month-end); relative words give (0, 1, 0) for the current period and
    (0, 0, 0) for the prior one, so that a year and a relative word are never compared.
    """
    if not text:
        return None
    year_match = _RANK_YEAR.search(text)
    if year_match:
        year = int(year_match.group(0))
        rest = text[year_match.end() :]
        month = 12
        range_match = _RANK_MONTH_RANGE.search(rest)
        month_match = _RANK_MONTH.search(rest)
        if range_match:
            month = int(range_match.group(2))
        elif month_match and "日" in rest:
            month = int(month_match.group(1))
        else:
            for word, end in _RANK_QUARTER.items():
                if word in rest:
                    month = end
                    break
        if "初" in rest and "末" not in rest:
            month = 0
        return (1, year, month)
    if any(word in text for word in _RELATIVE_PRIOR):
        return (0, 0, 0)
    if any(word in text for word in _RELATIVE_CURRENT):
        return (0, 1, 0)
    return None
