"""Load an organisation's policy from text: `policy.yaml` and, when approved, `invariants.yaml`.

    load_policy(policy_text, invariants_text=None, approved_digest=None) -> PolicySet

The schema is strict (docs/policy.md): an unknown key anywhere, a duplicate key, a bad value is
`policy.invalid`; a key that tries to switch off an invariant or a kill switch
(`disable_invariants`, `invariants: {disable: …}`, `kill_switch: off` …), an org rule with an
invariant's id, or an org `allow` rule that matches an invariant's example is
`policy.invariant_override`; a CEL syntax error is `policy.cel`; an `invariants.yaml` whose
SHA-256 is not the approved digest is `policy.invariants_unapproved`.

`PolicySet.digest` is `"pol1:sha256:" + hex(sha256(policy_text + "\\0" + invariants_text))`
(`invariants_text` empty when there is none), UTF-8; it is part of every decision.

An agent whose `grant` asks for more than its template gets no effective grant (reads only) and
`AgentEntry.problems` says `grant.exceeds_template: …`: granting beyond a template is an action
that needs approval (the approvals issue turns it into a request), never something a file does.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import Counter
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from interlock.model import PolicyError, Verdict
from interlock.policy.cel import compile_condition
from interlock.policy.grants import check_keys, load_agents, load_templates, strings
from interlock.policy.policyset import (
    FreezeWindow,
    OrgInvariant,
    OrgRule,
    PolicySet,
    VolumeLimit,
)
from interlock.policy.rules import _ID, MATCH_KEYS, _match

TOP_KEYS = frozenset(
    {
        "version",
        "org",
        "timezone",
        "rules",
        "agents",
        "grant_templates",
        "freeze_windows",
        "volume_limit",
    }
)
RULE_KEYS = frozenset({"id", "effect", "match", "when", "reason", "approvals", "from_roles"})
INVARIANT_KEYS = frozenset({"id", "match", "when", "reason", "hit"})
FREEZE_KEYS = frozenset({"name", "timezone", "from", "to", "tiers", "dates"})
VOLUME_KEYS = frozenset({"max_destructive", "max_fleet_percent", "window_minutes"})
PLACEHOLDERS = ("agent", "summary", "tier", "target")
DIGEST_PREFIX = "pol1:sha256:"

_RESERVED = frozenset({"invariant", "kill", "default", "grant", "policy", "internal", "input"})
_ORG_INVARIANT_ID = re.compile(r"^[a-z][a-z0-9]*\.invariant\.[a-z0-9][a-z0-9-]*$")
_DAYS = {d: i + 1 for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WHEN = re.compile(r"^([A-Za-z]+)\s+(\d{1,2}):(\d{2})$")
_TIERS = frozenset({"prod", "staging", "dev", "local", "unknown"})


def load_policy(
    policy_text: str,
    invariants_text: str | None = None,
    approved_digest: str | None = None,
    *,
    check_overrides: bool = True,
) -> PolicySet:
    """The policy set of `policy.yaml` (and `invariants.yaml` when its digest is approved).

    The override check parses every invariant's `hit` examples (about 120 ms in a fresh
    process, 1 ms after); a caller that has already verified this exact digest (a cache keyed
    by `PolicySet.digest`) may pass `check_overrides=False`. Invariants apply either way."""
    data = _document(policy_text, "policy.yaml")
    check_keys(data, TOP_KEYS, "`policy.yaml`")
    if data.get("version", 1) != 1:
        raise PolicyError(f"policy version `{data.get('version')}` is not supported; use `1`")
    if not isinstance(data.get("org", ""), str):
        raise PolicyError("`org` must be a name")
    tz = _timezone(data.get("timezone", "UTC"), "`policy.yaml`")
    rules = _rules(data.get("rules"))
    templates = load_templates(data.get("grant_templates"))
    invariants = (
        () if invariants_text is None else _org_invariants(invariants_text, approved_digest)
    )
    if check_overrides:
        _refuse_overrides(rules, invariants)
    return PolicySet(
        rules=rules,
        agents=load_agents(data.get("agents"), templates),
        templates=tuple(sorted(templates.items())),
        freeze_windows=_freeze_windows(data.get("freeze_windows"), tz),
        volume=_volume(data.get("volume_limit")),
        invariants=invariants,
        timezone=tz,
        digest=policy_digest(policy_text, invariants_text),
    )


def policy_digest(policy_text: str, invariants_text: str | None = None) -> str:
    blob = policy_text + "\0" + (invariants_text or "")
    return DIGEST_PREFIX + hashlib.sha256(blob.encode("utf-8")).hexdigest()


def invariants_digest(invariants_text: str) -> str:
    """The hex SHA-256 an approval of `invariants.yaml` records."""
    return hashlib.sha256(invariants_text.encode("utf-8")).hexdigest()


# ---- YAML ----------------------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader that refuses duplicate keys (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = Counter(
            (k.tag, k.value)
            for k, _ in node.value
            if isinstance(k, yaml.ScalarNode) and k.tag != "tag:yaml.org,2002:merge"
        )
        dup = next((value for (_, value), n in keys.items() if n > 1), None)
        if dup is not None:
            raise PolicyError(f"key `{dup}` appears twice in one mapping")
        return super().construct_mapping(node, deep)


def _document(text: str, name: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise PolicyError(f"`{name}` is not valid YAML{where}") from None
    except (ValueError, TypeError, RecursionError):  # a bad timestamp, an unhashable key
        raise PolicyError(f"`{name}` holds a value YAML cannot build (a bad date?)") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PolicyError(f"`{name}` must be a mapping at the top")
    return data


def _timezone(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise PolicyError(f"`timezone` in {where} must be an IANA name such as `Europe/Berlin`")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise PolicyError(f"unknown time zone `{value}` in {where}") from None
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PolicyError(f"`{what}` must be a list")
    return value


# ---- org rules -----------------------------------------------------------------------------


def _rules(value: Any) -> tuple[OrgRule, ...]:
    rules = tuple(_rule(item) for item in _list(value, "rules"))
    _unique([r.id for r in rules], "rule id")
    return rules


def _rule(item: Any) -> OrgRule:
    if not isinstance(item, dict):
        raise PolicyError("every entry of `rules` must be a mapping")
    rid = _rule_id(item.get("id"), item.get("effect"))
    where = f"rule `{rid}`"
    check_keys(item, RULE_KEYS, where)
    effect = item.get("effect")
    if effect not in ("allow", "ask", "deny"):
        raise PolicyError(f"{where} has effect `{effect}`; use allow, ask or deny")
    block = item.get("match")
    if isinstance(block, dict):
        check_keys(block, MATCH_KEYS, f"the match of {where}")
    condition = _condition(item.get("when"), rid)
    return OrgRule(
        id=rid,
        effect=Verdict(effect),
        match=_match(block, rid),
        condition=condition,
        reason=reason_template(item.get("reason"), rid),
        approvals=_approvals(item, effect, where),
        from_roles=_roles(item, effect, where),
        compiled=compile_condition(condition, rid) if condition else None,
    )


def _rule_id(rid: Any, effect: Any) -> str:
    if not isinstance(rid, str) or not _ID.match(rid):
        raise PolicyError(f"rule id `{rid}` must look like `org.what-it-does`")
    parts = rid.split(".")
    if parts[0] in ("invariant", "kill") or "invariant" in parts:
        code = "policy.invariant_override" if effect == "allow" else "policy.invalid"
        raise PolicyError(f"rule id `{rid}` names an invariant; org rules cannot take one", code)
    if parts[0] in _RESERVED:
        raise PolicyError(f"rule id `{rid}` uses the reserved prefix `{parts[0]}.`")
    return rid


def _condition(value: Any, rid: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"the `when` of `{rid}` must be a CEL expression", "policy.cel")
    return value.strip()


def reason_template(value: Any, rid: str) -> str:
    """A validated reason template: only `{agent}`, `{summary}`, `{tier}`, `{target}`."""
    if value is None:
        return "{summary}: " + f"org rule `{rid}`"
    if not isinstance(value, str) or not value.strip():
        raise PolicyError(f"the `reason` of `{rid}` must be text")
    text = " ".join(value.split())
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(text)]
    except ValueError:
        raise PolicyError(f"the `reason` of `{rid}` has a lone brace; write `{{{{`") from None
    for name, spec, conv in fields:
        if name is not None and (name not in PLACEHOLDERS or spec or conv):
            raise PolicyError(
                f"the `reason` of `{rid}` uses `{{{name}}}`; placeholders are "
                + ", ".join(f"`{{{p}}}`" for p in PLACEHOLDERS)
            )
    return text


def _approvals(item: dict[str, Any], effect: str, where: str) -> int:
    if "approvals" not in item:
        return 1 if effect == "ask" else 0
    value = item["approvals"]
    if effect != "ask":
        raise PolicyError(f"{where}: `approvals` belongs to `ask` rules only")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
        raise PolicyError(f"{where}: approvals must be a whole number from 1 to 10")
    return value


def _roles(item: dict[str, Any], effect: str, where: str) -> tuple[str, ...]:
    if "from_roles" not in item:
        return ()
    if effect != "ask":
        raise PolicyError(f"{where}: `from_roles` belongs to `ask` rules only")
    return tuple(sorted(strings(item["from_roles"], f"`from_roles` of {where}")))


def _unique(ids: list[str], what: str) -> None:
    dup = next((i for i, n in Counter(ids).items() if n > 1), None)
    if dup is not None:
        raise PolicyError(f"{what} `{dup}` appears twice", "policy.duplicate_id")


# ---- freeze windows and volume limit -------------------------------------------------------


def _freeze_windows(value: Any, tz: str) -> tuple[FreezeWindow, ...]:
    windows = tuple(_freeze(item, tz) for item in _list(value, "freeze_windows"))
    _unique([w.name for w in windows], "freeze window")
    return windows


def _freeze(item: Any, tz: str) -> FreezeWindow:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
        raise PolicyError("every freeze window needs a `name`")
    where = f"freeze window `{item['name']}`"
    check_keys(item, FREEZE_KEYS, where)
    zone = _timezone(item.get("timezone", tz), where)
    tiers: tuple[str, ...] = ("prod",)
    if "tiers" in item:
        tiers = tuple(sorted(strings(item["tiers"], f"`tiers` of {where}")))
        if not set(tiers) <= _TIERS:
            raise PolicyError(f"{where}: `tiers` takes prod, staging, dev, local, unknown")
    base = FreezeWindow(name=item["name"], timezone=zone, tiers=tiers)
    if "dates" in item:
        if "from" in item or "to" in item:
            raise PolicyError(f"{where} gives both `dates` and `from`/`to`; split it in two")
        return _dated(base, item["dates"], where)
    if "from" not in item or "to" not in item:
        raise PolicyError(f"{where} needs `from` and `to` (like `Fri 16:00`) or `dates`")
    from_day, from_minute = _weekly(item["from"], where)
    to_day, to_minute = _weekly(item["to"], where)
    if (from_day, from_minute) == (to_day, to_minute):
        raise PolicyError(f"{where} starts and ends at the same moment")
    return FreezeWindow(
        name=base.name,
        timezone=zone,
        from_day=from_day,
        from_minute=from_minute,
        to_day=to_day,
        to_minute=to_minute,
        tiers=tiers,
    )


def _weekly(value: Any, where: str) -> tuple[int, int]:
    m = _WHEN.match(value) if isinstance(value, str) else None
    day = m.group(1).lower() if m else ""
    if not m or not (day in _DAYS or day in _DAY_NAMES):
        raise PolicyError(f"{where}: `{value}` must be a day and a time, like `Fri 16:00`")
    hour, minute = int(m.group(2)), int(m.group(3))
    if hour > 23 or minute > 59:
        raise PolicyError(f"{where}: `{value}` is not a time of day")
    return _DAYS[day[:3]], hour * 60 + minute


def _dated(base: FreezeWindow, value: Any, where: str) -> FreezeWindow:
    if not isinstance(value, list) or not value:
        raise PolicyError(f"{where}: `dates` must be a non-empty list of `YYYY-MM-DD`")
    out = []
    for d in value:
        if isinstance(d, date) and not isinstance(d, datetime):
            out.append(d.isoformat())
            continue
        try:
            out.append(date.fromisoformat(d).isoformat())
        except (TypeError, ValueError):
            raise PolicyError(f"{where}: `{d}` is not a date like `2026-12-24`") from None
    return FreezeWindow(
        name=base.name, timezone=base.timezone, dates=tuple(sorted(set(out))), tiers=base.tiers
    )


def _volume(value: Any) -> VolumeLimit:
    if value is None:
        return VolumeLimit()
    if not isinstance(value, dict):
        raise PolicyError("`volume_limit` must be a mapping")
    check_keys(value, VOLUME_KEYS, "`volume_limit`")
    limits = {"max_destructive": 100_000, "max_fleet_percent": 100, "window_minutes": 10_080}
    for key, top in limits.items():
        v = value.get(key)
        low = 1 if key == "window_minutes" else 0
        if v is not None and (not isinstance(v, int) or isinstance(v, bool) or not low <= v <= top):
            raise PolicyError(f"`volume_limit.{key}` must be a whole number from {low} to {top}")
    return VolumeLimit(
        max_destructive=value.get("max_destructive", 0),
        max_fleet_percent=value.get("max_fleet_percent", 0),
        window_minutes=value.get("window_minutes", 60),
    )


# ---- org invariants ------------------------------------------------------------------------


def _org_invariants(text: str, approved: str | None) -> tuple[OrgInvariant, ...]:
    found = invariants_digest(text)
    expected = (approved or "").strip().lower().removeprefix("sha256:")
    if found != expected:
        raise PolicyError(
            f"`invariants.yaml` has digest `{found}` but the approved digest is "
            f"`{expected or 'none'}`; get the change approved before it takes effect",
            "policy.invariants_unapproved",
        )
    data = _document(text, "invariants.yaml")
    check_keys(data, frozenset({"version", "invariants"}), "`invariants.yaml`")
    items = tuple(_org_invariant(item) for item in _list(data.get("invariants"), "invariants"))
    _unique([i.id for i in items], "invariant id")
    return items


def _org_invariant(item: Any) -> OrgInvariant:
    iid = item.get("id") if isinstance(item, dict) else None
    if not isinstance(iid, str) or not _ORG_INVARIANT_ID.match(iid):
        raise PolicyError(f"org invariant id `{iid}` must look like `acme.invariant.what`")
    where = f"invariant `{iid}`"
    check_keys(item, INVARIANT_KEYS, where)
    if "reason" not in item:
        raise PolicyError(f"{where} needs a `reason`")
    hit = item.get("hit")
    if not isinstance(hit, list) or not hit or not all(isinstance(h, str) for h in hit):
        raise PolicyError(f"{where} needs `hit`: a non-empty list of example commands")
    block = item.get("match")
    if isinstance(block, dict):
        check_keys(block, MATCH_KEYS, f"the match of {where}")
    condition = _condition(item.get("when"), iid)
    return OrgInvariant(
        id=iid,
        match=_match(block, iid),
        condition=condition,
        reason=reason_template(item["reason"], iid),
        hit=tuple(hit),
        compiled=compile_condition(condition, iid) if condition else None,
    )


def _refuse_overrides(rules: tuple[OrgRule, ...], invariants: tuple[OrgInvariant, ...]) -> None:
    from interlock.policy.orgrules import find_overrides

    for rule_id, invariant_id, command in find_overrides(rules, invariants)[:1]:
        raise PolicyError(
            f"org rule `{rule_id}` allows what invariant `{invariant_id}` denies "
            f"(`{command}`); narrow its match, invariants cannot be weakened",
            "policy.invariant_override",
        )
