"""Interlock: a safety interlock between AI agents and production infrastructure.

The public API is small and stable: build a `CheckCall`, get a `Decision`.

    >>> from interlock import CheckCall, check, default_settings
    >>> check(CheckCall(command="kubectl --context prod-eu delete ns payments"), default_settings()).verdict
    <Verdict.DENY: 'deny'>

Names are imported lazily so that `import interlock` costs nothing on a hook's hot path.
"""

from __future__ import annotations

# `typing` costs about 5 ms of every hook call: only the type checker imports it here
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from interlock.model import (
        Command,
        Decision,
        Effect,
        Finding,
        InterlockError,
        Mode,
        Operation,
        Target,
        Tier,
        Verdict,
    )
    from interlock.service import CheckCall, Settings, check, default_settings

__all__ = [
    "CheckCall",
    "Command",
    "Decision",
    "Effect",
    "Finding",
    "InterlockError",
    "Mode",
    "Operation",
    "Settings",
    "Target",
    "Tier",
    "Verdict",
    "check",
    "default_settings",
]

_SERVICE = frozenset({"CheckCall", "Settings", "check", "default_settings"})


def __getattr__(name: str) -> Any:
    if name in _SERVICE:
        from interlock import service

        return getattr(service, name)
    if name in __all__:
        from interlock import model

        return getattr(model, name)
    raise AttributeError(f"module 'interlock' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
