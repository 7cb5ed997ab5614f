"""`invariant.volume-limit` and `invariant.freeze-window`: limits that depend on what the agent
did recently (`Request.history`) and on the clock (`Request.now`), both passed in."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from interlock.model import Effect, Finding, History, Operation
from interlock.policy.invariants_common import deny, what
from interlock.policy.policyset import FreezeWindow, VolumeLimit

VOLUME = "invariant.volume-limit"
FREEZE = "invariant.freeze-window"

_DAYS = ("", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_CHANGES = (Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN)


# ---- volume-limit -----------------------------------------------------------------------------


def volume_findings(
    ops: Sequence[Operation], history: History, limit: VolumeLimit
) -> list[Finding]:
    """More destroys per agent per window than `max_destructive`, or more of a fleet than
    `max_fleet_percent` (0 turns either off). Counts this proposal on top of the history."""
    destroys = [op for op in ops if op.effect is Effect.DESTROY]
    if not destroys:
        return []
    out: list[Finding] = []
    total = history.destructive_ops + len(destroys)
    if limit.max_destructive > 0 and total > limit.max_destructive:
        reason = (
            f"{total} destructive operations in {limit.window_minutes} minutes "
            f"({history.destructive_ops} already, {len(destroys)} now) exceed the limit of "
            f"{limit.max_destructive}; stop and let a human review what was done"
        )
        out.append(deny(VOLUME, reason))
    touched = history.fleet_touched + len({(t.kind, t.name) for op in destroys for t in op.targets})
    size = history.fleet_size
    if limit.max_fleet_percent > 0 and size > 0 and touched * 100 > limit.max_fleet_percent * size:
        reason = (
            f"this would touch {touched} of {size} members of the fleet in "
            f"{limit.window_minutes} minutes, more than {limit.max_fleet_percent}%; "
            f"roll out in smaller steps and let a human review"
        )
        out.append(deny(VOLUME, reason))
    return out


# ---- freeze-window ----------------------------------------------------------------------------


def freeze_findings(
    ops: Sequence[Operation],
    now: datetime,
    windows: Sequence[FreezeWindow],
    default_tz: str = "UTC",
) -> list[Finding]:
    """State changes to a frozen tier while `now` falls in one of the windows."""
    out: list[Finding] = []
    for window in windows:
        active, when = in_window(window, now, default_tz)
        if not active:
            continue
        for op in ops:
            if op.effect in _CHANGES and _tiers(op) & set(window.tiers):
                reason = (
                    f"{what(op)} changes a frozen environment: freeze window `{window.name}` "
                    f"({when}); wait until it ends, or a human makes the change"
                )
                out.append(deny(FREEZE, reason))
    return out


def in_window(window: FreezeWindow, now: datetime, default_tz: str = "UTC") -> tuple[bool, str]:
    """(whether `now` is inside `window`, a phrase saying when the window is). A time zone that
    does not exist freezes: a window that cannot be evaluated fails closed."""
    tz_name = window.timezone or default_tz
    try:
        zone = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return True, f"unknown time zone `{tz_name}`, so the window is treated as on"
    aware = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
    local = aware.astimezone(zone)
    if local.date().isoformat() in window.dates:
        return True, f"{local.date().isoformat()} in {tz_name}"
    if not 1 <= window.from_day <= 7 or not 1 <= window.to_day <= 7:
        return False, ""
    start = (window.from_day - 1) * 1440 + window.from_minute
    end = (window.to_day - 1) * 1440 + window.to_minute
    minute = (local.isoweekday() - 1) * 1440 + local.hour * 60 + local.minute
    inside = start <= minute < end if start <= end else (minute >= start or minute < end)
    phrase = f"{_day(window.from_day, window.from_minute)} to {_day(window.to_day, window.to_minute)} {tz_name}"
    return inside, phrase


def _day(day: int, minute: int) -> str:
    return f"{_DAYS[day]} {minute // 60 % 24:02d}:{minute % 60:02d}"


def _tiers(op: Operation) -> set[str]:
    return {op.tier.value, *(t.tier.value for t in op.targets)}
