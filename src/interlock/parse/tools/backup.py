"""Backup tools: restic, borg/borgmatic, kopia here; duplicity, rdiff-backup, tarsnap, bup,
duplicacy, rsnapshot, bconsole … in `backup_files`; PostgreSQL/MySQL backup managers
(pgbackrest, barman, wal-g, pg_probackup, xtrabackup) in `backup_db`.

What matters for a backup tool: deleting snapshots or archives (`forget --prune`, `prune`,
`delete`, `compact`) destroys the last line of defence; breaking a lock or removing a key can
corrupt or lock out a repository; a restore writes, and over `/` or a live data directory it
overwrites. Listing, checking and diffing snapshots are reads.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Command, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools import backup_db as bdb
from interlock.parse.tools import backup_files as bfiles
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

# -- restic --------------------------------------------------------------------------------

_RESTIC_VALUES = frozenset(
    "-r --repo --repository-file -p --password-file --password-command --cacert --cache-dir "
    "--key-hint -o --option --limit-upload --limit-download --tls-client-cert --pack-size "
    "--compression --retry-lock --stuck-request-timeout --read-concurrency --keep-last "
    "--keep-hourly --keep-daily --keep-weekly --keep-monthly --keep-yearly --keep-within "
    "--keep-within-hourly --keep-within-daily --keep-within-weekly --keep-within-monthly "
    "--keep-within-yearly --keep-tag --host -H --tag --path -t --target -i --include -e "
    "--exclude --iexclude --iinclude --files-from --files-from-verbatim --files-from-raw "
    "--exclude-file --iexclude-file --include-file --max-unused --max-repack-size --group-by "
    "-g --from-repo --from-repository-file --from-password-file --from-password-command "
    "--from-key-hint --mode --read-data-subset --new-password-file --new-insecure-password "
    "--user --parent --stdin-filename --time --add --remove --set --sort --exclude-larger-than "
    "--exclude-if-present --repository-version --copy-chunker-params --snapshot-template "
    "--owner-root --overwrite --new-host --new-time --stdin-from-command".split()
)
_RESTIC: dict[str, Spec] = {
    **{v: Spec(v, R) for v in "snapshots ls check stats diff find cat dump version help "
       "list generate features options completion mount".split()},
    "backup": Spec("backup", W), "init": Spec("init", W), "tag": Spec("tag", W),
    "copy": Spec("copy", W), "migrate": Spec("migrate", W), "recover": Spec("recover", W),
    "self-update": Spec("self-update", W), "cache": Spec("cache", W),
    "forget": Spec("forget", D, "snapshot"), "prune": Spec("prune", D),
    "unlock": Spec("unlock", W, "lock"), "rewrite": Spec("rewrite", W, "snapshot"),
}  # fmt: skip


def restic(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _RESTIC_VALUES)
    name = (
        a.value("-r", "--repo") or a.value("--repository-file") or cmd.getenv("RESTIC_REPOSITORY")
    )
    target = repo(cmd, name)
    pos = a.pos
    if not pos or wants_help(pos) or a.has("--help"):
        return [help_op(cmd, target)]
    verb, rest = pos[0], pos[1:]
    dry_run = a.has("--dry-run", "-n")
    if verb == "restore":
        if dry_run:
            return [dry(cmd, "restore", target)]
        clobber = a.has("--delete") or a.value("--overwrite") == "always"
        return [restore(cmd, target, a.value("-t", "--target"), clobber)]
    if verb == "key":
        return [_restic_key(cmd, target, rest[:1])]
    if verb in ("repair",):
        forget = a.has("--forget")
        spec = Spec("repair", D if forget else W, rest[0] if rest else "repository")
        return [from_spec(cmd, spec, target, {"force"} if forget else set())]
    spec = _RESTIC.get(verb, Spec(verb, U))
    if spec.effect is D and dry_run:
        return [dry(cmd, verb, target)]
    tags: set[str] = set()
    if verb == "unlock" and a.has("--remove-all"):
        tags = {"lock-break", "force"}
    if verb == "rewrite" and a.has("--forget"):
        spec, tags = Spec("rewrite", D, "snapshot"), {"force"}
    if verb == "forget":
        tags = _restic_forget_tags(a, rest)
        if a.has("--prune"):
            tags.add("prune")
    return [from_spec(cmd, spec, target, tags, _restic_summary(verb, spec, target.name, rest))]


def _restic_forget_tags(a: object, ids: list[str]) -> set[str]:
    opts = getattr(a, "opts", {})
    keeps = [k for k in opts if k.startswith("--keep-")]
    if not keeps and not ids:
        return {"all"}
    if keeps:
        return {"retention"}
    return set()


def _restic_key(cmd: Command, target: object, sub: list[str]) -> Operation:
    verb = sub[0] if sub else "list"
    spec = {"list": Spec("key-list", R), "add": Spec("key-add", W), "remove": Spec("key-remove", D),
            "passwd": Spec("key-passwd", W)}.get(verb, Spec(f"key-{verb}", U))  # fmt: skip
    tags = {"credential"} if verb in ("remove", "passwd") else set()
    return from_spec(cmd, spec, target, tags)  # type: ignore[arg-type]


def _restic_summary(verb: str, spec: Spec, name: str, rest: list[str]) -> str:
    if verb == "forget":
        what = f"snapshots {', '.join(rest[:3])}" if rest else "snapshots by retention policy"
        return f"forgets {what} in repository `{name}`"
    if verb == "prune":
        return f"deletes unreferenced data from repository `{name}`"
    return f"`restic {verb}` on repository `{name}`"


# -- borg / borgmatic ----------------------------------------------------------------------

_BORG_VALUES = frozenset(
    "--repo -r --rsh --remote-path --upload-ratelimit --upload-buffer --lock-wait --umask "
    "--keep-within --keep-last --keep-secondly --keep-minutely -H --keep-hourly -d "
    "--keep-daily -w --keep-weekly -m --keep-monthly -y --keep-yearly -P --prefix -a "
    "--glob-archives --match-archives -e --exclude --exclude-from --pattern --patterns-from "
    "--comment --timestamp -C --compression --chunker-params --strip-components --sort-by "
    "--first --last --format --encryption --storage-quota --checkpoint-interval --files-cache "
    "--recompress --target --other-repo --from --newer --older --newest --oldest "
    "--max-duration".split()
)
_BORG: dict[str, Spec] = {
    **{v: Spec(v, R) for v in "list info rlist rinfo repo-list repo-info diff export-tar "
       "mount umount version help benchmark serve".split()},
    **{v: Spec(v, W) for v in "create init rcreate repo-create upgrade import-tar transfer "
       "rename config tag undelete".split()},
    "check": Spec("check", R), "prune": Spec("prune", D, "archive"),
    "delete": Spec("delete", D, "archive"), "rdelete": Spec("delete", D),
    "repo-delete": Spec("delete", D), "compact": Spec("compact", D),
    "repo-compact": Spec("compact", D), "recreate": Spec("recreate", D, "archive"),
    "break-lock": Spec("break-lock", W, "lock"), "with-lock": Spec("with-lock", U),
}  # fmt: skip
_BORG_KEY = {"export": Spec("key-export", R), "import": Spec("key-import", W),
             "change-passphrase": Spec("key-change-passphrase", W),
             "change-location": Spec("key-change-location", W),
             "migrate-to-repokey": Spec("key-migrate", W)}  # fmt: skip


def borg(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _BORG_VALUES)
    pos = a.pos
    if not pos or wants_help(pos):
        return [help_op(cmd, repo(cmd, cmd.getenv("BORG_REPO")))]
    verb, rest = pos[0], pos[1:]
    if verb == "key":
        verb, rest = f"key {rest[0] if rest else ''}", rest[1:]
    loc = a.value("--repo", "-r") or next((p for p in rest if _repo_like(p)), None)
    name = loc or cmd.getenv("BORG_REPO")
    target = repo(cmd, name.split("::", 1)[0] if name else None)
    dry_run = a.has("--dry-run", "-n")
    if verb == "extract":
        return [dry(cmd, "extract", target)] if dry_run else [restore(cmd, target, None)]
    spec = _BORG_KEY.get(verb[4:]) if verb.startswith("key ") else _BORG.get(verb)
    spec = spec or Spec(verb.replace(" ", "-"), U)
    if spec.effect is D and dry_run:
        return [dry(cmd, spec.action, target)]
    tags = _borg_tags(verb, a, name or "")
    if verb == "check" and a.has("--repair"):
        spec = Spec("repair", D)
    if verb == "config" and (a.has("--list", "-l") or len(rest) <= 2):
        spec = Spec("config", R)
    return [from_spec(cmd, spec, target, tags, _borg_summary(spec, name or "", tags))]


def _repo_like(word: str) -> bool:
    return "/" in word or "::" in word or word.startswith(("ssh:", "~", ".")) or ":" in word


def _borg_tags(verb: str, a: object, name: str) -> set[str]:
    opts = getattr(a, "opts", {})
    tags = {"force"} if "--force" in opts else set()
    if (
        verb in ("delete", "rdelete", "repo-delete")
        and "::" not in name
        and not (opts.keys() & {"-a", "--glob-archives", "--match-archives", "-P", "--prefix"})
    ):
        tags.add("all")
    if verb == "prune":
        tags.add("retention")
    if verb == "break-lock":
        tags |= {"lock-break", "force"}
    if verb == "key change-passphrase":
        tags.add("credential")
    return tags


def _borg_summary(spec: Spec, name: str, tags: set[str]) -> str:
    where = f"`{name}`" if name else "the configured repository"
    if spec.action == "delete":
        what = "the whole repository" if "all" in tags else "archives"
        return f"deletes {what} in {where}"
    return f"`{spec.action}` on borg repository {where}"


_BORGMATIC: dict[str, Spec] = {
    **{v: Spec(v, R) for v in "list rlist repo-list info rinfo repo-info check export-tar "
       "mount umount validate generate bootstrap".split()},
    **{v: Spec(v, W) for v in "create rcreate repo-create init transfer config".split()},
    "prune": Spec("prune", D, "archive"), "compact": Spec("compact", D),
    "delete": Spec("delete", D, "archive"), "rdelete": Spec("delete", D),
    "repo-delete": Spec("delete", D), "break-lock": Spec("break-lock", W, "lock"),
    "borg": Spec("borg", U), "restore": Spec("restore", D, "database"),
    "recreate": Spec("recreate", D, "archive"),
}  # fmt: skip
_BORGMATIC_VALUES = frozenset(
    "-c --config --repository --archive --destination --path --database --schema --hostname "
    "--port --username --original-hostname --original-port -v --verbosity --syslog-verbosity "
    "--log-file --log-file-verbosity --monitoring-verbosity --override --strip-components "
    "--keep-within --keep-last --keep-daily --keep-weekly --keep-monthly --keep-yearly "
    "--match-archives -a --only --format --sort-by --first --last".split()
)


def borgmatic(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _BORGMATIC_VALUES)
    target = repo(cmd, a.value("--repository") or a.value("-c", "--config"))
    pos = a.pos
    if wants_help(pos) or a.has("--help", "--version"):
        return [help_op(cmd, target)]
    if a.has("--dry-run", "-n"):
        return [dry(cmd, pos[0] if pos else "run", target)]
    if not pos:
        return [op(cmd, "run", W, [target], {"retention"}, "runs the configured backup, prune "
                   "and check")]  # fmt: skip
    verb = pos[0]
    if verb == "extract":
        dest = a.value("--destination")
        return [restore(cmd, target, dest, a.has("--overwrite"), "extract")]
    if verb == "key":
        sub = pos[1] if len(pos) > 1 else ""
        spec = _BORG_KEY.get(sub) or Spec(f"key-{sub}", U)
        tags = {"credential"} if sub == "change-passphrase" else set()
        return [from_spec(cmd, spec, target, tags)]
    spec = _BORGMATIC.get(verb, Spec(verb, U))
    tags = {"lock-break", "force"} if verb == "break-lock" else set()
    if verb == "check" and a.has("--repair"):
        spec = Spec("repair", D)
    if verb == "config" and pos[1:2] in (["validate"], ["generate"]):
        spec = Spec("config", R if pos[1] == "validate" else W)
    if verb == "restore":
        tags.add("in-place")
    if verb == "prune":
        tags.add("retention")
    return [from_spec(cmd, spec, target, tags)]


# -- kopia ---------------------------------------------------------------------------------

_KOPIA_VALUES = frozenset(
    "--config-file --password -p --log-level --file-log-level --log-dir --cache-directory "
    "--description --tags --parallel --override-source --start-time --end-time --snapshot-time "
    "--bucket --prefix --endpoint --region --path --keep-latest --keep-hourly --keep-daily "
    "--keep-weekly --keep-monthly --keep-annual --owner --safety --max-age --min-age "
    "--add-ignore --remove-ignore --compression --server-cert-fingerprint --url --username "
    "--hostname --password-file --storage-class".split()
)
_KOPIA: dict[str, Spec] = {
    **{f"snapshot {v}": Spec(f"snapshot-{v}", R, "snapshot")
       for v in "list ls verify estimate".split()},
    **{f"snapshot {v}": Spec(f"snapshot-{v}", W, "snapshot")
       for v in "create migrate copy-history move-history pin".split()},
    "snapshot delete": Spec("snapshot-delete", D, "snapshot"),
    "snapshot expire": Spec("snapshot-expire", D, "snapshot"),
    "snapshot fix": Spec("snapshot-fix", D, "snapshot"),
    **{f"repository {v}": Spec(f"repository-{v}", W)
       for v in "create connect disconnect repair set-parameters set-client upgrade "
       "change-password throttle".split()},
    "repository status": Spec("repository-status", R),
    "repository validate-provider": Spec("repository-validate", R),
    "repository sync-to": Spec("repository-sync", W),
    "maintenance info": Spec("maintenance-info", R),
    "maintenance run": Spec("maintenance-run", W),
    "maintenance set": Spec("maintenance-set", W),
    **{f"policy {v}": Spec(f"policy-{v}", R, "policy")
       for v in "show list get export".split()},
    **{f"policy {v}": Spec(f"policy-{v}", W, "policy")
       for v in "set edit import delete remove rm".split()},
    **{f"{n} {v}": Spec(f"{n}-{v}", R, n)
       for n in ("content", "blob", "index", "manifest", "cache", "server", "user", "acl")
       for v in ("list", "ls", "show", "stats", "verify", "info", "inspect", "status")},
    **{f"{n} {v}": Spec(f"{n}-{v}", D, n)
       for n in ("content", "blob", "manifest", "user", "acl")
       for v in ("delete", "rm", "remove", "gc")},
    "index optimize": Spec("index-optimize", W), "index recover": Spec("index-recover", W),
    "content rewrite": Spec("content-rewrite", W), "cache clear": Spec("cache-clear", W),
    "cache set": Spec("cache-set", W), "cache sync": Spec("cache-sync", W),
}  # fmt: skip
_KOPIA_ONE = {"mount": R, "ls": R, "show": R, "diff": R, "list": R, "logs": R, "benchmark": R,
              "help": R, "server": W, "notification": W, "restore": W}  # fmt: skip


def kopia(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _KOPIA_VALUES)
    pos = a.pos
    target = repo(cmd, a.value("--config-file") or a.value("--bucket") or a.value("--path"))
    if not pos or wants_help(pos) or a.has("--help", "--help-full"):
        return [help_op(cmd, target)]
    key = " ".join(pos[:2])
    if key == "snapshot restore" or pos[0] == "restore":
        args = pos[2:] if pos[0] == "snapshot" else pos[1:]
        clobber = not a.has("--no-overwrite-files")
        return [restore(cmd, target, args[1] if len(args) > 1 else None, clobber)]
    spec = _KOPIA.get(key) or (
        Spec(pos[0], _KOPIA_ONE[pos[0]]) if pos[0] in _KOPIA_ONE else Spec(key.replace(" ", "-"), U)
    )
    tags: set[str] = set()
    if key == "snapshot expire" and not a.has("--delete"):
        return [dry(cmd, spec.action, target)]
    if key == "maintenance run" and a.has("--full"):
        spec, tags = Spec("maintenance-full", D), {"prune"}
        if a.value("--safety") == "none":
            tags.add("force")
    if key == "repository sync-to" and a.has("--delete"):
        spec = Spec("repository-sync", D)
    if key == "policy set" and any(k.startswith("--keep-") for k in a.opts):
        tags.add("retention")
        if any(v in ("0", "1") for k, vs in a.opts.items() if k.startswith("--keep-") for v in vs):
            tags.add("all")
    if key == "repository change-password":
        tags.add("credential")
    return [from_spec(cmd, spec, target, tags)]


# -- dispatch ------------------------------------------------------------------------------

Handler = Callable[[Command, Context], list[Operation]]
_HANDLERS: dict[str, Handler] = {
    "restic": restic, "borg": borg, "borg2": borg, "borgmatic": borgmatic, "kopia": kopia,
    **bfiles.HANDLERS, **bdb.HANDLERS,
}  # fmt: skip


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    """Operations for one backup command (never raises, never empty)."""
    handler = _HANDLERS.get(cmd.program)
    try:
        ops = handler(cmd, ctx) if handler is not None else []
    except Exception:  # an analyzer bug must not let a command through unexamined
        ops = []
    if ops:
        return ops
    return [op(cmd, "run", U, [repo(cmd, None)], set(), f"runs `{cmd.program}`")]
