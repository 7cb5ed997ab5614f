"""CEL conditions: loading, compiling once, the variables a condition sees, and org rules that
fail closed when a condition cannot be evaluated."""

from __future__ import annotations

import subprocess
import sys
import types
from datetime import UTC, datetime

import pytest

from interlock.model import (
    Effect,
    Impact,
    Mode,
    Operation,
    PolicyError,
    Principal,
    Request,
    Target,
    Tier,
    Verdict,
)
from interlock.policy.cel import activation, compile_condition, holds, load_cel, time_vars
from interlock.policy.orgrules import org_findings, render_reason
from interlock.policy.policyfile import load_policy

# Friday 5 June 2026, 14:30 UTC = 16:30 in Berlin (summer time)
NOW = datetime(2026, 6, 5, 14, 30, tzinfo=UTC)
DELETE_NS = Operation(
    family="kubernetes",
    action="delete",
    effect=Effect.DESTROY,
    program="kubectl",
    targets=(Target.make("namespace", "payments", tier=Tier.PROD, context="prod-eu"),),
    tags=frozenset({"force"}),
    summary="deletes namespace `payments`",
    text="kubectl --context prod-eu delete ns payments --force",
)
LIST = Operation(family="kubernetes", action="get", effect=Effect.READ, program="kubectl")


def request(agent: str | None = "agent:deploy-bot", **kw) -> Request:
    principal = Principal(agent, launched_by="user:alice") if agent else None
    return Request(now=NOW, agent=principal, **kw)


def act(**kw):
    return activation(DELETE_NS, request(**kw), Mode.GATEWAY, [LIST, DELETE_NS], "Europe/Berlin")


# ---- loading and compiling -----------------------------------------------------------------


def test_loading_cel_skips_the_package_and_its_cli():
    code = (
        "import sys; from interlock.policy.cel import load_cel; load_cel().compile('1 == 1');"
        "print('cel.cli' in sys.modules, 'cel' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_the_cel_module_is_loaded_once():
    assert load_cel() is load_cel()


def test_a_condition_is_compiled_once_per_process():
    src = 'op.family == "kubernetes" && op.tier == "prod"'
    assert compile_condition(src, "acme.a") is compile_condition(src, "acme.b")


@pytest.mark.parametrize("src", ["op.tier ==", "1 +", "(op.tier", "op.tier == 'prod' &&& true"])
def test_a_syntax_error_is_policy_cel_naming_the_rule(src):
    with pytest.raises(PolicyError) as exc:
        compile_condition(src, "acme.broken")
    assert exc.value.code == "policy.cel" and "acme.broken" in exc.value.message


# ---- the variables -------------------------------------------------------------------------


def test_the_operation_is_visible_with_its_targets_and_tags():
    op = act()["op"]
    assert (op["family"], op["action"], op["effect"], op["tier"]) == (
        "kubernetes",
        "delete",
        "destroy",
        "prod",
    )
    assert op["tags"] == ["force"]
    assert op["targets"] == [
        {"kind": "namespace", "name": "payments", "tier": "prod", "scope": {"context": "prod-eu"}}
    ]


def test_the_agent_is_itself_never_its_launcher():
    agent = act()["agent"]
    assert agent == {"id": "agent:deploy-bot", "launched_by": "user:alice", "grant": ""}


def test_no_agent_gives_empty_strings_not_missing_fields():
    assert act(agent=None)["agent"] == {"id": "", "launched_by": "", "grant": ""}


def test_time_is_in_the_policy_time_zone():
    assert act()["time"] == {"hour": 16, "minute": 30, "weekday": 5, "date": "2026-06-05"}


def test_a_naive_clock_is_taken_as_utc():
    assert time_vars(datetime(2026, 6, 5, 23, 30), "Asia/Tokyo")["date"] == "2026-06-06"


def test_impact_is_zero_without_a_simulation_and_filled_with_one():
    assert act()["impact"]["data_without_backup"] == 0
    impact = Impact(deleted=3, data_without_backup=2, restore_minutes=90, simulated=True)
    filled = act(impact=impact)["impact"]
    assert (filled["deleted"], filled["data_without_backup"], filled["simulated"]) == (3, 2, True)


def test_the_proposal_counts_operations_and_destroys():
    a = act()
    assert (a["proposal"]["operations"], a["proposal"]["destroys"], a["mode"]) == (
        2,
        1,
        "gateway",
    )


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ('agent.id.startsWith("agent:deploy")', True),
        ('op.targets.exists(t, t.scope.context == "prod-eu")', True),
        ('"force" in op.tags && time.weekday == 5 && time.hour >= 16', True),
        ("proposal.destroys > 1", False),
        ('agent.launched_by == "user:root"', False),
        ("op.nope == 1", None),  # a missing field
        ('op.tier + 1 == "x"', None),  # a type error
        ("op.tier", None),  # not a bool
        ("nobody.knows", None),  # an unknown variable
    ],
)
def test_holds_answers_true_false_or_none_when_it_cannot_evaluate(src, expected):
    assert holds(src, "acme.t", act()) is expected


# ---- org rules fail closed -----------------------------------------------------------------


def policy(effect: str, when: str, extra: str = ""):
    return load_policy(
        f"""rules:
  - id: acme.r
    effect: {effect}
    match: {{tier: [prod]}}
    when: '{when}'{extra}
    reason: "{{summary}} on {{tier}} by {{agent}} ({{target}})"
"""
    )


@pytest.fixture
def no_builtin(monkeypatch):
    """Allow rules on prod would be refused at load beside the real invariants' examples;
    here only their run-time behaviour matters."""
    monkeypatch.setitem(
        sys.modules, "interlock.policy.invariants", types.SimpleNamespace(BUILTIN=())
    )


def findings(p, agent="agent:deploy-bot"):
    return org_findings(DELETE_NS, p, request(agent), Mode.GATEWAY, [DELETE_NS])


@pytest.mark.parametrize("effect", ["deny", "ask"])
def test_a_deny_or_ask_rule_whose_condition_errors_fires(effect):
    (finding,), allowed = findings(policy(effect, "op.nope == 1"))
    assert (finding.rule, finding.verdict.value, finding.layer, allowed) == (
        "acme.r",
        effect,
        "rules",
        False,
    )
    assert "could not be evaluated" in finding.reason


def test_an_allow_rule_whose_condition_errors_does_not_allow(no_builtin):
    assert findings(policy("allow", "op.nope == 1")) == ([], False)


def test_an_allow_rule_whose_condition_holds_allows_and_leaves_a_trace(no_builtin):
    found, allowed = findings(policy("allow", 'agent.id == "agent:deploy-bot"'))
    assert allowed is True
    assert [(f.rule, f.verdict.value, f.layer) for f in found] == [("acme.r", "allow", "rules")]


def test_a_rule_whose_condition_is_false_does_not_fire():
    assert findings(policy("deny", 'agent.id == "agent:other"')) == ([], False)


def test_a_rule_whose_match_misses_never_evaluates_its_condition():
    p = policy("deny", "op.nope == 1")
    assert org_findings(LIST, p, request(), Mode.GATEWAY, [LIST]) == ([], False)


def test_an_ask_rule_carries_its_quorum():
    (finding,), _ = findings(policy("ask", "true", "\n    approvals: 3"))
    assert (finding.verdict, finding.approvals) == (Verdict.ASK, 3)


def test_the_reason_template_is_filled_for_the_operation():
    (finding,), _ = findings(policy("deny", "true"))
    assert finding.reason == (
        "deletes namespace `payments` on prod by `agent:deploy-bot` (`payments`)"
    )


def test_a_reason_without_an_agent_or_target_still_reads():
    assert render_reason("{agent} touched {target}", LIST, request(None)) == (
        "an unnamed agent touched no named target"
    )
