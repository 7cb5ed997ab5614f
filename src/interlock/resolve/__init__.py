"""Resolution: give every target a tier, from the environment map, then from names.

Order for one target (the first that answers wins):
1. location scope values (context, cluster, profile, account, project, subscription, workspace,
   stack, env, host, url) through the map, then through name heuristics — the most severe;
2. a tier the analyzer already set (a relative path is local);
3. identifying names (the target's name, namespace, database, branch, resource group) through
   the map, then heuristics;
4. unknown.
A tier forced for the whole check (`--env`) overrides all of it.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import TIER_RANK, Effect, Operation, Target, Tier
from interlock.resolve.envmap import EMPTY, SCOPE_LISTS, EnvMap, load_envmap
from interlock.resolve.heuristics import guess_tier

LOCATION = (
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
    "url",
)
NAMES = ("namespace", "database", "branch", "resource_group")


def resolve(
    ops: list[Operation], envmap: EnvMap = EMPTY, forced: Tier | None = None
) -> list[Operation]:
    """The same operations with every target's tier filled in."""
    return [_resolve_op(op, envmap, forced) for op in ops]


def _resolve_op(op: Operation, envmap: EnvMap, forced: Tier | None) -> Operation:
    if forced is not None:
        targets = tuple(replace(t, tier=forced) for t in op.targets)
        if not targets and op.effect is not Effect.READ:
            targets = (Target.make("environment", forced.value, tier=forced),)
        return replace(op, targets=targets)
    if not op.targets:
        return op
    targets = tuple(resolve_target(t, envmap) for t in op.targets)
    if all(a is b for a, b in zip(targets, op.targets, strict=True)):
        return op
    return replace(op, targets=targets)


def resolve_target(t: Target, envmap: EnvMap) -> Target:
    tier = _most_severe(_tiers(t, LOCATION, envmap))
    if tier is None and t.tier is not Tier.UNKNOWN:
        return t
    if tier is None:
        names = list(_tiers(t, NAMES, envmap))
        if t.kind not in ("path", "branch"):
            names.append(
                envmap.lookup(("names",), t.name)
                or (guess_tier(t.name) if envmap.heuristics else None)
            )
        if t.kind == "branch" or t.get("branch"):
            names.append(_branch_tier(t.get("branch") or t.name, envmap))
        tier = _most_severe(names)
    tier = tier or Tier.UNKNOWN
    return t if tier is t.tier else replace(t, tier=tier)


def _tiers(t: Target, keys: tuple[str, ...], envmap: EnvMap) -> list[Tier | None]:
    out: list[Tier | None] = []
    for key, value in t.scope:
        if key not in keys:
            continue
        lists = SCOPE_LISTS.get(key, ()) + ("names",)
        found = envmap.lookup(lists, value)
        if found is None and envmap.heuristics and key != "branch":
            found = guess_tier(value)
        out.append(found)
    return out


def _branch_tier(branch: str, envmap: EnvMap) -> Tier | None:
    import fnmatch

    found = envmap.lookup(("branches",), branch)
    if found is not None:
        return found
    if any(fnmatch.fnmatchcase(branch, p) for p in envmap.protected_branches):
        return Tier.PROD
    return None


def _most_severe(tiers: list[Tier | None]) -> Tier | None:
    known = [t for t in tiers if t is not None]
    if not known:
        return None
    return max(known, key=TIER_RANK.__getitem__)


__all__ = ["EMPTY", "EnvMap", "guess_tier", "load_envmap", "resolve", "resolve_target"]
