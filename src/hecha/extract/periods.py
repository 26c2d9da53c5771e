"""Reads periods from headers and prose ("2025年度", "2023年12月31日", "2025年末", "本期", "上年同期",
"2025年1-4季度") into normalized Period keys, given the year the document reports on.

Placeholder until the fact-base work lands.
"""

from __future__ import annotations

from hecha.model.facts import Period


def parse_period(text: str, report_year: int | None = None) -> Period | None:
    """The period ``text`` names, or None when it names none."""
    return None
