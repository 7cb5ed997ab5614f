"""What every agent hook shares: a tool call in, an `Outcome` out, failing closed.

An agent module (`claude_code`, `codex`, `cursor`, `gemini`, `kiro`, `copilot`) knows only its
agent's wire format:

    parse(payload: dict) -> ToolCall      raises InputError when a field is missing
    answer(outcome: Outcome) -> Answer    stdout, stderr and exit code in the agent's protocol
    CAN_ASK: bool                         whether the protocol can hand a call to a human

Everything between lives here. `run` reads stdin and decides within a time limit; any failure
(bad JSON, a missing field, an internal error, a timeout, even a KeyboardInterrupt) becomes
`Outcome(DENY, error=code)`, and the agent module writes that deny in its own protocol.

    tool call ─▶ shell command   (Bash; a file write becomes `: > PATH`, a delete `rm -f -- PATH`)
              │                  ─▶ interlock.service.check ─▶ Decision ─▶ Outcome
              └▶ any other tool  (MCP and built-ins) ─▶ the verb lexicon ─▶ Outcome

A verdict the protocol cannot express becomes the nearest stricter one (`final`): an `ask` for a
hook that has no ask is a deny whose reason says a human must approve.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Any

from interlock.model import Effect, InputError, Mode, Tier, Verdict

MAX_PAYLOAD = 4 << 20  # bytes of hook JSON; a bigger payload is refused, not truncated
DEFAULT_TIMEOUT = 8.0  # seconds; below every agent's own hook timeout (Copilot and Kiro: 30 s)


@dataclass(frozen=True, slots=True)
class ToolCall:
    """One tool call an agent proposes, reduced to what Interlock can check."""

    tool: str
    command: str | None = None
    writes: tuple[str, ...] = ()
    deletes: tuple[str, ...] = ()
    sql: str | None = None
    cwd: str | None = None

    @property
    def is_shell(self) -> bool:
        return self.command is not None or bool(self.writes or self.deletes)


@dataclass(frozen=True, slots=True)
class Outcome:
    """The hook's answer before it is put into an agent's protocol."""

    verdict: Verdict
    reason: str
    rule: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    stdout: str = ""
    stderr: str = ""
    code: int = 0


@dataclass(frozen=True, slots=True)
class Options:
    mode: str | None = None
    env: str | None = None
    envmap: str | None = None
    rules: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT


# -- reading the payload -------------------------------------------------------------------


def load(text: str) -> dict[str, Any]:
    """The payload as a JSON object, or an `input.hook` error."""
    if len(text) > MAX_PAYLOAD:
        raise InputError(f"the hook payload is over {MAX_PAYLOAD} bytes", "input.hook")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"the hook payload is not JSON ({exc.msg})", "input.hook") from None
    if not isinstance(data, dict):
        raise InputError("the hook payload is not a JSON object", "input.hook")
    return data


def field(data: dict[str, Any], name: str, kind: type | tuple[type, ...] = str) -> Any:
    """`data[name]`, which must be present and of `kind`."""
    value = data.get(name)
    if value is None or not isinstance(value, kind):
        raise InputError(f"the hook payload has no usable `{name}`", "input.hook")
    return value


def optional(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) else None


def arguments(value: Any, name: str) -> dict[str, Any]:
    """Tool arguments that some agents send as a JSON string and others as an object."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise InputError(f"`{name}` is not JSON", "input.hook") from None
    if not isinstance(value, dict):
        raise InputError(f"the hook payload has no usable `{name}`", "input.hook")
    return value


def shell_call(tool: str, args: dict[str, Any], cwd: str | None, key: str = "command") -> ToolCall:
    return ToolCall(tool, command=field(args, key), cwd=cwd)


def write_call(tool: str, args: dict[str, Any], cwd: str | None, *keys: str) -> ToolCall:
    for key in keys:
        if isinstance(args.get(key), str) and args[key]:
            return ToolCall(tool, writes=(args[key],), cwd=cwd)
    raise InputError(f"`{tool}` names no file (`{'`/`'.join(keys)}`)", "input.hook")


def other_call(tool: str, args: dict[str, Any] | None = None) -> ToolCall:
    """A tool that is neither a shell nor a file write; a string `sql` argument is checked."""
    sql = args.get("sql") if isinstance(args, dict) else None
    return ToolCall(tool, sql=sql if isinstance(sql, str) else None)


def tool_call(
    payload: dict[str, Any], event: str, shells: frozenset[str], writers: dict[str, tuple[str, ...]]
) -> ToolCall:
    """The common payload shape (`hook_event_name`, `tool_name`, `tool_input`, `cwd`): a shell
    tool, a file writer (named argument fields), or any other tool."""
    seen = payload.get("hook_event_name", event)
    if seen != event:
        raise InputError(f"expected a `{event}` event, got `{seen}`", "input.hook")
    tool = field(payload, "tool_name")
    args = field(payload, "tool_input", dict)
    cwd = optional(payload, "cwd")
    if tool in shells:
        return shell_call(tool, args, cwd)
    if tool in writers:
        return write_call(tool, args, cwd, *writers[tool])
    return other_call(tool, args)


# -- deciding ------------------------------------------------------------------------------


def decide(
    call: ToolCall,
    opts: Options,
    environ: dict[str, str] | None = None,
    load_settings: Any = None,
) -> Outcome:
    """Check one tool call with the same settings as `interlock check`. The resident daemon
    passes the client's `environ` and its own cached `load_settings(ns)`."""
    from types import SimpleNamespace

    from interlock import service
    from interlock.cli.common import agent_id, default_mode, settings_from

    ns = SimpleNamespace(mode=opts.mode, envmap=opts.envmap, rules=list(opts.rules), agent=None)
    mode = default_mode(ns, environ)
    agent = agent_id(ns, environ)  # $INTERLOCK_AGENT: the agent's own principal, never its user's
    if not call.is_shell and call.sql is None:
        return tool_outcome(call.tool, mode)
    settings = load_settings(ns) if load_settings else settings_from(ns, environ)
    env = Tier(opts.env) if opts.env else None
    if call.sql is not None and not call.is_shell:
        checked = service.CheckCall(sql=call.sql, mode=mode, env=env, agent=agent)
    else:
        checked = service.CheckCall(command=shell_text(call), mode=mode, env=env, agent=agent)
    decision = service.check(checked, settings)
    outcome = Outcome(
        decision.verdict,
        decision.reason,
        decision.rules[0] if decision.rules else None,
        decision.errors[0] if decision.errors else None,
    )
    return guard(outcome, decision.operations)


def shell_text(call: ToolCall) -> str:
    """The shell command to check: the call's own, or file changes spelled as redirections."""
    if call.command is not None:
        return call.command
    import shlex

    parts = [f": > {shlex.quote(local(p, call.cwd))}" for p in call.writes]
    parts += [f"rm -f -- {shlex.quote(local(p, call.cwd))}" for p in call.deletes]
    return "; ".join(parts)


def local(path: str, cwd: str | None) -> str:
    """`path` relative to the agent's working directory when it lies inside it."""
    if cwd and path.startswith("/") and cwd.startswith("/"):
        rel = posixpath.relpath(posixpath.normpath(path), posixpath.normpath(cwd))
        if rel != ".." and not rel.startswith("../"):
            return rel
    return path


_EFFECT_RANK = {Effect.READ: 0, Effect.WRITE: 1, Effect.DESTROY: 2}


def tool_outcome(tool: str, mode: Mode) -> Outcome:
    """A tool that runs no shell command: MCP tools and the agent's own built-ins.

    Workstation: allowed unless its name holds a destroy verb (`delete_repository`), which asks.
    Gateway: only a tool whose name reads as read-only is allowed.
    """
    from interlock.parse import lexicon

    server, name = mcp_name(tool)
    effect = lexicon.classify(name)
    for part in lexicon.parts(name):
        eff = lexicon.classify(part)
        if eff is not None and (effect is None or _EFFECT_RANK[eff] > _EFFECT_RANK[effect]):
            effect = eff
    label = f"MCP tool `{name}` on server `{server}`" if server else f"tool `{tool}`"
    if effect is Effect.DESTROY:
        verb = next(p for p in lexicon.parts(name) if lexicon.classify(p) is Effect.DESTROY)
        return Outcome(
            Verdict.ASK, f"{label} names a destructive action (`{verb}`)", "hooks.tool-destroy"
        )
    if mode is Mode.GATEWAY and effect is not Effect.READ:
        return Outcome(Verdict.ASK, f"{label} may change state", "hooks.tool-change")
    return Outcome(Verdict.ALLOW, f"{label} runs no shell command")


def mcp_name(tool: str) -> tuple[str | None, str]:
    """(server, tool) for `mcp__server__tool` and `@server/tool`; (None, tool) otherwise."""
    if tool.startswith("mcp__"):
        server, _, name = tool[5:].partition("__")
        return (server, name) if name else (None, tool)
    if tool.startswith("@") and "/" in tool:
        server, _, name = tool[1:].partition("/")
        return server, name
    return None, tool


# Files that decide whether this hook runs at all, or what git runs on the agent's behalf.
# INTERIM: the filesystem pack does not tag these yet; until it does, the hook asks itself.
AGENT_CONFIG = (
    ".claude/settings.json",
    ".claude/settings.local.json",
    ".codex/config.toml",
    ".codex/hooks.json",
    ".cursor/hooks.json",
    ".gemini/settings.json",
    ".kiro/agents/",
    ".kiro/hooks/",
    ".github/hooks/",
    ".interlock/",
    ".config/interlock/",
)
GIT_INTERNALS = (".git/config", ".git/hooks/")


def protected(name: str) -> str | None:
    """The rule id when writing `name` could switch Interlock off or run code later."""
    path = "/" + posixpath.normpath(name).lstrip("/")
    for rule, patterns in (
        ("hooks.agent-config", AGENT_CONFIG),
        ("hooks.git-internals", GIT_INTERNALS),
    ):
        for pattern in patterns:
            if pattern.endswith("/") and f"/{pattern}" in path + "/":
                return rule
            if path.endswith("/" + pattern):
                return rule
    return None


def guard(outcome: Outcome, operations: tuple[Any, ...]) -> Outcome:
    """At least `ask` when an operation changes a protected file (see `protected`)."""
    if outcome.verdict is not Verdict.ALLOW:
        return outcome
    for op in operations:
        if op.effect is Effect.READ:
            continue
        for target in op.targets:
            rule = protected(target.name) if target.kind == "path" else None
            if rule is not None:
                what = (
                    "agent or Interlock settings"
                    if rule == "hooks.agent-config"
                    else "git internals"
                )
                reason = f"changes `{target.name}` ({what}: this could switch the interlock off)"
                if rule == "hooks.git-internals":
                    reason = f"changes `{target.name}` ({what}: git would run it later)"
                return Outcome(Verdict.ASK, reason, rule)
    return outcome


# -- answering -----------------------------------------------------------------------------


def failure(code: str, message: str) -> Outcome:
    return Outcome(Verdict.DENY, message, None, code)


def final(outcome: Outcome, can_ask: bool) -> Verdict:
    """The verdict the agent is told: an ask it cannot express is a deny."""
    if outcome.verdict is Verdict.ASK and not can_ask:
        return Verdict.DENY
    return outcome.verdict


def message(outcome: Outcome, can_ask: bool) -> str:
    """One line for the agent (and the user): what was found, and what to do next."""
    what = f"{outcome.reason} [{outcome.rule}]" if outcome.rule else outcome.reason
    if outcome.error is not None and outcome.verdict is Verdict.DENY:
        return (
            f"Interlock could not check this call, so it is blocked ({outcome.error}: "
            f"{outcome.reason}). Do not work around it; ask the user to check the Interlock hook."
        )
    if outcome.verdict is Verdict.ALLOW:
        return f"Interlock: {what}"
    if outcome.verdict is Verdict.ASK and can_ask:
        return f"Interlock: {what}. A human must approve this before it runs."
    if outcome.verdict is Verdict.ASK:
        return (
            f"Interlock blocked this until a human approves it: {what}. Ask the user to review "
            "it (`interlock explain` shows why) and run it themselves, or use a "
            "non-destructive alternative."
        )
    return (
        f"Interlock denied this: {what}. Do not retry it in another form; use a "
        "non-destructive alternative, or ask the user to do it themselves."
    )
