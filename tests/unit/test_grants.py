"""Agent grants: templates narrowed per agent, never widened, never inherited; the grant layer's
findings for every kind of caller."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from interlock.model import Effect, Operation, Principal, Request, Target, Tier, Verdict
from interlock.policy.grants import grant_findings
from interlock.policy.policyfile import load_policy

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)

POLICY = """
grant_templates:
  developer: {tiers: [local, dev], effects: [read, write, destroy]}
  deployer:
    tiers: [staging, prod]
    programs: [kubectl, helm]
    actions: [apply, rollout, upgrade]
    effects: [read, write]
    targets: ["namespace:pay-*", "release:*"]
  admin: "*"
agents:
  - {id: "agent:laptop", launched_by: "user:alice", template: developer}
  - id: agent:deploy-bot
    launched_by: service:ci
    template: deployer
    grant: {tiers: [staging], targets: ["namespace:pay-api"], expires: "2026-12-31T00:00:00Z"}
  - {id: "agent:root", launched_by: "user:admin", template: admin}
"""


def op(program, action, effect, *targets, family="kubernetes"):
    return Operation(
        family=family,
        action=action,
        effect=effect,
        program=program,
        targets=tuple(Target.make(k, n, tier=t) for k, n, t in targets),
        summary=f"{program} {action}",
    )


def rules(policy, agent, operation, now=NOW):
    req = Request(now=now, agent=Principal(agent) if agent else None)
    return [f.rule for f in grant_findings(operation, req, policy)]


STAGING_APPLY = op("kubectl", "apply", Effect.WRITE, ("namespace", "pay-api", Tier.STAGING))
PROD_APPLY = op("kubectl", "apply", Effect.WRITE, ("namespace", "pay-api", Tier.PROD))
PROD_DELETE_NS = op("kubectl", "delete", Effect.DESTROY, ("namespace", "payments", Tier.PROD))
PROD_GET = op("kubectl", "get", Effect.READ, ("namespace", "payments", Tier.PROD))
DEV_RM = op("rm", "delete", Effect.DESTROY, ("path", "./build", Tier.DEV), family="filesystem")
LOCAL_WRITE = op("sed", "edit", Effect.WRITE, ("path", "./x", Tier.LOCAL), family="filesystem")
NO_TARGET = op("make", "run", Effect.UNKNOWN, family="generic")
STAGING_OTHER_NS = op("kubectl", "apply", Effect.WRITE, ("namespace", "billing", Tier.STAGING))
STAGING_DELETE = op("kubectl", "delete", Effect.WRITE, ("namespace", "pay-api", Tier.STAGING))
HELM_STAGING = op("helm", "upgrade", Effect.WRITE, ("release", "api", Tier.STAGING))


@pytest.mark.parametrize(
    ("agent", "operation", "expected"),
    [
        ("agent:laptop", LOCAL_WRITE, []),
        ("agent:laptop", DEV_RM, []),
        ("agent:laptop", PROD_APPLY, ["grant.outside"]),
        ("agent:laptop", PROD_DELETE_NS, ["grant.outside"]),
        ("agent:laptop", PROD_GET, []),  # reads are always inside a grant
        ("agent:laptop", NO_TARGET, ["grant.outside"]),  # no target: an unknown tier
        ("agent:deploy-bot", STAGING_APPLY, []),
        ("agent:deploy-bot", PROD_APPLY, ["grant.outside"]),  # narrowed to staging
        ("agent:deploy-bot", STAGING_OTHER_NS, ["grant.outside"]),  # narrowed to pay-api
        ("agent:deploy-bot", STAGING_DELETE, ["grant.outside"]),  # action not granted
        ("agent:deploy-bot", HELM_STAGING, ["grant.outside"]),  # target `release:api` not kept
        ("agent:deploy-bot", PROD_DELETE_NS, ["grant.outside"]),
        ("agent:deploy-bot", PROD_GET, []),
        ("agent:root", PROD_DELETE_NS, []),  # an unrestricted template grants it
        ("agent:stranger", PROD_GET, []),
        ("agent:stranger", LOCAL_WRITE, ["grant.unknown-agent"]),
        (None, PROD_DELETE_NS, []),  # anonymous local use: no grant layer
    ],
)
def test_grant_coverage(agent, operation, expected):
    assert rules(load_policy(POLICY), agent, operation) == expected


def test_a_policy_without_agents_has_no_grant_layer():
    assert rules(load_policy("rules: []"), "agent:anyone", PROD_DELETE_NS) == []


def test_grant_findings_are_denies_in_the_grant_layer_and_say_why():
    req = Request(now=NOW, agent=Principal("agent:laptop"))
    (finding,) = grant_findings(PROD_APPLY, req, load_policy(POLICY))
    assert (finding.verdict, finding.layer) == (Verdict.DENY, "grant")
    assert "`agent:laptop`" in finding.reason and "tier `prod`" in finding.reason


# ---- expiry, with a fixed clock ------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "operation", "expected"),
    [
        (datetime(2026, 12, 30, 23, 59, 59, tzinfo=UTC), STAGING_APPLY, []),
        (datetime(2026, 12, 31, 0, 0, 0, tzinfo=UTC), STAGING_APPLY, ["grant.expired"]),
        (datetime(2027, 3, 1, tzinfo=UTC), STAGING_APPLY, ["grant.expired"]),
        (datetime(2027, 3, 1, tzinfo=UTC), PROD_GET, []),  # reads outlive a grant
    ],
)
def test_an_expired_grant_denies_everything_but_reads(now, operation, expected):
    assert rules(load_policy(POLICY), "agent:deploy-bot", operation, now) == expected


def test_expiry_in_another_time_zone_is_the_same_instant():
    text = POLICY.replace("2026-12-31T00:00:00Z", "2026-12-31T01:00:00+01:00")
    at = datetime(2026, 12, 31, 0, 0, tzinfo=UTC)
    assert rules(load_policy(text), "agent:deploy-bot", STAGING_APPLY, at) == ["grant.expired"]


# ---- a grant never exceeds its template ----------------------------------------------------


@pytest.mark.parametrize(
    ("grant", "asked"),
    [
        ("{tiers: [local]}", "tiers `local`"),
        ("{tiers: [staging, dev]}", "tiers `dev`"),
        ("{effects: [destroy]}", "effects `destroy`"),
        ("{programs: [aws]}", "programs `aws`"),
        ("{actions: ['*']}", "actions `*`"),
        ("{targets: ['namespace:*']}", "targets `namespace:*`"),
        ("{targets: ['*']}", "targets `*`"),
        ('"*"', "tiers `*`"),
    ],
)
def test_a_grant_asking_for_more_than_its_template_is_not_effective(grant, asked):
    text = POLICY + f"  - {{id: 'agent:greedy', template: deployer, grant: {grant}}}\n"
    entry = load_policy(text).agent("agent:greedy")
    assert entry is not None and entry.grant is None
    assert entry.problems[0].startswith("grant.exceeds_template: ")
    assert asked in " ".join(entry.problems) and "`deployer`" in entry.problems[0]


def test_an_agent_without_an_effective_grant_keeps_reads_only():
    text = POLICY + "  - {id: 'agent:greedy', template: developer, grant: {tiers: [prod]}}\n"
    policy = load_policy(text)
    assert rules(policy, "agent:greedy", PROD_GET) == []
    assert rules(policy, "agent:greedy", LOCAL_WRITE) == ["grant.not-effective"]
    assert rules(policy, "agent:greedy", PROD_DELETE_NS) == ["grant.not-effective"]


@pytest.mark.parametrize(
    "targets", ["['namespace:pay-api']", "['namespace:pay-*']", "['namespace:pay-web-*']"]
)
def test_target_patterns_may_narrow_a_template_pattern(targets):
    text = POLICY + f"  - {{id: 'agent:n', template: deployer, grant: {{targets: {targets}}}}}\n"
    entry = load_policy(text).agent("agent:n")
    assert entry is not None and entry.problems == () and entry.grant is not None


# ---- no role inheritance -------------------------------------------------------------------


def test_an_admin_launching_an_agent_gives_it_nothing():
    """`user:alice` may be an admin anywhere; her agent has the developer grant, no more."""
    policy = load_policy(POLICY)
    assert policy.agent("agent:laptop").launched_by == "user:alice"
    for launcher in ("user:alice", "user:admin", "agent:root"):
        req = Request(now=NOW, agent=Principal("agent:laptop", launched_by=launcher))
        assert [f.rule for f in grant_findings(PROD_DELETE_NS, req, policy)] == ["grant.outside"]


def test_an_agent_launched_by_an_unrestricted_agent_inherits_nothing():
    text = POLICY + "  - {id: 'agent:child', launched_by: 'agent:root', template: developer}\n"
    assert rules(load_policy(text), "agent:child", PROD_DELETE_NS) == ["grant.outside"]


def test_an_agent_the_policy_does_not_list_gains_nothing_from_its_launcher():
    req = Request(now=NOW, agent=Principal("agent:new", launched_by="agent:root"))
    findings = grant_findings(LOCAL_WRITE, req, load_policy(POLICY))
    assert [f.rule for f in findings] == ["grant.unknown-agent"]


def test_roles_cannot_be_given_to_an_agent_in_the_policy():
    text = POLICY + "  - {id: 'agent:x', template: developer, roles: [admin]}\n"
    with pytest.raises(Exception) as exc:
        load_policy(text)
    assert getattr(exc.value, "code", "") == "policy.invalid"
