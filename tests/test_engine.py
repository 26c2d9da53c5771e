"""The engine on documents of every shape: every rule runs without crashing, and a crash is
isolated and reported, never turned into a finding."""

from __future__ import annotations

from collections.abc import Iterator

from hecha.engine import check_document
from hecha.ingest.grid import pipe_table
from hecha.ingest.markdown import parse
from hecha.model.diagnostic import Diagnostic
from hecha.model.document import Document
from hecha.rules.base import Rule, RuleContext
from hecha.rules.registry import select_rules

# The revenue-by-segment table of the chengbang reply (line 21); its total row labelled 营业收入合计.
TABLE_LINES = [
    "| 项目 | 2025年度 | 2024年度 |",
    "|---|---|---|",
    "| 半导体存储业务 | 34,048.57 | 11,058.91 |",
    "| 生态环境建设业务 | 16,307.97 | 23,730.48 |",
    "| 营业收入合计 | 50,356.55 | 34,789.38 |",
]
PROSE = "2025 年，公司实现营业收入 50,356.55 万元，同比增长 44.75%。"


def _documents() -> dict[str, Document]:
    table = pipe_table(TABLE_LINES, source="t.md", first_line=1, index=0, unit="单位：万元")
    return {
        "empty": Document(source="empty.md", format="markdown", page_count=None),
        "table only": Document(source="t.md", format="markdown", page_count=None, tables=(table,)),
        "prose only": parse(PROSE, source="p.md"),
        "both": parse(PROSE + "\n\n单位：万元\n\n" + "\n".join(TABLE_LINES), source="b.md"),
    }


def test_every_rule_runs_on_every_shape_of_document() -> None:
    for name, document in _documents().items():
        result = check_document(document, select_rules())
        assert result.rule_failures == (), name
        assert result.diagnostics == (), name  # these figures all hold


class _Broken(Rule):
    """What it checks / Why it matters / Failing example / Passing example / Options: a test rule."""

    code = "Z999"
    name = "always-crashes"
    summary = summary_en = "crashes"

    def check(self, ctx: RuleContext) -> Iterator[Diagnostic]:
        raise RuntimeError("boom")


def test_a_crashing_rule_is_isolated() -> None:
    document = _documents()["both"]
    result = check_document(document, [_Broken(), *select_rules(["T001"])])
    assert [failure.code for failure in result.rule_failures] == ["Z999"]
    assert "RuntimeError: boom" in result.rule_failures[0].error
    assert result.diagnostics == ()
    assert result.stats.relations_checked > 0  # T001 still ran
