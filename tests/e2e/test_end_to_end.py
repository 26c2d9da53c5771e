"""End to end: the real readers, table analysis and rules on a small document cut from a real
inquiry reply with one total altered by hand (tests/fixtures/README.md), rendered by the text and
JSON reporters and compared with snapshots; plus the two bundled example documents.

When a rule or reader changes what hecha finds here, review the diff and rewrite the snapshots
with ``HECHA_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/e2e``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
from hecha_test_support import REPO, assert_snapshot, json_shape_problems

FIXTURE = "tests/fixtures/e2e/chengbang_margin_altered.md"
ALTERED, ORIGINAL = "28,861.71", "28,816.71"


def hecha(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hecha", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_report_snapshot(lang: str) -> None:
    done = hecha("check", "--lang", lang, "--show-uncertain", FIXTURE)
    assert (done.returncode, done.stderr) == (1, "")
    assert_snapshot(f"e2e_chengbang_margin_altered.{lang}.txt", done.stdout)


def test_json_report_snapshot() -> None:
    done = hecha("check", "--format", "json", FIXTURE)
    assert (done.returncode, done.stderr) == (1, "")
    assert json_shape_problems(json.loads(done.stdout)) == []
    assert_snapshot("e2e_chengbang_margin_altered.json", done.stdout)


def test_the_altered_total_is_found_where_it_stands() -> None:
    report = json.loads(hecha("check", "--format", "json", FIXTURE).stdout)
    [entry] = report["files"]
    footing = [f for f in entry["findings"] if f["code"] == "T001"]
    assert len(footing) == 1
    [finding] = footing
    assert finding["location"]["quote"] == ALTERED
    assert finding["location"]["line"] == 17  # the line of table ① in the fixture
    assert Decimal(finding["stated"]) == Decimal("28861.71")
    assert Decimal(finding["expected"]) == Decimal("28816.71")
    assert abs(Decimal(finding["difference"])) > Decimal(finding["tolerance"])
    # Table ② adds up: nothing may be reported against it.
    assert all(f["location"]["table"] == 0 for f in entry["findings"])


def test_the_unaltered_cut_is_clean(tmp_path: Path) -> None:
    original = (REPO / FIXTURE).read_text(encoding="utf-8").replace(ALTERED, ORIGINAL)
    assert ALTERED not in original
    path = tmp_path / "chengbang_margin_original.md"
    path.write_text(original, encoding="utf-8")
    done = hecha("check", "--format", "json", str(path))
    entry = json.loads(done.stdout)["files"][0]
    assert entry["findings"] == []
    assert done.returncode == 0
    assert entry["stats"]["tables_checked"] >= 1


@pytest.mark.parametrize(
    ("example", "input_format", "pages"),
    [
        ("examples/haixiang_2019_annual.pdf", "pdf", 204),
        ("examples/chengbang_2025_inquiry_reply.md", "markdown", None),
    ],
)
def test_bundled_examples_are_checked(example: str, input_format: str, pages: int | None) -> None:
    done = hecha("check", "--format", "json", example)
    assert done.returncode in (0, 1), done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    assert json_shape_problems(report) == []
    [entry] = report["files"]
    assert (entry["format"], entry["stats"]["pages"], entry["errors"]) == (input_format, pages, [])
    assert entry["stats"]["tables_found"] > 10
    assert done.returncode == (1 if entry["findings"] else 0)
    for finding in entry["findings"]:
        location = finding["location"]
        if pages is not None:
            assert location["page"] is not None and 1 <= location["page"] <= pages
        else:
            assert location["line"] is not None and location["line"] >= 1
