"""Renders fact bases for ``hecha facts``: every fact and claim extract found in each file, as
JSON (the format is documented in docs/facts-format.md) or as text, one line per fact like a
compiler's output. Only renders; the CLI builds the fact bases.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from hecha.extract.factbase import FactBase
from hecha.extract.facts import linked_facts
from hecha.model.document import Location
from hecha.model.facts import Claim, Fact, Period
from hecha.model.quantity import Quantity
from hecha.report.base import plain_decimal

FACTS_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class FactsReport:
    """One input file: its path as given, and its fact base (None when it could not be read)."""

    path: str
    facts: FactBase | None
    error: str = ""


def _location(location: Location) -> dict[str, object]:
    fields: dict[str, object] = {"source": location.source}
    for name in ("page", "line", "table", "row", "col"):
        value = getattr(location, name)
        if value is not None:
            fields[name] = value
    if location.quote:
        fields["quote"] = location.quote
    return fields


def _period(period: Period | None) -> dict[str, str] | None:
    return {"key": period.key, "text": period.text} if period is not None else None


def _quantity(quantity: Quantity) -> dict[str, object]:
    return {
        "value": plain_decimal(quantity.value),
        "decimals": quantity.decimals,
        "unit": quantity.unit.value,
        "text": quantity.text,
    }


def _fact(fact: Fact) -> dict[str, object]:
    return {
        "metric": fact.metric,
        "metric_text": fact.metric_text,
        "entity": fact.entity,
        "period": _period(fact.period),
        "value": plain_decimal(fact.quantity.value),
        "decimals": fact.quantity.decimals,
        "unit": fact.quantity.unit.value,
        "scale": fact.scale,
        "text": fact.quantity.text,
        "source": fact.source.value,
        "location": _location(fact.location),
    }


def _claim(claim: Claim, base: FactBase) -> dict[str, object]:
    return {
        "kind": claim.kind.value,
        "metric": claim.metric,
        "metric_text": claim.metric_text,
        "entity": claim.entity,
        "period": _period(claim.period),
        "base_period": _period(claim.base_period),
        "base_metric": claim.base_metric,
        "value": plain_decimal(claim.quantity.value),
        "decimals": claim.quantity.decimals,
        "unit": claim.quantity.unit.value,
        "scale": claim.scale if claim.scale is not None else claim.quantity.scale,
        "base_value": _quantity(claim.base_quantity) if claim.base_quantity is not None else None,
        "direction": claim.direction,
        "source": claim.source.value,
        "sentence": claim.sentence,
        "location": _location(claim.location),
        "facts": [_location(fact.location) for fact in linked_facts(base, claim)],
    }


def _counts(base: FactBase) -> dict[str, object]:
    resolved = [fact for fact in base.facts if is_resolved(fact)]
    return {
        "facts": len(base.facts),
        "facts_by_source": dict(sorted(Counter(fact.source.value for fact in base.facts).items())),
        "facts_resolved": len(resolved),
        "facts_resolved_with_period": sum(1 for fact in resolved if fact.period is not None),
        "claims": len(base.claims),
        "claims_by_kind": dict(sorted(Counter(claim.kind.value for claim in base.claims).items())),
        "tokens": dict(sorted(Counter(token.token_class.value for token in base.tokens).items())),
    }


def is_resolved(fact: Fact) -> bool:
    """True when the fact's metric and entity were named, not scoped to its table row."""
    return not fact.entity.startswith(("表", "段"))


def render_json(reports: list[FactsReport]) -> str:
    files: list[dict[str, object]] = []
    for report in reports:
        if report.facts is None:
            files.append({"path": report.path, "error": report.error})
            continue
        base = report.facts
        files.append(
            {
                "path": report.path,
                "report_year": base.report_year,
                "counts": _counts(base),
                "facts": [_fact(fact) for fact in base.facts],
                "claims": [_claim(claim, base) for claim in base.claims],
            }
        )
    document = {"schema": "hecha-facts", "version": FACTS_FORMAT_VERSION, "files": files}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _where(path: str, location: Location) -> str:
    place = path
    if location.page is not None:
        place += f":p{location.page}"
    if location.line is not None:
        place += f":{location.line}"
    if location.table is not None:
        place += f":表{location.table + 1}"
        if location.row is not None and location.col is not None:
            place += f"[{location.row + 1},{location.col + 1}]"
    return place


def render_text(reports: list[FactsReport], lang: str = "zh") -> str:
    lines: list[str] = []
    english = lang == "en"
    for report in reports:
        if report.facts is None:
            continue
        base = report.facts
        for fact in base.facts:
            period = fact.period.key if fact.period else "?"
            entity = f"{fact.entity} " if fact.entity else ""
            lines.append(
                f"{_where(report.path, fact.location)}: {fact.source.value} {entity}{fact.metric} "
                f"{period} = {fact.quantity.text}" + (f" (×10^{fact.scale})" if fact.scale else "")
            )
        for claim in base.claims:
            period = claim.period.key if claim.period else "?"
            base_period = f" vs {claim.base_period.key}" if claim.base_period else ""
            linked = len(linked_facts(base, claim))
            link_text = f"linked {linked}" if english else f"关联 {linked} 处"
            lines.append(
                f"{_where(report.path, claim.location)}: claim {claim.kind.value} "
                f"{claim.entity + ' ' if claim.entity else ''}{claim.metric or '?'} "
                f"{period}{base_period} = {claim.quantity.text} ({link_text})"
            )
        counts = _counts(base)
        resolved = counts["facts_resolved"]
        if english:
            lines.append(
                f"{report.path}: {counts['facts']} facts ({resolved} with metric and entity named), "
                f"{counts['claims']} claims, report year {base.report_year}"
            )
        else:
            lines.append(
                f"{report.path}：{counts['facts']} 个事实（其中 {resolved} 个指标与主体已识别），"
                f"{counts['claims']} 个陈述，报告年度 {base.report_year}"
            )
    return "\n".join(lines) + ("\n" if lines else "")
