"""`hecha facts`: the JSON export of facts and claims, and the text listing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hecha.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "facts" / "chengbang_revenue_and_segments.md"


def test_json_lists_every_fact_with_its_key_and_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", str(FIXTURE), "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert (exported["schema"], exported["version"]) == ("hecha-facts", 1)
    (file,) = exported["files"]
    assert file["report_year"] == 2025
    assert file["counts"]["facts"] == len(file["facts"])
    assert file["counts"]["claims"] == len(file["claims"])
    revenue = [
        fact
        for fact in file["facts"]
        if fact["metric"] == "营业收入"
        and fact["entity"] == ""
        and (fact["period"] or {}).get("key") == "2025"
    ]
    table = [fact for fact in revenue if fact["source"] == "table"]
    assert {fact["value"] for fact in table} == {"50356.55"}
    assert all(fact["scale"] == 4 and "table" in fact["location"] for fact in table)


def test_text_lists_one_line_per_fact_and_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", str(FIXTURE), "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(":表1[3,2]: table 半导体存储 营业收入 2025 = 34,048.57" in line for line in lines)
    assert lines[-1].endswith("report year 2025")


def test_unreadable_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["facts", str(tmp_path / "missing.md")]) == 2
    assert "missing.md" in capsys.readouterr().err
