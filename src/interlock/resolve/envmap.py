"""The environment map: which contexts, profiles, accounts, workspaces, hosts and branches are
prod, staging, dev or local.

The user writes it as YAML (see docs/environments.md); `load_envmap(text)` validates it into a
frozen `EnvMap`. Unknown keys are errors, so a typo never silently leaves prod unprotected.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any

from interlock.model import InputError, Tier

# scope key in a Target → the list in the map that names its values
SCOPE_LISTS: dict[str, tuple[str, ...]] = {
    "context": ("contexts", "clusters"),
    "cluster": ("clusters", "contexts"),
    "namespace": ("namespaces",),
    "profile": ("profiles",),
    "account": ("accounts",),
    "project": ("projects",),
    "subscription": ("subscriptions",),
    "resource_group": ("resource_groups",),
    "workspace": ("workspaces",),
    "stack": ("stacks",),
    "env": ("envs",),
    "host": ("hosts",),
    "url": ("hosts", "urls"),
    "database": ("databases",),
    "remote": ("remotes",),
    "branch": ("branches",),
    "region": ("regions",),
}
LISTS = frozenset(n for names in SCOPE_LISTS.values() for n in names) | {"names"}
TIER_ORDER = (Tier.PROD, Tier.STAGING, Tier.DEV, Tier.LOCAL)


@dataclass(frozen=True, slots=True)
class EnvMap:
    """tier → list name → compiled patterns (case-insensitive globs)."""

    tiers: tuple[tuple[Tier, tuple[tuple[str, re.Pattern[str]], ...]], ...] = ()
    heuristics: bool = True
    protected_branches: tuple[str, ...] = (
        "main",
        "master",
        "trunk",
        "production",
        "prod",
        "release/*",
        "releases/*",
        "live",
    )

    def lookup(self, lists: tuple[str, ...], value: str) -> Tier | None:
        """The tier the map gives `value` through any of `lists` (most severe first)."""
        low = value.lower()
        for tier, entries in self.tiers:
            for name, pattern in entries:
                if name in lists and pattern.match(low):
                    return tier
        return None


EMPTY = EnvMap()


def load_envmap(data: Any) -> EnvMap:
    """Validate parsed YAML (a mapping) into an `EnvMap`."""
    if data is None:
        return EMPTY
    if not isinstance(data, dict):
        raise InputError("the environment map must be a mapping with a `tiers` key", "input.envmap")
    unknown = set(data) - {"tiers", "heuristics", "protected_branches", "version"}
    if unknown:
        raise InputError(
            f"unknown key `{sorted(unknown)[0]}` in the environment map; "
            "expected tiers, heuristics, protected_branches",
            "input.envmap",
        )
    tiers = data.get("tiers") or {}
    if not isinstance(tiers, dict):
        raise InputError("`tiers` must map a tier name to lists of names", "input.envmap")
    compiled = []
    for tier in TIER_ORDER:
        section = tiers.get(tier.value)
        if section is not None:
            compiled.append((tier, _compile_section(tier, section)))
    extra = set(tiers) - {t.value for t in TIER_ORDER}
    if extra:
        raise InputError(
            f"unknown tier `{sorted(extra)[0]}`; use prod, staging, dev or local", "input.envmap"
        )
    heur = data.get("heuristics", True)
    if not isinstance(heur, bool):
        raise InputError("`heuristics` must be true or false", "input.envmap")
    branches = data.get("protected_branches", list(EMPTY.protected_branches))
    if not isinstance(branches, list) or not all(isinstance(b, str) for b in branches):
        raise InputError("`protected_branches` must be a list of names", "input.envmap")
    return EnvMap(tiers=tuple(compiled), heuristics=heur, protected_branches=tuple(branches))


def _compile_section(tier: Tier, section: Any) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if not isinstance(section, dict):
        raise InputError(f"tier `{tier.value}` must map list names to patterns", "input.envmap")
    out = []
    for name, values in section.items():
        if name not in LISTS:
            raise InputError(
                f"unknown list `{name}` under tier `{tier.value}`; expected one of "
                f"{', '.join(sorted(LISTS))}",
                "input.envmap",
            )
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list):
            raise InputError(f"`{tier.value}.{name}` must be a list", "input.envmap")
        for v in values:
            out.append((name, re.compile(fnmatch.translate(str(v).lower()))))
    return tuple(out)
