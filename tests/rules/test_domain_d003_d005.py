"""D003 and D005 beyond their case files: the diagnosis a provision ratio on the net book value
gets, and which figures the rules count as verified (the mutation benchmark changes those)."""

from __future__ import annotations

from hecha.engine import check_document
from hecha.ingest.grid import pipe_table
from hecha.model.document import Document
from hecha.rules.domain.provision_mismatch import ProvisionMismatch
from hecha.rules.domain.unit_figure_mismatch import UnitFigureMismatch

# jinyu_2020_annual.pdf p.127 应收账款 账龄组合 (three buckets and their 合计, as published).
AGING = """| 名称 | 期末余额 应收账款 | 期末余额 坏账准备 | 期末余额 计提比例（%） |
|---|---|---|---|
| 1年以内 | 473,647,606.84 | 9,015,664.71 | 1.90 |
| 1至2年 | 53,155,317.39 | 4,716,765.24 | {second} |
| 2至3年 | 97,928,094.00 | 17,576,154.45 | 17.95 |"""


def _document(text: str) -> Document:
    table = pipe_table(text.splitlines(), source="case", first_line=1, index=0, unit="单位：元")
    return Document(source="case", format="case", page_count=None, tables=(table,))


def test_ratio_on_net_book_value_is_diagnosed() -> None:
    # 4,716,765.24 / (53,155,317.39 − 4,716,765.24) = 9.74%: the ratio taken on the net.
    result = check_document(_document(AGING.format(second="9.74")), [ProvisionMismatch()])
    assert [d.location.row for d in result.diagnostics] == [2]
    assert "账面价值" in result.diagnostics[0].message
    assert "net book value" in result.diagnostics[0].message_en


def test_other_wrong_ratio_is_not_called_a_net_base() -> None:
    result = check_document(_document(AGING.format(second="9.87")), [ProvisionMismatch()])
    assert len(result.diagnostics) == 1
    assert "账面价值" not in result.diagnostics[0].message


def test_every_ratio_of_a_corroborated_table_is_verified() -> None:
    result = check_document(_document(AGING.format(second="8.87")), [ProvisionMismatch()])
    assert not result.diagnostics
    assert {(row, col) for _, row, col in result.verified_cells} == {
        (row, col) for row in (1, 2, 3) for col in (1, 2, 3)
    }


def test_a_learned_per_unit_scale_needs_two_lines() -> None:
    # One column only: 人均 can stand at any power of ten, nothing vouches for one.
    text = """| 项目 | 2025年度 |
|---|---|
| 职工薪酬 | 1,200.00 |
| 员工人数 | 100 |
| 人均薪酬 | 13.00 |"""
    result = check_document(_document(text), [UnitFigureMismatch()])
    assert not result.diagnostics
    assert not result.verified_cells
