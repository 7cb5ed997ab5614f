"""The `aws` calls of a proposal, as the AWS twin runs them.

    twin_plan(ops, snapshot, region=None) -> TwinPlan(calls, ignored)
    run_plan(snapshot, plan) -> TwinRun(result, plan) | None
    simulate_proposal(snapshot, text, region=None) -> TwinRun | None

`ops` are the proposal's analyzed operations, in the order they would run
(`interlock.service.operations`, `interlock.parse.shell.analyze_shell`). Each operation of
family `aws` whose program is `aws` and that is not a read is one call; they run in order on one
twin. Every other operation (`echo done`, `tee x`, an `aws … describe-…`, `s3cmd`) is listed in
`ignored` and never runs.

The shell walker has already peeled the wrappers (`sudo`, `timeout 30`, `env A=1`,
`bash -c '…'`), but an `Operation` keeps only its simple command's text. So the call's argv is
read again from that text with the walker's own pieces (`command_words`, then `unwrap.peel`
until the program is `aws`); nothing the parser decided changes. Variables set earlier in the
proposal are not known to this second reading. Refused (`impact.twin_command`): a word not
known before the command runs (`$VAR`, `$(cat f)`, what `xargs` appends), a wrapper whose
inner command cannot be followed, a region that is not one, and what `twin_aws_run.aws_args`
refuses (a local file written); all before the twin starts. `--profile` and `--endpoint-url`
are dropped there: the twin forces dummy credentials and its own endpoint.

The region of a call: its `--region`; else `AWS_REGION`, then `AWS_DEFAULT_REGION`, set for it
in the proposal (`AWS_REGION=… aws …`, `env AWS_REGION=… aws …`, an earlier `export`); else
`region` (`interlock simulate --region`); else the region of an ARN among its arguments; else
the region all the snapshot's `aws:` resources are in, when they agree; else `us-east-1`. The
environment Interlock itself runs in is never read. A call without `--region` gets
`--region R` appended, so the twin's digest binds the region it ran in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from interlock.impact.twin_aws_run import TwinError, aws_args
from interlock.model import Command, Effect, Operation

if TYPE_CHECKING:
    from interlock.impact.model import Snapshot
    from interlock.impact.twin_aws import TwinResult

DEFAULT_REGION = "us-east-1"
_REGION = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+-\d+$")
_ARN_REGION = re.compile(r"arn:aws[\w-]*:[\w-]+:([a-z]{2}(?:-[a-z0-9]+)+-\d+):")
_MAX_WRAPPERS = 16  # `sudo env A=1 timeout 5 nice aws …` peels four
_parser: Any = None


@dataclass(frozen=True, slots=True)
class TwinCall:
    text: str  # the operation's text, as the proposal wrote it
    argv: tuple[str, ...]  # what the twin runs: `aws …`, wrappers peeled, `--region` explicit
    region: str
    region_from: str  # flag, env, option, arn, snapshot or default


@dataclass(frozen=True, slots=True)
class TwinPlan:
    calls: tuple[TwinCall, ...]
    ignored: tuple[str, ...]  # texts of the operations the twin does not run

    @property
    def regions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.region for c in self.calls))


@dataclass(frozen=True, slots=True)
class TwinRun:
    result: TwinResult
    plan: TwinPlan


def twin_plan(
    ops: Sequence[Operation], snapshot: Snapshot, region: str | None = None, cwd: str | None = None
) -> TwinPlan:
    """The calls the twin runs for `ops`, and the operations it ignores. `cwd` is where the
    proposal would run: a relative `file://`/`fileb://` argument (a template, a policy, a
    `--cli-input-json`) is made absolute against it, since the twin runs in a scratch
    directory."""
    if region:
        _check_region(region, "the `--region` given")
    calls: list[TwinCall] = []
    ignored: list[Operation] = []
    exported: dict[str, str] = {}
    for op in ops:
        if op.family == "aws" and op.program == "aws" and op.effect is not Effect.READ:
            calls.append(_call(op, exported, region, snapshot, cwd))
        else:
            exported.update(_exported(op))
            ignored.append(op)
    ran = {c.text for c in calls}  # `aws … > out` also yields a write to `out` with this text
    shown = dict.fromkeys(op.text for op in ignored if op.text and op.text not in ran)
    return TwinPlan(tuple(calls), tuple(shown))


def run_plan(snapshot: Snapshot, plan: TwinPlan, timeout: float = 60.0) -> TwinRun | None:
    """Run the plan's calls in order on one twin seeded from `snapshot`; None without calls."""
    if not plan.calls:
        return None
    from interlock.impact.twin_aws import simulate_aws

    argvs = [list(c.argv) for c in plan.calls]
    return TwinRun(simulate_aws(snapshot, argvs, plan.calls[0].region, timeout=timeout), plan)


def simulate_proposal(
    snapshot: Snapshot,
    text: str,
    region: str | None = None,
    timeout: float = 60.0,
    cwd: str | None = None,
) -> TwinRun | None:
    """Analyze the shell command `text` and run its `aws` writes on the twin; relative
    `file://` arguments are found from `cwd` (default: this process's directory)."""
    import os

    from interlock.parse.shell import analyze_shell

    plan = twin_plan(analyze_shell(text), snapshot, region, cwd or os.getcwd())
    return run_plan(snapshot, plan, timeout)


def inner_aws(text: str) -> Command:
    """The `aws` command the simple command `text` runs, its wrappers peeled."""
    from interlock.parse import unwrap

    cmd = _read(text)
    for _ in range(_MAX_WRAPPERS):
        if cmd.program == "aws":
            _check_known(cmd)
            return cmd
        peeled = unwrap.peel(cmd)
        if not isinstance(peeled, unwrap.Inner):
            break
        cmd = peeled.cmd
    raise _refuse(f"cannot follow `{text}` to the `aws` command it runs")


def snapshot_region(snapshot: Snapshot) -> str | None:
    """The region every regional `aws:` resource of the snapshot is in; None if they differ."""
    found = {
        r.attr("region")
        for r in snapshot.resources
        if r.id.startswith("aws:") and r.attr("region") not in ("", "global")
    }
    return found.pop() if len(found) == 1 else None


def _call(
    op: Operation,
    exported: Mapping[str, str],
    option: str | None,
    snapshot: Snapshot,
    cwd: str | None = None,
) -> TwinCall:
    cmd = inner_aws(op.text)
    if cwd:
        cmd = replace(cmd, argv=(cmd.argv[0], *(_anchored(a, cwd) for a in cmd.args)))
    env = {**exported, **dict(cmd.env)}
    flags = _region_flags(cmd.args)
    candidates = (
        (flags[-1] if flags else "", "flag", "`--region`"),
        (env.get("AWS_REGION", ""), "env", "`AWS_REGION`"),
        (env.get("AWS_DEFAULT_REGION", ""), "env", "`AWS_DEFAULT_REGION`"),
        (option or "", "option", "`--region`"),
        (_arn_region(cmd.args), "arn", "an ARN"),
        (snapshot_region(snapshot) or "", "snapshot", "the snapshot"),
        (DEFAULT_REGION, "default", "the default"),
    )
    region, source, label = next(c for c in candidates if c[0])
    _check_region(region, f"{label} of `{op.text}`")
    argv = ("aws", *cmd.args, *(() if flags else ("--region", region)))
    aws_args(argv)  # refused now (a local file written…), before any twin starts
    return TwinCall(op.text, argv, region, source)


_FILE_PREFIXES = ("file://", "fileb://")


def _anchored(arg: str, cwd: str) -> str:
    """`file://t.json` → `file:///work/t.json` (also after `--opt=`); absolute and `~` paths
    are left alone."""
    import os

    head, eq, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
    if not eq:
        head, value = "", arg
    for prefix in _FILE_PREFIXES:
        if value.startswith(prefix):
            path = value[len(prefix) :]
            if path and not path.startswith(("/", "~")):
                value = prefix + os.path.join(cwd, path)
            break
    return f"{head}{eq}{value}" if eq else value


def _read(text: str) -> Command:
    from interlock.parse.shell_support import command_words

    root = _parse(text)
    nodes = [n for n in root.named_children if n.type != "comment"]
    node = nodes[0] if len(nodes) == 1 else None
    if node is not None and node.type == "redirected_statement":
        node = node.child_by_field_name("body")
    if root.has_error or node is None or node.type != "command":
        raise _refuse(f"`{text}` is not one simple command")
    argv, dynamic, env = command_words(node, {})
    return Command(argv=tuple(argv), dynamic=frozenset(dynamic), env=tuple(env), text=text)


def _exported(op: Operation) -> dict[str, str]:
    """`AWS_REGION`/`AWS_DEFAULT_REGION` an `export` operation sets (its value as written)."""
    if (op.family, op.action) != ("shell", "export"):
        return {}
    from interlock.parse.words import evaluate, node_text

    out = {}
    for decl in _parse(op.text).named_children:
        for c in decl.named_children if decl.type == "declaration_command" else ():
            name, value = c.child_by_field_name("name"), c.child_by_field_name("value")
            if c.type == "variable_assignment" and name is not None and value is not None:
                key = node_text(name)
                if key in ("AWS_REGION", "AWS_DEFAULT_REGION"):
                    out[key] = evaluate(value, {})[0]
    return out


def _parse(text: str) -> Any:
    global _parser
    if _parser is None:
        from interlock.parse._grammar import make_parser

        _parser = make_parser()
    return _parser.parse(text.encode("utf-8", "surrogateescape")).root_node


def _check_known(cmd: Command) -> None:
    if cmd.dynamic:
        word = cmd.argv[min(cmd.dynamic)]
        raise _refuse(
            f"`{word}` is not known before the command runs; write the value into the command"
        )


def _check_region(region: str, where: str) -> str:
    if not _REGION.match(region):
        raise _refuse(f"`{region}` ({where}) is not an AWS region like `eu-west-1`")
    return region


def _region_flags(args: Sequence[str]) -> list[str]:
    out = []
    for i, word in enumerate(args):
        if word == "--region" and i + 1 < len(args):
            out.append(args[i + 1])
        elif word.startswith("--region="):
            out.append(word.split("=", 1)[1])
    return out


def _arn_region(args: Sequence[str]) -> str:
    return next((m.group(1) for a in args if (m := _ARN_REGION.search(a))), "")


def _refuse(what: str) -> TwinError:
    return TwinError(f"aws twin: {what}", "impact.twin_command")


__all__ = [
    "DEFAULT_REGION",
    "TwinCall",
    "TwinPlan",
    "TwinRun",
    "inner_aws",
    "run_plan",
    "simulate_proposal",
    "snapshot_region",
    "twin_plan",
]
