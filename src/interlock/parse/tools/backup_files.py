"""File-level backup tools: duplicity/duply, rdiff-backup, tarsnap, rsnapshot, bup, duplicacy,
Bacula's bconsole, timeshift, snapper, tmutil, veeamconfig, proxmox-backup-client, autorestic
and resticprofile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from interlock.model import Command, Operation
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

_DUP_VALUES = frozenset(
    "--encrypt-key --sign-key --archive-dir --name --ssh-options --exclude --include "
    "--exclude-filelist --include-filelist --volsize -t --time -r --file-to-restore "
    "--full-if-older-than --s3-region-name --log-file --tempdir --gpg-options -v "
    "--verbosity --hidden-encrypt-key --backend-retry-delay --num-retries".split()
)
_DUP: dict[str, Spec] = {
    **{v: Spec(v, R) for v in "verify collection-status list-current-files --version "
       "help".split()},
    "full": Spec("backup", W), "incremental": Spec("backup", W), "incr": Spec("backup", W),
    "backup": Spec("backup", W),
    "remove-older-than": Spec("remove-older-than", D, "backup-set"),
    "remove-all-but-n-full": Spec("remove-all-but-n-full", D, "backup-set"),
    "remove-all-inc-of-but-n-full": Spec("remove-all-inc-of-but-n-full", D, "backup-set"),
    "cleanup": Spec("cleanup", D),
}  # fmt: skip


def duplicity(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _DUP_VALUES)
    pos = a.pos
    urls = [p for p in pos if "://" in p]
    target = repo(cmd, urls[0] if urls else None)
    if not pos or wants_help(pos):
        return [help_op(cmd, target)]
    verb = pos[0] if pos[0] in _DUP or pos[0] == "restore" else ""
    if verb == "restore" or (not verb and pos and "://" in pos[0]):
        args = [p for p in pos if p != "restore"]
        dest = args[1] if len(args) > 1 else None
        return [restore(cmd, target, dest, a.has("--force"))]
    spec = _DUP.get(verb, Spec("backup", W))
    # duplicity's remove-* and cleanup only list what they would delete until given --force
    if a.has("--dry-run") or (spec.effect is D and not a.has("--force")):
        return [dry(cmd, spec.action, target)]
    tags = {"force"} if a.has("--force") else set()
    if spec.effect is D:
        tags.add("retention")
    return [from_spec(cmd, spec, target, tags)]


_DUPLY = {"backup": W, "bkp": W, "incr": W, "full": W, "pre": W, "post": W, "create": W,
          "status": R, "list": R, "verify": R, "version": R, "usage": R, "txt2man": R,
          "purge": D, "purgefull": D, "purgeincr": D, "purgeauto": D, "cleanup": D}  # fmt: skip


def duply(cmd: Command, ctx: Context) -> list[Operation]:
    pos = [p for p in cmd.args if not p.startswith("-")]
    target = repo(cmd, pos[0] if pos else None, "profile")
    if len(pos) < 2 or wants_help(pos):
        return [help_op(cmd, target)]
    steps = pos[1].lower().split("_")
    if steps[0] in ("restore", "fetch"):
        dest = pos[-1] if len(pos) > 2 else None
        return [restore(cmd, target, dest, "--force" in cmd.args)]
    effects = [_DUPLY.get(s, U) for s in steps]
    effect = D if D in effects else (U if U in effects else (W if W in effects else R))
    if effect is D and "--preview" in cmd.args:
        return [dry(cmd, pos[1], target)]
    tags = {"force"} if "--force" in cmd.args else set()
    return [op(cmd, pos[1], effect, [target], tags, f"`duply {pos[0]} {pos[1]}`")]


_RDIFF_FLAGS = {"--remove-older-than": Spec("remove-older-than", D, "increment"),
                "--list-increments": Spec("list", R), "--list-at-time": Spec("list", R),
                "--list-changed-since": Spec("list", R), "--compare": Spec("compare", R),
                "--compare-hash": Spec("compare", R), "--verify": Spec("verify", R),
                "--list-increment-sizes": Spec("list", R), "--test-server": Spec("test", R),
                "--check-destination-dir": Spec("regress", W)}  # fmt: skip
_RDIFF_VERBS = {"backup": Spec("backup", W), "list": Spec("list", R), "verify": Spec("verify", R),
                "compare": Spec("compare", R), "info": Spec("info", R), "test": Spec("test", R),
                "regress": Spec("regress", W), "calculate": Spec("calculate", R),
                "remove": Spec("remove-increments", D, "increment"),
                "server": Spec("server", W)}  # fmt: skip


def rdiff_backup(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(
        cmd.args,
        {"--remove-older-than", "-r", "--restore-as-of", "--at", "--older-than", "--api-version",
         "--include", "--exclude", "--list-at-time", "--list-changed-since", "-v",
         "--verbosity", "--remote-schema", "--terminal-verbosity"},
    )  # fmt: skip
    pos = a.pos
    if wants_help(pos) or a.has("--help", "--version"):
        return [help_op(cmd, repo(cmd, None))]
    verb = pos[0] if (pos and pos[0] in _RDIFF_VERBS) or pos[:1] == ["restore"] else ""
    paths = pos[1:] if verb else pos
    target = repo(cmd, paths[-1] if paths else None)
    if verb == "restore" or a.has("-r", "--restore-as-of") or (not verb and a.has("--at")):
        src = repo(cmd, paths[0] if paths else None)
        return [restore(cmd, src, paths[-1] if len(paths) > 1 else None, a.has("--force"))]
    spec = _RDIFF_VERBS.get(verb) or next(
        (s for f, s in _RDIFF_FLAGS.items() if a.has(f)), Spec("backup", W)
    )
    if verb == "remove":
        target = repo(cmd, paths[-1] if paths else None)
    tags = {"force"} if a.has("--force") else set()
    return [from_spec(cmd, spec, target, tags)]


def tarsnap(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"-f", "-C", "--keyfile", "--cachedir", "-T", "-X", "--exclude",
                              "--configfile", "--maxbw", "--maxbw-rate"}, bundle=True)  # fmt: skip
    target = repo(cmd, a.value("-f") or "tarsnap", "archive")
    if a.has("--nuke"):
        return [
            op(cmd, "nuke", D, [repo(cmd, "tarsnap")], {"all", "force"}, "deletes every archive")
        ]
    if a.has("-d"):
        if a.has("--dry-run"):
            return [dry(cmd, "delete", target)]
        return [op(cmd, "delete", D, [target], set(), f"deletes tarsnap archive `{target.name}`")]
    if a.has("--fsck-prune"):
        return [op(cmd, "fsck-prune", D, [target], {"force"}, "prunes corrupt tarsnap archives")]
    if a.has("-x"):
        return [restore(cmd, target, a.value("-C"), not a.has("-k", "--keep-old-files"))]
    if a.has("-c") and not a.has("--dry-run"):
        return [op(cmd, "backup", W, [target], set(), f"creates tarsnap archive `{target.name}`")]
    if a.has("--fsck", "--recover", "--initialize-cachedir"):
        return [op(cmd, "repair", W, [target], set(), "rebuilds the tarsnap cache")]
    return [op(cmd, "list", R, [target], set(), "reads tarsnap archives or stats")]


def rsnapshot(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"-c"}, bundle=True)
    target = repo(cmd, a.value("-c"), "config")
    verb = a.pos[0] if a.pos else "help"
    if a.has("-t") or verb in ("du", "diff", "configtest", "check-config-version", "version",
                               "help", "get-latest-snapshot"):  # fmt: skip
        return [op(cmd, verb, R, [target], {"dry-run"} if a.has("-t") else set(), "rsnapshot read")]
    if verb == "upgrade-config-file":
        return [op(cmd, verb, W, [target], set(), "rewrites the rsnapshot config")]
    return [op(cmd, verb, W, [target], {"retention"}, f"takes the `{verb}` rsnapshot (rotates)")]


_BUP = {**{v: Spec(v, R) for v in "ls join fsck web fuse margin memtest midx-check version "
           "help features meta cat-file".split()},
        **{v: Spec(v, W) for v in "init index save split get tag midx bloom on import-rsnapshot "
           "import-rdiff-backup server mux".split()},
        "rm": Spec("rm", D, "branch"), "prune-older": Spec("prune-older", D, "branch"),
        "gc": Spec("gc", D)}  # fmt: skip


def bup(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"-d", "--bup-dir", "-C", "--outdir", "-n", "--name", "-r",
                              "--remote", "--keep-all-for", "--keep-dailies-for",
                              "--keep-monthlies-for", "--keep-yearlies-for"})  # fmt: skip
    target = repo(cmd, a.value("-d", "--bup-dir", "-r", "--remote") or cmd.getenv("BUP_DIR"))
    verb = a.pos[0] if a.pos else "help"
    if verb == "restore":
        return [restore(cmd, target, a.value("-C", "--outdir"))]
    spec = _BUP.get(verb, Spec(verb, U))
    if verb == "fsck" and a.has("-r", "--repair"):
        spec = Spec("repair", W)
    if verb == "tag" and a.has("-d", "--delete"):
        spec = Spec("tag-delete", D, "tag")
    if spec.effect is D and a.has("--pretend", "--dry-run"):
        return [dry(cmd, verb, target)]
    tags = {"force"} if a.has("--unsafe", "-f", "--force") else set()
    return [from_spec(cmd, spec, target, tags)]


_DUPLICACY = {**{v: Spec(v, R) for v in "list check cat diff history info benchmark "
                 "help".split()},
              **{v: Spec(v, W) for v in "init backup add set copy password".split()},
              "prune": Spec("prune", D, "snapshot")}  # fmt: skip


def duplicacy(cmd: Command, ctx: Context) -> list[Operation]:
    pos = [p for p in cmd.args if not p.startswith("-")]
    flags = {p.split("=", 1)[0].lstrip("-") for p in cmd.args if p.startswith("-")}
    verb = next((p for p in pos if p in _DUPLICACY or p == "restore"), pos[0] if pos else "help")
    target = repo(cmd, _after(cmd.args, "-storage") or "default", "storage")
    if verb == "restore":
        return [restore(cmd, target, None, bool(flags & {"overwrite", "delete"}))]
    spec = _DUPLICACY.get(verb, Spec(verb, U))
    if spec.effect is D and "dry-run" in flags:
        return [dry(cmd, verb, target)]
    tags = {"force"} if flags & {"exclusive", "exhaustive"} else set()
    if "all" in flags or "a" in flags:
        tags.add("all")
    if verb == "password":
        tags.add("credential")
    return [from_spec(cmd, spec, target, tags)]


def _after(args: tuple[str, ...], flag: str) -> str | None:
    for i, w in enumerate(args[:-1]):
        if w in (flag, "-" + flag):
            return args[i + 1]
    return None


_BACULA_D = ("delete", "purge", "prune", "truncate")
_BACULA_R = ("list", "llist", "show", "status", "messages", "version", "help", "estimate",
             "query", "sqlquery", "wait", "time", "use", "exit", "quit", "@")  # fmt: skip


def bconsole(cmd: Command, ctx: Context) -> list[Operation]:
    target = repo(cmd, "bacula", "director")
    text = cmd.stdin if cmd.stdin is not None and not cmd.stdin_piped else None
    if text is None:
        if "-t" in cmd.args or "-?" in cmd.args:
            return [help_op(cmd, target)]
        return [op(cmd, "session", U, [target], {"interactive"}, "opens a Bacula console")]
    out = [_bacula_line(cmd, target, ln.strip()) for ln in text.splitlines() if ln.strip()]
    return out or [op(cmd, "session", R, [target], set(), "runs no Bacula command")]


def _bacula_line(cmd: Command, target: object, line: str) -> Operation:
    word = line.split()[0].lower().lstrip(".")
    t = target  # type: ignore[assignment]
    if word in _BACULA_D:
        tags = {"all"} if "all" in line.lower().split() else set()
        return op(cmd, word, D, [t], tags, f"bacula `{line[:60]}`")  # type: ignore[list-item]
    if word in _BACULA_R or word.startswith(_BACULA_R):
        return op(cmd, word, R, [t], set(), f"bacula `{line[:60]}`")  # type: ignore[list-item]
    if word == "restore":
        where = next((w[6:] for w in line.split() if w.startswith("where=")), None)
        return restore(cmd, t, where or "/", "replace=always" in line)  # type: ignore[arg-type]
    return op(cmd, word, W, [t], set(), f"bacula `{line[:60]}`")  # type: ignore[list-item]


def timeshift(cmd: Command, ctx: Context) -> list[Operation]:
    target = repo(cmd, _after(cmd.args, "--snapshot-device") or "system", "snapshot")
    args = set(cmd.args)
    if "--restore" in args:
        return [restore(cmd, target, _after(cmd.args, "--target-device") or "/", True)]
    if "--delete-all" in args:
        return [op(cmd, "delete", D, [target], {"all"}, "deletes every timeshift snapshot")]
    if "--delete" in args:
        return [op(cmd, "delete", D, [target], set(), "deletes a timeshift snapshot")]
    if args & {"--create", "--check"}:
        return [op(cmd, "create", W, [target], set(), "takes a timeshift snapshot")]
    return [op(cmd, "list", R, [target], set(), "lists timeshift snapshots")]


_SNAPPER = {**{v: Spec(v, R) for v in "list ls list-configs status diff xadiff mount umount "
               "help get-config".split()},
            **{v: Spec(v, W) for v in "create create-config set-config modify setup-quota "
               "rollback".split()},
            "delete": Spec("delete", D, "snapshot"), "rm": Spec("delete", D, "snapshot"),
            "remove": Spec("delete", D, "snapshot"), "cleanup": Spec("cleanup", D, "snapshot"),
            "delete-config": Spec("delete-config", D, "config"),
            "undochange": Spec("undochange", D, "path")}  # fmt: skip
_TMUTIL = {**{v: Spec(v, R) for v in "listbackups latestbackup destinationinfo "
              "listlocalsnapshots listlocalsnapshotdates compare status machinedirectory "
              "uniquesize calculatedrift isexcluded version help verifychecksums".split()},
           **{v: Spec(v, W) for v in "startbackup stopbackup enable disable setdestination "
              "adddestination removedestination addexclusion removeexclusion "
              "localsnapshot inheritbackup associatedisk".split()},
           "delete": Spec("delete", D, "backup"),
           "deletelocalsnapshots": Spec("delete", D, "snapshot"),
           "thinlocalsnapshots": Spec("thin", D, "snapshot")}  # fmt: skip


def _verb_table(table: dict[str, Spec], noun: str, skip_values: set[str]) -> Handler:
    def handle(cmd: Command, ctx: Context) -> list[Operation]:
        a = parse_args(cmd.args, skip_values)
        target = repo(cmd, a.value("-c", "--config") or noun, noun)
        verb = a.pos[0] if a.pos else "help"
        if verb == "restore":
            return [restore(cmd, target, a.pos[-1] if len(a.pos) > 2 else None)]
        spec = table.get(verb, Spec(verb, U))
        tags = {"all"} if spec.effect is D and ("/" in a.pos[1:] or a.has("--all", "-a")) else set()
        return [from_spec(cmd, spec, target, tags)]

    return handle


_VEEAM = {"list": R, "info": R, "show": R, "log": R, "export": R, "delete": D, "remove": D,
          "start": W, "create": W, "edit": W, "stop": W, "import": W, "rescan": W,
          "set": W, "enable": W, "disable": W, "patch": W}  # fmt: skip


def veeamconfig(cmd: Command, ctx: Context) -> list[Operation]:
    pos = [p for p in cmd.args if not p.startswith("-")]
    noun, verb = (pos + ["", ""])[:2]
    target = repo(cmd, _after(cmd.args, "--name") or noun or "veeam", noun or "job")
    if verb == "restore" or noun in ("restore", "mount"):
        return [op(cmd, "restore", W, [target], set(), "restores from a Veeam backup")]
    effect = _VEEAM.get(verb, R if noun in ("version", "help", "") else U)
    return [
        op(cmd, f"{noun}-{verb}".strip("-"), effect, [target], set(), f"veeamconfig {noun} {verb}")
    ]


_PBC = {**{v: Spec(v, R) for v in "list catalog status snapshots mount map benchmark "
           "version help".split()},
        **{v: Spec(v, W) for v in "backup login logout key change-owner task".split()},
        "forget": Spec("forget", D, "snapshot"), "prune": Spec("prune", D, "snapshot"),
        "garbage-collect": Spec("garbage-collect", D)}  # fmt: skip


def proxmox_backup_client(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, {"--repository", "--ns", "--keyfile", "--keep-last", "--keep-daily",
                              "--keep-weekly", "--keep-monthly", "--keep-yearly",
                              "--backup-type", "--backup-id"})  # fmt: skip
    target = repo(cmd, a.value("--repository") or cmd.getenv("PBS_REPOSITORY"), "datastore")
    pos = a.pos
    if not pos or wants_help(pos):
        return [help_op(cmd, target)]
    if pos[0] == "restore":
        return [restore(cmd, target, pos[-1] if len(pos) > 3 else None)]
    key = pos[0] if pos[0] != "snapshot" else (pos[1] if len(pos) > 1 else "list")
    spec = _PBC.get(key, Spec(key, U))
    if spec.effect is D and a.has("--dry-run"):
        return [dry(cmd, key, target)]
    return [from_spec(cmd, spec, target, {"retention"} if key == "prune" else set())]


def _as_restic(profile_first: bool) -> Handler:
    """autorestic / resticprofile drive restic; read them as restic on the named location."""

    def handle(cmd: Command, ctx: Context) -> list[Operation]:
        from interlock.parse.tools.backup import restic

        args = list(cmd.args)
        name = (
            _after(cmd.args, "-l") or _after(cmd.args, "--location") or _after(cmd.args, "--name")
        )
        pos = [p for p in args if not p.startswith("-")]
        if not profile_first and pos[:1] and pos[0] in _AUTORESTIC:
            target = repo(cmd, name, "location")
            return [op(cmd, pos[0], _AUTORESTIC[pos[0]], [target], set(), f"autorestic {pos[0]}")]
        if profile_first and pos and "." in pos[0]:
            name, verb = pos[0].rsplit(".", 1)
            args[args.index(pos[0])] = verb
        if pos[:1] == ["exec"]:
            args = args[args.index("--") + 1 :] if "--" in args else args[1:]
        if args[:1] == ["restore"] and "--to" in args:
            args[args.index("--to")] = "--target"
        drop = {"-l", "--location", "--name", "-a", "--all", "-c", "--config", "-v"}
        kept = _strip(args, drop)
        inner = replace(cmd, argv=("restic", "-r", name or "configured", *kept))
        return [replace(o, program=cmd.program) for o in restic(inner, ctx)]

    return handle


_AUTORESTIC = {
    "info": R,
    "help": R,
    "version": R,
    "completion": R,
    "check": W,
    "cron": W,
    "install": W,
    "uninstall": W,
    "upgrade": W,
}


def _strip(args: list[str], drop: set[str]) -> list[str]:
    out, skip = [], False
    for w in args:
        if skip:
            skip = False
            continue
        if w in drop:
            skip = w in ("-l", "--location", "--name", "-c", "--config")
            continue
        out.append(w)
    return out


Handler = Callable[[Command, Context], list[Operation]]
HANDLERS: dict[str, Handler] = {
    "duplicity": duplicity, "duply": duply, "rdiff-backup": rdiff_backup, "tarsnap": tarsnap,
    "rsnapshot": rsnapshot, "bup": bup, "duplicacy": duplicacy, "bconsole": bconsole,
    "timeshift": timeshift, "snapper": _verb_table(_SNAPPER, "snapper", {"-c", "--config"}),
    "tmutil": _verb_table(_TMUTIL, "timemachine", {"-d", "-t"}), "veeamconfig": veeamconfig,
    "proxmox-backup-client": proxmox_backup_client, "autorestic": _as_restic(False),
    "resticprofile": _as_restic(True),
}  # fmt: skip
