"""Database backup managers: pgbackrest, barman (and barman-cloud-*), wal-g/wal-e,
pg_probackup, xtrabackup/mariabackup.

Expiring or deleting backups destroys recovery points; restoring writes a data directory and,
with `--delta`/`--force` or into a live data directory, overwrites the database.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Command, Operation, Target
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.backup_common import (
    D,
    R,
    Spec,
    U,
    W,
    dry,
    from_spec,
    help_op,
    op,
    repo,
    restore,
    wants_help,
)

_PGBR: dict[str, Spec] = {
    **{v: Spec(v, R, "stanza") for v in "info check verify version help repo-ls repo-get "
       "server-ping".split()},
    **{v: Spec(v, W, "stanza") for v in "backup stanza-create stanza-upgrade start stop "
       "archive-push archive-get annotate server".split()},
    "expire": Spec("expire", D, "backup"), "stanza-delete": Spec("stanza-delete", D, "stanza"),
}  # fmt: skip


def pgbackrest(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"--stanza", "--set", "--type", "--target", "--pg1-path",
                              "--repo", "--repo1-path", "--repo1-host", "--pg1-host",
                              "--config", "--log-level-console", "--process-max"})  # fmt: skip
    host = a.value("--pg1-host") or a.value("--repo1-host")
    target = repo(cmd, a.value("--stanza") or cmd.getenv("PGBACKREST_STANZA"), "stanza", url=host)
    pos = a.pos
    if not pos or wants_help(pos):
        return [help_op(cmd, target)]
    verb = pos[0]
    if verb == "restore":
        clobber = a.has("--delta", "--force")
        dest = a.value("--pg1-path") or "/var/lib/postgresql"
        out = restore(cmd, target, dest, clobber, what="a PostgreSQL backup")
        return [out if clobber else _plain(out)]
    spec = _PGBR.get(verb, Spec(verb, U, "stanza"))
    if spec.effect is D and a.has("--dry-run"):
        return [dry(cmd, verb, target)]
    tags = {"force"} if a.has("--force") else set()
    if verb == "stanza-delete":
        tags.add("all")
    if verb == "expire":
        tags.add("retention")
    return [from_spec(cmd, spec, target, tags)]


def _plain(o: Operation) -> Operation:
    """A restore that refuses a non-empty data directory writes, it does not overwrite."""
    from dataclasses import replace

    return replace(o, effect=W, tags=o.tags - {"in-place"})


_BARMAN: dict[str, Spec] = {
    **{v: Spec(v, R, "server") for v in "list-backups list-backup list-server list-servers "
       "show-backup show-server list-files check status diagnose replication-status "
       "get-wal verify-backup check-backup list-processes show-servers version help "
       "check-wal-archive".split()},
    **{v: Spec(v, W, "server") for v in "backup cron switch-wal switch-xlog receive-wal "
       "archive-wal keep put-wal sync-info sync-backup sync-wals generate-manifest "
       "config-switch config-update lock-directory-cleanup terminate-process".split()},
    "delete": Spec("delete", D, "backup"),
}  # fmt: skip


def barman(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"-c", "--config", "--remote-ssh-command", "--target-time",
                              "--target-xid", "--target-name", "--target-lsn", "--target-tli",
                              "--tablespace", "--staging-path", "--name", "-j", "--jobs",
                              "--reuse-backup", "--get-wal", "--standby-mode",
                              "--recovery-staging-path", "--format", "-f"})  # fmt: skip
    pos = a.pos
    if not pos or wants_help(pos):
        return [help_op(cmd, repo(cmd, None, "server"))]
    verb, args = pos[0], pos[1:]
    target = repo(cmd, args[0] if args else None, "server")
    if verb in ("recover", "restore"):
        ssh = a.value("--remote-ssh-command") or ""
        dest = args[2] if len(args) > 2 else None
        host_cmd = cmd
        if ssh:
            from dataclasses import replace

            host_cmd = replace(cmd, host=ssh.split()[-1].rsplit("@", 1)[-1])
        return [restore(host_cmd, target, dest, True, "recover", "a PostgreSQL backup")]
    spec = _BARMAN.get(verb, Spec(verb, U, "server"))
    if verb == "receive-wal" and a.has("--reset", "--drop-slot"):
        spec = Spec("receive-wal", D, "slot")
    tags = {"all"} if args[:1] == ["all"] else set()
    return [from_spec(cmd, spec, target, tags)]


def barman_cloud(cmd: Command, ctx: Context) -> list[Operation]:
    tool = cmd.program.removeprefix("barman-cloud-")
    pos = [p for p in cmd.args if not p.startswith("-")]
    target = repo(cmd, pos[0] if pos else None, "bucket")
    if "--help" in cmd.args or "-V" in cmd.args or "--version" in cmd.args:
        return [help_op(cmd, target)]
    if tool == "backup-delete":
        if "--dry-run" in cmd.args:
            return [dry(cmd, "delete", target)]
        tags = (
            {"retention"} if any(a.startswith(("-r", "--retention")) for a in cmd.args) else set()
        )
        return [op(cmd, "delete", D, [target], tags, "deletes barman cloud backups")]
    if tool in ("restore", "wal-restore"):
        return [restore(cmd, target, pos[-1] if len(pos) > 3 else None, True)]
    effect = R if tool in ("backup-list", "backup-show", "check-wal-archive") else W
    return [op(cmd, tool, effect, [target], set(), f"`{cmd.program}`")]


_WALG = {**{v: Spec(v, R) for v in "backup-list wal-show wal-verify flags version help "
            "binlog-list oplog-list backup-info".split()},
         **{v: Spec(v, W) for v in "backup-push wal-push wal-fetch wal-prefetch backup-mark "
            "binlog-push binlog-fetch binlog-replay oplog-push oplog-fetch oplog-replay "
            "catchup-push catchup-send catchup-receive copy daemon wal-receive "
            "xlog-push".split()}}  # fmt: skip
_WALG_ALL = frozenset({"everything"})


def walg(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"--config", "--s3-prefix", "--turbo", "--pool-size",
                              "--target-user-data", "--walg-prefix", "--gs-prefix",
                              "--az-prefix", "--file-prefix", "-k"})  # fmt: skip
    prefix = (
        a.value("--s3-prefix", "--walg-prefix", "--gs-prefix", "--az-prefix", "--file-prefix")
        or cmd.getenv("WALG_S3_PREFIX")
        or cmd.getenv("WALE_S3_PREFIX")
        or cmd.getenv("WALG_GS_PREFIX")
        or cmd.getenv("WALG_FILE_PREFIX")
    )
    target = repo(cmd, prefix, "storage")
    pos = a.pos
    if not pos or wants_help(pos):
        return [help_op(cmd, target)]
    verb, args = pos[0], pos[1:]
    if verb == "backup-fetch":
        return [restore(cmd, target, args[0] if args else None, True, what="a database backup")]
    if verb == "delete" and not a.has("--confirm"):  # without it wal-g only lists
        return [dry(cmd, "delete", target, "lists the backups `wal-g delete` would remove")]
    if verb == "delete":
        return [_walg_delete(cmd, True, target, args)]
    if verb == "st":
        sub = args[0] if args else "ls"
        effect = D if sub in ("rm", "delete") else (W if sub in ("put", "transfer") else R)
        return [op(cmd, f"st-{sub}", effect, [target], set(), f"wal-g storage `{sub}`")]
    spec = _WALG.get(verb, Spec(verb, U))
    return [from_spec(cmd, spec, target)]


def _walg_delete(cmd: Command, confirm: bool, target: object, args: list[str]) -> Operation:
    mode = args[0] if args else ""
    tags = {"all"} if mode in _WALG_ALL else set()
    if "FORCE" in args or "--force" in args:
        tags.add("force")
    if mode in ("retain", "before"):
        tags.add("retention")
    if confirm:
        tags.add("auto-approve")
    what = " ".join(args[:3]) or "backups"
    return op(cmd, "delete", D, [target], tags, f"deletes backups ({what})")  # type: ignore[list-item]


_PGPRO = {**{v: Spec(v, R, "instance") for v in "show show-config validate checkdb version "
             "help".split()},
          **{v: Spec(v, W, "instance") for v in "backup init add-instance set-config "
             "set-backup merge archive-push archive-get catchup".split()},
          "delete": Spec("delete", D, "backup"),
          "del-instance": Spec("del-instance", D, "instance")}  # fmt: skip


def pg_probackup(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"-B", "--backup-path", "--instance", "-D", "--pgdata", "-i",
                              "--backup-id", "-b", "--backup-mode", "-j", "--threads",
                              "--recovery-target-time", "--remote-host"})  # fmt: skip
    name = a.value("--instance") or a.value("-B", "--backup-path")
    target = repo(cmd, name, "instance", url=a.value("--remote-host"))
    pos = a.pos
    if not pos or wants_help(pos):
        return [help_op(cmd, target)]
    verb = pos[0]
    if verb == "restore":
        return [restore(cmd, target, a.value("-D", "--pgdata") or "/var/lib/postgresql",
                        a.has("--force"), what="a PostgreSQL backup")]  # fmt: skip
    spec = _PGPRO.get(verb, Spec(verb, U, "instance"))
    if spec.effect is D and a.has("--dry-run"):
        return [dry(cmd, verb, target)]
    tags = {"retention"} if a.has("--delete-expired", "--merge-expired", "--delete-wal") else set()
    if verb == "del-instance":
        tags.add("all")
    return [from_spec(cmd, spec, target, tags)]


def xtrabackup(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"--target-dir", "--datadir", "--host", "-H", "--user", "-u"})
    args = set(cmd.args)
    target = repo(cmd, a.value("--target-dir"), "backup", host=a.value("--host", "-H"))
    if args & {"--copy-back", "--move-back"}:
        dest = a.value("--datadir") or "/var/lib/mysql"
        clobber = "--force-non-empty-directories" in args
        return [restore(cmd, target, dest, clobber, "copy-back", "a MySQL backup")]
    if args & {"--help", "--version", "-v"}:
        return [help_op(cmd, target)]
    if args & {"--backup", "--prepare", "--decompress", "--decrypt", "--export", "--stats"}:
        verb = next(w[2:] for w in cmd.args if w in ("--backup", "--prepare", "--decompress",
                                                      "--decrypt", "--export", "--stats"))  # fmt: skip
        return [op(cmd, verb, W, [target], set(), f"`{cmd.program} --{verb}`")]
    return [op(cmd, "run", U, [target], set(), f"runs `{cmd.program}`")]


_CHB = {**{v: Spec(v, R, "backup") for v in "list tables print-config default-config check "
           "help".split()},
        **{v: Spec(v, W, "backup") for v in "create create_remote upload download watch server "
           "clean".split()},
        "delete": Spec("delete", D, "backup"),
        "clean_remote_broken": Spec("clean-remote-broken", D, "backup")}  # fmt: skip


def clickhouse_backup(cmd: Command, ctx: Context) -> list[Operation]:
    """clickhouse-backup: `delete local|remote NAME` removes a backup; `restore --rm` drops the
    live tables before loading the backup's copy."""
    a = parse_args(cmd.args, {"-c", "--config", "-t", "--tables", "--partitions",
                              "--restore-database-mapping", "--env"})  # fmt: skip
    pos = a.pos
    name = next((p for p in pos[1:] if p not in ("local", "remote")), None)
    target = repo(cmd, name, "backup")
    if not pos or wants_help(pos):
        return [help_op(cmd, target)]
    verb = pos[0]
    if verb in ("restore", "restore_remote"):
        drop = a.has("--rm", "--drop")
        server = Target.make("database", "clickhouse", host=cmd.host)
        return [op(cmd, "restore", D if drop else W, [target, server],
                   {"in-place", "force"} if drop else set(),
                   "restores a ClickHouse backup" + (", dropping the live tables" if drop else "")
                   )]  # fmt: skip
    return [from_spec(cmd, _CHB.get(verb, Spec(verb, U, "backup")), target)]


Handler = Callable[[Command, Context], list[Operation]]
HANDLERS: dict[str, Handler] = {
    "clickhouse-backup": clickhouse_backup,
    "pgbackrest": pgbackrest, "barman": barman, "wal-g": walg, "wal-e": walg,
    "wal-g-pg": walg, "wal-g-mysql": walg, "wal-g-mongo": walg, "wal-g-redis": walg,
    "pg_probackup": pg_probackup, "pg_probackup-16": pg_probackup,
    "pg_probackup-15": pg_probackup, "pg_probackup-14": pg_probackup,
    "xtrabackup": xtrabackup, "mariabackup": xtrabackup, "mariadb-backup": xtrabackup,
    "innobackupex": xtrabackup,
    **{f"barman-cloud-{t}": barman_cloud for t in ("backup", "backup-delete", "backup-list",
       "backup-show", "backup-keep", "restore", "wal-archive", "wal-restore",
       "check-wal-archive")},
}  # fmt: skip

__all__ = ["HANDLERS"]
