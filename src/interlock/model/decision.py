"""A decision: the verdict, why, and which rules said so."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from interlock.model.action import Operation
from interlock.model.policy import Impact


class Verdict(str, Enum):
    ALLOW = "allow"
    ASK = "ask"
    DENY = "deny"


class Mode(str, Enum):
    WORKSTATION = "workstation"
    GATEWAY = "gateway"


EXIT_CODES = {Verdict.ALLOW: 0, Verdict.DENY: 2, Verdict.ASK: 3}


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that fired on one operation."""

    rule: str
    verdict: Verdict
    reason: str
    approvals: int = 0
    layer: str = "rules"  # invariants | rules | grant | defaults | errors


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reason: str
    rules: tuple[str, ...]
    operations: tuple[Operation, ...]
    digest: str
    approvals: int = 0
    findings: tuple[Finding, ...] = ()
    errors: tuple[str, ...] = ()
    mode: Mode = Mode.WORKSTATION
    layer: str = "defaults"  # invariants | rules | grant | defaults | errors
    policy_digest: str = ""
    impact: Impact | None = None  # what a simulation found, when one ran

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]
