"""GitHub Copilot CLI and Copilot coding agent `preToolUse` hook.

Protocol (GitHub Copilot CLI hooks reference,
https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference, and
hooks configuration, https://docs.github.com/en/copilot/reference/hooks-configuration; hooks
live in `.github/hooks/*.json` as `{"version": 1, "hooks": {"preToolUse": [{"type": "command",
"bash", "timeoutSec"}]}}`):

- stdin, camelCase (event configured as `preToolUse`): `{"sessionId"?, "timestamp", "cwd",
  "toolName", "toolArgs"}` where `toolArgs` is a JSON string (coding agent) or an object (CLI).
  VS Code style (event configured as `PreToolUse`): `{"hook_event_name", "cwd", "tool_name",
  "tool_input"}`. Tools: `bash`/`powershell` (`command`), `create`/`edit` (`path`), `view`,
  `glob`, `grep`, `web_fetch`, `task`, `ask_user`.
- stdout: `{"permissionDecision": "allow"|"deny"|"ask", "permissionDecisionReason"}`, reason
  required for deny. The hooks-configuration page says only `deny` is processed, and hook
  failures (non-zero exits, timeouts) "are logged and skipped". So every answer is JSON on
  exit 0, and an `ask` is a deny whose reason says a human must approve.
"""

from __future__ import annotations

from typing import Any

from interlock.adapters.hooks.base import (
    Answer,
    Outcome,
    ToolCall,
    arguments,
    field,
    final,
    message,
    optional,
    other_call,
    shell_call,
    write_call,
)

CAN_ASK = False
SHELLS = frozenset({"bash", "powershell", "shell"})
WRITERS = frozenset({"create", "edit", "str_replace_editor", "write"})


def parse(payload: dict[str, Any]) -> ToolCall:
    if "toolName" in payload or "toolArgs" in payload:
        tool = field(payload, "toolName")
        args = arguments(payload.get("toolArgs"), "toolArgs")
    else:
        tool = field(payload, "tool_name")
        args = arguments(payload.get("tool_input"), "tool_input")
    cwd = optional(payload, "cwd")
    if tool in SHELLS:
        return shell_call(tool, args, cwd)
    if tool in WRITERS:
        return write_call(tool, args, cwd, "path", "file_path")
    return other_call(tool, args)


def answer(outcome: Outcome) -> Answer:
    import json

    text = message(outcome, CAN_ASK)
    out = {"permissionDecision": final(outcome, CAN_ASK).value, "permissionDecisionReason": text}
    return Answer(json.dumps(out, ensure_ascii=False) + "\n", "", 0)
