"""Resolution, defaults, combining and rule loading: one row per behaviour."""

from __future__ import annotations

import pytest

from interlock.model import Effect, Finding, Mode, Operation, PolicyError, Target, Tier, Verdict
from interlock.model.errors import InputError
from interlock.policy.defaults import default_finding
from interlock.policy.evaluate import combine
from interlock.policy.rules import load_rules
from interlock.resolve import EMPTY, guess_tier, load_envmap, resolve, resolve_target


def op(effect=Effect.DESTROY, tier=Tier.UNKNOWN, tags=(), **scope):
    return Operation(
        family="t",
        action="delete",
        effect=effect,
        program="t",
        targets=(Target.make("thing", "x", tier=tier, **scope),),
        tags=frozenset(tags),
    )


# ---- name heuristics -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "tier"), [
    ("prod-eu", Tier.PROD), ("acme-prd-1", Tier.PROD), ("production", Tier.PROD),
    ("db.prod.example.com", Tier.PROD), ("arn:aws:eks:us-east-1:1:cluster/prod", Tier.PROD),
    ("preprod", Tier.STAGING), ("staging", Tier.STAGING), ("uat-2", Tier.STAGING),
    ("dev", Tier.DEV), ("sandbox-7", Tier.DEV), ("kind-dev", Tier.LOCAL), ("localhost:5432", Tier.LOCAL),
    ("minikube", Tier.LOCAL), ("127.0.0.1", Tier.LOCAL), ("product-api", None), ("payments", None),
])  # fmt: skip
def test_names_guess_a_tier_by_whole_words(name, tier):
    assert guess_tier(name) is tier


# ---- resolution ----------------------------------------------------------------------------


def test_the_map_wins_over_heuristics():
    m = load_envmap({"tiers": {"dev": {"contexts": ["prod-sim"]}}})
    t = resolve_target(Target.make("namespace", "x", context="prod-sim"), m)
    assert t.tier is Tier.DEV


def test_map_patterns_are_case_insensitive_globs():
    m = load_envmap({"tiers": {"prod": {"accounts": ["1234*"]}}})
    assert resolve_target(Target.make("bucket", "b", account="123456"), m).tier is Tier.PROD


def test_location_wins_over_an_analyzer_tier_and_names():
    t = Target.make("path", "./build", tier=Tier.LOCAL, host="web-prod-1")
    assert resolve_target(t, EMPTY).tier is Tier.PROD


def test_an_analyzer_tier_is_kept_when_nothing_locates_the_target():
    t = Target.make("path", "./prod-backup", tier=Tier.LOCAL)
    assert resolve_target(t, EMPTY).tier is Tier.LOCAL


def test_protected_branches_are_prod_but_branch_names_are_not_guessed():
    assert resolve_target(Target.make("branch", "main", remote="origin"), EMPTY).tier is Tier.PROD
    assert (
        resolve_target(Target.make("branch", "fix-prod-bug", remote="origin"), EMPTY).tier
        is Tier.UNKNOWN
    )


def test_a_forced_tier_applies_to_every_target_and_to_targetless_changes():
    ops = resolve(
        [op(), Operation(family="t", action="x", effect=Effect.WRITE, program="t")],
        EMPTY,
        Tier.PROD,
    )
    assert [o.tier for o in ops] == [Tier.PROD, Tier.PROD]


def test_heuristics_can_be_switched_off():
    m = load_envmap({"heuristics": False})
    assert resolve_target(Target.make("namespace", "x", context="prod-eu"), m).tier is Tier.UNKNOWN


@pytest.mark.parametrize("bad", [
    [], {"tiers": {"prd": {}}}, {"tiers": {"prod": {"contxts": ["a"]}}}, {"tier": {}},
    {"tiers": {"prod": ["a"]}}, {"heuristics": "yes"}, {"tiers": {"prod": {"hosts": {"a": 1}}}},
])  # fmt: skip
def test_a_bad_environment_map_is_refused(bad):
    with pytest.raises(InputError) as exc:
        load_envmap(bad)
    assert exc.value.code == "input.envmap"


# ---- defaults: one row per arm -------------------------------------------------------------


@pytest.mark.parametrize(("mode", "effect", "tier", "verdict", "rule"), [
    (Mode.WORKSTATION, Effect.READ, Tier.PROD, None, None),
    (Mode.WORKSTATION, Effect.DESTROY, Tier.PROD, Verdict.DENY, "default.prod-destroy"),
    (Mode.WORKSTATION, Effect.DESTROY, Tier.UNKNOWN, Verdict.ASK, "default.destroy"),
    (Mode.WORKSTATION, Effect.DESTROY, Tier.LOCAL, None, None),
    (Mode.WORKSTATION, Effect.WRITE, Tier.PROD, Verdict.ASK, "default.prod-change"),
    (Mode.WORKSTATION, Effect.WRITE, Tier.DEV, None, None),
    (Mode.WORKSTATION, Effect.UNKNOWN, Tier.PROD, Verdict.ASK, "default.prod-change"),
    (Mode.WORKSTATION, Effect.UNKNOWN, Tier.UNKNOWN, None, None),
    (Mode.GATEWAY, Effect.READ, Tier.PROD, None, None),
    (Mode.GATEWAY, Effect.WRITE, Tier.LOCAL, Verdict.ASK, "default.change"),
    (Mode.GATEWAY, Effect.DESTROY, Tier.LOCAL, Verdict.ASK, "default.destroy"),
    (Mode.GATEWAY, Effect.UNKNOWN, Tier.DEV, Verdict.ASK, "default.unknown"),
])  # fmt: skip
def test_mode_defaults(mode, effect, tier, verdict, rule):
    f = default_finding(op(effect, tier), mode)
    assert (f.verdict if f else None) is verdict
    assert (f.rule if f else None) == rule


def test_gateway_destruction_needs_two_approvers_by_default():
    f = default_finding(op(Effect.DESTROY, Tier.DEV), Mode.GATEWAY)
    assert f is not None and f.approvals == 2


def test_an_analyzer_error_is_asked_in_both_modes():
    for mode in Mode:
        f = default_finding(op(Effect.READ, tags=("internal-error",)), mode)
        assert f is not None and f.verdict is Verdict.ASK


# ---- combining: one row per arm ------------------------------------------------------------


def _f(verdict, approvals=1, rule="r.x"):
    return Finding(rule, verdict, "because", approvals)


def test_any_deny_wins():
    d = combine((op(),), (_f(Verdict.ASK, 3), _f(Verdict.DENY, rule="r.deny")), Mode.GATEWAY)
    assert d.verdict is Verdict.DENY and d.rules[0] == "r.deny"


def test_the_strictest_ask_sets_the_quorum():
    d = combine((op(),), (_f(Verdict.ASK, 1, "r.a"), _f(Verdict.ASK, 3, "r.b")), Mode.GATEWAY)
    assert d.verdict is Verdict.ASK and d.approvals == 3 and "3 approvers" in d.reason


def test_nothing_fired_is_allow():
    d = combine((op(Effect.READ),), (), Mode.GATEWAY)
    assert d.verdict is Verdict.ALLOW and d.rules == ()


def test_an_empty_proposal_is_allowed_and_says_so():
    assert combine((), (), Mode.WORKSTATION).reason == "nothing to run"


# ---- rule loading --------------------------------------------------------------------------

GOOD = {
    "id": "x.y",
    "title": "t",
    "effect": "ask",
    "why": "w",
    "match": {"action": ["delete"]},
    "hit": ["a"],
    "miss": ["b"],
}


@pytest.mark.parametrize(("change", "code"), [
    ({"id": "Bad Id"}, "policy.invalid"),
    ({"effect": "allow"}, "policy.invalid"),
    ({"colour": "red"}, "policy.invalid"),
    ({"match": {}}, "policy.invalid"),
    ({"match": {"actoin": ["x"]}}, "policy.invalid"),
    ({"match": {"tier": ["prodd"]}}, "policy.invalid"),
    ({"match": {"effect": ["nuke"]}}, "policy.invalid"),
    ({"approvals": -1}, "policy.invalid"),
    ({"modes": ["laptop"]}, "policy.invalid"),
    ({"why": ""}, "policy.invalid"),
    ({"hit": "a"}, "policy.invalid"),
])  # fmt: skip
def test_a_bad_rule_is_refused_with_a_code(change, code):
    with pytest.raises(PolicyError) as exc:
        load_rules([GOOD | change], "p")
    assert exc.value.code == code


def test_a_duplicate_rule_id_is_refused():
    with pytest.raises(PolicyError) as exc:
        load_rules([GOOD, GOOD], "p")
    assert exc.value.code == "policy.duplicate_id"


def test_a_good_rule_loads():
    (rule,) = load_rules({"pack": "p", "rules": [GOOD]}, "p")
    assert (
        rule.id == "x.y"
        and rule.effect is Verdict.ASK
        and rule.match.action == frozenset({"delete"})
    )


def test_an_allowed_change_names_what_it_changes_and_why_it_may():
    from interlock.service import CheckCall, check, default_settings

    d = check(CheckCall(command="kubectl --context dev apply -f x.yaml"), default_settings())
    assert d.verdict.value == "allow"
    assert d.reason.startswith("allowed: write: applies manifest `x.yaml`")
    assert d.reason.endswith("no target is known to be production")
    reads = check(CheckCall(command="kubectl get pods"), default_settings())
    assert reads.reason == "allowed: read only"
