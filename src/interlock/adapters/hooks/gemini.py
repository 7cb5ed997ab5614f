"""Gemini CLI `BeforeTool` hook.

Protocol (Gemini CLI hooks reference, https://geminicli.com/docs/hooks/reference, source
`docs/hooks/reference.md` and `packages/core/src/hooks/types.ts` in
github.com/google-gemini/gemini-cli):

- stdin: `{"session_id", "transcript_path", "cwd", "hook_event_name": "BeforeTool",
  "timestamp", "tool_name", "tool_input", "mcp_context"?}`. Shell calls are
  `run_shell_command` with `tool_input.command`; `write_file` and `replace` carry
  `tool_input.file_path`; MCP tools are `mcp__<server>__<tool>`.
- stdout on exit 0: `{"decision": "allow"|"deny", "reason"}`; the reason of a deny is sent to
  the agent as the tool's error. Exit 2 blocks with stderr as the reason ("the turn
  continues"); any other exit code is a warning and the tool runs.
- The documented decisions are allow and deny, so an `ask` is a deny whose reason says a human
  must approve. A deny exits 2 (with the same decision on stdout) so it blocks either way.
"""

from __future__ import annotations

from typing import Any

from interlock.adapters.hooks.base import (
    Answer,
    Outcome,
    ToolCall,
    final,
    message,
    tool_call,
)
from interlock.model import Verdict

CAN_ASK = False
EVENT = "BeforeTool"
WRITERS = {"write_file": ("file_path", "path"), "replace": ("file_path", "path")}


def parse(payload: dict[str, Any]) -> ToolCall:
    return tool_call(payload, EVENT, frozenset({"run_shell_command"}), WRITERS)


def answer(outcome: Outcome) -> Answer:
    import json

    verdict = final(outcome, CAN_ASK)
    text = message(outcome, CAN_ASK)
    body = json.dumps({"decision": verdict.value, "reason": text}, ensure_ascii=False) + "\n"
    if verdict is Verdict.DENY:
        return Answer(body, text + "\n", 2)
    return Answer(body, "", 0)
