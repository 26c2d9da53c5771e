"""The rule registry: one decorator registers a built-in rule; third-party rules arrive through the
``hecha.rules`` entry-point group. Codes and names are unique; a clash is an error, never a
silent override."""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points

from hecha.rules.base import DOC_SECTIONS, Rule

_RULES: dict[str, type[Rule]] = {}
_LOADED = False


class RuleRegistrationError(Exception):
    """A rule that cannot be registered: clashing code or name, or a doc without its sections."""


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator: add ``rule`` to the registry."""
    doc = rule.__doc__ or ""
    missing = [section for section in DOC_SECTIONS if section not in doc]
    if missing:
        raise RuleRegistrationError(f"{rule.__name__}: doc lacks sections {missing}")
    if rule.code in _RULES and _RULES[rule.code] is not rule:
        raise RuleRegistrationError(f"rule code {rule.code} is registered twice")
    if any(existing.name == rule.name and existing is not rule for existing in _RULES.values()):
        raise RuleRegistrationError(f"rule name {rule.name} is registered twice")
    _RULES[rule.code] = rule
    return rule


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import hecha.rules as package

    for module in pkgutil.walk_packages(package.__path__, prefix="hecha.rules."):
        importlib.import_module(module.name)
    for entry in entry_points(group="hecha.rules"):
        register(entry.load())


def all_rules() -> list[type[Rule]]:
    """Every registered rule, by code."""
    _load()
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code_or_name: str) -> type[Rule] | None:
    _load()
    wanted = code_or_name.strip()
    for rule in _RULES.values():
        if wanted.upper() == rule.code or wanted == rule.name:
            return rule
    return None


def select_rules(select: list[str] | None = None, ignore: list[str] | None = None) -> list[Rule]:
    """Instances of the rules whose code starts with a ``select`` prefix and no ``ignore`` one."""
    chosen = []
    for rule in all_rules():
        if select and not any(rule.code.startswith(p.upper()) for p in select):
            continue
        if ignore and any(rule.code.startswith(p.upper()) for p in ignore):
            continue
        chosen.append(rule())
    return chosen
