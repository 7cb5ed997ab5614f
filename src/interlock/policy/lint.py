"""Lint a policy: rules that can never fire, rules an invariant overrules, conditions that fail,
rules without tests, grants that are not effective or have expired.

`lint(policy, packs, invariants, now=…)` is pure. What needs the parser, the check or CEL comes
in as functions: `analyze(command)` answers an invariant's `hit` example's operations and the
invariants that deny it; `evaluate(source, activation)` runs a CEL condition and raises when it
cannot. Without them those checks are skipped.

| code | severity | finding |
|---|---|---|
| `lint.unreachable` | error (warning for an unknown family) | a rule's `match` can never hold |
| `lint.shadowed-by-invariant` | warning | an allow/ask rule matches what an invariant denies |
| `lint.cel-type` | error | a `when` fails on a representative activation, or is not a bool |
| `lint.no-tests` | warning | no test case names the rule in `want_rules` |
| `grant.exceeds_template` | error | an agent's grant asks for more than its template |
| `lint.expired-grant` | warning | an agent's grant has expired |
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from interlock.model import Effect, Operation, Target, Tier
from interlock.policy.cel import op_vars
from interlock.policy.index import RuleIndex
from interlock.policy.policyset import OrgInvariant, OrgRule, PolicySet
from interlock.policy.rules import Match
from interlock.policy.testing import Case

# a command → its operations, and the ids of the invariants that deny it under a neutral request
Analyze = Callable[[str], tuple[Sequence[Operation], Collection[str]]]
Evaluate = Callable[[str, Mapping[str, Any]], Any]
# an operation → whether a built-in invariant denies it under a neutral request
Deny = Callable[[Operation], bool]

ERROR = "error"
WARNING = "warning"
TIERS = frozenset(t.value for t in Tier)
EFFECTS = frozenset(e.value for e in Effect)
# families that exist without a shipped pack rule naming them
OTHER_FAMILIES = frozenset({"interlock", "sql", "mcp", "tfplan"})
_DESTROY_VERBS = frozenset({"delete", "destroy", "drop", "rm", "terminate", "uninstall", "purge"})
_PROGRAMS = {"kubernetes": "kubectl", "database": "psql", "iac": "terraform", "filesystem": "rm"}


@dataclass(frozen=True, slots=True)
class LintFinding:
    code: str
    severity: str
    subject: str  # the rule, invariant or agent id
    message: str

    def line(self) -> str:
        return f"{self.code} {self.severity} {self.subject}: {self.message}"

    def as_json(self) -> dict[str, str]:
        return {
            "code": self.code,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
        }


def lint(
    policy: PolicySet,
    packs: RuleIndex,
    invariants: Iterable[Any],
    *,
    now: datetime,
    cases: Sequence[Case] | None = None,
    analyze: Analyze | None = None,
    evaluate: Evaluate | None = None,
    denied_by: Deny | None = None,
) -> list[LintFinding]:
    """Every finding for `policy`, rule by rule in file order, then agents.

    `invariants` are the built-in invariants (anything with an `id` and `hit` examples);
    the policy's own invariants are added. `cases=None` means the policy has no tests."""
    hits = _invariant_hits([*invariants, *policy.invariants], analyze)
    families = _families(packs, hits)
    out: list[LintFinding] = []
    for rule in policy.rules:
        out += unreachable(rule.id, rule.match, families)
        out += cel_type(rule.id, rule.condition, rule.match, evaluate)
        out += shadowed(rule, policy.invariants, hits, evaluate, denied_by)
    for inv in policy.invariants:
        out += unreachable(inv.id, inv.match, families)
        out += cel_type(inv.id, inv.condition, inv.match, evaluate)
    out += untested(policy.rules, cases)
    out += grants(policy, now)
    return out


def has_errors(findings: Iterable[LintFinding], strict: bool = False) -> bool:
    return any(f.severity == ERROR or strict for f in findings)


# -- lint.unreachable ---------------------------------------------------------------------------


def unreachable(rid: str, m: Match, families: frozenset[str]) -> list[LintFinding]:
    out = []
    for key, allowed in (("tier", TIERS), ("effect", EFFECTS)):
        values = getattr(m, key)
        if values is not None and not values & allowed:
            out.append(_unreachable(rid, f"no operation has {key} {_list(values)}"))
    if m.tags & m.not_tags:
        out.append(
            _unreachable(rid, f"tag {_list(m.tags & m.not_tags)} is both required and excluded")
        )
    if m.any_tags and m.any_tags <= m.not_tags:
        out.append(_unreachable(rid, f"every tag in `any_tags` {_list(m.any_tags)} is excluded"))
    if m.family is not None and not m.family & families:
        out.append(
            LintFinding(
                "lint.unreachable",
                WARNING,
                rid,
                f"no analyzer produces family {_list(m.family)}; check the spelling",
            )
        )
    return out


def _unreachable(rid: str, why: str) -> LintFinding:
    return LintFinding("lint.unreachable", ERROR, rid, f"its match can never hold: {why}")


def _families(
    packs: RuleIndex, hits: Mapping[str, Sequence[tuple[str, Operation]]]
) -> frozenset[str]:
    seen = {op.family for pairs in hits.values() for _c, op in pairs}
    return frozenset(packs.by_family) | OTHER_FAMILIES | seen


# -- lint.cel-type ------------------------------------------------------------------------------


def cel_type(rid: str, source: str, m: Match, evaluate: Evaluate | None) -> list[LintFinding]:
    if not source or evaluate is None:
        return []
    try:
        value = evaluate(source, representative(m))
    except (KeyError, RuntimeError, TypeError, ValueError) as exc:
        detail = str(exc).split(". ")[0].strip("'\"") or type(exc).__name__
        return [_cel(rid, f"`when` fails on a representative operation: {detail}")]
    if not isinstance(value, bool):
        return [_cel(rid, f"`when` gives {type(value).__name__} `{value}`, not a bool")]
    return []


def _cel(rid: str, message: str) -> LintFinding:
    return LintFinding("lint.cel-type", ERROR, rid, message)


def representative(m: Match) -> dict[str, Any]:
    """A CEL activation for an operation `m` matches, with every documented variable set."""
    tier = _first(m.tier, "prod")
    op = {
        "family": _first(m.family, "kubernetes"),
        "action": _first(m.action, "apply"),
        "effect": _first(m.effect, "write"),
        "program": _first(m.program, "kubectl"),
        "tier": tier,
        "tags": sorted(m.tags | set(sorted(m.any_tags)[:1])),
        "targets": [
            {"kind": _first(m.kind, "namespace"), "name": "example", "tier": tier, "scope": {}}
        ],
        "text": "example",
    }
    return activation(op)


def activation(op: Mapping[str, Any], agent_id: str = "agent:example") -> dict[str, Any]:
    return {
        "op": dict(op),
        "agent": {"id": agent_id, "launched_by": "user:example", "grant": "example"},
        "mode": "workstation",
        "time": {"hour": 12, "minute": 0, "weekday": 3, "date": "2026-01-07"},
        "impact": {
            "deleted": 0,
            "services_impaired": 0,
            "data_without_backup": 0,
            "restore_minutes": 0,
            "simulated": False,
            "env_root_teardown": False,
            "tiers": [],
        },
        "proposal": {"operations": 1, "destroys": 1 if op.get("effect") == "destroy" else 0},
    }


def _first(values: frozenset[str] | None, fallback: str) -> str:
    return sorted(values)[0] if values else fallback


# -- lint.shadowed-by-invariant -----------------------------------------------------------------


def shadowed(
    rule: OrgRule,
    org: Sequence[OrgInvariant],
    hits: Mapping[str, Sequence[tuple[str, Operation]]],
    evaluate: Evaluate | None,
    denied_by: Deny | None = None,
) -> list[LintFinding]:
    """An allow/ask rule is shadowed when an org invariant's match contains its match, or when
    it matches an invariant's `hit` example and every representative operation of its match
    is denied by an invariant too (a broad rule that merely overlaps one is not reported)."""
    if rule.effect.value == "deny":
        return []
    for inv in org:
        if not inv.condition and within(rule.match, inv.match):
            return [_shadow(rule, f"every operation it matches is denied by invariant `{inv.id}`")]
    if denied_by is None:
        return []
    for inv_id, pairs in hits.items():
        for command, op in pairs:
            if rule.match.matches(op) and _when(rule.condition, op, evaluate):
                witnesses = representatives(rule.match)
                if all(_denied(w, org, evaluate, denied_by) for w in witnesses):
                    why = f"it matches `{command}`, which invariant `{inv_id}` always denies, "
                    return [_shadow(rule, why + "and so is everything else it matches")]
    return []


def _denied(
    op: Operation, org: Sequence[OrgInvariant], evaluate: Evaluate | None, denied_by: Deny
) -> bool:
    if denied_by(op):
        return True
    return any(inv.match.matches(op) and _when(inv.condition, op, evaluate) for inv in org)


def representatives(m: Match, limit: int = 16) -> list[Operation]:
    """Operations `m` matches, one per tier, action and kind it names (dev and prod when it
    names no tier), up to `limit`."""
    family = _first(m.family, "kubernetes")
    program = _first(m.program, _PROGRAMS.get(family, family))
    tags = frozenset(m.tags | set(sorted(m.any_tags)[:1]))
    out = []
    for tier in sorted(m.tier & TIERS if m.tier else {"dev", "prod"}):
        for action in sorted(m.action or {"apply"}):
            guess = "destroy" if action in _DESTROY_VERBS else "write"
            effect = Effect(_first(m.effect & EFFECTS if m.effect else None, guess))
            for kind in sorted(m.kind or {"deployment"}):
                target = Target(kind=kind, name="example", tier=Tier(tier))
                out.append(Operation(family, action, effect, program, (target,), tags))
    return out[:limit]


def _shadow(rule: OrgRule, why: str) -> LintFinding:
    msg = f"{rule.effect.value} rule: {why}; narrow its match"
    return LintFinding("lint.shadowed-by-invariant", WARNING, rule.id, msg)


def within(inner: Match, outer: Match) -> bool:
    """True when every operation `inner` matches is also matched by `outer`."""
    for key in ("family", "action", "kind", "tier", "effect", "program"):
        want, have = getattr(outer, key), getattr(inner, key)
        if want is not None and (have is None or not have <= want):
            return False
    if not outer.tags <= inner.tags or not outer.not_tags <= inner.not_tags:
        return False
    if not outer.any_tags:
        return True
    return bool(inner.tags & outer.any_tags) or bool(
        inner.any_tags and inner.any_tags <= outer.any_tags
    )


def _when(source: str, op: Operation, evaluate: Evaluate | None) -> bool:
    """Whether `when` may hold for `op`; a condition we cannot run may hold."""
    if not source or evaluate is None:
        return True
    try:
        return evaluate(source, activation(op_vars(op))) is True
    except (KeyError, RuntimeError, TypeError, ValueError):
        return False


def _invariant_hits(
    invariants: Iterable[Any], analyze: Analyze | None
) -> dict[str, list[tuple[str, Operation]]]:
    """Invariant id → (example command, operation) for every state-changing operation of every
    `hit` example that the invariant denies without help from the clock, an impact report or
    history (a freeze window's example shadows nothing: the window is not always on)."""
    out: dict[str, list[tuple[str, Operation]]] = {}
    if analyze is None:
        return out
    for inv in invariants:
        for command in getattr(inv, "hit", ()) or ():
            ops, denied_by = analyze(command)
            if str(inv.id) in denied_by:
                found = [(command, op) for op in ops if op.effect is not Effect.READ]
                out.setdefault(str(inv.id), []).extend(found)
    return out


# -- lint.no-tests, grants ----------------------------------------------------------------------


def untested(rules: Sequence[OrgRule], cases: Sequence[Case] | None) -> list[LintFinding]:
    named = {rid for c in cases or () for rid in c.want_rules}
    where = "no test case names it in `want_rules`" if cases else "the policy has no tests"
    return [LintFinding("lint.no-tests", WARNING, r.id, where) for r in rules if r.id not in named]


def grants(policy: PolicySet, now: datetime) -> list[LintFinding]:
    out = []
    for agent in policy.agents:
        for problem in agent.problems:
            out.append(LintFinding("grant.exceeds_template", ERROR, agent.id, problem))
        grant = agent.grant
        if grant is not None and grant.expires is not None and grant.expired(now):
            when = grant.expires.isoformat().replace("+00:00", "Z")
            msg = f"grant `{grant.name}` expired at {when}; renew it or remove the agent"
            out.append(LintFinding("lint.expired-grant", WARNING, agent.id, msg))
    return out


def _list(values: Iterable[str]) -> str:
    return ", ".join(f"`{v}`" for v in sorted(values))
