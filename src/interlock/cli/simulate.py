"""`interlock simulate`: what a Terraform plan or a command would do, and the verdict.

    interlock simulate [--inventory SNAPSHOT] (--tfplan FILE|- | -- CMD…) [--json]
                       [--mode workstation|gateway] [--env TIER] [--aws-twin [--region R]]

FILE is the output of `terraform show -json PLANFILE` (`-` reads it from stdin). For a plan it
prints the counts of create, update, delete, replace, no-op, read and other changes, the
addresses deleted and replaced; for a command, its operations. With `--inventory` (a snapshot
from `interlock inventory collect`) it also prints the blast radius — deleted, replaced,
impaired services, data without backup, the restore estimate, environment-root teardown — and
policy sees it as `impact.*` (its digest is bound into the decision's). Then the verdict, with
the rules that fired. `--json` prints one object instead. Exit codes as for `check`: 0 allow,
3 ask, 2 deny, 1 usage or bad input (which also prints a deny line on stderr). See
docs/simulate.md and docs/impact.md.
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
        default=None,
        help="the output of `terraform show -json PLANFILE` (- for stdin)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    from interlock.cli.simulate_more import add_options

    add_options(p)
    p.add_argument("command", nargs="*", help="after `--`: a command to simulate")
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ns = build_parser().parse_args(list(argv))
        if sum(bool(x) for x in (ns.tfplan is not None, ns.command, ns.sql_twin)) != 1:
            raise UsageError(
                "give one of `--tfplan FILE`, `--sql-twin DSN --sql TEXT` or `-- CMD…`"
            )
        from interlock.cli.simulate_twin import check_usage

        check_usage(ns)
        mode = default_mode(ns)
        settings = settings_from(ns)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1
    env = Tier(ns.env) if ns.env else None
    try:
        if ns.sql_twin:
            from interlock.cli.simulate_more import sql_twin

            return sql_twin(ns, settings, mode, env, stdin, stdout)
        snapshot = settings.inventory() if settings.inventory is not None else None
        if ns.command:
            return _simulate_command(ns, snapshot, settings, mode, env, stdout)
        from interlock.parse.tfplan import load_plan

        plan = load_plan(_read(ns.tfplan, stdin))
        decision, report = assess_with_impact(plan, settings, mode, env, snapshot)
        from interlock.cli.simulate_more import write_pictures

        write_pictures(ns, snapshot, report)
    except InterlockError as exc:
        return _fail(exc.code, exc.message, ns.json, stdout, stderr)
    except RecursionError:
        return _fail("internal.budget", "the plan nests too deeply", ns.json, stdout, stderr)
    except Exception as exc:  # fail closed on any bug
        return _fail(
            "internal.error", f"internal error ({type(exc).__name__})", ns.json, stdout, stderr
        )
    if ns.json:
        out = plan_json(plan, decision)
        if snapshot is not None:
            out["impact"] = impact_json(report, snapshot)
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        lines = summary_lines(plan, decision)
        if snapshot is not None:
            at = next(i for i, line in enumerate(lines) if line.startswith("verdict: "))
            lines[at:at] = impact_lines(report, snapshot)
        stdout.write("\n".join(lines) + "\n")
    return decision.exit_code


def assess(plan: Any, settings: Any, mode: Mode, env: Tier | None) -> Decision:
    """The decision for applying `plan`: its operations, resolved, through the rules."""
    return assess_with_impact(plan, settings, mode, env, None)[0]


def assess_with_impact(
    plan: Any, settings: Any, mode: Mode, env: Tier | None, snapshot: Any
) -> tuple[Decision, Any]:
    """The decision for applying `plan` and, with a snapshot, its blast radius, which the
    decision's policy sees as `impact.*` and its digest binds."""
    from interlock.parse.tfplan import plan_operations
    from interlock.policy.evaluate import evaluate
    from interlock.resolve import resolve
    from interlock.service import CheckCall, build_request

    workspace = dict(settings.base_env).get("TF_WORKSPACE")
    ops = resolve(plan_operations(plan, workspace), settings.envmap, env)
    report = impact = None
    if snapshot is not None:
        from interlock.impact.simulate import simulate

        sim = simulate(ops, snapshot)
        ops, report, impact = list(sim.ops), sim.report, sim.impact
    request = build_request(CheckCall(mode=mode, env=env, impact=impact), settings, ops)
    return evaluate(ops, settings.rules, mode, settings.policy, request), report


def _simulate_command(
    ns: Any, snapshot: Any, settings: Any, mode: Mode, env: Tier | None, stdout: TextIO
) -> int:
    """`simulate -- CMD…`: the command's operations, its blast radius, and `check`'s verdict."""
    import shlex

    from interlock.cli.simulate_twin import blast_with_twin, twin_json, twin_lines
    from interlock.resolve import resolve
    from interlock.service import CheckCall, check, operations

    text = ns.command[0] if len(ns.command) == 1 else shlex.join(ns.command)
    call = CheckCall(command=text, mode=mode, env=env)
    report = twin = None
    if snapshot is not None:
        try:
            ops = resolve(operations(call, settings), settings.envmap, env)
        except InterlockError:
            ops = []  # check() below answers for input it cannot analyze
        report, twin = blast_with_twin(ns, ops, snapshot)
    impact = None
    if report is not None:
        from interlock.impact.simulate import impact_of

        impact = impact_of(report, snapshot)
    # check() simulates again on the same snapshot for the tiers; this impact (the twin's
    # changes included) is the one policy sees
    decision = check(CheckCall(command=text, mode=mode, env=env, impact=impact), settings)
    from interlock.cli.simulate_more import write_pictures

    write_pictures(ns, snapshot, report)
    if ns.json:
        out = command_json(text, decision)
        out["impact"] = impact_json(report, snapshot) if report is not None else None
        out.update(twin_json(ns, twin))
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    else:
        lines = [f"command: {text}"] + [f"  - {_op_line(op)}" for op in decision.operations]
        if report is not None:
            lines += impact_lines(report, snapshot)
        lines += twin_lines(ns, twin)
        lines += _verdict_lines(decision)
        stdout.write("\n".join(lines) + "\n")
    return decision.exit_code


def _op_line(op: Any) -> str:
    targets = ", ".join(f"{t.kind} `{t.name}` ({t.tier.value})" for t in op.targets)
    return f"{op.family} {op.action} [{op.effect.value}] {targets}".rstrip()


def command_json(text: str, d: Decision) -> dict[str, Any]:
    from interlock.model.digest import operation_value

    out: dict[str, Any] = {
        "command": text,
        "operations": [operation_value(op) for op in d.operations],
        "verdict": d.verdict.value,
        "reason": d.reason,
        "rules": list(d.rules),
        "errors": list(d.errors),
        "digest": d.digest,
        "mode": d.mode.value,
    }
    if d.approvals:
        out["approvals"] = d.approvals
    return out


def impact_json(report: Any, snapshot: Any) -> dict[str, Any]:
    return {
        "deleted": list(report.deleted),
        "replaced": list(report.replaced),
        "changed": list(report.changed),
        "created": list(report.created),
        "impaired": list(report.impaired),
        "services_impaired": list(report.services_impaired),
        "data_loss": list(report.data_loss),
        "restore_minutes": report.restore_minutes,
        "env_root_teardown": report.env_root_teardown,
        "digest": report.digest,
        "inventory": {
            "digest": snapshot.digest,
            "source": snapshot.source,
            "fetched_at": snapshot.fetched_at,
        },
    }


def impact_lines(report: Any, snapshot: Any) -> list[str]:
    counts = (
        f"deletes {len(report.deleted)}, replaces {len(report.replaced)}, "
        f"changes {len(report.changed)}, creates {len(report.created)}, "
        f"impairs {len(report.impaired)}"
    )
    lines = [
        f"impact (inventory {snapshot.digest[:24]}…, {snapshot.source}"
        + (f", fetched {snapshot.fetched_at})" if snapshot.fetched_at else ")"),
        f"  {counts}",
        f"  services impaired: {', '.join(report.services_impaired) or 'none'}",
        f"  data without backup: {len(report.data_loss)}",
        f"  restore estimate: ~{report.restore_minutes} min",
    ]
    if report.env_root_teardown:
        lines.append("  tears down an environment root")
    lines += _section("impact: deleted", list(report.deleted))
    lines += _section("impact: replaced", list(report.replaced))
    lines += _section("impact: data loss", list(report.data_loss))
    lines += _section("impact: impaired", list(report.impaired))
    lines.append(f"impact digest: {report.digest}")
    return lines


def _verdict_lines(d: Decision) -> list[str]:
    lines = [f"verdict: {d.verdict.value}: {d.reason}"]
    if d.rules:
        lines.append(f"rules: {', '.join(d.rules)}")
    lines.append(f"digest: {d.digest}")
    return lines


def _read(source: str, stdin: TextIO | None) -> str:
    from interlock.model import InputError

    if source == "-" and stdin is not None:
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
