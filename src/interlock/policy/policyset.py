"""The organisation's policy as values: org rules, agents and grants, freeze windows, volume
limits and org invariants. Built by `interlock.policy.policyfile.load_policy(text…)`; the
empty `PolicySet()` is what a check uses when no policy directory is configured."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from interlock.model import Grant, Verdict
from interlock.policy.rules import Match


@dataclass(frozen=True, slots=True)
class OrgRule:
    """An org rule: a structural `match`, an optional CEL `when`, and an effect.

    `condition` holds the CEL source; `compiled` is filled lazily by `interlock.policy.cel`
    the first time the structural match hits (compiling costs ~1 ms; evaluating ~10 µs)."""

    id: str
    effect: Verdict
    match: Match
    condition: str = ""
    reason: str = ""
    approvals: int = 0
    from_roles: tuple[str, ...] = ()
    compiled: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class AgentEntry:
    id: str
    launched_by: str | None = None
    grant: Grant | None = None
    problems: tuple[str, ...] = ()  # why a requested grant is not effective (lint reports these)


@dataclass(frozen=True, slots=True)
class FreezeWindow:
    """A weekly window (`from_day`/`from_time` → `to_day`/`to_time`, days 1=Mon…7=Sun) or a
    list of dates (`YYYY-MM-DD`), in `timezone`."""

    name: str
    timezone: str = "UTC"
    from_day: int = 0
    from_minute: int = 0
    to_day: int = 0
    to_minute: int = 0
    dates: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ("prod",)


@dataclass(frozen=True, slots=True)
class VolumeLimit:
    max_destructive: int = 0  # 0 = no limit
    max_fleet_percent: int = 0  # 0 = no limit
    window_minutes: int = 60


@dataclass(frozen=True, slots=True)
class OrgInvariant:
    """An organisation's own invariant: a deny rule no org rule or grant may weaken."""

    id: str
    match: Match
    condition: str = ""
    reason: str = ""
    hit: tuple[str, ...] = ()
    compiled: Any = field(default=None, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class PolicySet:
    rules: tuple[OrgRule, ...] = ()
    agents: tuple[AgentEntry, ...] = ()
    templates: tuple[tuple[str, Grant], ...] = ()
    freeze_windows: tuple[FreezeWindow, ...] = ()
    volume: VolumeLimit = field(default_factory=VolumeLimit)
    invariants: tuple[OrgInvariant, ...] = ()
    timezone: str = "UTC"
    digest: str = ""  # covers policy.yaml and invariants.yaml; part of every decision

    def agent(self, agent_id: str | None) -> AgentEntry | None:
        if agent_id is None:
            return None
        for a in self.agents:
            if a.id == agent_id:
                return a
        return None


EMPTY_POLICY = PolicySet()
