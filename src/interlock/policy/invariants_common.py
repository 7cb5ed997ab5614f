"""Helpers shared by the invariant checks: the finding they all return, and how they name an
operation in a reason."""

from __future__ import annotations

from interlock.model import Finding, Operation, Tier, Verdict

LAYER = "invariants"


def deny(rule: str, reason: str) -> Finding:
    """A layer-1 finding: always a deny, never overridable."""
    return Finding(rule, Verdict.DENY, reason, 0, LAYER)


def what(op: Operation) -> str:
    """`deletes namespace `payments` (prod)`: the operation as a human reads it."""
    text = op.summary or f"{op.program} {op.action}".strip()
    tier = op.tier
    return text if tier is Tier.UNKNOWN else f"{text} ({tier.value})"


def is_prod(op: Operation) -> bool:
    return op.tier is Tier.PROD
