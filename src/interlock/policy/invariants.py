"""The built-in invariants and the kill switches: layer 1, evaluated before any rule or grant.

    invariant_findings(ops, request, policy, mode) -> list[Finding]
    kill_findings(ops, request) -> list[Finding]

Both are pure. Every finding they return is a `deny` with `layer="invariants"`; no org rule,
grant, setting or flag is consulted, so no configuration can switch them off. The checks live
in `invariants_env` (environment teardown, unbacked destroys), `invariants_limits` (volume
limits, freeze windows) and `invariants_self` (self-protection); `BUILTIN` describes them
with examples that the policy loader and `policy lint` run to find org rules that would
contradict an invariant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interlock.model import Finding, KillSwitch, Mode, Operation, Request
from interlock.policy.invariants_common import deny
from interlock.policy.invariants_env import recreate_findings, teardown_findings, unbacked_findings
from interlock.policy.invariants_limits import freeze_findings, volume_findings
from interlock.policy.invariants_self import self_findings
from interlock.policy.policyset import PolicySet

__all__ = ["BUILTIN", "InvariantSpec", "invariant_findings", "kill_findings"]


@dataclass(frozen=True, slots=True)
class InvariantSpec:
    """A built-in invariant: a stable id, what it denies, why, and example commands.

    `hit` commands are denied by the invariant under a neutral request (no impact report, no
    history, outside any freeze window); `miss` commands are not."""

    id: str
    title: str
    why: str
    hit: tuple[str, ...] = ()
    miss: tuple[str, ...] = ()


BUILTIN: tuple[InvariantSpec, ...] = (
    InvariantSpec(
        id="invariant.no-env-teardown",
        title="No agent tears down or recreates a production environment",
        why=(
            "Deleting a production cluster, VPC, stack, namespace, database, resource group or "
            'project takes down everything in it; "delete and recreate" is the same plan however '
            "it is spelled. This is the incident Interlock exists for."
        ),
        hit=(
            "aws cloudformation delete-stack --stack-name prod-app",
            "aws eks delete-cluster --name prod-eu",
            "gcloud projects delete acme-prod",
            "az group delete --name rg-prod --yes",
            "kubectl --context prod-eu delete namespace payments",
            "terraform -chdir=envs/prod destroy -auto-approve",
            "pulumi destroy --stack prod --yes",
            "psql -h prod-db -c 'DROP DATABASE payments'",
            "helm uninstall api -n prod && helm install api ./chart -n prod",
        ),
        miss=(
            "kubectl --context prod-eu get namespaces",
            "terraform -chdir=envs/prod plan -destroy",
            "kubectl --context staging delete namespace payments",
            "helm upgrade api ./chart -n prod",
        ),
    ),
    InvariantSpec(
        id="invariant.no-unbacked-destroy",
        title="No agent destroys stateful production data without a verified backup",
        why=(
            "Data deleted without a backup cannot be restored by anyone; a simulation that finds "
            "data without backup, or a flag that skips the final snapshot, makes the loss certain."
        ),
        hit=(
            "aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot",
            "aws secretsmanager delete-secret --secret-id prod/db --force-delete-without-recovery",
        ),
        miss=(
            "aws rds delete-db-instance --db-instance-identifier dev-db --skip-final-snapshot",
            "aws rds describe-db-instances --db-instance-identifier prod-db",
        ),
    ),
    InvariantSpec(
        id="invariant.volume-limit",
        title="No agent destroys more than the policy's volume limit",
        why=(
            "A runaway agent deletes one thing at a time; a limit on destructive operations per "
            "window and on the share of a fleet touched bounds the damage before a human looks."
        ),
    ),
    InvariantSpec(
        id="invariant.freeze-window",
        title="No state changes to a frozen tier inside a freeze window",
        why=(
            "Changes during a freeze (a weekend, a holiday, a launch) land when nobody is there "
            "to notice or to fix them."
        ),
    ),
    InvariantSpec(
        id="invariant.self-protection",
        title="No agent edits, disables or bypasses Interlock",
        why=(
            "An interlock the agent can switch off is no interlock: its policy, its hook entries "
            "in agent settings, its database, its process and its environment variables are "
            "changed by humans only."
        ),
        hit=(
            "echo '{}' > .claude/settings.json",
            "rm -rf .interlock",
            "sed -i 's/deny/allow/' .interlock/policy/policy.yaml",
            "pkill interlock",
            "pip uninstall -y interlock",
            "INTERLOCK_POLICY=/tmp/empty kubectl delete ns payments",
            "git checkout -- .cursor/hooks.json",
        ),
        miss=(
            "cat .claude/settings.json",
            "interlock check -- ls",
            "rm -rf build",
            "kill 1234",
        ),
    ),
)

_Check = Callable[[Sequence[Operation], Request, PolicySet], list[Finding]]
_CHECKS: tuple[_Check, ...] = (
    lambda ops, req, _pol: teardown_findings(ops, req.impact),
    lambda ops, _req, _pol: recreate_findings(ops),
    lambda ops, req, _pol: unbacked_findings(ops, req.impact),
    lambda ops, req, pol: volume_findings(ops, req.history, pol.volume),
    lambda ops, req, pol: freeze_findings(ops, req.now, pol.freeze_windows, pol.timezone),
    lambda ops, _req, _pol: self_findings(ops),
)


def invariant_findings(
    ops: Sequence[Operation],
    request: Request,
    policy: PolicySet,
    mode: Mode,
    *,
    protected_paths: Sequence[str] = (),
) -> list[Finding]:
    """Deny findings of the built-in invariants, in both modes. `protected_paths` adds the
    places this installation really keeps its policy and database (`--policy DIR`,
    `$INTERLOCK_DATA_DIR`) to the ones self-protection always guards."""
    out: list[Finding] = []
    for check in _CHECKS:
        out.extend(check(ops, request, policy))
    paths = tuple(protected_paths) + request.protected_paths
    if paths:
        out.extend(self_findings(ops, paths, only_paths=True))
    if policy.invariants:
        out.extend(org_invariant_findings(ops, request, policy, mode))
    return list({(f.rule, f.reason): f for f in out}.values())


def org_invariant_findings(
    ops: Sequence[Operation], request: Request, policy: PolicySet, mode: Mode
) -> list[Finding]:
    """The organisation's own invariants (`invariants.yaml`, quorum-approved): deny rules
    evaluated in this layer, so no org rule or grant can weaken them. A condition that cannot
    be evaluated counts as holding (fail closed)."""
    out: list[Finding] = []
    for inv in policy.invariants:
        for op in ops:
            if not inv.match.matches(op):
                continue
            if inv.condition:
                from interlock.policy.cel import activation, holds

                act = activation(op, request, mode, ops, policy.timezone)
                if holds(inv.condition, inv.id, act) is False:
                    continue
            why = inv.reason or "an organisation invariant forbids it"
            out.append(deny(inv.id, f"{op.summary or op.program}: {why}"))
            break
    return out


# ---- kill switches ----------------------------------------------------------------------------

_UNFREEZE = {"all": "--all", "agent": "--agent {value}", "env": "--env {value}"}


def kill_findings(ops: Sequence[Operation], request: Request) -> list[Finding]:
    """One deny per kill switch that stops some operation of this proposal."""
    out: list[Finding] = []
    for switch in request.kill:
        if any(switch.stops(request.agent, _tiers(op)) for op in ops):
            out.append(_kill_finding(switch))
    return out


def _tiers(op: Operation) -> frozenset[str]:
    return frozenset({op.tier.value, *(t.tier.value for t in op.targets)})


def _kill_finding(switch: KillSwitch) -> Finding:
    scope = switch.scope if switch.scope in _UNFREEZE else "all"
    what = {
        "all": "every agent is frozen",
        "agent": f"agent `{switch.value}` is frozen",
        "env": f"every agent is frozen against `{switch.value}`",
    }[scope]
    if scope != switch.scope:
        what = f"an unknown kill switch `{switch.scope}` stops every agent"
    who = f" by `{switch.set_by}`" if switch.set_by else ""
    when = f" since {switch.at}" if switch.at else ""
    why = f" ({switch.reason})" if switch.reason else ""
    lift = "interlock unfreeze " + _UNFREEZE[scope].format(value=switch.value)
    reason = f"kill switch: {what}{who}{when}{why}; nothing runs until a human lifts it (`{lift}`)"
    return deny(f"kill.{scope}", reason)
