"""Data-platform and admin shells whose real command sits in a flag or a quoted argument.

`hive -e 'DROP TABLE x'`, `beeline -u jdbc:… -e …`, `impala-shell -q …`, `spark-sql -e …` run
SQL (read by the SQL classifier); `hdfs dfs -rm -r -skipTrash /x` and `hadoop fs -ls` put the
verb in a dash-word; `zk-shell host --run-once 'rmr /'` and `kadmin -q 'delprinc bob'` run one
command of their own language; `cap production deploy` names the stage first; `aws-nuke` and
`cloud-nuke` delete every resource of an account. `analyze(cmd, ctx)` answers None for a
program or form it does not know.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Command, Effect, Operation, Target
from interlock.parse import lexicon
from interlock.parse.lexicon import words
from interlock.parse.tools import Context

_R, _W, _D, _U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

# program: (dialect, flags that carry SQL, flags that name a script, flags that name the host)
_SQL_SHELLS: dict[str, tuple[str, frozenset[str], frozenset[str], frozenset[str]]] = {
    "hive": ("hive", words("-e"), words("-f -i"), words("-h --hiveconf")),
    "beeline": ("hive", words("-e"), words("-f -i"), words("-u")),
    "impala-shell": ("hive", words("-q --query"), words("-f --query_file"), words("-i")),
    "spark-sql": ("hive", words("-e"), words("-f -i"), words("--master")),
}
_HDFS = {
    **dict.fromkeys(words("rm rmr rmdir expunge truncate deleteSnapshot"), _D),
    **dict.fromkeys(words("ls lsr cat text tail head du dus df count stat test find"), _R),
    **dict.fromkeys(words("get copyToLocal getmerge checksum getfacl getfattr usage help"), _R),
}
_HDFS_ADMIN = {"-report": _R, "-printTopology": _R, "-listOpenFiles": _R, "-getDatanodeInfo": _R}
_ZK = {
    **dict.fromkeys(words("rmr deleteall delete rm"), _D),
    **dict.fromkeys(words("ls ls2 get stat exists tree find du getAcl child_count summary"), _R),
    **dict.fromkeys(words("set create cp mv setAcl setquota"), _W),
}
_KADMIN = {
    **dict.fromkeys(words("delprinc delete_principal delpol delete_policy ktremove"), _D),
    **dict.fromkeys(words("listprincs list_principals getprinc get_principal listpols"), _R),
    **dict.fromkeys(words("get_policy getpol get_privs getprivs list_policies"), _R),
}
_NUKERS = words("aws-nuke cloud-nuke azure-nuke gcp-nuke azure-nuker ovh-nuke")


def analyze(cmd: Command, ctx: Context) -> list[Operation] | None:
    if cmd.program in _SQL_SHELLS:
        return _sql_shell(cmd, ctx)
    if cmd.program in _HOSTED_SHELLS:
        return _hosted_shell(cmd, ctx)
    handler = _HANDLERS.get(cmd.program)
    if handler is None:
        return None
    found = handler(cmd)
    return [found] if found else None


def _op(
    cmd: Command, action: str, effect: Effect, target: Target, tags: set[str], summary: str
) -> Operation:
    from interlock.parse.tools.generic import op

    return op(cmd, action, effect, [target], tags, summary)


def _flag_values(cmd: Command, names: frozenset[str]) -> list[str]:
    argv = cmd.argv
    return [argv[i + 1] for i in range(1, len(argv) - 1) if argv[i] in names]


def _sql_shell(cmd: Command, ctx: Context) -> list[Operation] | None:
    from interlock.parse.tools.db_common import input_ops, place, script_op, sql_ops

    dialect, sql_flags, file_flags, host_flags = _SQL_SHELLS[cmd.program]
    if any(a in ("--help", "-H", "--version") for a in cmd.argv[1:]):
        return None
    hosts = _flag_values(cmd, host_flags)
    host = hosts[0] if hosts else None
    if host and host.startswith("jdbc:"):
        host = host.split("//", 1)[-1].split("/", 1)[0]
    conn = place(cmd, host, (_flag_values(cmd, words("-d --database --db")) or [None])[0])
    ops: list[Operation] = []
    for text in _flag_values(cmd, sql_flags):
        ops.extend(sql_ops(cmd, ctx, conn, text, dialect))
    ops.extend(script_op(cmd, conn, p) for p in _flag_values(cmd, file_flags))
    return ops or input_ops(cmd, ctx, conn, dialect)


# Hosted databases' SQL shells: `turso db shell DB ["SQL"]`, `pscale shell DB BRANCH`.
_HOSTED_SHELLS = {"turso": (["db", "shell"], "sqlite"), "pscale": (["shell"], "mysql")}
_HOSTED_VALUES = words("--org --instance --location --proxy --role --service-token --replica")


def _hosted_shell(cmd: Command, ctx: Context) -> list[Operation] | None:
    from interlock.parse.tools.db_common import input_ops, place, sql_ops

    lead, dialect = _HOSTED_SHELLS[cmd.program]
    pos: list[str] = []
    args = iter(cmd.argv[1:])
    for a in args:
        if a in ("--help", "-h"):
            return None
        if a in _HOSTED_VALUES:
            next(args, None)
        elif not a.startswith("-"):
            pos.append(a)
    n = len(lead)
    if pos[:n] != lead or len(pos) <= n:
        return None
    branch = pos[n + 1] if cmd.program == "pscale" and len(pos) > n + 1 else None
    conn = place(cmd, None, pos[n], branch=branch)
    if cmd.program == "turso" and len(pos) > n + 1:
        return sql_ops(cmd, ctx, conn, pos[n + 1], dialect)
    return input_ops(cmd, ctx, conn, dialect)


def _hdfs(cmd: Command) -> Operation | None:
    args = list(cmd.argv[1:])
    if not args:
        return None
    sub = args[0]
    if sub in ("dfs", "fs") and len(args) > 1:
        return _hdfs_fs(cmd, args[1:])
    if sub == "dfsadmin":
        effect = next((e for a in args[1:] if (e := _HDFS_ADMIN.get(a))), _W)
        return _op(cmd, "dfsadmin", effect, _cluster(cmd), set(), f"`{cmd.program} dfsadmin`")
    if sub == "fsck":
        effect = _D if "-delete" in args or "-move" in args else _R
        return _op(cmd, "fsck", effect, _cluster(cmd, args[1:2]), set(), "checks HDFS")
    if sub in ("getconf", "version", "classpath", "envvars", "groups", "checknative"):
        return _op(cmd, sub, _R, _cluster(cmd), set(), f"`{cmd.program} {sub}` reads")
    if sub == "namenode" and "-format" in args:
        summary = "formats the NameNode: every file in HDFS is lost"
        return _op(cmd, "format", _D, _cluster(cmd), {"all"}, summary)
    return None


def _hdfs_fs(cmd: Command, args: list[str]) -> Operation:
    verb = args[0].lstrip("-")
    effect = _HDFS.get(verb) or lexicon.classify_lead(verb) or _U
    paths = [a for a in args[1:] if not a.startswith("-")]
    tags = {"recursive"} if {"-r", "-R", "-rmr"} & set(args) or verb == "rmr" else set()
    if "-skipTrash" in args:
        tags.add("no-backup")
    if "/" in paths:
        tags.add("root-path")
    target = _cluster(cmd, paths[:1], "path")
    return _op(cmd, verb, effect, target, tags, f"`{cmd.program} fs -{verb}` on `{target.name}`")


def _cluster(cmd: Command, names: list[str] | None = None, kind: str = "hdfs") -> Target:
    name = names[0] if names else "hdfs"
    return Target.make(kind, name, host=cmd.host, env=_env(cmd))


def _env(cmd: Command) -> str | None:
    from interlock.parse.tools.generic import env_scope

    return env_scope(cmd)


def _zk_shell(cmd: Command) -> Operation | None:
    args = list(cmd.argv[1:])
    if cmd.program == "zk-shell":
        text = next((args[i + 1] for i in range(len(args) - 1) if args[i] == "--run-once"), None)
        host = next((a for a in args if not a.startswith("-")), "")
    else:
        server = [args[i + 1] for i in range(len(args) - 1) if args[i] == "-server"]
        rest = [a for a in args if not a.startswith("-") and a not in server]
        host = server[0] if server else (rest.pop(0) if rest else "")
        if cmd.program.startswith("zookeeper-shell") and server == [] and rest[:1] == [host]:
            rest = rest[1:]
        text = " ".join(rest) if rest else None
    if not text:
        return None
    verb, _, path = text.partition(" ")
    effect = _ZK.get(verb) or lexicon.classify_lead(verb) or _U
    path = path.split()[0] if path.split() else ""
    tags = {"recursive"} if verb in ("rmr", "deleteall") else set()
    if path == "/":
        tags |= {"root-path", "all"}
    target = Target.make("znode", path, url=host, host=cmd.host)
    return _op(cmd, verb, effect, target, tags, f"ZooKeeper `{verb}` on `{path}` at `{host}`")


def _kadmin(cmd: Command) -> Operation | None:
    args = list(cmd.argv[1:])
    query = next((args[i + 1] for i in range(len(args) - 1) if args[i] in ("-q", "--query")), None)
    if not query:
        return None
    verb, _, rest = query.partition(" ")
    effect = _KADMIN.get(verb) or _W
    name = next((w for w in rest.split() if not w.startswith("-")), "")
    target = Target.make("principal", name, host=cmd.host)
    return _op(cmd, verb, effect, target, set(), f"kadmin `{verb}` `{name}`")


def _stages(cmd: Command) -> Operation | None:
    """`cap production deploy`, `mina staging deploy`: the stage comes first."""
    from interlock.parse.tools.generic_build import task_category

    pos = [a for a in cmd.argv[1:] if not a.startswith("-")]
    if any(a in ("-T", "--tasks", "-h", "--help", "-V", "--version", "-P") for a in cmd.argv):
        return _op(cmd, "tasks", _R, Target.make("task", ""), set(), "lists the tasks")
    if len(pos) < 2 or ":" in pos[0] or "=" in pos[0]:
        return None
    stage, task = pos[0], pos[1]
    cat = task_category(task.replace(":", "-"))
    if lexicon.classify(task.rsplit(":", 1)[-1]) is _R:
        cat = "read"  # `deploy:check`, `deploy:log_revision`
    effect = {"read": _R, "clean": _D, "destroy": _D, "unknown": _U}.get(cat, _W)
    tags = set()
    if any(a in ("--dry-run", "-n", "--simulate") for a in cmd.argv):
        effect, tags = _R, {"dry-run"}
    target = Target.make("task", task, env=stage, host=cmd.host)
    return _op(cmd, task, effect, target, tags, f"`{cmd.program} {stage} {task}`")


def _nuke(cmd: Command) -> Operation | None:
    args = [a for a in cmd.argv[1:] if not a.startswith("-")]
    sub = args[0] if args else ""
    if any(a in ("--help", "-h", "--version", "-V") for a in cmd.argv):
        return None
    if sub.startswith("inspect") or sub in ("version", "help"):
        return _op(
            cmd, "inspect", _R, Target.make("account", ""), set(), "lists what it would nuke"
        )
    if cmd.program == "aws-nuke" and "--no-dry-run" not in cmd.argv:
        summary = "previews deleting every resource in an AWS account"
        return _op(cmd, "nuke", _R, Target.make("account", ""), {"dry-run", "all"}, summary)
    summary = f"`{cmd.program}` deletes every resource in a cloud account"
    return _op(cmd, "nuke", _D, Target.make("account", sub), {"all", "force"}, summary)


def _elasticdump(cmd: Command) -> Operation | None:
    out = next(
        (a.split("=", 1)[1] for a in cmd.argv if a.startswith("--output=")),
        _flag_values(cmd, words("--output"))[0] if "--output" in cmd.argv else "",
    )
    if out.startswith(("http://", "https://")):
        return _op(cmd, "load", _W, Target.make("index", out, url=out), set(), f"writes `{out}`")
    return _op(cmd, "dump", _R, Target.make("index", ""), set(), "dumps an index to a file")


_HANDLERS: dict[str, Callable[[Command], Operation | None]] = {
    "hdfs": _hdfs,
    "hadoop": _hdfs,
    "zk-shell": _zk_shell,
    "zkCli.sh": _zk_shell,
    "zkCli": _zk_shell,
    "zookeeper-shell": _zk_shell,
    "zookeeper-shell.sh": _zk_shell,
    "kadmin": _kadmin,
    "kadmin.local": _kadmin,
    "cap": _stages,
    "mina": _stages,
    "elasticdump": _elasticdump,
    **dict.fromkeys(_NUKERS, _nuke),
}
PROGRAMS = frozenset(_HANDLERS) | frozenset(_SQL_SHELLS) | frozenset(_HOSTED_SHELLS)
