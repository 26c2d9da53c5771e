"""Aggregation of per-document figures per format and per kind (the manifest's doc_type).

Every mode reports per document and overall; ``Groups`` adds a line per format (``format pdf``,
``format text (pdfplumber twin)``, …) and per kind (``kind annual_report``, …) by selecting the
documents of the group and handing them to the mode's own "add up" function, so that a group line
is computed exactly as the overall line is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from benchmarks.corpus import UNKNOWN_KIND, CorpusDocument, format_of_name

T = TypeVar("T")

FORMAT_PREFIX = "format "
KIND_PREFIX = "kind "


@dataclass(frozen=True)
class Groups:
    """Document name → format and → kind; names it does not know get the format of their name and
    kind ``unknown``."""

    formats: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, documents: Iterable[CorpusDocument]) -> Groups:
        chosen = list(documents)
        return cls({d.name: d.format for d in chosen}, {d.name: d.kind for d in chosen})

    def format_of(self, name: str) -> str:
        return self.formats.get(name) or format_of_name(name)

    def kind_of(self, name: str) -> str:
        return self.kinds.get(name) or UNKNOWN_KIND

    def split(self, items: Sequence[T], name_of: Callable[[T], str]) -> list[tuple[str, list[T]]]:
        """(label, items of the group) for each format, then each kind, in order of first
        appearance; labels are ``format <format>`` and ``kind <kind>``; empty groups are left out."""
        by_format: dict[str, list[T]] = {}
        by_kind: dict[str, list[T]] = {}
        for item in items:
            name = name_of(item)
            by_format.setdefault(FORMAT_PREFIX + self.format_of(name), []).append(item)
            by_kind.setdefault(KIND_PREFIX + self.kind_of(name), []).append(item)
        return [*by_format.items(), *by_kind.items()]

    def records(
        self,
        items: Sequence[T],
        name_of: Callable[[T], str],
        record: Callable[[str, list[T]], object],
    ) -> dict[str, list[object]]:
        """JSON of the group lines: {"by_format": [...], "by_kind": [...]}, each built by
        ``record(label without prefix, items of the group)``."""
        out: dict[str, list[object]] = {"by_format": [], "by_kind": []}
        for label, chosen in self.split(items, name_of):
            if label.startswith(FORMAT_PREFIX):
                out["by_format"].append(record(label.removeprefix(FORMAT_PREFIX), chosen))
            else:
                out["by_kind"].append(record(label.removeprefix(KIND_PREFIX), chosen))
        return out
