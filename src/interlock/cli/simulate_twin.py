"""`interlock simulate --aws-twin`: run a command's `aws …` operations on the AWS twin.

    interlock simulate --inventory SNAPSHOT --aws-twin [--region R] -- CMD…

With `--aws-twin`, every operation of the command that is an `aws` call and not a read runs, in
order, on one moto server seeded from the snapshot (`interlock.impact.twin_aws_calls`: the
wrappers the shell walker peeled — `sudo`, `timeout`, `env`, `bash -c`, a pipeline, `&&` — are
peeled again from each operation's text; the commands stop at the first that fails). Other
operations are listed as not run. The twin's changes are merged with the static mapping's
(`changes_for`): per resource the strongest effect wins (delete, replace, update, create), so a
resource the twin saw deleted counts as deleted even when no analyzer called the command a
destroy. The blast radius is computed from the merged changes and passed to policy.

The region of each command is its `--region`, else `AWS_REGION`/`AWS_DEFAULT_REGION` set for it
in the command, else `--region`, else an ARN's region, else the snapshot's when all its
resources agree, else `us-east-1` (`twin_aws_calls`). When the twin ran, the report's digest
binds the twin's: `imt1:sha256:<hex>` over canonical JSON of `{"v": 1, "impact": <imp1
digest>, "twin": <awt1 digest>}`, so a decision made with the twin's evidence never shares a
digest with one made without it. Twin errors (`impact.twin_*`) propagate: the command fails
closed (exit 1, deny).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from interlock.cli.common import UsageError
from interlock.impact.blast import EFFECTS, Change, ImpactReport, blast_radius
from interlock.model import Operation
from interlock.model.digest import canonical_json

if TYPE_CHECKING:
    from interlock.impact.model import Snapshot
    from interlock.impact.twin_aws_calls import TwinRun

VERSION = "imt1"
SHOWN = 50  # resources listed per twin line in the human summary; --json lists them all
_WORDS = {"delete": "deleted", "replace": "replaced", "update": "changed", "create": "created"}


def check_usage(ns: Any, environ: Any = None) -> None:
    """`--aws-twin` needs an inventory (`--inventory` or `$INTERLOCK_INVENTORY`) and a
    command; `--region` needs `--aws-twin`."""
    inventory = ns.inventory or (os.environ if environ is None else environ).get(
        "INTERLOCK_INVENTORY"
    )
    if ns.aws_twin and (not inventory or not ns.command):
        raise UsageError("`--aws-twin` needs `--inventory SNAPSHOT` and `-- CMD…`")
    if ns.region and not ns.aws_twin:
        raise UsageError("`--region` only applies with `--aws-twin`")


def merge_changes(*groups: Iterable[Change]) -> list[Change]:
    """One change per resource, sorted by id: the strongest effect wins (unknown effects count
    as updates, as in `blast_radius`); a `backup="none"` from any source is kept."""
    best: dict[str, Change] = {}
    for c in (c for group in groups for c in group):
        held = best.get(c.resource)
        if held is None:
            best[c.resource] = c
            continue
        winner = c if _rank(c.effect) < _rank(held.effect) else held
        best[c.resource] = replace(winner, backup=_backup(held.backup, c.backup))
    return [best[rid] for rid in sorted(best)]


def _rank(effect: str) -> int:
    return EFFECTS.index(effect) if effect in EFFECTS else EFFECTS.index("update")


def _backup(a: str, b: str) -> str:
    return "none" if "none" in (a, b) else a or b


def blast_with_twin(
    ns: Any, ops: Sequence[Operation], snapshot: Snapshot
) -> tuple[ImpactReport, TwinRun | None]:
    """The blast radius of `ops`, with the twin's changes merged in when `--aws-twin` asks for
    it and the command has `aws` writes; and the twin's run (None when it did not run)."""
    from interlock.impact.changes import changes_for

    static = changes_for(ops, snapshot)
    twin = None
    if ns.aws_twin:
        from interlock.impact.twin_aws_calls import run_plan, twin_plan

        twin = run_plan(snapshot, twin_plan(ops, snapshot, ns.region, os.getcwd()))
    if twin is None:
        return blast_radius(snapshot, static), None
    report = blast_radius(snapshot, merge_changes(static, twin.result.changes))
    return replace(report, digest=bound_digest(report.digest, twin.result.digest)), twin


def bound_digest(impact_digest: str, twin_digest: str) -> str:
    body = {"v": 1, "impact": impact_digest, "twin": twin_digest}
    return f"{VERSION}:sha256:{hashlib.sha256(canonical_json(body)).hexdigest()}"


def twin_json(ns: Any, twin: TwinRun | None) -> dict[str, Any]:
    """`{"twin": …}` for `--json` (`null` when the command had nothing for the twin); `{}`
    without `--aws-twin`."""
    if not ns.aws_twin:
        return {}
    if twin is None:
        return {"twin": None}
    result, plan = twin.result, twin.plan
    regions = plan.regions
    return {
        "twin": {
            "digest": result.digest,
            "changes": [{"resource": c.resource, "effect": c.effect} for c in result.changes],
            "exit_code": result.exit_code,
            "unseeded": list(result.unseeded),
            "region": regions[0] if len(regions) == 1 else None,
            "commands": [c.text for c in plan.calls],
            "calls": [
                {"text": c.text, "argv": list(c.argv), "region": c.region, "from": c.region_from}
                for c in plan.calls
            ],
            "ignored": list(plan.ignored),
            "stderr": result.stderr,
        }
    }


def twin_lines(ns: Any, twin: TwinRun | None) -> list[str]:
    """The human summary's `twin` section; nothing without `--aws-twin`."""
    if not ns.aws_twin:
        return []
    if twin is None:
        return ["twin: not run (no `aws` command that changes anything)"]
    result, plan = twin.result, twin.plan
    n, regions = len(plan.calls), plan.regions
    where = f"region{'s' * (len(regions) != 1)} {', '.join(regions)}"
    lines = [f"twin (aws on moto, {where}, {n} command{'s' * (n != 1)}, exit {result.exit_code})"]
    for effect, word in _WORDS.items():
        lines += _listed(f"  {word}", list(result.ids(effect)))
    lines += _listed("  not seeded", list(result.unseeded))
    if not result.changes:
        lines.append("  no changes")
    if result.exit_code != 0:
        last = [line for line in result.stderr.splitlines() if line.strip()][-1:]
        lines += [f"  error: {line.strip()}" for line in last]
    lines += _listed("  not run (not an `aws` write)", [f"`{t}`" for t in plan.ignored])
    lines.append(f"twin digest: {result.digest}")
    return lines


def _listed(title: str, ids: list[str]) -> list[str]:
    if not ids:
        return []
    more = f" … and {len(ids) - SHOWN} more (use --json for all)" if len(ids) > SHOWN else ""
    return [f"{title}: {', '.join(ids[:SHOWN])}{more}"]
