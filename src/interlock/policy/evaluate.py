"""Evaluate operations in four layers into a `Decision` (docs/policy.md).

1. invariants and kill switches — any finding is a deny nothing can lift;
2. rules — the shipped packs (ask/deny floors) and the organisation's policy rules;
3. the acting agent's grant — an operation outside it is denied;
4. mode defaults — dropped for an operation an org `allow` rule matched.

Combining (DESIGN.md "Verdicts"): any deny → deny; else the strictest ask (largest quorum);
else allow. The decision names the layer that decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from interlock.model import Decision, Effect, Finding, Mode, Operation, Request, Verdict
from interlock.model.digest import digest
from interlock.policy.defaults import default_finding
from interlock.policy.index import RuleIndex
from interlock.policy.policyset import EMPTY_POLICY, PolicySet

_LOCATION_KEYS = (
    "context",
    "cluster",
    "profile",
    "account",
    "project",
    "subscription",
    "workspace",
    "stack",
    "env",
    "host",
    "database",
    "remote",
    "branch",
)
_SEVERITY = {Verdict.ALLOW: 0, Verdict.ASK: 1, Verdict.DENY: 2}
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
LAYERS = ("invariants", "rules", "grant", "defaults")


def evaluate(
    ops: Sequence[Operation],
    index: RuleIndex,
    mode: Mode,
    policy: PolicySet = EMPTY_POLICY,
    request: Request | None = None,
) -> Decision:
    request = request or Request(now=_EPOCH)
    ops = tuple(ops)
    findings = layer_one(ops, request, policy, mode)
    for op in ops:
        findings.extend(findings_for(op, index, mode, policy, request, ops))
    decision = combine(ops, tuple(findings), mode, policy.digest, request.impact.digest)
    if request.impact.simulated:
        return replace(decision, impact=request.impact)
    return decision


def layer_one(
    ops: tuple[Operation, ...], request: Request, policy: PolicySet, mode: Mode
) -> list[Finding]:
    """Invariants and kill switches: evaluated before anything else, never weakened."""
    from interlock.policy.invariants import invariant_findings, kill_findings

    return [*kill_findings(ops, request), *invariant_findings(ops, request, policy, mode)]


def findings_for(
    op: Operation,
    index: RuleIndex,
    mode: Mode,
    policy: PolicySet = EMPTY_POLICY,
    request: Request | None = None,
    ops: tuple[Operation, ...] = (),
) -> list[Finding]:
    """Layers 2 to 4 for one operation: rules that fired, the grant, and the mode default when
    no org rule allowed the operation and the default is stricter than every rule."""
    request = request or Request(now=_EPOCH)
    out = _pack_findings(op, index, mode)
    allowed = False
    if policy.rules:
        from interlock.policy.orgrules import org_findings

        org, allowed = org_findings(op, policy, request, mode, ops or (op,))
        out.extend(org)
    if policy.agents or request.agent is not None:
        from interlock.policy.grants import grant_findings

        out.extend(grant_findings(op, request, policy))
    default = None if allowed else default_finding(op, mode)
    if default is None:
        return out
    default = Finding(
        default.rule, default.verdict, describe(op, default.reason), default.approvals, "defaults"
    )
    if not out:
        return [default]
    top = max(_SEVERITY[f.verdict] for f in out)
    if _SEVERITY[default.verdict] > top:
        return [*out, default]
    return [_at_least(f, default) for f in out]


def _pack_findings(op: Operation, index: RuleIndex, mode: Mode) -> list[Finding]:
    out = []
    for rule in index.candidates(op, mode):
        if mode in rule.modes and rule.match.matches(op):
            approvals = rule.approvals or (
                2
                if rule.effect is Verdict.ASK
                and mode is Mode.GATEWAY
                and op.effect is Effect.DESTROY
                else 1
            )
            out.append(Finding(rule.id, rule.effect, describe(op, rule.title), approvals))
    return out


def _at_least(f: Finding, default: Finding) -> Finding:
    if (
        f.verdict is Verdict.ASK
        and default.verdict is Verdict.ASK
        and default.approvals > f.approvals
    ):
        return Finding(f.rule, f.verdict, f.reason, default.approvals, f.layer)
    return f


def combine(
    ops: tuple[Operation, ...],
    findings: tuple[Finding, ...],
    mode: Mode,
    policy_digest: str = "",
    impact_digest: str = "",
) -> Decision:
    verdict = Verdict.ALLOW
    for f in findings:
        if _SEVERITY[f.verdict] > _SEVERITY[verdict]:
            verdict = f.verdict
    deciding = [f for f in findings if f.verdict is verdict] if verdict is not Verdict.ALLOW else []
    approvals = max((f.approvals for f in deciding), default=0) if verdict is Verdict.ASK else 0
    if verdict is Verdict.ALLOW:
        deciding = [f for f in findings if f.verdict is Verdict.ALLOW]  # org allow rules
    # the rules that decided come first, so a one-line answer names the right one
    others = [f.rule for f in findings if f.verdict is not Verdict.ALLOW]
    rules = tuple(dict.fromkeys([f.rule for f in deciding] + others))
    return Decision(
        verdict=verdict,
        reason=_reason(verdict, deciding, ops, approvals, mode),
        rules=rules,
        operations=ops,
        digest=digest(mode.value, ops, policy_digest, impact_digest),
        approvals=approvals,
        findings=findings,
        mode=mode,
        layer=_deciding_layer(verdict, deciding),
        policy_digest=policy_digest,
    )


def _deciding_layer(verdict: Verdict, deciding: list[Finding]) -> str:
    """The first layer (in evaluation order) among the findings that decided."""
    if verdict is Verdict.ALLOW:
        return "rules" if deciding else "defaults"
    layers = {f.layer for f in deciding}
    for layer in (*LAYERS, "errors"):
        if layer in layers:
            return layer
    return deciding[0].layer if deciding else "defaults"


def _reason(
    verdict: Verdict,
    deciding: list[Finding],
    ops: tuple[Operation, ...],
    approvals: int,
    mode: Mode,
) -> str:
    if verdict is Verdict.ALLOW and deciding:
        return "allowed by policy: " + "; ".join(dict.fromkeys(f.reason for f in deciding[:3]))
    if verdict is Verdict.ALLOW:
        if not ops:
            return "nothing to run"
        kinds = sorted({op.effect.value for op in ops})
        if kinds == ["read"]:
            return "allowed: read only"
        changing = [op for op in ops if op.effect is not Effect.READ]
        named = "; ".join(dict.fromkeys(describe(op, op.action) for op in changing[:2]))
        more = f"; and {len(changing) - 2} more" if len(changing) > 2 else ""
        return f"allowed: {', '.join(kinds)}: {named}{more}; no target is known to be production"
    reasons = list(dict.fromkeys(f.reason for f in deciding))
    text = "; ".join(reasons[:3]) + (f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")
    if verdict is Verdict.ASK and mode is Mode.GATEWAY:
        text += f"; needs {approvals} approver{'s' if approvals != 1 else ''}"
    return text


def describe(op: Operation, fallback: str) -> str:
    """`deletes namespace `payments` in context `prod-eu` (prod)`."""
    what = op.summary or fallback
    where = ""
    for t in op.targets:
        for key in _LOCATION_KEYS:
            value = t.get(key)
            if value and f"`{value}`" not in what:
                where = f" in {key} `{value}`"
                break
        if where:
            break
    tier = op.tier.value
    return f"{what}{where} ({tier})" if tier != "unknown" or where else what
