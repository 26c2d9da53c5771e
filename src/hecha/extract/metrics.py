"""Names of metrics and entities: the one place that decides that "归母净利润" and
"归属于上市公司股东的净利润" are one metric, and that "半导体存储业务营业收入" is the metric 营业收入 of
the entity 半导体存储业务.

Placeholder until the fact-base work lands.
"""

from __future__ import annotations


def normalize_metric(text: str) -> str:
    """The canonical name of the metric ``text`` names ("" when it names none)."""
    return text.strip()


def split_entity(text: str) -> tuple[str, str]:
    """(entity, metric text) of a label or noun phrase; entity "" means the reporting company."""
    return "", text.strip()
