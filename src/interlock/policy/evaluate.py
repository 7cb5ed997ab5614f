"""Evaluate operations against rules and mode defaults into a `Decision`.

Combining (DESIGN.md "Verdicts"): any deny → deny; else the strictest ask (largest quorum);
else allow. A rule's effect is a floor: rules never relax a default here (allow rules and
grants come from the policy layer).
"""

from __future__ import annotations

from collections.abc import Sequence

from interlock.model import Decision, Effect, Finding, Mode, Operation, Verdict
from interlock.model.digest import digest
from interlock.policy.defaults import default_finding
from interlock.policy.index import RuleIndex

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


def evaluate(ops: Sequence[Operation], index: RuleIndex, mode: Mode) -> Decision:
    findings: list[Finding] = []
    for op in ops:
        findings.extend(findings_for(op, index, mode))
    return combine(tuple(ops), tuple(findings), mode)


def findings_for(op: Operation, index: RuleIndex, mode: Mode) -> list[Finding]:
    """The findings for one operation: rules that fired, and the mode default when stricter."""
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
    default = default_finding(op, mode)
    if default is not None:
        if out:
            # a rule fired: keep the default only when it is stricter than every rule
            top = max(_SEVERITY[f.verdict] for f in out)
            if _SEVERITY[default.verdict] > top:
                out.append(
                    Finding(
                        default.rule,
                        default.verdict,
                        describe(op, default.reason),
                        default.approvals,
                        "defaults",
                    )
                )
            else:
                out = [_at_least(f, default) for f in out]
        else:
            out.append(
                Finding(
                    default.rule,
                    default.verdict,
                    describe(op, default.reason),
                    default.approvals,
                    "defaults",
                )
            )
    return out


def _at_least(f: Finding, default: Finding) -> Finding:
    if (
        f.verdict is Verdict.ASK
        and default.verdict is Verdict.ASK
        and default.approvals > f.approvals
    ):
        return Finding(f.rule, f.verdict, f.reason, default.approvals, f.layer)
    return f


def combine(ops: tuple[Operation, ...], findings: tuple[Finding, ...], mode: Mode) -> Decision:
    verdict = Verdict.ALLOW
    for f in findings:
        if _SEVERITY[f.verdict] > _SEVERITY[verdict]:
            verdict = f.verdict
    deciding = [f for f in findings if f.verdict is verdict] if verdict is not Verdict.ALLOW else []
    approvals = max((f.approvals for f in deciding), default=0) if verdict is Verdict.ASK else 0
    # the rules that decided come first, so a one-line answer names the right one
    others = [f.rule for f in findings if f.verdict is not Verdict.ALLOW]
    rules = tuple(dict.fromkeys([f.rule for f in deciding] + others))
    return Decision(
        verdict=verdict,
        reason=_reason(verdict, deciding, ops, approvals, mode),
        rules=rules,
        operations=ops,
        digest=digest(mode.value, ops),
        approvals=approvals,
        findings=findings,
        mode=mode,
    )


def _reason(
    verdict: Verdict,
    deciding: list[Finding],
    ops: tuple[Operation, ...],
    approvals: int,
    mode: Mode,
) -> str:
    if verdict is Verdict.ALLOW:
        if not ops:
            return "nothing to run"
        kinds = sorted({op.effect.value for op in ops})
        return "allowed: " + ", ".join(kinds) + (" only" if kinds == ["read"] else "")
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
