"""Storage at the edge: state the pure core receives as values.

- `StateStore` (port), `MemoryState` and `SqliteState` (adapters): kill switches, pending
  unfreeze requests, recent destructive activity for the volume limit.
- `read_kill_switches(data_dir())`: the hot-path read, one `open` of `killswitches.json`.

`SqliteState` loads `sqlite3` only when asked for, so a check that finds nothing frozen never
imports it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from interlock.store.state import (
    DATABASE,
    MemoryState,
    PendingUnfreeze,
    StateStore,
    data_dir,
    describe,
    read_kill_switches,
)

if TYPE_CHECKING:
    from interlock.store.sqlite import SqliteState

__all__ = [
    "MemoryState",
    "PendingUnfreeze",
    "SqliteState",
    "StateStore",
    "data_dir",
    "describe",
    "open_state",
    "read_kill_switches",
]


def open_state(environ: dict[str, str] | None = None) -> SqliteState:
    """The user's state store: `interlock.db` in `data_dir(environ)`, created on first use."""
    from interlock.store.sqlite import SqliteState

    return SqliteState(os.path.join(data_dir(environ), DATABASE))


def __getattr__(name: str) -> Any:
    if name == "SqliteState":
        from interlock.store.sqlite import SqliteState

        return SqliteState
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
