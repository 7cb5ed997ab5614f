"""Tool analyzers: one module per family, loaded lazily by program name.

An analyzer is `analyze(cmd: Command, ctx: Context) -> list[Operation]`. It never raises on odd
input (the caller still wraps it and fails closed), never does I/O, and answers at least one
operation for any command it is given. The program → module map lives in `_registry.py` so
that importing this package costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from interlock.model import Command, Operation
from interlock.parse.tools._registry import PROGRAMS, module_for

Analyzer = Callable[[Command, "Context"], list[Operation]]


@dataclass(slots=True)
class Context:
    """What an analyzer may call back into.

    `shell(text, cmd)` analyzes shell code embedded in an argument (e.g. a script passed to an
    interpreter), keeping the host/env of `cmd`. `depth` guards recursion.
    """

    shell: Callable[[str, Command], list[Operation]]
    depth: int = 0
    notes: list[str] = field(default_factory=list)


_cache: dict[str, Analyzer] = {}


def analyzer_for(program: str) -> Analyzer:
    """The analyzer for `program`, falling back to the generic CLI model."""
    mod = module_for(program)
    fn = _cache.get(mod)
    if fn is None:
        fn = importlib.import_module(f"interlock.parse.tools.{mod}").analyze
        _cache[mod] = fn
    return fn


__all__ = ["PROGRAMS", "Analyzer", "Context", "analyzer_for"]
