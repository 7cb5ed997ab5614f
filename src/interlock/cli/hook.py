"""`interlock hook AGENT`: answer one tool call in the agent's own hook protocol.

    interlock hook claude-code|codex|cursor|gemini|kiro|copilot
        [--mode workstation|gateway] [--env TIER] [--envmap FILE] [--rules DIR]…
        [--timeout SECONDS]

Reads the agent's hook JSON on stdin and writes its answer on stdout, stderr and the exit code
(see `interlock.adapters.hooks`). Settings are those of `interlock check`; the mode is
workstation unless `--mode` or `INTERLOCK_MODE` says otherwise.

Fails closed: a bad option, bad JSON, a missing field, an internal error or no decision within
`--timeout` seconds (default 8) all answer deny in the agent's protocol. The check runs in a
daemon thread so a hang still gets its deny out before the agent's own hook timeout, which for
most agents would let the call run. Nothing heavy is imported before stdin has been read, and
no argparse: this runs on every tool call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

USAGE = """usage: interlock hook AGENT [--mode workstation|gateway] [--env TIER] [--envmap FILE]
                      [--rules DIR]... [--timeout SECONDS]

Answer one tool call in AGENT's hook protocol (stdin to stdout); any failure answers deny.
agents: {agents}
See docs/hooks.md for each agent's settings snippet."""

_VALUED = ("--mode", "--env", "--envmap", "--rules", "--timeout")
STACK = 64 << 20  # bytes for the worker thread (secondary threads get 512 KiB on macOS)


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from interlock.adapters.hooks import AGENTS

    args = list(argv)
    if not args or args[0] in ("-h", "--help"):
        stream = stdout if args else stderr
        print(USAGE.format(agents=", ".join(AGENTS)), file=stream)
        return 0 if args else 2
    target = AGENTS.get(args[0])
    if target is None:
        # no protocol to answer in: exit 2 blocks in every agent that reads exit codes
        print(
            f"deny  usage: unknown agent `{args[0]}`; use one of {', '.join(AGENTS)}", file=stderr
        )
        return 2
    if any(a in ("-h", "--help") for a in args[1:]):
        print(USAGE.format(agents=", ".join(AGENTS)), file=stdout)
        return 0
    try:
        import importlib

        return serve(importlib.import_module(target), args[1:], stdin, stdout, stderr)
    except BaseException as exc:  # the agent's own module is broken: exit 2 still blocks
        print(
            f"deny  internal.error: the `{args[0]}` hook failed ({type(exc).__name__})", file=stderr
        )
        return 2


def serve(agent: Any, argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from interlock.adapters.hooks import base

    try:
        opts = options(argv)
        outcome = within(opts.timeout, lambda: base.decide(agent.parse(read(stdin)), opts))
    except BaseException as exc:  # INVARIANT: nothing escapes without a deny answer
        outcome = _failed(exc)
    return emit(agent, outcome, stdout, stderr)


def read(stdin: TextIO) -> dict[str, Any]:
    from interlock.adapters.hooks.base import MAX_PAYLOAD, load

    return load(stdin.read(MAX_PAYLOAD + 1))


def within(timeout: float, work: Any) -> Any:
    """`work()` in a daemon thread; a failure or no result within `timeout` is a deny."""
    import threading

    box: list[Any] = []

    def run() -> None:
        try:
            box.append(work())
        except BaseException as exc:
            box.append(_failed(exc))

    import contextlib

    with contextlib.suppress(ValueError, RuntimeError):
        threading.stack_size(STACK)  # deep shell nesting recurses; never die of a small stack
    thread = threading.Thread(target=run, name="interlock-hook", daemon=True)
    thread.start()
    thread.join(timeout)
    if not box:
        from interlock.adapters.hooks.base import failure

        return failure("internal.timeout", f"no decision within {timeout:g} s")
    return box[0]


def _failed(exc: BaseException) -> Any:
    from interlock.adapters.hooks.base import failure
    from interlock.model import InterlockError

    if isinstance(exc, InterlockError):
        return failure(exc.code, exc.message)
    if isinstance(exc, KeyboardInterrupt):
        return failure("internal.interrupted", "the hook was interrupted")
    return failure("internal.error", f"internal error ({type(exc).__name__})")


def emit(agent: Any, outcome: Any, stdout: TextIO, stderr: TextIO) -> int:
    """Write the agent's answer; if even that fails, exit 2 with the reason on stderr."""
    try:
        ans = agent.answer(outcome)
    except Exception:
        from interlock.adapters.hooks.base import Answer

        ans = Answer("", f"interlock: could not answer ({outcome.reason}); blocked\n", 2)
    try:
        if ans.stdout:
            stdout.write(ans.stdout)
            stdout.flush()
        if ans.stderr:
            stderr.write(ans.stderr)
            stderr.flush()
    except (OSError, ValueError):
        pass  # the agent is gone; the exit code still carries the answer
    code: int = ans.code
    return code


def options(argv: list[str]) -> Any:
    """Parse the few options by hand (argparse costs start-up time on every tool call)."""
    from interlock.adapters.hooks.base import Options
    from interlock.model import InputError

    values: dict[str, Any] = {"rules": []}
    i = 0
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name not in _VALUED:
            raise InputError(
                f"unknown option `{argv[i]}`; run `interlock hook --help`", "input.usage"
            )
        if not eq:
            i += 1
            if i >= len(argv):
                raise InputError(f"`{name}` needs a value", "input.usage")
            value = argv[i]
        key = name[2:]
        if key == "rules":
            values["rules"].append(value)
        else:
            values[key] = value
        i += 1
    return Options(
        mode=values.get("mode"),
        env=_tier(values.get("env")),
        envmap=values.get("envmap"),
        rules=tuple(values["rules"]),
        timeout=_timeout(values.get("timeout")),
    )


def _tier(value: str | None) -> str | None:
    from interlock.model import InputError, Tier

    if value is None:
        return None
    if value not in {t.value for t in Tier if t is not Tier.UNKNOWN}:
        raise InputError(f"unknown tier `{value}`", "input.usage")
    return value


def _timeout(value: str | None) -> float:
    from interlock.adapters.hooks.base import DEFAULT_TIMEOUT
    from interlock.model import InputError

    if value is None:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 600:
        raise InputError(
            f"`--timeout` takes seconds between 0 and 600, not `{value}`", "input.usage"
        )
    return seconds
