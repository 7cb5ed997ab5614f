"""The organisation's rules (layer "rules", beside the shipped packs), and the load-time check
that no org `allow` rule reaches what an invariant denies.

    org_findings(op, policy, request, mode, ops) -> (findings, allowed)

A rule fires when its structural `match` holds and then its CEL `when` (if any) holds. CEL
errors fail closed: a `deny`/`ask` rule whose condition cannot be evaluated fires (its reason
says so); an `allow` rule whose condition cannot be evaluated does not. `allowed` says whether
an org `allow` rule fired: the evaluator then drops the mode default, never a pack's floor,
a grant finding or an invariant.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from interlock.model import Effect, Finding, InterlockError, Mode, Operation, Request, Verdict
from interlock.policy.cel import activation, holds, static_activation
from interlock.policy.policyset import OrgInvariant, OrgRule, PolicySet

_UNEVALUATED = " (its condition could not be evaluated)"
_by_family: dict[tuple[str, str], tuple[OrgRule, ...]] = {}
_FAMILY_CACHE_LIMIT = 1024


def org_findings(
    op: Operation,
    policy: PolicySet,
    request: Request,
    mode: Mode,
    ops: Sequence[Operation],
) -> tuple[list[Finding], bool]:
    """The findings of org rules that fire on `op` (an allow rule's finding has verdict ALLOW:
    it only removes the mode default), and whether an allow rule fired."""
    findings: list[Finding] = []
    allowed = False
    act: dict[str, Any] | None = None
    for rule in _candidates(policy, op.family):
        if not rule.match.matches(op):
            continue
        held: bool | None = True
        if rule.condition:
            if act is None:
                act = activation(op, request, mode, ops, policy.timezone, _grant(policy, request))
            held = holds(rule.condition, rule.id, act)
        if rule.effect is Verdict.ALLOW:
            if held is True:  # an allow that cannot be evaluated never allows
                allowed = True
                reason = render_reason(rule.reason, op, request)
                findings.append(Finding(rule.id, Verdict.ALLOW, reason, 0, "rules"))
            continue
        if held is False:
            continue
        reason = render_reason(rule.reason, op, request) + (_UNEVALUATED if held is None else "")
        approvals = (rule.approvals or 1) if rule.effect is Verdict.ASK else 0
        findings.append(Finding(rule.id, rule.effect, reason, approvals, "rules"))
    return findings, allowed


def render_reason(template: str, op: Operation, request: Request) -> str:
    """A reason template (validated at load) filled for one operation."""
    agent = request.agent
    target = op.targets[0].name if op.targets else ""
    values = {
        "agent": f"`{agent.id}`" if agent else "an unnamed agent",
        "summary": op.summary or f"{op.program} {op.action}".strip(),
        "tier": op.tier.value,
        "target": f"`{target}`" if target else "no named target",
    }
    try:
        return template.format_map(values)
    except (KeyError, ValueError, IndexError):  # a template that skipped validation
        return template


def _grant(policy: PolicySet, request: Request) -> str:
    entry = policy.agent(request.agent.id if request.agent else None)
    return entry.grant.name if entry is not None and entry.grant is not None else ""


def _candidates(policy: PolicySet, family: str) -> tuple[OrgRule, ...]:
    """The org rules that could match an operation of `family`, in file order; cached per
    policy digest so 500 rules cost a dictionary look-up, not 500 match tests."""
    if not policy.digest:
        return policy.rules
    key = (policy.digest, family)
    rules = _by_family.get(key)
    if rules is None:
        rules = tuple(r for r in policy.rules if r.match.family is None or family in r.match.family)
        if len(_by_family) >= _FAMILY_CACHE_LIMIT:
            _by_family.clear()
        _by_family[key] = rules
    return rules


# ---- invariant override detection (load time) ----------------------------------------------


def find_overrides(
    rules: Sequence[OrgRule], invariants: Sequence[OrgInvariant]
) -> list[tuple[str, str, str]]:
    """(org rule id, invariant id, example command) for every org `allow` rule that would fire
    on an operation an invariant's `hit` example is denied for. A `when` that needs the agent,
    the time or the impact cannot be decided at load time and counts as firing."""
    allows = [r for r in rules if r.effect is Verdict.ALLOW]
    if not allows:
        return []
    out = []
    for invariant_id, command, denied, ops in _denied_examples(invariants):
        for rule in allows:
            if any(_may_fire(rule, op, ops) for op in denied):
                out.append((rule.id, invariant_id, command))
    return out


def builtin_invariants() -> tuple[Any, ...]:
    """`interlock.policy.invariants.BUILTIN` (specs with `.id` and `.hit`), imported lazily."""
    name = "interlock.policy.invariants"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith(name):  # a missing dependency of its own: a bug
            raise
        # TODO(issue 3): the built-in invariants module is being written; until it lands only
        # org invariants are checked for overrides.
        return ()
    return tuple(getattr(module, "BUILTIN", ()))


Example = tuple[str, str, tuple[Operation, ...], tuple[Operation, ...]]


def _denied_examples(invariants: Sequence[OrgInvariant]) -> Iterator[Example]:
    for spec in builtin_invariants():
        for command in getattr(spec, "hit", ()):
            ops = example_ops(command)
            destroys = tuple(o for o in ops if o.effect is Effect.DESTROY)
            # a destroy-then-apply example is denied for its destroy; the apply alone is not
            changes = destroys or tuple(o for o in ops if o.effect is not Effect.READ)
            yield str(spec.id), command, changes, ops
    for inv in invariants:
        for command in inv.hit:
            ops = example_ops(command)
            denied = tuple(o for o in ops if _may_fire(inv, o, ops))
            yield inv.id, command, denied, ops


def _may_fire(rule: OrgRule | OrgInvariant, op: Operation, ops: Sequence[Operation]) -> bool:
    if not rule.match.matches(op):
        return False
    if not rule.condition:
        return True
    return any(
        holds(rule.condition, rule.id, static_activation(op, m, ops)) is not False for m in Mode
    )


@lru_cache(maxsize=1024)
def example_ops(command: str) -> tuple[Operation, ...]:
    """The resolved operations of an example command, as a check would see them."""
    from interlock.policy.index import RuleIndex
    from interlock.resolve import resolve
    from interlock.service import CheckCall, Settings, operations

    try:
        ops = operations(CheckCall(command=command), Settings(rules=RuleIndex()))
    except InterlockError:
        return ()
    return tuple(resolve(ops))
