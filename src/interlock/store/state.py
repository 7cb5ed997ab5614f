"""The state a check reads besides its arguments: kill switches and recent destructive activity.

`StateStore` is the port; `MemoryState` is its in-memory adapter and `SqliteState`
(`interlock.store.sqlite`) the default one. One contract suite (tests/test_state.py) runs on both.

The hot path does not open the database to learn that nothing is frozen: every write to the kill
switches also replaces `killswitches.json` in the data directory, and `read_kill_switches`
reads that file with one `open`. A missing file means nothing is frozen; a file that cannot be
read or parsed stops every agent (fail closed).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from interlock.model.policy import History, KillSwitch

MIRROR = "killswitches.json"
DATABASE = "interlock.db"
SCOPES = ("agent", "all", "env")
UNREADABLE = KillSwitch(scope="all", reason="kill-switch state unreadable")


@dataclass(frozen=True, slots=True)
class PendingUnfreeze:
    """A request to lift a kill switch that waits for approval (gateway mode)."""

    id: int
    scope: str
    value: str
    requested_by: str
    at: str


class StateStore(Protocol):
    """Kill switches, pending unfreeze requests and the recent-activity history."""

    def kill_switches(self) -> tuple[KillSwitch, ...]: ...

    def freeze(self, switch: KillSwitch) -> None:
        """Set a kill switch; setting one that is already set keeps the first."""

    def unfreeze(self, scope: str, value: str, by: str) -> bool:
        """Lift a kill switch; False when it was not set."""

    def request_unfreeze(self, scope: str, value: str, by: str, now: datetime) -> PendingUnfreeze:
        """Record a request to lift a kill switch; asking twice returns the first request."""

    def pending_unfreezes(self) -> tuple[PendingUnfreeze, ...]: ...

    def record(
        self, agent_id: str, destructive: int, targets: Sequence[str], now: datetime
    ) -> None:
        """Remember that `agent_id` ran `destructive` destructive operations on `targets`."""

    def history(self, agent_id: str, now: datetime, window_minutes: int) -> History:
        """Activity in `(now - window, now]`: destructive operations and distinct targets."""


def data_dir(environ: dict[str, str] | None = None) -> str:
    """`$INTERLOCK_DATA_DIR`, else `$XDG_DATA_HOME/interlock`, else `~/.local/share/interlock`."""
    env = os.environ if environ is None else environ
    if env.get("INTERLOCK_DATA_DIR"):
        return env["INTERLOCK_DATA_DIR"]
    if env.get("XDG_DATA_HOME"):
        return os.path.join(env["XDG_DATA_HOME"], "interlock")
    return os.path.join(os.path.expanduser("~"), ".local", "share", "interlock")


def read_kill_switches(directory: str) -> tuple[KillSwitch, ...]:
    """The kill switches in force, from the mirror file: one `open`, no database."""
    try:
        with open(os.path.join(directory, MIRROR), "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        return ()
    except OSError:
        return (UNREADABLE,)
    if raw.strip() == b"[]":
        return ()
    try:
        return decode_switches(raw)
    except ValueError:
        return (UNREADABLE,)


def decode_switches(raw: bytes) -> tuple[KillSwitch, ...]:
    """Parse the mirror file; ValueError for anything but a list of switch objects."""
    import json

    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(data, list) or not data:
        raise ValueError("not a non-empty list")
    return tuple(_switch(item) for item in data)


def _switch(item: Any) -> KillSwitch:
    fields = ("scope", "value", "reason", "set_by", "at")
    if not isinstance(item, dict) or not isinstance(item.get("scope"), str):
        raise ValueError("not a kill switch")
    if set(item) - set(fields) or not all(isinstance(v, str) for v in item.values()):
        raise ValueError("not a kill switch")
    return KillSwitch(**item)


def encode_switches(switches: Sequence[KillSwitch]) -> bytes:
    import json

    rows = [
        {"scope": s.scope, "value": s.value, "reason": s.reason, "set_by": s.set_by, "at": s.at}
        for s in switches
    ]
    return (json.dumps(rows, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def write_mirror(directory: str, switches: Sequence[KillSwitch]) -> None:
    """Replace the mirror atomically: readers see the old file or the new one, never a part."""
    path = os.path.join(directory, MIRROR)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(encode_switches(switches))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def describe(switch: KillSwitch) -> str:
    """What a kill switch stops, for a reason line: "agent `x` is frozen by alice: why"."""
    match switch.scope:
        case "all":
            what = "every agent is frozen"
        case "agent":
            what = f"agent `{switch.value}` is frozen"
        case "env":
            what = f"every agent against {switch.value} is frozen"
        case _:
            what = f"every agent is frozen (unknown kill-switch scope `{switch.scope}`)"
    by = f" by {switch.set_by}" if switch.set_by else ""
    why = f": {switch.reason}" if switch.reason else ""
    return f"{what}{by}{why}"


def timestamp(now: datetime) -> str:
    """UTC, fixed width, so that text order is time order (`2026-01-02T03:04:05.000000Z`)."""
    return utc(now).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def utc(now: datetime) -> datetime:
    # a naive clock is taken to be UTC rather than the machine's local time
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def window_start(now: datetime, window_minutes: int) -> str:
    return timestamp(utc(now) - timedelta(minutes=max(window_minutes, 0)))


def summarize(rows: Sequence[tuple[int, Sequence[str]]]) -> History:
    """Fold activity rows `(destructive, targets)` into a `History`."""
    touched = {t for _count, targets in rows for t in targets}
    return History(destructive_ops=sum(c for c, _t in rows), fleet_touched=len(touched))


class MemoryState:
    """`StateStore` in memory, for tests and for one-shot checks with no data directory."""

    def __init__(self) -> None:
        self._switches: dict[tuple[str, str], KillSwitch] = {}
        self._pending: list[PendingUnfreeze] = []
        self._activity: list[tuple[str, str, int, tuple[str, ...]]] = []
        self._next_id = 1

    def kill_switches(self) -> tuple[KillSwitch, ...]:
        return tuple(self._switches[k] for k in sorted(self._switches))

    def freeze(self, switch: KillSwitch) -> None:
        self._switches.setdefault((switch.scope, switch.value), switch)

    def unfreeze(self, scope: str, value: str, by: str) -> bool:
        self._pending = [p for p in self._pending if (p.scope, p.value) != (scope, value)]
        return self._switches.pop((scope, value), None) is not None

    def request_unfreeze(self, scope: str, value: str, by: str, now: datetime) -> PendingUnfreeze:
        for p in self._pending:
            if (p.scope, p.value) == (scope, value):
                return p
        request = PendingUnfreeze(self._next_id, scope, value, by, timestamp(now))
        self._next_id += 1
        self._pending.append(request)
        return request

    def pending_unfreezes(self) -> tuple[PendingUnfreeze, ...]:
        return tuple(self._pending)

    def record(
        self, agent_id: str, destructive: int, targets: Sequence[str], now: datetime
    ) -> None:
        self._activity.append((agent_id, timestamp(now), destructive, tuple(targets)))

    def history(self, agent_id: str, now: datetime, window_minutes: int) -> History:
        start, end = window_start(now, window_minutes), timestamp(now)
        rows = [(c, t) for a, at, c, t in self._activity if a == agent_id and start < at <= end]
        return summarize(rows)


def stamped(switch: KillSwitch, now: datetime) -> KillSwitch:
    """The switch with its `at` filled in from the clock when it has none."""
    return switch if switch.at else replace(switch, at=timestamp(now))
