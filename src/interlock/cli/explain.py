"""`interlock explain -- COMMAND…`: every stage of a decision, for a human.

Shows the operations the parser found (program, action, effect, tags, via), each target with
its scope and resolved tier, every rule that fired and the mode default, then the verdict.
Rich output on a terminal, plain text otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from interlock.cli.check import join_command
from interlock.cli.common import (
    Parser,
    UsageError,
    add_common,
    agent_id,
    default_mode,
    print_error,
    settings_from,
)
from interlock.model import Decision, InterlockError, Operation, Tier


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    p = Parser(prog="interlock explain", description="Show every stage of a decision.")
    add_common(p)
    p.add_argument("--plain", action="store_true", help="plain text even on a terminal")
    p.add_argument("command", nargs="*")
    try:
        ns = p.parse_args(list(argv))
        mode = default_mode(ns)
        settings = settings_from(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    if not ns.command:
        print_error(stderr, "usage", "give the command to explain after `--`")
        return 1
    from interlock.service import CheckCall, check

    call = CheckCall(
        command=join_command(ns.command),
        mode=mode,
        env=Tier(ns.env) if ns.env else None,
        agent=agent_id(ns),
    )
    decision = check(call, settings)
    lines = explain_lines(call.command or "", decision, settings)
    if not ns.plain and stdout.isatty():
        _rich(lines, decision, stdout)
    else:
        stdout.write("\n".join(text for _style, text in lines) + "\n")
    return decision.exit_code


def explain_lines(command: str, d: Decision, settings: Any) -> list[tuple[str, str]]:
    """(style, text) lines; the style names a rich style, the text is plain."""
    out: list[tuple[str, str]] = [("bold", f"command: {command}"), ("", f"mode: {d.mode.value}")]
    out.append(("bold", f"1. parse: {len(d.operations)} operation(s)"))
    for i, op in enumerate(d.operations, 1):
        out.extend(_operation_lines(i, op))
    out.append(("bold", "2. resolve: targets and tiers (shown above, `tier=`)"))
    if d.impact is not None:
        out.extend(_impact_lines(d.impact))
    out.append(
        (
            "bold",
            f"3. evaluate: layers invariants → rules → grant → defaults; "
            f"{len(settings.rules.rules)} pack rules (version {settings.rules.version}), "
            f"{len(settings.policy.rules)} org rules"
            + (f" (policy {settings.policy.digest[:24]}…)" if settings.policy.digest else ""),
        )
    )
    if not d.findings:
        out.append(("", "   no rule fired; the mode default allows"))
    for f in d.findings:
        quorum = f" (approvals: {f.approvals})" if f.verdict.value == "ask" else ""
        out.append(
            (
                _style(f.verdict.value),
                f"   {f.verdict.value:<5} {f.rule} [{f.layer}]{quorum}: {f.reason}",
            )
        )
        why = _why(settings, f.rule)
        if why:
            out.append(("dim", f"         why: {why}"))
    out.append(
        (
            _style(d.verdict.value) + " bold",
            f"4. verdict: {d.verdict.value} [{d.layer}]: {d.reason}",
        )
    )
    out.append(("dim", f"   digest: {d.digest}"))
    return out


def _operation_lines(i: int, op: Operation) -> list[tuple[str, str]]:
    lines = [
        (
            "",
            f"   [{i}] {op.family}.{op.action} ({op.effect.value}) by `{op.program}`: {op.summary}",
        )
    ]
    if op.tags:
        lines.append(("dim", f"       tags: {', '.join(sorted(op.tags))}"))
    if op.via:
        lines.append(("dim", f"       via: {' > '.join(op.via)}"))
    for t in op.targets:
        scope = ", ".join(f"{k}={v}" for k, v in t.scope)
        lines.append(
            (
                "",
                f"       target: {t.kind} `{t.name}` tier={t.tier.value}"
                + (f" ({scope})" if scope else ""),
            )
        )
    return lines


def _why(settings: Any, rule_id: str) -> str:
    for r in settings.rules.rules:
        if r.id == rule_id:
            return str(r.why)
    return ""


def _style(verdict: str) -> str:
    return {"allow": "green", "ask": "yellow", "deny": "red"}.get(verdict, "")


def _rich(lines: list[tuple[str, str]], d: Decision, stdout: TextIO) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stdout, highlight=False)
    for style, text in lines:
        console.print(Text(text, style=style or ""))


def _impact_lines(i: Any) -> list[tuple[str, str]]:
    """What the simulation on the inventory found (tiers above already include it)."""
    out = [
        (
            "bold",
            f"   simulated on the inventory: deletes or replaces {i.deleted}, impairs "
            f"{i.services_impaired} service(s), {i.data_without_backup} without backup, "
            f"~{i.restore_minutes} min to restore; tiers {', '.join(sorted(i.tiers)) or 'none'}",
        )
    ]
    out += [("", f"   environment root: {a.label()}") for a in i.roots]
    out += [("", f"   data lost: {a.label()}") for a in i.lost]
    out.append(("", f"   impact digest: {i.digest}"))
    return out
