"""Database tools with one job each: monitors that only read (`pg_activity`, `mytop`,
`mysqltuner`, `pgbadger`), load generators and table rewriters (`pgbench`, `pg_repack`)
and loaders (`pgloader`)."""

from __future__ import annotations

from interlock.model import Command, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools.db_common import Conn, R, W, op, parse_conninfo, place
from interlock.parse.tools.db_misc import _flag

# they show activity, statistics or advice and change nothing
MONITORS = ("pg_activity", "pgcenter", "pg_top", "pgbadger", "mytop", "innotop", "mysqltuner",
            "pgmetrics", "check_postgres", "check_postgres.pl", "pgtune")  # fmt: skip
PROGRAMS = (*MONITORS, "pgbench", "pg_repack", "pgloader")


def _pg_conn(cmd: Command) -> Conn:
    host = _flag(cmd.args, "-h") or _flag(cmd.args, "--host") or cmd.getenv("PGHOST")
    db = _flag(cmd.args, "-d") or _flag(cmd.args, "--dbname") or cmd.getenv("PGDATABASE")
    return place(cmd, host, db)


def monitor(cmd: Command) -> list[Operation]:
    conn = _pg_conn(cmd)
    return [op(cmd, "monitor", R, [conn.target("database", "")], (), f"`{cmd.program}` reads")]


def pgbench(cmd: Command) -> list[Operation]:
    """`pgbench -i` drops and recreates the pgbench_* tables; a run writes to them, or runs
    the transactions of a script (`-f`) we cannot see."""
    a = parse_args(cmd.args, {"-h", "--host", "-p", "--port", "-U", "--username", "-d", "-c",
                              "-j", "-T", "-t", "-s", "-f", "--file", "-b", "-D", "-P", "-R",
                              "-M", "-F", "--partitions", "-I"})  # fmt: skip
    db = a.pos[0] if a.pos else None
    conn = place(cmd, a.value("-h", "--host") or cmd.getenv("PGHOST"), db)
    target = [conn.target("database", db or "")]
    if a.has("--help", "-?", "--version", "-V"):
        return [op(cmd, "help", R, target, (), "prints help")]
    if a.has("-i", "--initialize"):
        return [op(cmd, "initialize", W, target, {"bulk"}, "recreates the pgbench tables")]
    tags = {"bulk", "script"} if a.value("-f", "--file") else {"bulk"}
    return [op(cmd, "benchmark", W, target, tags, "runs a load test against the database")]


def pg_repack(cmd: Command) -> list[Operation]:
    conn = _pg_conn(cmd)
    target = [conn.target("table", _flag(cmd.args, "-t") or _flag(cmd.args, "--table") or "")]
    if set(cmd.args) & {"-N", "--dry-run", "--help", "--version"}:
        return [op(cmd, "repack", R, target, {"dry-run"}, "shows what pg_repack would do")]
    return [op(cmd, "repack", W, target, (), "rewrites tables online")]


def pgloader(cmd: Command) -> list[Operation]:
    """pgloader SOURCE TARGET: reads the source, writes (and may drop tables in) the target."""
    urls = [w for w in cmd.args if "://" in w]
    if len(urls) < 2:
        conn = place(cmd, None, None)
        script = next((w for w in cmd.args if w.endswith(".load")), "")
        return [op(cmd, "load", W, [conn.target("database", "")], {"script"},
                   f"runs the pgloader command file `{script}`")]  # fmt: skip
    host, db = parse_conninfo(urls[-1])
    conn = place(cmd, host, db)
    return [op(cmd, "load", W, [conn.target("database", db or "")], (), "loads data into it")]


__all__ = ["PROGRAMS", "monitor", "pg_repack", "pgbench", "pgloader"]
