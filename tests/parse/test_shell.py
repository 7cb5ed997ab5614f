"""The shell walker, driven by tests/parse/shell.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import interlock.parse.tools as tools
from interlock.model import Effect, Operation
from interlock.parse.shell import Budget, BudgetExceeded, analyze_shell

CASES = yaml.safe_load((Path(__file__).parent / "shell.yaml").read_text("utf-8"))


@pytest.fixture
def seen(monkeypatch):
    commands = []

    def record(cmd, ctx):
        commands.append(cmd)
        return [Operation(family="test", action="run", effect=Effect.READ, program=cmd.program)]

    monkeypatch.setattr(tools, "analyzer_for", lambda program: record)
    return commands


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_walker_case(case, seen):
    ops = analyze_shell(case["input"])
    assert [" ".join(c.argv) for c in seen] == case["runs"]
    specials = [op.action for op in ops if op.family == "shell"]
    assert specials == case.get("special", [])
    for key in ("host", "cwd", "stdin"):
        if key in case:
            assert getattr(seen[0], key) == case[key]
    if "env" in case:
        assert {k: v for k, v in seen[0].env if k in case["env"]} == case["env"]


def test_a_deeply_nested_substitution_stops_promptly(seen):
    text = "$(" * 10_000 + "rm -rf /" + ")" * 10_000
    try:
        ops = analyze_shell(text)
    except BudgetExceeded:
        return
    assert any(op.family == "shell" for op in ops)


def test_a_spent_budget_raises():
    import time

    with pytest.raises(BudgetExceeded):
        analyze_shell("ls; " * 5000, budget=Budget(deadline=time.perf_counter() - 1))


def test_shells_nested_past_the_limit_raise(seen):
    text = "eval " * 40 + "ls"
    with pytest.raises(BudgetExceeded):
        analyze_shell(text)
