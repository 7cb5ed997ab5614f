"""Claude Code `PreToolUse` hook.

Protocol (Claude Code hooks reference, https://code.claude.com/docs/en/hooks#pretooluse, also
https://docs.anthropic.com/en/docs/claude-code/hooks):

- stdin: `{"session_id", "transcript_path", "cwd", "permission_mode", "hook_event_name":
  "PreToolUse", "tool_name", "tool_input", "tool_use_id"}`. `Bash` has `tool_input.command`;
  `Write`/`Edit`/`MultiEdit` have `tool_input.file_path` (absolute); `NotebookEdit` has
  `notebook_path`; MCP tools are named `mcp__<server>__<tool>`.
- stdout on exit 0: `{"hookSpecificOutput": {"hookEventName": "PreToolUse",
  "permissionDecision": "allow"|"deny"|"ask", "permissionDecisionReason": "..."}}`. The reason
  of an `ask` is shown in the prompt, that of a `deny` to Claude.
- Interlock answers nothing (exit 0, empty stdout) when it allows, so that Claude Code's own
  permission rules and prompts still apply: a guard adds restrictions, never removes them.
- exit 2 blocks the call and feeds stderr to Claude; any other non-zero exit (and a timeout) is
  a non-blocking error and the call runs. So a deny here always exits 2 with the reason on
  stderr (the JSON on stdout is then ignored, and says the same).
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

CAN_ASK = True
EVENT = "PreToolUse"
WRITERS = {"Write": ("file_path",), "Edit": ("file_path",), "MultiEdit": ("file_path",)}
WRITERS["NotebookEdit"] = ("notebook_path",)


def parse(payload: dict[str, Any]) -> ToolCall:
    return tool_call(payload, EVENT, frozenset({"Bash"}), WRITERS)


def answer(outcome: Outcome) -> Answer:
    verdict = final(outcome, CAN_ASK)
    if verdict is Verdict.ALLOW:
        # INVARIANT: Interlock only ever tightens. An explicit "allow" would skip the user's own
        # permission prompts, so an allow answers nothing and Claude Code's rules still apply.
        return Answer("", "", 0)
    text = message(outcome, CAN_ASK)
    out = {
        "hookSpecificOutput": {
            "hookEventName": EVENT,
            "permissionDecision": verdict.value,
            "permissionDecisionReason": text,
        }
    }
    import json

    body = json.dumps(out, ensure_ascii=False) + "\n"
    if verdict is Verdict.DENY:
        return Answer(body, text + "\n", 2)
    return Answer(body, "", 0)
