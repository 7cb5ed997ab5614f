"""Rules as data: the schema of a rule in a pack, loaded from parsed YAML.

A rule has a stable id, an effect (`ask` or `deny`), a title, a why, a `match` block whose keys
must all hold for an operation, and `hit`/`miss` examples that the test suite runs. Unknown keys
are errors (`policy.invalid`), so a typo never silently turns a rule off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from interlock.model import Mode, Operation, PolicyError, Verdict

_ID = re.compile(r"^[a-z][a-z0-9]*(\.[a-z0-9][a-z0-9-]*)+$")
RULE_KEYS = frozenset(
    {"id", "title", "effect", "approvals", "modes", "why", "match", "hit", "miss", "reason"}
)
MATCH_KEYS = frozenset(
    {"family", "action", "kind", "tier", "effect", "tags", "any_tags", "not_tags", "program"}
)


@dataclass(frozen=True, slots=True)
class Match:
    family: frozenset[str] | None = None
    action: frozenset[str] | None = None
    kind: frozenset[str] | None = None
    tier: frozenset[str] | None = None
    effect: frozenset[str] | None = None
    program: frozenset[str] | None = None
    tags: frozenset[str] = frozenset()
    any_tags: frozenset[str] = frozenset()
    not_tags: frozenset[str] = frozenset()

    def matches(self, op: Operation) -> bool:
        if self.family is not None and op.family not in self.family:
            return False
        if self.action is not None and op.action not in self.action:
            return False
        if self.effect is not None and op.effect.value not in self.effect:
            return False
        if self.program is not None and op.program not in self.program:
            return False
        if self.tags and not self.tags <= op.tags:
            return False
        if self.any_tags and not self.any_tags & op.tags:
            return False
        if self.not_tags and self.not_tags & op.tags:
            return False
        if self.kind is not None and not any(t.kind in self.kind for t in op.targets):
            return False
        return self.tier is None or op.tier.value in self.tier


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    effect: Verdict
    why: str
    match: Match
    modes: frozenset[Mode] = frozenset(Mode)
    approvals: int = 0
    reason: str = ""
    hit: tuple[str, ...] = ()
    miss: tuple[str, ...] = ()
    pack: str = ""


def load_rules(data: Any, pack: str) -> list[Rule]:
    """Rules from a parsed pack document: a list of rules, or `{pack:, rules: [...]}`."""
    if isinstance(data, dict):
        extra = set(data) - {"pack", "rules", "description"}
        if extra:
            raise PolicyError(f"unknown key `{sorted(extra)[0]}` at the top of pack `{pack}`")
        data = data.get("rules") or []
    if not isinstance(data, list):
        raise PolicyError(f"pack `{pack}` must be a list of rules")
    rules = [_rule(item, pack) for item in data]
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise PolicyError(
                f"rule id `{r.id}` appears twice in pack `{pack}`", "policy.duplicate_id"
            )
        seen.add(r.id)
    return rules


def _rule(item: Any, pack: str) -> Rule:
    if not isinstance(item, dict):
        raise PolicyError(f"every rule in pack `{pack}` must be a mapping")
    rid = item.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise PolicyError(f"rule id `{rid}` in pack `{pack}` must look like `family.what-it-does`")
    extra = set(item) - RULE_KEYS
    if extra:
        raise PolicyError(
            f"unknown key `{sorted(extra)[0]}` in rule `{rid}`; allowed: {', '.join(sorted(RULE_KEYS))}"
        )
    effect = item.get("effect")
    if effect not in ("ask", "deny"):
        raise PolicyError(f"rule `{rid}` has effect `{effect}`; packs may only `ask` or `deny`")
    approvals = item.get("approvals", 0)
    if not isinstance(approvals, int) or approvals < 0 or approvals > 10:
        raise PolicyError(f"rule `{rid}`: approvals must be a whole number from 0 to 10")
    modes = item.get("modes", ["workstation", "gateway"])
    try:
        mode_set = frozenset(Mode(m) for m in modes)
    except (ValueError, TypeError):
        raise PolicyError(f"rule `{rid}`: modes must be a list of workstation, gateway") from None
    return Rule(
        id=rid,
        title=_text(item, "title", rid),
        effect=Verdict(effect),
        why=_text(item, "why", rid),
        match=_match(item.get("match"), rid),
        modes=mode_set,
        approvals=approvals,
        reason=str(item.get("reason", "")),
        hit=_examples(item, "hit", rid),
        miss=_examples(item, "miss", rid),
        pack=pack,
    )


def _text(item: dict[str, Any], key: str, rid: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"rule `{rid}` needs a `{key}`")
    return " ".join(value.split())


def _examples(item: dict[str, Any], key: str, rid: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"rule `{rid}`: `{key}` must be a list of commands")
    return tuple(value)


def _match(block: Any, rid: str) -> Match:
    if not isinstance(block, dict) or not block:
        raise PolicyError(f"rule `{rid}` needs a non-empty `match` block")
    extra = set(block) - MATCH_KEYS
    if extra:
        raise PolicyError(
            f"unknown match key `{sorted(extra)[0]}` in rule `{rid}`; allowed: {', '.join(sorted(MATCH_KEYS))}"
        )
    sets = {k: _strings(v, k, rid) for k, v in block.items()}
    return Match(
        family=sets.get("family"),
        action=sets.get("action"),
        kind=sets.get("kind"),
        tier=sets.get("tier"),
        effect=sets.get("effect"),
        program=sets.get("program"),
        tags=sets.get("tags") or frozenset(),
        any_tags=sets.get("any_tags") or frozenset(),
        not_tags=sets.get("not_tags") or frozenset(),
    )


def _strings(value: Any, key: str, rid: str) -> frozenset[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"rule `{rid}`: match `{key}` must be a non-empty list of strings")
    if key == "tier" and not set(value) <= {"prod", "staging", "dev", "local", "unknown"}:
        raise PolicyError(f"rule `{rid}`: match `tier` takes prod, staging, dev, local, unknown")
    if key == "effect" and not set(value) <= {"read", "write", "destroy", "unknown"}:
        raise PolicyError(f"rule `{rid}`: match `effect` takes read, write, destroy, unknown")
    return frozenset(value)
