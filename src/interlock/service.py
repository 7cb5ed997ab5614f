"""The one orchestrator: parse → resolve → evaluate, failing closed.

`check(call, settings)` is what every front door (CLI, batch, hooks, HTTP) calls. It never
raises for bad input or internal errors: those become an `ask` (or `deny` for unusable input)
with an error code, never an allow.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from interlock.model import (
    Decision,
    Effect,
    Finding,
    History,
    Impact,
    InterlockError,
    KillSwitch,
    Mode,
    Operation,
    Principal,
    Request,
    Tier,
    Verdict,
)
from interlock.policy.evaluate import combine, evaluate
from interlock.policy.index import RuleIndex
from interlock.policy.policyset import EMPTY_POLICY, PolicySet
from interlock.resolve import EMPTY, EnvMap, resolve

if TYPE_CHECKING:
    from interlock.impact.model import Snapshot

MAX_INPUT = 1 << 20  # 1 MiB of command text
DEFAULT_BUDGET = 2.0  # seconds for one proposal, lazy imports included


@dataclass(frozen=True, slots=True)
class CheckCall:
    """One proposal: a shell command or a bare SQL statement."""

    command: str | None = None
    sql: str | None = None
    mode: Mode = Mode.WORKSTATION
    env: Tier | None = None
    id: str | None = None
    agent: str | None = None  # the acting agent's principal id, e.g. `agent:deploy-bot`
    launched_by: str | None = None
    now: datetime | None = None  # defaults to the settings' clock
    impact: Impact | None = None


def _no_kill_switches() -> tuple[KillSwitch, ...]:
    return ()


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a check needs besides the call. `kill_switches` and `history` are the edges
    to the state store (read on every check / only for destructive proposals)."""

    rules: RuleIndex
    envmap: EnvMap = EMPTY
    base_env: tuple[tuple[str, str], ...] = ()
    budget: float = DEFAULT_BUDGET
    clock: object = field(default=time.perf_counter)
    policy: PolicySet = EMPTY_POLICY
    now: Callable[[], datetime] = _utcnow
    kill_switches: Callable[[], tuple[KillSwitch, ...]] = _no_kill_switches
    history: Callable[[str, datetime, int], History] | None = None
    record: Callable[[str, int, tuple[str, ...], datetime], None] | None = None
    protected_paths: tuple[str, ...] = ()  # the policy and data directories in use
    # the inventory snapshot state changes are simulated on (loaded on first use), or None
    inventory: Callable[[], Snapshot | None] | None = None


def check(call: CheckCall, settings: Settings) -> Decision:
    try:
        ops = operations(call, settings)
        ops = resolve(ops, settings.envmap, call.env)
        ops, call = simulated(ops, call, settings)
        request = build_request(call, settings, ops)
        decision = evaluate(ops, settings.rules, call.mode, settings.policy, request)
        _remember(decision, request, settings)
        return decision
    except InterlockError as exc:
        return failed(call.mode, exc.code, exc.message)
    except RecursionError:
        return failed(
            call.mode,
            "internal.budget",
            "the command nests too deeply to analyze; it needs a human",
        )
    except Exception as exc:  # fail closed on any bug
        return failed(
            call.mode, "internal.error", f"internal error ({type(exc).__name__}); it needs a human"
        )


def operations(call: CheckCall, settings: Settings) -> list[Operation]:
    from interlock.parse import analyze_sql
    from interlock.parse.shell import Budget, analyze_shell

    text = call.command if call.command is not None else call.sql
    if text is None:
        raise InterlockError("give a `command` or a `sql` statement to check", "input.empty")
    if len(text) > MAX_INPUT:
        raise InterlockError(
            f"the proposal is {len(text)} bytes; the limit is {MAX_INPUT}", "input.too_large"
        )
    clock = settings.clock if callable(settings.clock) else time.perf_counter
    budget = Budget(deadline=clock() + settings.budget)
    if call.command is not None:
        return analyze_shell(call.command, env=settings.base_env, budget=budget)
    return analyze_sql(text)


def simulated(
    ops: list[Operation], call: CheckCall, settings: Settings
) -> tuple[list[Operation], CheckCall]:
    """With an inventory and a proposal that changes state: the operations with the tiers the
    inventory knows, and the call with the simulation's impact (a caller's own impact, such as
    the AWS twin's, is kept). Reads and settings without an inventory cost nothing."""
    if settings.inventory is None or all(op.effect is Effect.READ for op in ops):
        return ops, call
    snapshot = settings.inventory()
    if snapshot is None:
        return ops, call
    from interlock.impact.simulate import simulate

    sim = simulate(ops, snapshot)
    if call.impact is None:
        call = replace(call, impact=sim.impact)
    return list(sim.ops), call


def build_request(call: CheckCall, settings: Settings, ops: list[Operation]) -> Request:
    """Who acts, when, and the state that matters: kill switches always, history only when
    the proposal destroys something and a volume limit is set."""
    now = call.now or settings.now()
    agent = Principal(call.agent, call.launched_by) if call.agent else None
    history = History()
    volume = settings.policy.volume
    destroys = sum(1 for op in ops if op.effect is Effect.DESTROY)
    if (
        destroys
        and agent
        and settings.history
        and (volume.max_destructive or volume.max_fleet_percent)
    ):
        history = settings.history(agent.id, now, volume.window_minutes)
    return Request(
        now=now,
        agent=agent,
        impact=call.impact or Impact(),
        history=history,
        kill=settings.kill_switches(),
        protected_paths=settings.protected_paths,
    )


def _remember(decision: Decision, request: Request, settings: Settings) -> None:
    """Count what an agent was allowed to destroy, for the volume limit."""
    if settings.record is None or request.agent is None or decision.verdict is not Verdict.ALLOW:
        return
    destroyed = [op for op in decision.operations if op.effect is Effect.DESTROY]
    if destroyed:
        names = tuple(f"{t.kind}:{t.name}" for op in destroyed for t in op.targets)
        settings.record(request.agent.id, len(destroyed), names, request.now)


def failed(mode: Mode, code: str, message: str) -> Decision:
    """A fail-closed decision: ask a human, naming the error."""
    op = Operation(
        family="interlock",
        action="error",
        effect=Effect.UNKNOWN,
        program="interlock",
        tags=frozenset({"internal-error"}),
        summary=message,
    )
    finding = Finding(code, Verdict.ASK, message, 1, "errors")
    decision = combine((op,), (finding,), mode)
    return Decision(
        verdict=decision.verdict,
        reason=decision.reason,
        rules=decision.rules,
        operations=decision.operations,
        digest=decision.digest,
        approvals=decision.approvals,
        findings=decision.findings,
        errors=(code,),
        mode=mode,
        layer="errors",
    )


def default_settings() -> Settings:
    """Settings with the default rule packs, no environment map and nothing inherited."""
    from interlock.policy.packs import load_index

    return Settings(rules=load_index())
