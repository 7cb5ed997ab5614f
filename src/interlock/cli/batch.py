"""`interlock check --batch`: JSON Lines in, JSON Lines out, same order, nothing dropped.

Each input line: `{"command": …}` or `{"sql": …}`, optional `id`, `mode`, `env`, `agent`.
Each output line: `{"id", "verdict", "reason", "rules"}`; a line that cannot be used gets
`{"line": N, "verdict": "deny", "error": "…"}` and the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from interlock.model import Mode, Tier


def process(
    lines: Iterable[str],
    out: TextIO,
    settings: Any,
    mode: Mode,
    env: str | None,
    agent: str | None = None,
) -> int:
    from interlock.service import check

    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        call_or_error = parse_line(line, n, mode, env, agent)
        if isinstance(call_or_error, dict):
            answer = call_or_error
        else:
            d = check(call_or_error, settings)
            answer = {
                "id": call_or_error.id,
                "verdict": d.verdict.value,
                "reason": d.reason,
                "rules": list(d.rules),
            }
            if d.errors:
                answer["errors"] = list(d.errors)
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
    out.flush()
    return 0


def parse_line(line: str, n: int, mode: Mode, env: str | None, agent: str | None = None) -> Any:
    from interlock.service import CheckCall

    try:
        obj = json.loads(line)
    except ValueError as exc:
        return _error(n, f"line {n} is not valid JSON: {exc.msg}")
    if not isinstance(obj, dict):
        return _error(n, f"line {n} must be a JSON object")
    command, sql = obj.get("command"), obj.get("sql")
    if (command is None) == (sql is None) or not isinstance(command or sql, str):
        return _error(
            n, f"line {n} needs exactly one of `command` or `sql`, as a string", obj.get("id")
        )
    try:
        line_mode = Mode(obj.get("mode") or mode.value)
        tier_name = obj.get("env") or env
        tier = Tier(tier_name) if tier_name else None
    except ValueError:
        return _error(n, f"line {n} has an unknown `mode` or `env`", obj.get("id"))
    ident = obj.get("id")
    line_agent = obj.get("agent", agent)
    if line_agent is not None and (
        not isinstance(line_agent, str) or not line_agent.startswith("agent:")
    ):
        return _error(n, f"line {n} has an `agent` that is not a principal like `agent:x`", ident)
    return CheckCall(
        agent=line_agent,
        command=command,
        sql=sql,
        mode=line_mode,
        env=tier,
        id=ident if ident is None or isinstance(ident, (str, int)) else str(ident),
    )


def _error(n: int, message: str, ident: Any = None) -> dict[str, Any]:
    out: dict[str, Any] = {"line": n, "verdict": "deny", "error": message}
    if ident is not None:
        out["id"] = ident
    return out
