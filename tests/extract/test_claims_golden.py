"""Golden claim extraction: real paragraphs cut from the corpus (tests/fixtures/prose/
golden_claims.json) with the claims each sentence makes, written by reading the sentence."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hecha.extract.claims import extract_claims
from hecha.model.document import Document, Location, Paragraph
from hecha.model.facts import Claim

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "prose" / "golden_claims.json"
CASES: list[dict[str, Any]] = json.loads(GOLDEN.read_text(encoding="utf-8"))


def _extract(case: dict[str, Any]) -> tuple[list[Claim], Document]:
    location = Location(case["source"], page=case.get("page"), line=case.get("line"))
    paragraphs = (Paragraph(case["text"], location),)
    if case["source_kind"] == "inquiry":
        paragraphs = (Paragraph(case["text"], location),)
    document = Document(case["source"], "markdown", None, paragraphs)
    claims, _ = extract_claims(document, case["report_year"])
    return claims, document


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['source'].split('_')[0]}-{case.get('line') or case.get('page')}-{case['text'][:8]}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_golden_paragraph(case: dict[str, Any]) -> None:
    claims, _ = _extract(case)
    for expected in case["expected"]:
        value = Decimal(expected["value"])
        matches = [
            claim
            for claim in claims
            if claim.quantity.value == value and claim.kind.value == expected["kind"]
        ]
        assert matches, (
            f"no {expected['kind']} claim of {value} in {[(c.kind, c.quantity.text) for c in claims]}"
        )
        claim = matches[0]
        assert claim.metric == expected["metric"]
        assert claim.entity == expected["entity"]
        assert (claim.period.key if claim.period else None) == expected["period"]
        assert claim.direction == expected["direction"]
        assert (claim.base_period.key if claim.base_period else None) == expected["base_period"]
        if "base_metric" in expected:
            assert claim.base_metric == expected["base_metric"]
        assert claim.approximate == expected.get("approximate", "")
        if "base_value" in expected:
            assert claim.base_quantity is not None
            assert claim.base_quantity.value == Decimal(expected["base_value"])
        assert claim.source.value == case["source_kind"]
        assert claim.location.quote.replace(" ", "").replace(",", "").startswith(
            expected["value"].lstrip("-")
        ) or (claim.location.quote.replace(" ", "").replace(",", "").startswith(expected["value"]))
    quotes = {claim.location.quote.replace(" ", "") for claim in claims}
    for text in case["not_claims"]:
        assert text.replace(" ", "") not in quotes
