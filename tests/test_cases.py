"""The golden corpus: tests/cases/*.yaml, one case per `note`, expected verdict per mode and
the rule ids that must fire."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

CASES = Path(__file__).parent / "cases"
CASE_KEYS = {"note", "command", "sql", "workstation", "gateway", "rules", "env", "not_rules"}


def _load():
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8")) or []
        for i, case in enumerate(data):
            note = case.get("note", f"case {i}") if isinstance(case, dict) else f"case {i}"
            yield pytest.param(case, id=f"{path.stem}:{note}")


ALL = list(_load())


def test_corpus_is_large_enough():
    assert len(ALL) >= 800


@pytest.mark.parametrize("case", ALL)
def test_case(case, decide):
    assert isinstance(case, dict) and set(case) <= CASE_KEYS, f"bad case keys: {case}"
    assert ("command" in case) != ("sql" in case)
    fired: set[str] = set()
    for mode in ("workstation", "gateway"):
        if mode not in case:
            continue
        d = decide(case.get("command"), mode=mode, env=case.get("env"), sql=case.get("sql"))
        fired |= set(d.rules)
        assert d.verdict.value == case[mode], (
            f"{mode}: expected {case[mode]}, got {d.verdict.value} ({', '.join(d.rules)}: {d.reason})"
        )
    missing = set(case.get("rules") or ()) - fired
    assert not missing, f"rules that did not fire: {sorted(missing)}; fired: {sorted(fired)}"
    unexpected = set(case.get("not_rules") or ()) & fired
    assert not unexpected, f"rules that should not fire: {sorted(unexpected)}"
