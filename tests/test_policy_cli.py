"""`interlock policy test` and `interlock policy lint`, the test-case format, the lint codes,
and the starter policies in examples/policies/ (each runs its own tests through the CLI)."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from interlock.cli.main import main
from interlock.model import Grant, PolicyError, Verdict
from interlock.policy.lint import has_errors, lint, representatives, within
from interlock.policy.packs import load_index
from interlock.policy.policyset import AgentEntry, OrgInvariant, OrgRule, PolicySet
from interlock.policy.rules import Match
from interlock.policy.testing import DEFAULT_NOW, Outcome, load_cases, run_cases, summary

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "policies"
NOW = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)
INDEX = load_index(use_cache=False)


def run(argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(""), out, err)
    return code, out.getvalue(), err.getvalue()


def write_policy(tmp_path, policy, tests=None):
    (tmp_path / "policy.yaml").write_text(policy, "utf-8")
    if tests is not None:
        (tmp_path / "tests").mkdir()
        (tmp_path / "tests" / "cases.yaml").write_text(tests, "utf-8")
    return str(tmp_path)


POLICY = """
version: 1
rules:
  - id: acme.prod-asks
    effect: ask
    match: {tier: [prod], effect: [write, destroy]}
"""


# -- the starter policies ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["small-team", "regulated", "solo"])
def test_each_starter_policy_passes_its_own_tests(name):
    code, out, err = run(["policy", "test", str(EXAMPLES / name)])
    assert code == 0, out + err
    assert out.splitlines()[-1].endswith(" passed, 0 failed")


@pytest.mark.parametrize("name", ["small-team", "regulated", "solo"])
def test_each_starter_policy_lints_without_errors_and_has_ten_cases(name):
    code, out, _ = run(["policy", "lint", str(EXAMPLES / name), "--now", "2026-01-07T12:00:00Z"])
    assert code == 0, out
    cases = sum(
        len(load_cases(__import__("yaml").safe_load(p.read_text("utf-8")), p.name))
        for p in (EXAMPLES / name / "tests").glob("*.yaml")
    )
    assert cases >= 10
    assert (EXAMPLES / name / "README.md").is_file()


# -- policy test ---------------------------------------------------------------------------------


def test_a_failing_case_prints_one_fail_line_and_the_summary_and_exits_1(tmp_path):
    tests = """
- note: a prod apply asks
  command: kubectl --context prod-eu apply -f app.yaml
  want: ask
  want_rules: [acme.prod-asks]
  want_layer: rules
- note: this expectation is wrong on purpose
  command: kubectl --context prod-eu apply -f app.yaml
  want: deny
"""
    code, out, _ = run(["policy", "test", write_policy(tmp_path, POLICY, tests)])
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("FAIL tests/cases.yaml:this expectation is wrong on purpose: ")
    assert "want deny, got ask (rules acme.prod-asks" in lines[0]
    assert lines[-1] == "1 passed, 1 failed"


def test_a_policy_that_does_not_load_exits_1_with_its_error_code(tmp_path):
    code, _, err = run(
        ["policy", "test", write_policy(tmp_path, "rules: [{id: x}]\nbogus: 1\n", "[]")]
    )
    assert code == 1
    assert "policy.invalid" in err


def test_a_directory_without_a_policy_file_is_policy_missing(tmp_path):
    code, _, err = run(["policy", "test", str(tmp_path)])
    assert code == 1 and "policy.missing" in err


def test_a_directory_without_tests_is_an_error_for_policy_test(tmp_path):
    code, _, err = run(["policy", "test", write_policy(tmp_path, POLICY)])
    assert code == 1 and "policy.no_tests" in err


def test_a_test_file_with_an_unknown_key_is_policy_test_invalid(tmp_path):
    tests = "- {note: n, command: ls, want: allow, wants: deny}\n"
    code, _, err = run(["policy", "test", write_policy(tmp_path, POLICY, tests)])
    assert code == 1 and "policy.test_invalid" in err


def test_policy_without_a_subcommand_is_a_usage_error():
    code, _, err = run(["policy"])
    assert code == 1 and "usage" in err


# -- the test-case format ------------------------------------------------------------------------


def test_a_case_without_now_runs_at_the_fixed_default_clock():
    (case,) = load_cases([{"note": "n", "command": "ls", "want": "allow"}], "t.yaml")
    assert case.now == DEFAULT_NOW and case.mode == "workstation"


def test_a_case_reads_its_clock_impact_and_history():
    (case,) = load_cases(
        [
            {
                "note": "n",
                "sql": "DROP TABLE t",
                "want": "deny",
                "now": "2026-03-01T08:00:00+01:00",
                "impact": {"data_without_backup": 1},
                "history": {"destructive_ops": 4},
            }
        ],
        "t.yaml",
    )
    assert case.now.utcoffset().total_seconds() == 3600
    assert case.impact == {"data_without_backup": 1} and case.history == {"destructive_ops": 4}


@pytest.mark.parametrize(
    "item",
    [
        {"note": "n", "want": "allow"},
        {"note": "n", "command": "ls", "sql": "SELECT 1", "want": "allow"},
        {"note": "n", "command": "ls", "want": "maybe"},
        {"note": "n", "command": "ls", "want": "allow", "now": "2026-01-01T00:00:00"},
        {"note": "n", "command": "ls", "want": "allow", "impact": {"lost": 1}},
        {"note": "n", "command": "ls", "want": "allow", "impact": {"blast": 1}},
        {"note": "n", "command": "ls", "want": "allow", "impact": {"tiers": ["production"]}},
        {"note": "n", "command": "ls", "want": "allow", "impact": {"tiers": "prod"}},
        {"note": "n", "command": "ls", "want": "allow", "impact": {"env_root_teardown": "yes"}},
        {"note": "n", "command": "ls", "want": "allow", "impact": {"roots": [{"kind": "vpc"}]}},
        {
            "note": "n",
            "command": "ls",
            "want": "allow",
            "impact": {"lost": [{"kind": "db", "name": "x", "tier": "live"}]},
        },
        {"note": "n", "command": "ls", "want": "allow", "want_layer": "vibes"},
        {"command": "ls", "want": "allow"},
    ],
)
def test_a_malformed_case_is_refused_with_policy_test_invalid(item):
    with pytest.raises(PolicyError) as exc:
        load_cases([item], "t.yaml")
    assert exc.value.code == "policy.test_invalid"


IMPACT_POLICY = """
version: 1
rules:
  - id: acme.prod-blast-two
    effect: ask
    approvals: 2
    match: {effect: [write, destroy]}
    when: '"prod" in impact.tiers'
"""

IMPACT_CASES = """
- note: a write whose blast radius reaches prod needs two
  command: kubectl rollout restart deployment api
  impact: {tiers: [prod], deleted: 0}
  want: ask
  want_rules: [acme.prod-blast-two]
- note: the same write reaching only dev does not
  command: kubectl rollout restart deployment api
  impact: {tiers: [dev]}
  want: allow
- note: a simulation that loses prod data is an unbacked destroy whatever the command says
  command: kubectl apply -f app.yaml
  impact:
    deleted: 1
    data_without_backup: 1
    tiers: [prod]
    lost: [{kind: persistentvolumeclaim, name: spool, tier: prod}]
  want: deny
  want_rules: [invariant.no-unbacked-destroy]
  want_layer: invariants
- note: a simulation that tears down a prod root is a teardown
  command: terraform apply
  impact: {deleted: 3, env_root_teardown: true, tiers: [prod], roots: [{kind: stack, name: events, tier: prod}]}
  want: deny
  want_rules: [invariant.no-env-teardown]
"""


def test_test_cases_describe_what_the_simulation_found(tmp_path):
    code, out, err = run(["policy", "test", write_policy(tmp_path, IMPACT_POLICY, IMPACT_CASES)])
    assert code == 0, out + err
    assert out.splitlines()[-1].endswith("4 passed, 0 failed")


def test_two_cases_with_the_same_note_are_refused():
    case = {"note": "n", "command": "ls", "want": "allow"}
    with pytest.raises(PolicyError):
        load_cases([case, case], "t.yaml")


def test_a_result_names_every_mismatch_verdict_rules_layer_and_error():
    (case,) = load_cases(
        [
            {
                "note": "n",
                "command": "ls",
                "want": "deny",
                "want_rules": ["a.b"],
                "want_layer": "invariants",
                "want_error_code": "policy.cel",
            }
        ],
        "t.yaml",
    )
    (result,) = run_cases([case], lambda c: Outcome("ask", ("x.y",), "rules"))
    assert result.problems == (
        "want deny, got ask",
        "want rules a.b",
        "want layer invariants, got rules",
        "want error policy.cel",
    )
    assert summary([result]) == "0 passed, 1 failed"


# -- policy lint ---------------------------------------------------------------------------------


def rule(rid, verdict="ask", condition="", **match):
    m = Match(**{k: frozenset(v) for k, v in match.items()})
    return OrgRule(rid, Verdict(verdict), m, condition)


def codes(findings):
    return sorted((f.code, f.subject) for f in findings)


def cel(source, act):
    from interlock.cli.policy import evaluate_cel

    return evaluate_cel(source, act)


def test_a_rule_whose_tags_contradict_is_unreachable():
    policy = PolicySet(rules=(rule("acme.x", tags=["force"], not_tags=["force"]),))
    found = lint(policy, INDEX, (), now=NOW, cases=[])
    assert ("lint.unreachable", "acme.x") in codes(found)
    assert has_errors(found)


def test_a_rule_for_a_family_no_analyzer_produces_is_an_unreachable_warning():
    policy = PolicySet(rules=(rule("acme.x", family=["kubernets"]),))
    (f,) = [f for f in lint(policy, INDEX, (), now=NOW, cases=[]) if f.code == "lint.unreachable"]
    assert f.severity == "warning"


def test_a_when_on_a_field_that_does_not_exist_is_a_cel_type_error():
    policy = PolicySet(rules=(rule("acme.x", condition="op.cluster == 'prod'", tier=["prod"]),))
    found = lint(policy, INDEX, (), now=NOW, cases=[], evaluate=cel)
    assert ("lint.cel-type", "acme.x") in codes(found)


def test_a_when_that_compares_a_string_with_a_number_is_a_cel_type_error():
    policy = PolicySet(rules=(rule("acme.x", condition="op.tier > 2"),))
    assert ("lint.cel-type", "acme.x") in codes(lint(policy, INDEX, (), now=NOW, evaluate=cel))


def test_a_when_that_is_not_a_bool_is_a_cel_type_error():
    policy = PolicySet(rules=(rule("acme.x", condition="time.hour + 1"),))
    assert ("lint.cel-type", "acme.x") in codes(lint(policy, INDEX, (), now=NOW, evaluate=cel))


def test_a_when_over_every_documented_variable_lints_clean():
    source = (
        'agent.id.startsWith("agent:") && time.weekday < 6 && impact.deleted == 0 '
        '&& proposal.destroys == 0 && mode == "gateway" && "force" in op.tags'
    )
    policy = PolicySet(rules=(rule("acme.x", condition=source, tags=["force"]),))
    assert not [
        f for f in lint(policy, INDEX, (), now=NOW, evaluate=cel) if f.code == "lint.cel-type"
    ]


def test_an_allow_rule_inside_an_org_invariant_is_shadowed():
    inv = OrgInvariant(
        "acme.invariant.no-iam", Match(family=frozenset({"aws"}), any_tags=frozenset({"iam"}))
    )
    r = rule("acme.iam-ok", "allow", family=["aws"], tags=["iam"], tier=["prod"])
    found = lint(PolicySet(rules=(r,), invariants=(inv,)), INDEX, (), now=NOW, cases=[])
    assert ("lint.shadowed-by-invariant", "acme.iam-ok") in codes(found)


def test_an_ask_rule_an_invariant_denies_entirely_is_shadowed_but_a_broad_one_is_not():
    from interlock.cli.policy import analyzer, builtin_invariants, invariant_denies

    narrow = rule(
        "acme.ns-delete",
        family=["kubernetes"],
        action=["delete"],
        kind=["namespace"],
        tier=["prod"],
    )
    broad = rule("acme.prod-asks", tier=["prod"], effect=["write", "destroy"])
    policy = PolicySet(rules=(narrow, broad))
    found = lint(
        policy,
        INDEX,
        builtin_invariants(),
        now=NOW,
        cases=[],
        analyze=analyzer(policy),
        denied_by=invariant_denies(policy),
    )
    shadowed = [f.subject for f in found if f.code == "lint.shadowed-by-invariant"]
    assert shadowed == ["acme.ns-delete"]


def test_a_rule_no_case_names_has_no_tests():
    policy = PolicySet(rules=(rule("acme.a", tier=["prod"]), rule("acme.b", tier=["dev"])))
    (case,) = load_cases(
        [{"note": "n", "command": "ls", "want": "ask", "want_rules": ["acme.a"]}], "t"
    )
    found = lint(policy, INDEX, (), now=NOW, cases=[case])
    assert codes(found) == [("lint.no-tests", "acme.b")]
    assert not has_errors(found) and has_errors(found, strict=True)


def test_grant_problems_are_errors_and_expired_grants_are_warnings():
    expired = Grant("deployer", expires=datetime(2026, 1, 1, tzinfo=UTC))
    agents = (
        AgentEntry(
            "agent:a", problems=("grant.exceeds_template: tier `prod` is not in `developer`",)
        ),
        AgentEntry("agent:b", grant=expired),
    )
    found = lint(PolicySet(agents=agents), INDEX, (), now=NOW)
    assert codes(found) == [
        ("grant.exceeds_template", "agent:a"),
        ("lint.expired-grant", "agent:b"),
    ]
    assert [f.severity for f in found] == ["error", "warning"]


def test_representatives_cover_dev_and_prod_when_a_rule_names_no_tier():
    tiers = sorted(op.tier.value for op in representatives(Match(family=frozenset({"git"}))))
    assert tiers == ["dev", "prod"]


def test_within_holds_only_when_the_outer_match_is_at_least_as_wide():
    inner = Match(family=frozenset({"aws"}), tier=frozenset({"prod"}))
    assert within(inner, Match(family=frozenset({"aws", "gcp"})))
    assert not within(Match(tier=frozenset({"prod"})), Match(family=frozenset({"aws"})))


def test_lint_prints_json_lines_and_strict_fails_on_warnings(tmp_path):
    directory = write_policy(tmp_path, POLICY)
    code, out, _ = run(["policy", "lint", directory, "--json", "--now", "2026-01-07T12:00:00Z"])
    assert code == 0
    assert [json.loads(line)["code"] for line in out.splitlines()] == ["lint.no-tests"]
    code, _, _ = run(["policy", "lint", directory, "--strict"])
    assert code == 1


def test_lint_of_a_policy_with_a_cel_type_error_exits_1(tmp_path):
    policy = POLICY + "    when: 'op.nope == 1'\n"
    code, out, _ = run(["policy", "lint", write_policy(tmp_path, policy)])
    assert code == 1
    assert out.splitlines()[0].startswith("lint.cel-type error acme.prod-asks: ")
