"""Cursor `beforeShellExecution` and `beforeMCPExecution` hooks.

Protocol (https://cursor.com/docs/agent/hooks; configured in `.cursor/hooks.json` or
`~/.cursor/hooks.json` with `{"version": 1, "hooks": {"beforeShellExecution": [{"command"}]}}`):

- stdin: common fields `{"hook_event_name", "conversation_id", "generation_id",
  "workspace_roots"}`; `beforeShellExecution` adds `{"command", "cwd"}`; `beforeMCPExecution`
  adds `{"tool_name", "tool_input"}` (an object, or a JSON string in some versions) and the
  server's `url` or `command`.
- stdout: `{"permission": "allow"|"deny"|"ask", "user_message", "agent_message"}`. Cursor 1.7
  documented the messages as `userMessage`/`agentMessage`; current docs spell them
  `user_message`/`agent_message`. Both spellings are written.
- Every answer is explicit JSON on exit 0: a hook entry marked `"failClosed": true` treats empty
  output, a crash or a timeout as a block, and without it Cursor fails open.
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
)
from interlock.model import InputError

CAN_ASK = True
SHELL = "beforeShellExecution"
MCP = "beforeMCPExecution"


def parse(payload: dict[str, Any]) -> ToolCall:
    event = payload.get("hook_event_name")
    if event is None:
        event = SHELL if "command" in payload and "tool_name" not in payload else MCP
    if event == SHELL:
        return shell_call("shell", payload, optional(payload, "cwd"))
    if event == MCP:
        tool = field(payload, "tool_name")
        raw = payload.get("tool_input")
        args = arguments(raw, "tool_input") if raw not in (None, "") else {}
        return other_call(f"mcp__{_server(payload)}__{tool}", args)
    raise InputError(f"expected `{SHELL}` or `{MCP}`, got `{event}`", "input.hook")


def _server(payload: dict[str, Any]) -> str:
    for key in ("server_name", "url", "command"):
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    return "unknown"


def answer(outcome: Outcome) -> Answer:
    import json

    text = message(outcome, CAN_ASK)
    out = {
        "permission": final(outcome, CAN_ASK).value,
        "user_message": text,
        "agent_message": text,
        "userMessage": text,
        "agentMessage": text,
    }
    return Answer(json.dumps(out, ensure_ascii=False) + "\n", "", 0)
