"""`interlock simulate --tfplan FILE|-`: what applying a Terraform plan would do, and the verdict.

    interlock simulate --tfplan FILE|- [--json] [--mode workstation|gateway] [--env TIER]

FILE is the output of `terraform show -json PLANFILE` (`-` reads it from stdin). Prints the
counts of create, update, delete, replace, no-op, read and other changes, the addresses deleted
and replaced, and the verdict Interlock gives to applying the plan, with the rules that fired.
`--json` prints one object instead. Exit codes as for `check`: 0 allow, 3 ask, 2 deny, 1 usage
or bad input (which also prints a deny line on stderr). See docs/simulate.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import (
    Parser,
    UsageError,
    add_common,
    default_mode,
    print_error,
    settings_from,
)
from interlock.model import Decision, InterlockError, Mode, Tier

if TYPE_CHECKING:
    import argparse

SHOWN = 50  # addresses listed per section in the human summary; --json lists them all


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="interlock simulate",
        description="Show what applying a Terraform plan would do, and Interlock's verdict.",
    )
    add_common(p)
    p.add_argument(
        "--tfplan",
        metavar="FILE",
        required=True,
        help="the output of `terraform show -json PLANFILE` (- for stdin)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ns = build_parser().parse_args(list(argv))
        mode = default_mode(ns)
        settings = settings_from(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    try:
        from interlock.parse.tfplan import load_plan

        plan = load_plan(_read(ns.tfplan, stdin))
        decision = assess(plan, settings, mode, Tier(ns.env) if ns.env else None)
    except InterlockError as exc:
        return _fail(exc.code, exc.message, ns.json, stdout, stderr)
    except RecursionError:
        return _fail("internal.budget", "the plan nests too deeply", ns.json, stdout, stderr)
    except Exception as exc:  # fail closed on any bug
        return _fail(
            "internal.error", f"internal error ({type(exc).__name__})", ns.json, stdout, stderr
        )
    if ns.json:
        stdout.write(json.dumps(plan_json(plan, decision), ensure_ascii=False) + "\n")
    else:
        stdout.write("\n".join(summary_lines(plan, decision)) + "\n")
    return decision.exit_code


def assess(plan: Any, settings: Any, mode: Mode, env: Tier | None) -> Decision:
    """The decision for applying `plan`: its operations, resolved, through the rules."""
    from interlock.parse.tfplan import plan_operations
    from interlock.policy.evaluate import evaluate
    from interlock.resolve import resolve

    workspace = dict(settings.base_env).get("TF_WORKSPACE")
    ops = resolve(plan_operations(plan, workspace), settings.envmap, env)
    return evaluate(ops, settings.rules, mode)


def _read(source: str, stdin: TextIO) -> str:
    from interlock.model import InputError

    if source == "-":
        return stdin.read()
    try:
        with open(source, encoding="utf-8-sig") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(f"cannot read `{source}`: {exc.strerror}", "input.unreadable") from None
    except UnicodeDecodeError:
        raise InputError(f"`{source}` is not UTF-8 text", "input.tfplan") from None


def _fail(code: str, message: str, as_json: bool, stdout: TextIO, stderr: TextIO) -> int:
    print_error(stderr, code, message)
    if as_json:
        out = {"verdict": "deny", "reason": message, "rules": [], "errors": [code]}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 1


def plan_json(plan: Any, d: Decision) -> dict[str, Any]:
    changes = plan.changes
    out: dict[str, Any] = {
        "format_version": plan.format_version,
        "terraform_version": plan.terraform_version,
        "resource_changes_total": len(changes),
        "counts": plan.counts,
        "deleted": plan.deleted,
        "replaced": plan.replaced,
        "replaced_addresses": [c.address for c in changes if c.kind == "replace"],
        "label": plan.label,
        "verdict": d.verdict.value,
        "reason": d.reason,
        "rules": list(d.rules),
        "digest": d.digest,
        "mode": d.mode.value,
        "changes": [_change_json(c) for c in changes if c.kind != "no-op" or _notable(c)],
        "moved": [
            {"address": c.address, "previous_address": c.previous_address}
            for c in changes
            if c.previous_address
        ],
        "importing": [c.address for c in changes if c.importing],
        "deposed": [{"address": c.address, "deposed": c.deposed} for c in changes if c.deposed],
        "data_reads": [c.address for c in changes if c.mode == "data" and c.kind == "read"],
        "drift": [_change_json(c) for c in plan.drift],
        "output_changes": dict(plan.outputs),
        "deferred_changes": plan.deferred,
        "errored": plan.errored,
    }
    if d.approvals:
        out["approvals"] = d.approvals
    return out


def _notable(c: Any) -> bool:
    return bool(c.previous_address or c.importing or c.deposed or c.action_reason)


def _change_json(c: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"address": c.address, "actions": list(c.actions), "kind": c.kind}
    for key in ("action_reason", "previous_address", "deposed"):
        value = getattr(c, key)
        if value:
            out[key] = value
    if c.mode == "data":
        out["mode"] = "data"
    if c.importing:
        out["importing"] = True
    return out


def summary_lines(plan: Any, d: Decision) -> list[str]:
    version = plan.terraform_version or "unknown"
    lines = [f"plan: terraform {version}, format {plan.format_version or 'unknown'}"]
    if plan.errored:
        lines.append("  the plan errored: Terraform will not apply it as it is")
    lines += [f"  {kind:<8} {n:>6}" for kind, n in plan.counts.items()]
    lines += _section(
        "deleted", [_with_reason(c, c.address) for c in plan.changes if c.kind == "delete"]
    )
    lines += _section(
        "replaced", [_with_reason(c, c.listed) for c in plan.changes if c.kind == "replace"]
    )
    lines += _section(
        "moved",
        [f"{c.previous_address} -> {c.address}" for c in plan.changes if c.previous_address],
    )
    lines += _section("importing", [c.address for c in plan.changes if c.importing])
    lines += _section("other", [c.listed for c in plan.changes if c.kind == "other"])
    lines += _section(
        "drift (changed outside Terraform; not counted)", [c.listed for c in plan.drift]
    )
    lines += _section(
        "outputs", [f"{name}: {kind}" for name, kind in plan.outputs if kind != "no-op"]
    )
    lines.append(f"label: {plan.label}")
    head = f"{d.verdict.value}: {d.reason}"
    lines.append(f"verdict: {head}")
    if d.rules:
        lines.append(f"rules: {', '.join(d.rules)}")
    lines.append(f"digest: {d.digest}")
    return lines


def _with_reason(c: Any, text: str) -> str:
    return f"{text}  ({c.action_reason})" if c.action_reason else text


def _section(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    shown = [f"  - {item}" for item in items[:SHOWN]]
    if len(items) > SHOWN:
        shown.append(f"  … and {len(items) - SHOWN} more (use --json for all)")
    return [f"{title}:", *shown]
