"""OpenAI Codex CLI `PreToolUse` hook.

Protocol (https://developers.openai.com/codex/hooks; the wire schema is
`codex-rs/hooks/schema/generated/pre-tool-use.command.{input,output}.schema.json` and the parser
`codex-rs/hooks/src/engine/output_parser.rs` in github.com/openai/codex):

- stdin: `{"session_id", "turn_id", "transcript_path", "cwd", "hook_event_name": "PreToolUse",
  "model", "permission_mode", "tool_name", "tool_input", "tool_use_id"}`. Shell calls arrive as
  `tool_name: "Bash"` with `tool_input.command`; `apply_patch` (file edits) carries the patch
  body in `tool_input.command`; MCP tools are `mcp__<server>__<tool>` with their own arguments.
- Blocking: exit 2 with the reason on stderr, or exit 0 with `{"hookSpecificOutput":
  {"hookEventName": "PreToolUse", "permissionDecision": "deny", "permissionDecisionReason"}}`.
- Codex rejects `permissionDecision: "ask"` and a bare `"allow"` as unsupported and then *runs*
  the call, and an unknown output field fails the hook open too. So: allow is an empty stdout
  (Codex's own approval policy still applies), and ask is a deny whose reason says a human must
  approve. A deny exits 2 with the reason on stderr (stdout carries the same deny, exactly the
  documented fields).
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
)
from interlock.model import InputError, Verdict

CAN_ASK = False
EVENT = "PreToolUse"
SHELLS = frozenset({"Bash", "shell", "exec_command", "local_shell"})
_PATCH_WRITES = ("*** Add File: ", "*** Update File: ", "*** Move to: ")
_PATCH_DELETES = ("*** Delete File: ",)


def parse(payload: dict[str, Any]) -> ToolCall:
    event = payload.get("hook_event_name", EVENT)
    if event != EVENT:
        raise InputError(f"expected a `{EVENT}` event, got `{event}`", "input.hook")
    tool = field(payload, "tool_name")
    args = field(payload, "tool_input", dict)
    cwd = optional(payload, "cwd")
    if tool in SHELLS:
        return shell_call(tool, args, cwd)
    if tool == "apply_patch":
        return patch_call(tool, field(args, "command"), cwd)
    return other_call(tool, args)


def patch_call(tool: str, patch: str, cwd: str | None) -> ToolCall:
    """The files an `apply_patch` body adds, updates, moves to and deletes."""
    writes: list[str] = []
    deletes: list[str] = []
    for line in patch.splitlines():
        for prefix in _PATCH_WRITES:
            if line.startswith(prefix):
                writes.append(line[len(prefix) :].strip())
        for prefix in _PATCH_DELETES:
            if line.startswith(prefix):
                deletes.append(line[len(prefix) :].strip())
    if not writes and not deletes:
        raise InputError("the `apply_patch` body names no file", "input.hook")
    return ToolCall(tool, writes=tuple(writes), deletes=tuple(deletes), cwd=cwd)


def answer(outcome: Outcome) -> Answer:
    verdict = final(outcome, CAN_ASK)
    if verdict is Verdict.ALLOW:
        return Answer("", "", 0)
    import json

    text = message(outcome, CAN_ASK)
    out = {
        "hookSpecificOutput": {
            "hookEventName": EVENT,
            "permissionDecision": "deny",
            "permissionDecisionReason": text,
        }
    }
    return Answer(json.dumps(out, ensure_ascii=False) + "\n", text + "\n", 2)
