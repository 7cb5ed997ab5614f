"""The built-in invariants and kill switches, called directly on parsed and resolved operations.

Every test that expects a deny runs against a hostile configuration: an org rule that allows
everything, an agent granted everything, launched by an operator with admin rights. The
invariants never look at any of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.model import (
    Effect,
    Grant,
    History,
    Impact,
    KillSwitch,
    Mode,
    Operation,
    Principal,
    Request,
    Target,
    Tier,
    Verdict,
)
from interlock.policy.invariants import BUILTIN, invariant_findings, kill_findings
from interlock.policy.invariants_self import guarded
from interlock.policy.policyset import AgentEntry, FreezeWindow, OrgRule, PolicySet, VolumeLimit
from interlock.policy.rules import Match
from interlock.resolve import resolve
from interlock.service import CheckCall, operations

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday
EVERYTHING = frozenset({"read", "write", "destroy", "unknown"})
ADMIN = Principal("agent:ops-bot", launched_by="user:root-admin")
HOSTILE = PolicySet(
    rules=(
        OrgRule(
            id="acme.allow-everything",
            effect=Verdict.ALLOW,
            match=Match(effect=EVERYTHING),
            reason="the operator trusts this agent",
        ),
    ),
    agents=(AgentEntry(id=ADMIN.id, launched_by=ADMIN.launched_by, grant=Grant(name="all")),),
    templates=(("all", Grant(name="all")),),
)
REQUEST = Request(now=NOW, agent=ADMIN)


@pytest.fixture(scope="module")
def ops_of(settings):
    def run(command: str, env: str | None = None) -> list[Operation]:
        forced = Tier(env) if env else None
        return resolve(operations(CheckCall(command=command), settings), settings.envmap, forced)

    return run


def denied_by(ops, request=REQUEST, policy=HOSTILE, mode=Mode.WORKSTATION) -> set[str]:
    found = invariant_findings(ops, request, policy, mode)
    assert all(f.verdict is Verdict.DENY and f.layer == "invariants" for f in found)
    return {f.rule for f in found}


def reasons(ops, request=REQUEST, policy=HOSTILE) -> str:
    return " | ".join(f.reason for f in invariant_findings(ops, request, policy, Mode.GATEWAY))


# ---- invariant.no-env-teardown ----------------------------------------------------------------

TEARDOWNS = [
    "aws cloudformation delete-stack --stack-name prod-app",
    "aws eks delete-cluster --name prod-eu",
    "aws ecs delete-cluster --cluster prod",
    "aws ec2 delete-vpc --vpc-id vpc-123 --profile prod",
    "aws elasticbeanstalk terminate-environment --environment-name prod-env",
    "gcloud projects delete acme-prod",
    "gcloud container clusters delete prod-eu --project acme-prod",
    "gcloud compute networks delete prod-net",
    "az group delete --name rg-prod --yes",
    "az aks delete -n prod-aks -g rg-prod",
    "eksctl delete cluster --name prod-eu",
    "kubectl delete ns payments --context prod",
    "oc delete project payments --context prod",
    "kubectl delete all --all -n prod",
    "sudo -u deploy kubectl --context=prod delete namespace payments",
    "bash -c 'kubectl delete ns payments --context prod-eu'",
    "echo 'kubectl delete ns payments --context prod' | sh",
    "curl -X DELETE https://k8s.prod.example.com/api/v1/namespaces/payments",
    "terraform -chdir=envs/prod destroy -auto-approve",
    "TF_WORKSPACE=prod terraform apply -destroy -auto-approve",
    "terraform destroy -auto-approve -var-file=prod.tfvars",
    "terragrunt run-all destroy --terragrunt-working-dir live/prod",
    "pulumi destroy --stack prod --yes",
    "pulumi stack rm prod --yes",
    "cdk destroy ProdStack --force",
    "serverless remove --stage prod",
    "copilot env delete --name prod",
    "heroku apps:destroy --app myapp-prod --confirm myapp-prod",
    "dropdb -h prod-db.internal payments",
    "psql -h prod-db -c 'DROP DATABASE payments'",
    "mongosh mongodb://prod-db/app --eval 'db.dropDatabase()'",
    "RAILS_ENV=production rails db:drop",
]


@pytest.mark.parametrize("command", TEARDOWNS)
def test_tearing_down_a_production_environment_root_is_denied_in_any_spelling(ops_of, command):
    ops = ops_of(command)
    assert "invariant.no-env-teardown" in denied_by(ops)
    assert "change it in place" in reasons(ops)
    assert "a human does it with a quorum" in reasons(ops)


@pytest.mark.parametrize(
    "command",
    ["terraform destroy -auto-approve", "kubectl delete namespace payments", "make teardown"],
)
def test_a_forced_prod_tier_makes_a_teardown_an_env_teardown(ops_of, command):
    assert "invariant.no-env-teardown" in denied_by(ops_of(command, env="prod"))


@pytest.mark.parametrize(
    "command",
    [
        "kubectl --context staging delete ns payments",
        "kubectl --context prod get ns",
        "terraform -chdir=envs/prod plan -destroy",
        "terraform destroy -auto-approve",  # no tier known: the rules decide
        "kind delete cluster --name kind-dev",
        "helm upgrade api ./chart -n prod",
        "redis-cli -h prod-redis FLUSHALL",  # data loss, not a teardown: rules decide
        "flyway -url=jdbc:postgresql://prod-db:5432/app -cleanDisabled=false clean",
        "docker stack rm prod-stack",
        "kubectl delete deployment api --context prod",
        "aws rds delete-db-instance --db-instance-identifier prod-db --final-snapshot-identifier x",
    ],
)
def test_what_is_not_a_production_environment_root_is_left_to_the_rules(ops_of, command):
    assert "invariant.no-env-teardown" not in denied_by(ops_of(command))


RECREATES = [
    "terraform -chdir=envs/prod destroy -auto-approve && terraform -chdir=envs/prod apply -auto-approve",
    "aws cloudformation delete-stack --stack-name prod-app && "
    "aws cloudformation create-stack --stack-name prod-app --template-body file://t.yaml",
    "aws cloudformation delete-stack --stack-name prod-app && aws cloudformation wait "
    "stack-delete-complete --stack-name prod-app && aws cloudformation deploy "
    "--stack-name prod-app --template-file t.yaml",
    "kubectl delete ns payments --context prod && kubectl apply -f payments/ --context prod",
    "helm uninstall api -n prod && helm install api ./chart -n prod",
    "helm uninstall api -n prod; helm upgrade --install api ./chart -n prod",
    "aws rds delete-db-instance --db-instance-identifier prod-db --final-snapshot-identifier s "
    "&& aws rds create-db-instance --db-instance-identifier prod-db --engine postgres",
    "kubectl delete deployment api --context prod && kubectl create deployment api --image=x --context prod",
    "pulumi destroy --stack prod --yes && pulumi up --stack prod --yes",
    "eksctl delete cluster --name prod-eu && eksctl create cluster --name prod-eu",
]


@pytest.mark.parametrize("command", RECREATES)
def test_delete_and_recreate_in_production_is_denied_in_one_proposal(ops_of, command):
    ops = ops_of(command)
    assert "invariant.no-env-teardown" in denied_by(ops)
    assert "deletes and recreates in production" in reasons(ops)


@pytest.mark.parametrize(
    "command",
    [
        "helm uninstall api -n staging && helm install api ./chart -n staging",
        "kubectl delete job migrate --context prod && kubectl apply -f job.yaml --context prod",
        "helm install api ./chart -n prod && helm uninstall old-api -n prod",
    ],
)
def test_a_destroy_and_an_unrelated_or_earlier_create_is_not_a_recreate(ops_of, command):
    assert "deletes and recreates" not in reasons(ops_of(command))


def test_replacing_a_production_root_resource_is_a_recreate(ops_of):
    ops = ops_of("terraform apply -replace=module.vpc.aws_vpc.main -auto-approve", env="prod")
    assert "invariant.no-env-teardown" in denied_by(ops)


def test_replacing_a_production_database_instance_is_a_recreate(ops_of):
    ops = ops_of("terraform apply -replace=aws_db_instance.main -auto-approve", env="prod")
    assert "invariant.no-env-teardown" in denied_by(ops)


def test_replacing_an_ordinary_production_resource_is_left_to_the_rules(ops_of):
    ops = ops_of("terraform apply -replace=aws_instance.web -auto-approve", env="prod")
    assert "invariant.no-env-teardown" not in denied_by(ops)


# ---- invariant.no-unbacked-destroy ------------------------------------------------------------

NO_BACKUP = [
    "aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot",
    "aws rds delete-db-cluster --db-cluster-identifier prod-aurora --skip-final-snapshot "
    "--delete-automated-backups",
    "aws secretsmanager delete-secret --secret-id prod/db --force-delete-without-recovery",
]


@pytest.mark.parametrize("command", NO_BACKUP)
def test_a_production_destroy_that_skips_its_backup_is_denied(ops_of, command):
    ops = ops_of(command)
    assert "invariant.no-unbacked-destroy" in denied_by(ops)
    assert "backup" in reasons(ops)


def test_a_non_production_destroy_that_skips_its_backup_is_left_to_the_rules(ops_of):
    ops = ops_of("aws rds delete-db-instance --db-instance-identifier dev-db --skip-final-snapshot")
    assert "invariant.no-unbacked-destroy" not in denied_by(ops)


STATEFUL = [
    "aws dynamodb delete-table --table-name prod-orders",
    "kubectl delete pvc data-0 -n payments --context prod",
    "aws s3 rb s3://prod-data --force",
    "psql -h prod-db -c 'DROP TABLE users'",
    "aws ec2 delete-volume --volume-id vol-1 --profile prod",
]
LOST = Request(now=NOW, agent=ADMIN, impact=Impact(data_without_backup=2, simulated=True))


@pytest.mark.parametrize("command", STATEFUL)
def test_a_stateful_production_destroy_is_denied_when_the_simulation_finds_data_without_backup(
    ops_of, command
):
    ops = ops_of(command)
    assert "invariant.no-unbacked-destroy" in denied_by(ops, LOST)
    assert "2 resources without a backup" in reasons(ops, LOST)


@pytest.mark.parametrize("command", STATEFUL)
def test_a_stateful_destroy_without_a_simulation_is_left_to_the_rules(ops_of, command):
    assert "invariant.no-unbacked-destroy" not in denied_by(ops_of(command))


def test_a_simulation_that_found_every_byte_backed_up_does_not_deny(ops_of):
    backed = Request(now=NOW, impact=Impact(deleted=3, data_without_backup=0, simulated=True))
    assert not denied_by(ops_of(STATEFUL[0]), backed)


def test_an_unsimulated_impact_with_a_count_is_not_trusted_as_a_simulation(ops_of):
    unsimulated = Request(now=NOW, impact=Impact(data_without_backup=5, simulated=False))
    assert "invariant.no-unbacked-destroy" not in denied_by(ops_of(STATEFUL[0]), unsimulated)


def test_when_no_destroy_looks_stateful_the_simulated_loss_is_pinned_on_every_prod_destroy(ops_of):
    ops = ops_of("kubectl delete deployment api --context prod")
    assert "invariant.no-unbacked-destroy" in denied_by(ops, LOST)


# ---- invariant.volume-limit -------------------------------------------------------------------

LIMITED = PolicySet(rules=HOSTILE.rules, agents=HOSTILE.agents, volume=VolumeLimit(3, 20, 60))


def _with_history(destructive=0, touched=0, size=0) -> Request:
    return Request(now=NOW, agent=ADMIN, history=History(destructive, touched, size))


def test_more_destroys_than_the_limit_in_the_window_are_denied(ops_of):
    ops = ops_of("rm -rf build && rm -rf dist")
    assert "invariant.volume-limit" in denied_by(ops, _with_history(2), LIMITED)
    assert "exceed the limit of 3" in reasons(ops, _with_history(2), LIMITED)


def test_destroys_up_to_the_limit_are_allowed_by_the_invariant(ops_of):
    ops = ops_of("rm -rf build && rm -rf dist")
    assert "invariant.volume-limit" not in denied_by(ops, _with_history(1), LIMITED)


def test_reads_never_count_against_the_volume_limit(ops_of):
    assert not denied_by(ops_of("ls -la"), _with_history(50, 50, 10), LIMITED)


def test_a_zero_volume_limit_is_off(ops_of):
    ops = ops_of("rm -rf build && rm -rf dist")
    assert "invariant.volume-limit" not in denied_by(ops, _with_history(500, 99, 100), HOSTILE)


def test_touching_more_than_the_fleet_percentage_is_denied(ops_of):
    ops = ops_of("kubectl delete pod web-7 --context prod")
    request = _with_history(touched=2, size=10)
    assert "invariant.volume-limit" in denied_by(ops, request, LIMITED)
    assert "3 of 10" in reasons(ops, request, LIMITED)


def test_touching_up_to_the_fleet_percentage_is_allowed_by_the_invariant(ops_of):
    ops = ops_of("kubectl delete pod web-7 --context prod")
    request = _with_history(touched=1, size=10)
    assert "invariant.volume-limit" not in denied_by(ops, request, LIMITED)


# ---- invariant.freeze-window ------------------------------------------------------------------

WEEKEND = FreezeWindow(
    name="weekend", timezone="Europe/Berlin", from_day=5, from_minute=16 * 60, to_day=1,
    to_minute=8 * 60, dates=("2026-12-24",),
)  # fmt: skip
FROZEN = PolicySet(rules=HOSTILE.rules, agents=HOSTILE.agents, freeze_windows=(WEEKEND,))
BERLIN = timezone(timedelta(hours=1))  # winter time


def _at(*args: int, tz=BERLIN) -> Request:
    return Request(now=datetime(*args, tzinfo=tz), agent=ADMIN)


@pytest.mark.parametrize(
    ("when", "frozen"),
    [
        (_at(2026, 3, 6, 15, 59), False),  # Friday before the window
        (_at(2026, 3, 6, 16, 0), True),  # Friday 16:00
        (_at(2026, 3, 7, 12, 0), True),  # Saturday
        (_at(2026, 3, 8, 23, 59), True),  # Sunday night
        (_at(2026, 3, 9, 7, 59), True),  # Monday before 08:00
        (_at(2026, 3, 9, 8, 0), False),  # Monday 08:00: over
        (_at(2026, 3, 4, 12, 0), False),  # Wednesday
        (_at(2026, 3, 6, 15, 30, tz=UTC), True),  # 16:30 in Berlin
        (_at(2026, 12, 24, 10, 0), True),  # a listed date (a Thursday)
    ],
)
def test_a_prod_change_inside_a_freeze_window_is_denied(ops_of, when, frozen):
    ops = ops_of("kubectl --context prod-eu apply -f deploy.yaml")
    assert ("invariant.freeze-window" in denied_by(ops, when, FROZEN)) is frozen


def test_the_freeze_reason_names_the_window_and_what_to_do(ops_of):
    text = reasons(ops_of("kubectl --context prod-eu apply -f d.yaml"), _at(2026, 3, 7, 9), FROZEN)
    assert "`weekend`" in text and "Fri 16:00 to Mon 08:00 Europe/Berlin" in text
    assert "wait until it ends" in text


@pytest.mark.parametrize(
    "command", ["kubectl --context prod-eu get pods", "kubectl --context staging apply -f d.yaml"]
)
def test_reads_and_unfrozen_tiers_pass_a_freeze_window(ops_of, command):
    assert not denied_by(ops_of(command), _at(2026, 3, 7, 12, 0), FROZEN)


def test_a_naive_clock_is_read_as_utc(ops_of):
    naive = Request(now=datetime(2026, 3, 6, 15, 30), agent=ADMIN)
    assert "invariant.freeze-window" in denied_by(
        ops_of("helm upgrade api ./c -n prod"), naive, FROZEN
    )


def test_a_window_in_an_unknown_time_zone_fails_closed(ops_of):
    broken = FreezeWindow(name="typo", timezone="Europe/Nowhere", from_day=6, to_day=7)
    policy = PolicySet(freeze_windows=(broken,))
    ops = ops_of("helm upgrade api ./chart -n prod")
    assert "invariant.freeze-window" in denied_by(ops, _at(2026, 3, 4, 12), policy)
    assert "unknown time zone" in reasons(ops, _at(2026, 3, 4, 12), policy)


# ---- invariant.self-protection ----------------------------------------------------------------

SELF_HITS = [
    "echo {} > .claude/settings.json",
    "echo '{\"hooks\":{}}' | tee ~/.claude/settings.json",
    "sed -i 's/interlock/true/' .claude/settings.json",
    "cp /tmp/x .claude/settings.local.json",
    "mv .claude/settings.json /tmp/",
    "mv .claude .claude.bak",
    "rm -rf .claude",
    "jq 'del(.hooks)' .claude/settings.json > /tmp/s && mv /tmp/s .claude/settings.json",
    "ln -sf /dev/null .claude/settings.json",
    "rm /home/alice/.claude/settings.json",
    "rm -rf .interlock",
    "rm -rf ./.interlock/policy",
    "truncate -s 0 .interlock/policy/policy.yaml",
    "perl -pi -e 's/deny/allow/' .interlock/policy/policy.yaml",
    "chmod 000 .interlock/policy/policy.yaml",
    "rsync -a --delete /tmp/empty/ .interlock/",
    "find .interlock -delete",
    "rm $HOME/.config/interlock/policy.yaml",
    "rm -f ~/.local/share/interlock/interlock.db",
    "sqlite3 ~/.local/share/interlock/interlock.db 'delete from audit'",
    "rm -rf .codex",
    "echo x > .cursor/hooks.json",
    "echo '{}' > .gemini/settings.json",
    "rm -rf .kiro/hooks",
    "rm .kiro/agents/default.json",
    "rm .github/hooks/interlock.json",
    "git checkout -- .claude/settings.json",
    "git restore .claude/settings.json",
    "git rm .cursor/hooks.json",
    "bash -c 'rm -rf .interlock'",
    "python -c \"open('.claude/settings.json','w').write('{}')\"",
    "vim .claude/settings.json",
    "pkill interlock",
    "pkill -f interlock",
    "kill $(pgrep -f interlock)",
    "killall interlock",
    "systemctl stop interlock",
    "pip uninstall -y interlock",
    "uv pip uninstall interlock",
    "pipx uninstall interlock",
    "INTERLOCK_POLICY=/tmp/empty kubectl delete ns payments",
    "env INTERLOCK_MODE=off terraform destroy",
    "env -u INTERLOCK_POLICY kubectl delete ns x",
    "interlock unfreeze --all",
]


@pytest.mark.parametrize("command", SELF_HITS)
def test_no_agent_edits_disables_or_bypasses_interlock(ops_of, command):
    ops = ops_of(command)
    assert "invariant.self-protection" in denied_by(ops)
    assert "ask a human" in reasons(ops)


SELF_MISSES = [
    "cat .claude/settings.json",
    "jq . .claude/settings.json",
    "ls -la .interlock/policy",
    "interlock check -- ls",
    "interlock freeze --all",
    "interlock check -- echo approve",
    "rm -rf build",
    "rm -rf .",  # a wildcard-ish delete: the rules decide
    "echo hi > .claude/notes.md",
    "mkdir -p .kiro/specs/login",
    "echo spec > .kiro/specs/login/requirements.md",
    "kill 1234",
    "pip uninstall requests",
    "git rm interlock-notes.md",
    "echo $INTERLOCK_POLICY",
    "git commit -m 'explain .claude/settings.json'",
]


@pytest.mark.parametrize("command", SELF_MISSES)
def test_reading_interlock_or_touching_other_files_is_not_self_protection(ops_of, command):
    assert "invariant.self-protection" not in denied_by(ops_of(command))


def test_extra_protected_paths_guard_the_configured_policy_directory(ops_of):
    ops = ops_of("rm -rf ops/policy/policy.yaml")
    plain = invariant_findings(ops, REQUEST, HOSTILE, Mode.GATEWAY)
    extra = invariant_findings(ops, REQUEST, HOSTILE, Mode.GATEWAY, protected_paths=("ops/policy",))
    assert not plain
    assert [f.rule for f in extra] == ["invariant.self-protection"]


def test_an_exported_interlock_variable_reported_by_the_walker_is_denied():
    # What the walker should emit for `export INTERLOCK_POLICY=…` / `unset INTERLOCK_POLICY`.
    for action in ("export", "unset"):
        op = Operation(
            family="shell",
            action=action,
            effect=Effect.WRITE,
            program=action,
            targets=(Target.make("env-var", "INTERLOCK_POLICY", tier=Tier.LOCAL),),
            text=f"{action} INTERLOCK_POLICY",
        )
        assert denied_by([op]) == {"invariant.self-protection"}


@pytest.mark.parametrize(
    ("path", "relation"),
    [
        (".claude/settings.json", "inside"),
        ("/home/a/proj/.claude/settings.json", "inside"),
        ("./.interlock/policy/x.yaml", "inside"),
        ("../.interlock", "inside"),
        ("~/.config", "ancestor"),
        (".claude", "ancestor"),
        (".github", "ancestor"),
        (".claude/settings.json.bak", None),
        ("~/.config/nvim/init.lua", None),
        (".", None),
        ("", None),
    ],
)
def test_guarded_paths_are_compared_by_components(path, relation):
    found = guarded(path)
    assert (found[1] if found else None) == relation


# ---- the built-in specs -----------------------------------------------------------------------


def test_every_builtin_invariant_has_a_stable_id_a_title_and_a_why():
    ids = [spec.id for spec in BUILTIN]
    assert ids == [
        "invariant.no-env-teardown",
        "invariant.no-unbacked-destroy",
        "invariant.volume-limit",
        "invariant.freeze-window",
        "invariant.self-protection",
    ]
    assert all(spec.title and spec.why for spec in BUILTIN)


EXAMPLES = [(s.id, c, True) for s in BUILTIN for c in s.hit] + [
    (s.id, c, False) for s in BUILTIN for c in s.miss
]


@pytest.mark.parametrize(("rule", "command", "hits"), EXAMPLES)
def test_builtin_examples_hit_and_miss_under_a_neutral_request(ops_of, rule, command, hits):
    neutral = Request(now=NOW)
    assert (rule in denied_by(ops_of(command), neutral, PolicySet())) is hits


# ---- hostile configurations -------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize(
    ("command", "rule"),
    [
        ("kubectl delete ns payments --context prod", "invariant.no-env-teardown"),
        (NO_BACKUP[0], "invariant.no-unbacked-destroy"),
        ("rm -rf .interlock", "invariant.self-protection"),
    ],
)
def test_no_grant_rule_or_admin_launcher_switches_an_invariant_off(ops_of, mode, command, rule):
    for policy in (PolicySet(), HOSTILE):
        for agent in (None, ADMIN, Principal("user:root-admin")):
            request = Request(now=NOW, agent=agent)
            assert rule in denied_by(ops_of(command), request, policy, mode)


# ---- kill switches ----------------------------------------------------------------------------


def _killed(*switches: KillSwitch, agent: Principal | None = ADMIN) -> Request:
    return Request(now=NOW, agent=agent, kill=switches)


def test_a_kill_switch_for_all_agents_stops_even_a_read(ops_of):
    switch = KillSwitch("all", reason="incident 42", set_by="user:alice", at="2026-03-04T11:00Z")
    found = kill_findings(ops_of("ls"), _killed(switch))
    assert [(f.rule, f.verdict, f.layer) for f in found] == [
        ("kill.all", Verdict.DENY, "invariants")
    ]
    assert (
        "every agent is frozen by `user:alice` since 2026-03-04T11:00Z (incident 42)"
        in found[0].reason
    )
    assert "`interlock unfreeze --all`" in found[0].reason


def test_a_kill_switch_for_one_agent_stops_that_agent_only(ops_of):
    switch = KillSwitch("agent", ADMIN.id, reason="runaway", set_by="user:bob")
    ops = ops_of("kubectl get pods")
    assert [f.rule for f in kill_findings(ops, _killed(switch))] == ["kill.agent"]
    assert (
        "`interlock unfreeze --agent agent:ops-bot`"
        in kill_findings(ops, _killed(switch))[0].reason
    )
    assert kill_findings(ops, _killed(switch, agent=Principal("agent:other"))) == []
    assert kill_findings(ops, _killed(switch, agent=None)) == []


def test_a_kill_switch_for_an_environment_stops_operations_against_it_only(ops_of):
    switch = KillSwitch("env", "prod", set_by="user:carol")
    assert [
        f.rule for f in kill_findings(ops_of("kubectl --context prod get pods"), _killed(switch))
    ] == ["kill.env"]
    assert kill_findings(ops_of("rm -rf build"), _killed(switch)) == []


def test_an_unknown_kill_switch_scope_stops_everything():
    op = Operation("t", "read", Effect.READ, "t")
    found = kill_findings([op], _killed(KillSwitch("galaxy", "x")))
    assert [f.rule for f in found] == ["kill.all"] and "unknown kill switch" in found[0].reason


def test_a_proposal_with_nothing_to_run_trips_no_kill_switch():
    assert kill_findings([], _killed(KillSwitch("all"))) == []


# ---- never raises -----------------------------------------------------------------------------

TEXT = st.text(max_size=40)
TARGETS = st.builds(
    Target,
    kind=st.sampled_from(["path", "namespace", "database", "cluster", "process", "env-var", "x"]),
    name=st.one_of(TEXT, st.sampled_from([".claude/settings.json", "~/.config", "..", "/"])),
    scope=st.lists(
        st.tuples(st.sampled_from(["context", "database", "path"]), TEXT), max_size=2
    ).map(tuple),
    tier=st.sampled_from(list(Tier)),
)
OPS = st.builds(
    Operation,
    family=st.sampled_from(["kubernetes", "iac", "aws", "filesystem", "host", ""]),
    action=st.one_of(TEXT, st.sampled_from(["delete", "create", "apply", "replace", "drop"])),
    effect=st.sampled_from(list(Effect)),
    program=st.one_of(TEXT, st.sampled_from(["interlock", "pip", "kubectl"])),
    targets=st.lists(TARGETS, max_size=3).map(tuple),
    tags=st.frozensets(st.sampled_from(["env-root", "teardown", "no-backup", "replace", "all"])),
    summary=TEXT,
    text=st.one_of(TEXT, st.sampled_from(["interlock unfreeze '", "INTERLOCK_X=1 a", "env -u"])),
)
WINDOWS = st.builds(
    FreezeWindow,
    name=TEXT,
    timezone=st.sampled_from(["UTC", "Europe/Berlin", "", "Nowhere/Else", "../etc"]),
    from_day=st.integers(-1, 8),
    from_minute=st.integers(0, 1439),
    to_day=st.integers(-1, 8),
    to_minute=st.integers(0, 1439),
    dates=st.lists(st.dates().map(str), max_size=2).map(tuple),
    tiers=st.lists(st.sampled_from([t.value for t in Tier]), max_size=2).map(tuple),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    ops=st.lists(OPS, max_size=5),
    now=st.datetimes(timezones=st.sampled_from([UTC, BERLIN, None])),
    history=st.builds(History, st.integers(0, 99), st.integers(0, 99), st.integers(0, 99)),
    impact=st.builds(Impact, data_without_backup=st.integers(0, 3), simulated=st.booleans()),
    windows=st.lists(WINDOWS, max_size=2),
    volume=st.builds(VolumeLimit, st.integers(0, 5), st.integers(0, 100), st.integers(1, 60)),
)
def test_invariant_findings_never_raise(ops, now, history, impact, windows, volume):
    request = Request(now=now, agent=ADMIN, impact=impact, history=history)
    policy = PolicySet(freeze_windows=tuple(windows), volume=volume)
    for f in invariant_findings(ops, request, policy, Mode.GATEWAY):
        assert f.verdict is Verdict.DENY and f.layer == "invariants" and f.reason
