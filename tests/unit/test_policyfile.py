"""Loading `policy.yaml` and `invariants.yaml`: strict schema, digests, approval of the
invariants file, and refusing any attempt to weaken an invariant."""

from __future__ import annotations

import hashlib
import sys
import types
from datetime import UTC, datetime

import pytest

from interlock.model import PolicyError, Verdict
from interlock.policy.cel import compile_condition
from interlock.policy.orgrules import builtin_invariants
from interlock.policy.policyfile import invariants_digest, load_policy, policy_digest

DOC_EXAMPLE = """
version: 1
org: acme
timezone: Europe/Berlin
rules:
  - id: acme.staging-deploys
    effect: allow
    match: {family: [kubernetes], action: [apply, rollout], tier: [staging]}
    when: 'agent.id.startsWith("agent:deploy-bot")'
    reason: "staging deploys by the deploy bot"
  - id: acme.prod-two-person
    effect: ask
    approvals: 2
    from_roles: [sre]
    match: {tier: [prod], effect: [write, destroy]}
    reason: "prod change by {agent}: two SREs approve"
grant_templates:
  developer: {tiers: [local, dev], effects: [read, write, destroy]}
  deployer: {tiers: [staging, prod], programs: [kubectl, helm], actions: [apply, rollout, upgrade], effects: [read, write]}
agents:
  - id: agent:deploy-bot
    launched_by: service:ci
    template: deployer
    grant: {tiers: [staging], expires: "2026-12-31T00:00:00Z"}
freeze_windows:
  - {name: weekend, from: "Fri 16:00", to: "Mon 08:00"}
  - {name: holidays, timezone: America/New_York, dates: [2026-12-24, "2026-12-25"], tiers: [prod, staging]}
volume_limit: {max_destructive: 5, max_fleet_percent: 10, window_minutes: 30}
"""

ORG_INVARIANTS = """
invariants:
  - id: acme.invariant.no-prod-buckets
    match: {family: [aws], action: [s3-rb, s3api-delete-bucket], tier: [prod]}
    reason: "{summary}: prod buckets are never deleted by an agent"
    hit: ["aws s3 rb s3://prod-assets --force --profile prod"]
"""

TEMPLATE = "grant_templates: {dev: {tiers: [dev], effects: [read, write]}}\n"


def code_of(text: str, invariants: str | None = None, approved: str | None = None) -> str:
    with pytest.raises(PolicyError) as exc:
        load_policy(text, invariants, approved)
    return exc.value.code


@pytest.fixture
def builtin(monkeypatch):
    """A stand-in for `interlock.policy.invariants.BUILTIN` with two invariants' examples."""
    spec = types.SimpleNamespace
    module = types.SimpleNamespace(
        BUILTIN=(
            spec(
                id="invariant.no-env-teardown",
                hit=(
                    "kubectl --context prod-eu delete namespace payments",
                    "helm uninstall api -n prod && helm install api ./chart -n prod",
                ),
            ),
            spec(id="invariant.self-protection", hit=("rm -rf .interlock",)),
        )
    )
    monkeypatch.setitem(sys.modules, "interlock.policy.invariants", module)
    return module


@pytest.fixture
def no_builtin(monkeypatch):
    """No built-in invariant examples: only the org invariants are checked for overrides."""
    monkeypatch.setitem(
        sys.modules, "interlock.policy.invariants", types.SimpleNamespace(BUILTIN=())
    )


# ---- what loads ----------------------------------------------------------------------------


def test_the_documented_example_loads_into_values():
    policy = load_policy(DOC_EXAMPLE)
    assert [r.id for r in policy.rules] == ["acme.staging-deploys", "acme.prod-two-person"]
    ask = policy.rules[1]
    assert (ask.effect, ask.approvals, ask.from_roles) == (Verdict.ASK, 2, ("sre",))
    assert policy.rules[0].condition == 'agent.id.startsWith("agent:deploy-bot")'
    bot = policy.agent("agent:deploy-bot")
    assert bot is not None and bot.grant is not None and not bot.problems
    assert bot.grant.tiers == {"staging"} and bot.grant.programs == {"kubectl", "helm"}
    assert bot.grant.expires == datetime(2026, 12, 31, tzinfo=UTC)
    assert policy.timezone == "Europe/Berlin"
    assert (policy.volume.max_destructive, policy.volume.window_minutes) == (5, 30)


def test_freeze_windows_load_as_weekly_minutes_or_dates():
    weekend, holidays = load_policy(DOC_EXAMPLE).freeze_windows
    assert (weekend.from_day, weekend.from_minute, weekend.to_day, weekend.to_minute) == (
        5,
        16 * 60,
        1,
        8 * 60,
    )
    assert (weekend.timezone, weekend.tiers) == ("Europe/Berlin", ("prod",))
    assert holidays.dates == ("2026-12-24", "2026-12-25")
    assert (holidays.timezone, holidays.tiers) == ("America/New_York", ("prod", "staging"))


def test_full_day_names_are_accepted_in_freeze_windows():
    text = "freeze_windows: [{name: w, from: 'friday 18:30', to: 'Sunday 23:59'}]"
    (w,) = load_policy(text).freeze_windows
    assert (w.from_day, w.from_minute, w.to_day, w.to_minute) == (5, 18 * 60 + 30, 7, 23 * 60 + 59)


def test_an_empty_policy_file_is_an_empty_policy_with_a_digest():
    policy = load_policy("")
    assert policy.rules == () and policy.agents == () and policy.timezone == "UTC"
    assert policy.digest == policy_digest("")


def test_conditions_are_compiled_once_at_load_and_cached_for_the_hot_path():
    policy = load_policy(DOC_EXAMPLE)
    rule = policy.rules[0]
    assert compile_condition(rule.condition, rule.id) is rule.compiled


def test_an_ask_rule_without_approvals_needs_one():
    text = "rules: [{id: a.b, effect: ask, match: {tier: [prod]}}]"
    assert load_policy(text).rules[0].approvals == 1


# ---- strict schema: every bad input has a code ---------------------------------------------

RULE = "rules: [{id: acme.x, effect: ask, match: {tier: [prod]}%s}]"

BAD = [
    ("[1, 2]", "policy.invalid"),
    ("rules: [", "policy.invalid"),
    ("version: 2", "policy.invalid"),
    ("org: [a]", "policy.invalid"),
    ("timezone: Mars/Olympus", "policy.invalid"),
    ("colour: blue", "policy.invalid"),
    ("rules: {id: x}", "policy.invalid"),
    ("rules: [x]", "policy.invalid"),
    ("rules: [{id: Bad, effect: ask, match: {tier: [prod]}}]", "policy.invalid"),
    ("rules: [{id: acme.x, effect: maybe, match: {tier: [prod]}}]", "policy.invalid"),
    ("rules: [{id: acme.x, effect: ask}]", "policy.invalid"),
    ("rules: [{id: acme.x, effect: ask, match: {tier: [moon]}}]", "policy.invalid"),
    ("rules: [{id: acme.x, effect: ask, match: {colour: [red]}}]", "policy.invalid"),
    (RULE % ", title: t", "policy.invalid"),
    (RULE % ", approvals: 0", "policy.invalid"),
    (RULE % ", approvals: 11", "policy.invalid"),
    (RULE % ", approvals: true", "policy.invalid"),
    (RULE % ", from_roles: []", "policy.invalid"),
    (RULE % ", reason: 'by {user}'", "policy.invalid"),
    (RULE % ", reason: 'by {agent!r}'", "policy.invalid"),
    (RULE % ", reason: 'a { brace'", "policy.invalid"),
    (RULE % ", when: 'op.tier =='", "policy.cel"),
    (RULE % ", when: ''", "policy.cel"),
    ("rules: [{id: acme.x, effect: deny, approvals: 2, match: {tier: [prod]}}]", "policy.invalid"),
    ("rules: [{id: acme.x, effect: allow, from_roles: [sre], match: {tier: [dev]}}]", "policy.invalid"),
    ("rules: [{id: default.x, effect: ask, match: {tier: [prod]}}]", "policy.invalid"),
    ("rules: [{id: invariant.x, effect: deny, match: {tier: [prod]}}]", "policy.invalid"),
    ("rules:\n- {id: acme.x, effect: ask, match: {tier: [prod]}}\n- {id: acme.x, effect: deny, match: {tier: [prod]}}",
     "policy.duplicate_id"),
    ("rules: [{id: acme.x, effect: ask, effect: deny, match: {tier: [prod]}}]", "policy.invalid"),
    ("grant_templates: [dev]", "policy.invalid"),
    ("grant_templates: {dev: {tiers: [dev]}}", "policy.invalid"),
    ("grant_templates: {dev: {tiers: [moon], effects: [read]}}", "policy.invalid"),
    ("grant_templates: {dev: {tiers: [dev], effects: [smash]}}", "policy.invalid"),
    ("grant_templates: {dev: {tiers: [dev], effects: [read], expires: '2030-01-01T00:00:00Z'}}", "policy.invalid"),
    ("grant_templates: {dev: {tiers: [dev], effects: [read], targets: [payments]}}", "policy.invalid"),
    ("grant_templates: {dev: {tiers: [dev], effects: [read], roles: [admin]}}", "policy.invalid"),
    (TEMPLATE + "agents: {x: 1}", "policy.invalid"),
    (TEMPLATE + "agents: [{id: deploy-bot, template: dev}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x'}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: admin}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, roles: [admin]}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, launched_by: ''}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, grant: [dev]}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, grant: {expires: '2030-01-01T00:00:00'}}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, grant: {expires: 2030-01-01}}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, grant: {expires: soon}}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, grant: {tiers: []}}]", "policy.invalid"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev}, {id: 'agent:x', template: dev}]", "policy.duplicate_id"),
    ("freeze_windows: [{from: 'Fri 16:00', to: 'Mon 08:00'}]", "policy.invalid"),
    ("freeze_windows: [{name: w, from: 'Fri 16:00'}]", "policy.invalid"),
    ("freeze_windows: [{name: w, from: 'Fry 16:00', to: 'Mon 08:00'}]", "policy.invalid"),
    ("freeze_windows: [{name: w, from: 'Fri 25:00', to: 'Mon 08:00'}]", "policy.invalid"),
    ("freeze_windows: [{name: w, from: 'Fri 16:00', to: 'Fri 16:00'}]", "policy.invalid"),
    ("freeze_windows: [{name: w, from: 'Fri 16:00', to: 'Mon 08:00', dates: [2026-12-24]}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: []}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: [2026-13-01]}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: ['2026-12-24T10:00:00']}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: [2026-12-24], tiers: [moon]}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: [2026-12-24], timezone: Nowhere/City}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: [2026-12-24], every: year}]", "policy.invalid"),
    ("freeze_windows: [{name: w, dates: [2026-12-24]}, {name: w, dates: [2026-12-25]}]", "policy.duplicate_id"),
    ("volume_limit: 5", "policy.invalid"),
    ("volume_limit: {max_destructive: -1}", "policy.invalid"),
    ("volume_limit: {max_fleet_percent: 101}", "policy.invalid"),
    ("volume_limit: {window_minutes: 0}", "policy.invalid"),
    ("volume_limit: {max_destructive: 5, per: agent}", "policy.invalid"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "code"), BAD)
def test_every_bad_policy_is_refused_with_a_stable_code(text, code):
    assert code_of(text) == code


OVERRIDE_KEYS = [
    ("invariants: {disable: [invariant.freeze-window]}", "invariant.freeze-window"),
    ("disable_invariants: true", "every invariant"),
    ("skip_invariants: [invariant.self-protection]", "invariant.self-protection"),
    ("allow_override: true", "every invariant"),
    ("kill_switches: {enabled: false}", "kill switches"),
    ("invariant.volume-limit: off", "invariant.volume-limit"),
    (RULE % ", disable: [invariant.no-env-teardown]", "invariant.no-env-teardown"),
    ("rules: [{id: acme.x, effect: ask, match: {tier: [prod], skip_invariant: true}}]", "every invariant"),
    (TEMPLATE + "agents: [{id: 'agent:x', template: dev, bypass: [kill.all]}]", "kill.all"),
    (TEMPLATE.replace("write]", "write], override_invariants: true"), "every invariant"),
    ("volume_limit: {disable: true}", "every invariant"),
    ("freeze_windows: [{name: w, dates: [2026-12-24], disabled: true}]", "every invariant"),
    ("rules: [{id: invariant.freeze-window, effect: allow, match: {tier: [prod]}}]", "invariant.freeze-window"),
    ("rules: [{id: acme.invariant.x, effect: allow, match: {tier: [prod]}}]", "acme.invariant.x"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "named"), OVERRIDE_KEYS)
def test_a_key_that_tries_to_switch_off_an_invariant_is_an_override_naming_it(text, named):
    with pytest.raises(PolicyError) as exc:
        load_policy(text)
    assert exc.value.code == "policy.invariant_override"
    assert named in exc.value.message


def test_an_override_key_is_reported_before_other_unknown_keys():
    assert code_of("aaa: 1\ndisable_invariants: true") == "policy.invariant_override"


# ---- digests and the approval of invariants.yaml -------------------------------------------


def test_the_digest_covers_the_policy_and_the_invariants_file():
    approved = invariants_digest(ORG_INVARIANTS)
    policy = load_policy(DOC_EXAMPLE, ORG_INVARIANTS, approved)
    blob = (DOC_EXAMPLE + "\0" + ORG_INVARIANTS).encode()
    assert policy.digest == "pol1:sha256:" + hashlib.sha256(blob).hexdigest()
    assert policy.digest != load_policy(DOC_EXAMPLE).digest
    assert load_policy(DOC_EXAMPLE).digest == policy_digest(DOC_EXAMPLE)


def test_a_changed_policy_has_a_different_digest():
    assert load_policy(DOC_EXAMPLE).digest != load_policy(DOC_EXAMPLE + "\n# note\n").digest


def test_approved_org_invariants_load():
    approved = hashlib.sha256(ORG_INVARIANTS.encode()).hexdigest()
    (inv,) = load_policy("", ORG_INVARIANTS, approved).invariants
    assert inv.id == "acme.invariant.no-prod-buckets"
    assert inv.hit == ("aws s3 rb s3://prod-assets --force --profile prod",)


def test_an_approved_digest_may_carry_its_algorithm_and_a_newline():
    approved = "sha256:" + invariants_digest(ORG_INVARIANTS).upper() + "\n"
    assert len(load_policy("", ORG_INVARIANTS, approved).invariants) == 1


def test_an_unapproved_invariants_file_names_both_digests():
    approved = invariants_digest(ORG_INVARIANTS)
    changed = ORG_INVARIANTS.replace("never", "rarely")
    with pytest.raises(PolicyError) as exc:
        load_policy("", changed, approved)
    assert exc.value.code == "policy.invariants_unapproved"
    assert approved in exc.value.message and invariants_digest(changed) in exc.value.message


def test_an_invariants_file_without_any_approval_is_refused():
    assert code_of("", ORG_INVARIANTS, None) == "policy.invariants_unapproved"


BAD_INVARIANTS = [
    "invariants: [{id: acme.no-x, match: {tier: [prod]}, reason: r, hit: [ls]}]",
    "invariants: [{id: acme.invariant.x, match: {tier: [prod]}, hit: [ls]}]",
    "invariants: [{id: acme.invariant.x, match: {tier: [prod]}, reason: r, hit: []}]",
    "invariants: [{id: acme.invariant.x, match: {tier: [prod]}, reason: r}]",
    "invariants: [{id: acme.invariant.x, match: {tier: [prod]}, reason: r, hit: [ls], effect: allow}]",
    "invariants: [{id: acme.invariant.x, reason: r, hit: [ls]}]",
    "invariants: [{id: acme.invariant.x, match: {tier: [prod]}, reason: '{who}', hit: [ls]}]",
    "rules: []",
]


@pytest.mark.parametrize("text", BAD_INVARIANTS)
def test_a_malformed_invariants_file_is_invalid(text):
    assert code_of("", text, invariants_digest(text)) == "policy.invalid"


def test_a_cel_error_in_an_org_invariant_names_it():
    text = "invariants: [{id: acme.invariant.x, match: {tier: [prod]}, when: '1 +', reason: r, hit: [ls]}]"
    with pytest.raises(PolicyError) as exc:
        load_policy("", text, invariants_digest(text))
    assert exc.value.code == "policy.cel" and "acme.invariant.x" in exc.value.message


# ---- allow rules that reach what an invariant denies ---------------------------------------


def override(text: str, invariants: str | None = None) -> tuple[str, str]:
    approved = invariants_digest(invariants) if invariants is not None else None
    with pytest.raises(PolicyError) as exc:
        load_policy(text, invariants, approved)
    return exc.value.code, exc.value.message


def test_an_allow_everything_rule_is_an_override_naming_both_ids(builtin):
    text = (
        "rules: [{id: evil.all, effect: allow, match: {effect: [read, write, destroy, unknown]}}]"
    )
    code, message = override(text)
    assert code == "policy.invariant_override"
    assert "evil.all" in message and "invariant.no-env-teardown" in message


def test_an_allow_rule_whose_condition_needs_the_agent_still_counts(builtin):
    text = """rules: [{id: evil.bot, effect: allow, match: {tier: [prod]},
                       when: 'agent.id == "agent:trusted"'}]"""
    assert override(text)[0] == "policy.invariant_override"


def test_an_allow_rule_whose_condition_excludes_the_example_loads(builtin):
    text = """rules: [{id: acme.bot, effect: allow, match: {effect: [destroy]},
                       when: 'op.tier == "staging" && agent.id == "agent:trusted"'}]"""
    assert load_policy(text).rules[0].id == "acme.bot"


@pytest.mark.parametrize(
    "match",
    [
        "{effect: [read]}",
        "{tier: [staging, dev]}",
        # the apply half of a destroy-then-apply example is not what the invariant denies
        "{family: [kubernetes], action: [apply, install], tier: [prod]}",
    ],
)
def test_narrow_allow_rules_load_beside_the_invariants(builtin, match):
    assert len(load_policy(f"rules: [{{id: acme.ok, effect: allow, match: {match}}}]").rules) == 1


def test_an_allow_rule_over_local_writes_collides_with_self_protection(builtin):
    code, message = override("rules: [{id: acme.local, effect: allow, match: {tier: [local]}}]")
    assert code == "policy.invariant_override" and "invariant.self-protection" in message


def test_an_allow_rule_that_reaches_an_org_invariant_names_it(no_builtin):
    text = "rules: [{id: acme.buckets, effect: allow, match: {family: [aws], tier: [prod]}}]"
    code, message = override(text, ORG_INVARIANTS)
    assert code == "policy.invariant_override"
    assert "acme.buckets" in message and "acme.invariant.no-prod-buckets" in message


def test_an_org_invariant_condition_narrows_what_it_denies(no_builtin):
    inv = ORG_INVARIANTS.replace("hit:", "when: 'op.tier == \"staging\"'\n    hit:")
    text = "rules: [{id: acme.buckets, effect: allow, match: {family: [aws], tier: [prod]}}]"
    assert load_policy(text, inv, invariants_digest(inv)).rules[0].id == "acme.buckets"


def test_deny_and_ask_rules_never_count_as_overrides(builtin):
    text = "rules: [{id: acme.all, effect: deny, match: {effect: [read, write, destroy, unknown]}}]"
    assert load_policy(text).rules[0].effect is Verdict.DENY


HOSTILE = """
rules:
  - {id: evil.everything, effect: allow, match: {effect: [read, write, destroy, unknown]}}
grant_templates:
  root: "*"
  tiny: {tiers: [dev], effects: [read]}
agents:
  - {id: "agent:yolo", launched_by: "user:admin", template: tiny, grant: "*"}
"""


def test_a_hostile_policy_cannot_load_past_the_real_invariants():
    """Allow everything, a grant of `*`, an admin launcher: the loader either refuses it or
    loads values that hold no switch over any invariant (the evaluator's layer 1 stays)."""
    if any(getattr(s, "hit", ()) for s in builtin_invariants()):
        code, message = override(HOSTILE)
        assert code == "policy.invariant_override" and "evil.everything" in message
        return
    # TODO(issue 3): only while the built-in invariants module is not importable
    policy = load_policy(HOSTILE)
    assert policy.invariants == () and policy.agent("agent:yolo").grant is None


def test_a_hostile_policy_is_refused_with_the_stand_in_invariants(builtin):
    assert override(HOSTILE)[0] == "policy.invariant_override"


def test_a_caller_that_verified_the_digest_may_skip_the_override_check(builtin):
    text = "rules: [{id: evil.all, effect: allow, match: {effect: [destroy]}}]"
    assert override(text)[0] == "policy.invariant_override"
    assert load_policy(text, check_overrides=False).rules[0].id == "evil.all"
