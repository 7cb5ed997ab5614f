"""What each mode does when no rule fires (see docs/adr/0001-default-verdicts.md).

| effect \\ mode | workstation                                   | gateway                    |
|---------------|-----------------------------------------------|----------------------------|
| read          | allow                                         | allow                      |
| write         | allow; ask on prod                            | ask                        |
| destroy       | allow on local; deny on prod; otherwise ask   | ask with 2 approvals       |
| unknown       | allow; ask on prod                            | ask                        |
"""

from __future__ import annotations

from interlock.model import Effect, Finding, Mode, Operation, Tier, Verdict


def default_finding(op: Operation, mode: Mode) -> Finding | None:
    """The default for one operation, or None when it is a plain allow."""
    tier = op.tier
    if "internal-error" in op.tags:
        return Finding(
            "default.internal-error",
            Verdict.ASK,
            f"{_what(op)} could not be analyzed",
            1,
            "defaults",
        )
    if mode is Mode.GATEWAY:
        return _gateway(op, tier)
    return _workstation(op, tier)


def _workstation(op: Operation, tier: Tier) -> Finding | None:
    match op.effect:
        case Effect.READ:
            return None
        case Effect.DESTROY if tier is Tier.PROD:
            return Finding(
                "default.prod-destroy",
                Verdict.DENY,
                f"{_what(op)} destroys a production target",
                0,
                "defaults",
            )
        case Effect.DESTROY if tier is not Tier.LOCAL:
            return Finding(
                "default.destroy",
                Verdict.ASK,
                f"{_what(op)} destroys something outside this machine",
                1,
                "defaults",
            )
        case Effect.WRITE | Effect.UNKNOWN if tier is Tier.PROD:
            return Finding(
                "default.prod-change",
                Verdict.ASK,
                f"{_what(op)} changes a production target",
                1,
                "defaults",
            )
        case _:
            return None


def _gateway(op: Operation, tier: Tier) -> Finding | None:
    match op.effect:
        case Effect.READ:
            return None
        case Effect.DESTROY:
            return Finding(
                "default.destroy", Verdict.ASK, f"{_what(op)} destroys state", 2, "defaults"
            )
        case Effect.WRITE:
            return Finding(
                "default.change", Verdict.ASK, f"{_what(op)} changes state", 1, "defaults"
            )
        case _:
            return Finding(
                "default.unknown",
                Verdict.ASK,
                f"{_what(op)} does something Interlock cannot see",
                1,
                "defaults",
            )


def _what(op: Operation) -> str:
    return op.summary or f"`{op.program}`"
