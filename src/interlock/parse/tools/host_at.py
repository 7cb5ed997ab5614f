"""One-off job schedules: at, batch, atq, atrm.

`atq`, `at -l` and `at -c N` read the queue; `atrm`/`at -r`/`at -d` remove jobs (a `write`:
only pending jobs go). `at TIME` and `batch` schedule the commands on their stdin, which go back
to the shell analyzer tagged `scheduled`; `at -f FILE` schedules a script we cannot see.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import HOST, make_op, names, read_op, target, wants_help

_TV = ("-f", "-q", "-t", "-M")


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _TV, bundle=True)
    if cmd.program == "atq" or wants_help(cmd.args) or a.has("-l", "-c", "-V"):
        return [read_op(cmd, HOST, "list", "lists scheduled jobs")]
    if cmd.program == "atrm" or a.has("-r", "-d"):
        tgts = [target(cmd, "at-job", j) for j in a.pos[:20]]
        return [make_op(cmd, HOST, "remove", Effect.WRITE, tgts,
                        summary=f"removes scheduled jobs {names(a.pos)}")]  # fmt: skip
    script = a.value("-f")
    if script:
        tgt = [target(cmd, "script", script)]
        return [make_op(cmd, HOST, "schedule", Effect.UNKNOWN, tgt,
                        summary=f"schedules script `{script}`")]  # fmt: skip
    op = make_op(cmd, HOST, "schedule", Effect.WRITE, summary="schedules a job")
    if not cmd.stdin or ctx.depth > 8:
        return [op]
    return [op, *(o.with_tags("scheduled") for o in ctx.shell(cmd.stdin, cmd))]
