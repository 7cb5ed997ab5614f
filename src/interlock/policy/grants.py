"""Agent grants: loading templates and agents, and the `grant` layer of a decision.

An agent is its own principal. Its grant is its template narrowed by its `grant` block; nothing
flows from whoever launched it (`launched_by` is recorded, never consulted for permissions).
A `grant` block that asks for more than the template (a tier, program, action, effect or target
pattern outside it, or `*` where the template lists values) is not effective: the agent keeps
reads only, and `AgentEntry.problems` says `grant.exceeds_template: …`. Widening a grant is an
action that needs approval (the approvals issue), never something a policy file does alone.

    grant_findings(op, request, policy) -> list[Finding]      # layer "grant"

| who is asking | read | anything else |
|---|---|---|
| no agent in the request, or no agents in the policy | no finding | no finding (local use) |
| an agent the policy does not list | no finding | deny `grant.unknown-agent` |
| a listed agent whose grant is not effective | no finding | deny `grant.not-effective` |
| a listed agent, grant expired (`request.now`) | no finding | deny `grant.expired` |
| a listed agent, operation outside the grant | no finding | deny `grant.outside` |
"""

from __future__ import annotations

import re
from datetime import datetime
from fnmatch import fnmatchcase
from typing import Any

from interlock.model import Effect, Finding, Grant, Operation, PolicyError, Request, Verdict
from interlock.policy.policyset import AgentEntry, PolicySet

TEMPLATE_KEYS = frozenset({"tiers", "programs", "actions", "effects", "targets"})
GRANT_KEYS = TEMPLATE_KEYS | {"expires"}
AGENT_KEYS = frozenset({"id", "launched_by", "template", "grant"})
_SETS = ("tiers", "programs", "actions", "effects")
_ALLOWED = {
    "tiers": frozenset({"prod", "staging", "dev", "local", "unknown"}),
    "effects": frozenset({"read", "write", "destroy", "unknown"}),
}
_OVERRIDE_WORDS = ("invariant", "kill", "disable", "override", "bypass", "skip")
_NAMED = re.compile(r"^(?:invariant\.|kill\.|[a-z][a-z0-9]*\.invariant\.)[a-z0-9.-]+$")
_AGENT_ID = re.compile(r"^agent:\S+$")
_GLOB = re.compile(r"[*?\[]")


# ---- the grant layer -----------------------------------------------------------------------


def grant_findings(op: Operation, request: Request, policy: PolicySet) -> list[Finding]:
    """The grant layer's findings for one operation (see the table above)."""
    if request.agent is None or op.effect is Effect.READ:
        return []
    agent_id = request.agent.id
    entry = policy.agent(agent_id)
    if entry is None:
        if not policy.agents:
            return []
        return [_deny("grant.unknown-agent", f"agent `{agent_id}` is not listed in the policy")]
    if entry.problems or entry.grant is None:
        why = entry.problems[0] if entry.problems else "no grant"
        return [_deny("grant.not-effective", f"the grant of `{agent_id}` is not effective: {why}")]
    grant = entry.grant
    if grant.expired(request.now):
        expiry = grant.expires.isoformat() if grant.expires else ""
        return [_deny("grant.expired", f"the grant of `{agent_id}` expired at {expiry}")]
    if not grant.covers(op):
        what = op.summary or f"{op.program} {op.action}"
        return [
            _deny(
                "grant.outside",
                f"{what} is outside the grant of `{agent_id}`: {outside_why(grant, op)}",
            )
        ]
    return []


def outside_why(grant: Grant, op: Operation) -> str:
    """The first part of `grant` that `op` falls outside of, for the reason."""
    for key, value in (("effects", op.effect.value), ("programs", op.program)):
        allowed = getattr(grant, key)
        if allowed is not None and value not in allowed:
            return f"{key[:-1]} `{value}` is not one of {_listed(allowed)}"
    if grant.actions is not None and op.action not in grant.actions:
        return f"action `{op.action}` is not one of {_listed(grant.actions)}"
    if grant.tiers is not None:
        tiers = {t.tier.value for t in op.targets} or {"unknown"}
        bad = sorted(tiers - grant.tiers)
        if bad:
            return f"tier `{bad[0]}` is not one of {_listed(grant.tiers)}"
    for t in op.targets:
        if grant.targets and not any(fnmatchcase(f"{t.kind}:{t.name}", p) for p in grant.targets):
            return f"target `{t.kind}:{t.name}` matches none of {_listed(grant.targets)}"
    return "it is not covered"


def _listed(values: Any) -> str:
    return ", ".join(f"`{v}`" for v in sorted(values))


def _deny(rule: str, reason: str) -> Finding:
    return Finding(rule, Verdict.DENY, reason, 0, "grant")


# ---- loading templates and agents ----------------------------------------------------------


def load_templates(value: Any) -> dict[str, Grant]:
    """`grant_templates`: name → grant. A template names `tiers` and `effects` (`*` for any);
    the keys it leaves out (`programs`, `actions`, `targets`) allow anything."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PolicyError("`grant_templates` must map a template name to a grant")
    return {str(name): _template(str(name), block) for name, block in value.items()}


def _template(name: str, block: Any) -> Grant:
    where = f"grant template `{name}`"
    if block == "*":
        return Grant(name=name)
    if not isinstance(block, dict):
        raise PolicyError(f"{where} must be a mapping, or `*`")
    check_keys(block, TEMPLATE_KEYS, where)
    if "tiers" not in block or "effects" not in block:
        raise PolicyError(f"{where} must name `tiers` and `effects` (write `*` for any)")
    sets = {k: grant_set(block[k], k, where) if k in block else None for k in _SETS}
    return Grant(
        name=name,
        tiers=sets["tiers"],
        programs=sets["programs"],
        actions=sets["actions"],
        effects=sets["effects"],
        targets=_patterns(block.get("targets"), where),
    )


def load_agents(value: Any, templates: dict[str, Grant]) -> tuple[AgentEntry, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise PolicyError("`agents` must be a list")
    agents = tuple(_agent(item, templates) for item in value)
    seen: set[str] = set()
    for a in agents:
        if a.id in seen:
            raise PolicyError(f"agent `{a.id}` appears twice", "policy.duplicate_id")
        seen.add(a.id)
    return agents


def _agent(item: Any, templates: dict[str, Grant]) -> AgentEntry:
    aid = item.get("id") if isinstance(item, dict) else None
    if not isinstance(aid, str) or not _AGENT_ID.match(aid):
        raise PolicyError(f"agent id `{aid}` must start with `agent:`, like `agent:deploy-bot`")
    where = f"agent `{aid}`"
    check_keys(item, AGENT_KEYS, where)
    launched_by = item.get("launched_by")
    if launched_by is not None and (not isinstance(launched_by, str) or not launched_by):
        raise PolicyError(f"{where}: `launched_by` must name a person or a service")
    template = templates.get(str(item.get("template")))
    if template is None:
        raise PolicyError(f"{where} needs a `template` from `grant_templates`")
    grant, problems = narrow(template, item.get("grant"), aid)
    if problems:
        return AgentEntry(id=aid, launched_by=launched_by, grant=None, problems=problems)
    return AgentEntry(id=aid, launched_by=launched_by, grant=grant)


def narrow(template: Grant, block: Any, agent: str) -> tuple[Grant, tuple[str, ...]]:
    """The template narrowed by an agent's `grant` block, and why it is not effective if it
    asks for more than the template."""
    where = f"the grant of `{agent}`"
    if block is None:
        return template, ()
    if block == "*":
        block = dict.fromkeys(_SETS, "*") | {"targets": ["*"]}
    if not isinstance(block, dict):
        raise PolicyError(f"{where} must be a mapping")
    check_keys(block, GRANT_KEYS, where)
    fields: dict[str, frozenset[str] | None] = {}
    problems: list[str] = []
    for key in _SETS:
        have = getattr(template, key)
        want = grant_set(block[key], key, where) if key in block else have
        if have is not None and (want is None or not want <= have):
            extra = "*" if want is None else ", ".join(sorted(want - have))
            problems.append(_exceeds(agent, key, extra, template.name))
        fields[key] = want
    targets = _patterns(block["targets"], where) if "targets" in block else template.targets
    wide = [p for p in targets if not _within(p, template.targets)] if template.targets else []
    if template.targets and not targets:
        wide = ["*"]
    if wide:
        problems.append(_exceeds(agent, "targets", ", ".join(wide), template.name))
    expires = _expires(block["expires"], where) if "expires" in block else template.expires
    grant = Grant(
        name=template.name,
        tiers=fields["tiers"],
        programs=fields["programs"],
        actions=fields["actions"],
        effects=fields["effects"],
        targets=targets,
        expires=expires,
    )
    return grant, tuple(problems)


def _exceeds(agent: str, key: str, extra: str, template: str) -> str:
    return (
        f"grant.exceeds_template: `{agent}` asks for {key} `{extra}` beyond template `{template}`"
    )


def _within(pattern: str, allowed: tuple[str, ...]) -> bool:
    """Whether every name `pattern` matches is matched by one of `allowed` (conservative: a
    literal name, the same pattern, or a pattern that starts with a template's prefix glob)."""
    for a in allowed:
        if pattern == a:
            return True
        if not _GLOB.search(pattern) and fnmatchcase(pattern, a):
            return True
        prefix = a[:-1]
        if a.endswith("*") and not _GLOB.search(prefix) and pattern.startswith(prefix):
            return True
    return False


def grant_set(value: Any, key: str, where: str) -> frozenset[str] | None:
    """A grant's `tiers`/`programs`/`actions`/`effects`: a set, or None for `*`."""
    values = strings(value, f"`{key}` of {where}")
    if "*" in values:
        return None
    allowed = _ALLOWED.get(key)
    if allowed is not None and not values <= allowed:
        bad = sorted(values - allowed)[0]
        raise PolicyError(f"{where}: `{bad}` is not one of {_listed(allowed)} in `{key}`")
    return values


def _patterns(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    patterns = strings(value, f"`targets` of {where}")
    if "*" in patterns:
        return ()
    bad = sorted(p for p in patterns if ":" not in p)
    if bad:
        raise PolicyError(f"{where}: target `{bad[0]}` must look like `kind:name`, e.g. `ns:pay-*`")
    return tuple(sorted(patterns))


def _expires(value: Any, where: str) -> datetime:
    moment = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.tzinfo is None:
        raise PolicyError(
            f"{where}: `expires` must be an ISO-8601 time with a zone, like `2026-12-31T00:00:00Z`"
        )
    return moment


# ---- schema helpers shared with the policy loader ------------------------------------------


def strings(value: Any, what: str) -> frozenset[str]:
    """A non-empty list of non-empty strings (one string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise PolicyError(f"{what} must be a non-empty list of names")
    if not all(isinstance(v, str) and v for v in value):
        raise PolicyError(f"{what} must be a non-empty list of names")
    return frozenset(value)


def check_keys(block: dict[Any, Any], allowed: frozenset[str], where: str) -> None:
    """Unknown keys are errors; one that tries to switch off an invariant or a kill switch
    (`disable_invariants`, `kill_switch`, `skip_invariants`, `allow_override` …) is
    `policy.invariant_override`, naming the invariant it aims at."""
    unknown = sorted((str(k) for k in block if k not in allowed), key=_override_first)
    if not unknown:
        return
    key = unknown[0]
    if _override_first(key)[0] == 0:
        raise PolicyError(
            f"`{key}` in {where} tries to switch off {_aimed_at(key, block.get(key))}; "
            "invariants and kill switches cannot be disabled by configuration",
            "policy.invariant_override",
        )
    raise PolicyError(f"unknown key `{key}` in {where}; allowed: {', '.join(sorted(allowed))}")


def _override_first(key: str) -> tuple[int, str]:
    low = key.lower()
    return (0 if any(w in low for w in _OVERRIDE_WORDS) else 1, key)


def _aimed_at(key: str, value: Any) -> str:
    names = sorted(_named(value) | ({key} if _NAMED.match(key) else set()))
    if names:
        return ", ".join(f"`{n}`" for n in names)
    return "every invariant" if "kill" not in key.lower() else "the kill switches"


def _named(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} if _NAMED.match(value) else set()
    if isinstance(value, dict):
        return set().union(*(_named(k) | _named(v) for k, v in value.items()))
    if isinstance(value, list):
        return set().union(*(_named(v) for v in value))
    return set()
