"""The README and CI entry point stay true to the code: the two opening commands, the rules table,
and .ci/run running the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from hecha.rules.registry import all_rules

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def opening_commands() -> list[str]:
    match = re.match(r"```sh\n(.*?)\n```", README, re.DOTALL)
    assert match, "README.md must start with a sh code block"
    return [line.split("#")[0].strip() for line in match.group(1).splitlines()]


def test_readme_starts_with_exactly_two_commands_that_exist() -> None:
    commands = opening_commands()
    assert commands == ["bash scripts/demo", "bash scripts/test"]
    for command in commands:
        assert (REPO / command.split()[1]).is_file()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in ci
    assert opening_commands()[1] in ci.splitlines()
    test_script = (REPO / "scripts" / "test").read_text(encoding="utf-8")
    # pytest's exit 5 (no tests collected) must fail the run.
    assert "-eq 5" in test_script


def test_readme_rules_table_matches_the_registry() -> None:
    rows = re.findall(r"^\| ([A-Z]\d{3}) \| `([a-z-]+)` *\|", README, re.MULTILINE)
    assert sorted(rows) == [(rule.code, rule.name) for rule in all_rules()]
