"""CEL conditions of org rules and org invariants: compile once, evaluate fast, fail closed.

The `common-expression-language` package's `__init__` imports a CLI (about 500 ms); only its
compiled module `cel.cel` is loaded, straight from the extension file, the way
`interlock.parse._grammar` loads tree-sitter-bash. Compiled programs are cached per process,
keyed by source, so a condition is compiled at most once however many checks run.

Variables (docs/policy.md): `op`, `agent`, `mode`, `time` (in the policy's time zone),
`impact` and `proposal`. `holds` answers None when a condition cannot be evaluated (a missing
field, a type error, a result that is not a bool); the caller decides how to fail closed.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from interlock.model import Effect, Mode, Operation, PolicyError, Request

_MODULE = "cel.cel"
_cel: ModuleType | None = None
_programs: dict[str, Any] = {}


def load_cel() -> ModuleType:
    """The compiled CEL module (`compile`, `Program`), loaded once without the package CLI."""
    global _cel
    if _cel is None:
        _cel = sys.modules.get(_MODULE) or _load_extension()
    return _cel


def _load_extension() -> ModuleType:
    spec = importlib.util.find_spec("cel")
    if spec is None or not spec.submodule_search_locations:
        raise PolicyError(
            "CEL conditions need `common-expression-language`; run `pip install interlock`",
            "policy.cel",
        )
    pkg_dir = next(iter(spec.submodule_search_locations))
    for name in sorted(os.listdir(pkg_dir)):
        if name.startswith("cel.") and name.endswith((".so", ".pyd")):
            path = os.path.join(pkg_dir, name)
            loader = importlib.machinery.ExtensionFileLoader(_MODULE, path)
            mspec = importlib.util.spec_from_loader(_MODULE, loader)
            if mspec is not None:
                mod = importlib.util.module_from_spec(mspec)
                loader.exec_module(mod)
                sys.modules[_MODULE] = mod
                return mod
    import cel  # a layout we do not know: pay for the package import, still correct

    return cel


def compile_condition(src: str, rule_id: str) -> Any:
    """The compiled program for `src` (cached); `policy.cel` naming the rule on a syntax error."""
    program = _programs.get(src)
    if program is None:
        try:
            program = load_cel().compile(src)
        except (ValueError, RuntimeError, TypeError) as exc:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise PolicyError(
                f"the `when` condition of `{rule_id}` is not valid CEL: {first}", "policy.cel"
            ) from None
        _programs[src] = program
    return program


def holds(src: str, rule_id: str, act: dict[str, Any]) -> bool | None:
    """Whether the condition holds for `act`; None when it cannot be evaluated."""
    try:
        result = compile_condition(src, rule_id).execute(act)
    except Exception:  # any evaluation error: the caller fails closed
        return None
    return result if isinstance(result, bool) else None


def activation(
    op: Operation,
    request: Request,
    mode: Mode,
    ops: Sequence[Operation],
    timezone: str,
    grant: str = "",
) -> dict[str, Any]:
    """The CEL variables for one operation of a proposal (docs/policy.md, "Org rules")."""
    act = static_activation(op, mode, ops)
    agent = request.agent
    act["agent"] = {
        "id": agent.id if agent else "",
        "launched_by": (agent.launched_by or "") if agent else "",
        "grant": grant,
    }
    act["time"] = time_vars(request.now, timezone)
    impact = request.impact
    act["impact"] = {
        "deleted": impact.deleted,
        "services_impaired": impact.services_impaired,
        "data_without_backup": impact.data_without_backup,
        "restore_minutes": impact.restore_minutes,
        "simulated": impact.simulated,
        "env_root_teardown": impact.env_root_teardown,
        "tiers": sorted(impact.tiers),
    }
    return act


def static_activation(op: Operation, mode: Mode, ops: Sequence[Operation]) -> dict[str, Any]:
    """The variables known without a request: `op`, `mode` and `proposal` (no agent, time or
    impact, so a condition on those cannot be evaluated: the load-time override check)."""
    return {
        "op": op_vars(op),
        "mode": mode.value,
        "proposal": {
            "operations": len(ops),
            "destroys": sum(1 for o in ops if o.effect is Effect.DESTROY),
        },
    }


def op_vars(op: Operation) -> dict[str, Any]:
    return {
        "family": op.family,
        "action": op.action,
        "effect": op.effect.value,
        "program": op.program,
        "tier": op.tier.value,
        "tags": sorted(op.tags),
        "targets": [
            {"kind": t.kind, "name": t.name, "tier": t.tier.value, "scope": dict(t.scope)}
            for t in op.targets
        ],
        "text": op.text,
    }


def time_vars(now: datetime, timezone: str) -> dict[str, Any]:
    """`hour`, `minute`, `weekday` (1=Mon…7=Sun) and `date` of `now` in `timezone`; a naive
    `now` is taken as UTC."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    local = now.astimezone(_zone(timezone))
    return {
        "hour": local.hour,
        "minute": local.minute,
        "weekday": local.isoweekday(),
        "date": local.date().isoformat(),
    }


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)
