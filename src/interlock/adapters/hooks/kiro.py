"""Kiro CLI `preToolUse` hook.

Protocol (Kiro CLI hooks, https://kiro.dev/docs/cli/hooks; hooks live in an agent
configuration, `.kiro/agents/*.json` or `~/.kiro/agents/*.json`, under
`"hooks": {"preToolUse": [{"matcher", "command", "timeout_ms"}]}`; tool names from
https://kiro.dev/docs/cli/reference/built-in-tools):

- stdin: `{"hook_event_name": "preToolUse", "cwd", "tool_name", "tool_input"}`. The shell tool
  is `shell` (formerly `execute_bash`) with `tool_input.command`; the file writer is `write`
  (formerly `fs_write`) with `tool_input.path` (its `command` is the edit kind, not a shell);
  `aws` (formerly `use_aws`) carries `service_name`, `operation_name`, `parameters`, `region`,
  `profile_name`; MCP tools are `@server/tool`.
- Answer by exit code only: 0 lets the tool run, 2 blocks it and returns stderr to the model,
  anything else is a warning and the tool runs. There is no ask, so an `ask` is a deny whose
  reason says a human must approve.
- Kiro IDE hooks (`.kiro/hooks/*.kiro.hook`) do not pass the tool call to a command and are not
  supported.
"""

from __future__ import annotations

from typing import Any

from interlock.adapters.hooks.base import (
    Answer,
    Outcome,
    ToolCall,
    field,
    final,
    message,
    optional,
    other_call,
    shell_call,
    write_call,
)
from interlock.model import InputError, Verdict

CAN_ASK = False
EVENTS = frozenset({"preToolUse", "PreToolUse"})
SHELLS = frozenset({"shell", "execute_bash", "execute_cmd"})
WRITERS = frozenset({"write", "fs_write"})
AWS = frozenset({"aws", "use_aws"})


def parse(payload: dict[str, Any]) -> ToolCall:
    event = payload.get("hook_event_name", "preToolUse")
    if event not in EVENTS:
        raise InputError(f"expected a `preToolUse` event, got `{event}`", "input.hook")
    tool = field(payload, "tool_name")
    args = field(payload, "tool_input", dict)
    cwd = optional(payload, "cwd")
    if tool in SHELLS:
        return shell_call(tool, args, cwd)
    if tool in WRITERS:
        return write_call(tool, args, cwd, "path")
    if tool in AWS:
        return ToolCall(tool, command=aws_command(args), cwd=cwd)
    return other_call(tool, args)


def aws_command(args: dict[str, Any]) -> str:
    """The `aws` command line a `use_aws` call amounts to, for the AWS analyzer."""
    import shlex

    words = ["aws", field(args, "service_name"), field(args, "operation_name").replace("_", "-")]
    for flag, key in (("--region", "region"), ("--profile", "profile_name")):
        if isinstance(args.get(key), str):
            words += [flag, args[key]]
    params = args.get("parameters")
    if isinstance(params, dict):
        for key, value in params.items():
            values = value if isinstance(value, list) else [value]
            words.append("--" + str(key).replace("_", "-"))
            words += [v if isinstance(v, str) else _json(v) for v in values]
    return " ".join(shlex.quote(w) for w in words)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))


def answer(outcome: Outcome) -> Answer:
    verdict = final(outcome, CAN_ASK)
    text = message(outcome, CAN_ASK)
    if verdict is Verdict.DENY:
        return Answer("", text + "\n", 2)
    return Answer("", "", 0)
