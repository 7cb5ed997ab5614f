"""Bulk copies and archives: rsync, tar, unzip, 7z, zip and the single-file compressors."""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import (
    PathInfo,
    classify,
    names,
    op,
    read,
    scan,
    words,
    written,
)

# -- rsync ---------------------------------------------------------------------------------

_RSYNC_DELETE = (
    "--delete",
    "--del",
    "--delete-before",
    "--delete-during",
    "--delete-delay",
    "--delete-after",
    "--delete-excluded",
    "--delete-missing-args",
)
_RSYNC_LONGS = (
    *_RSYNC_DELETE,
    "--dry-run",
    "--list-only",
    "--remove-source-files",
    "--help",
    "--version",
    "--archive",
    "--recursive",
    "--verbose",
    "--compress",
    "--progress",
    "--force",
    "--ignore-errors",
    "--checksum",
    "--partial",
    "--human-readable",
    "--stats",
    "--links",
    "--perms",
    "--times",
    "--update",
    "--inplace",
    "--backup",
)
_RSYNC_LONG_VALUES = (
    "--rsh",
    "--exclude",
    "--include",
    "--filter",
    "--exclude-from",
    "--include-from",
    "--files-from",
    "--rsync-path",
    "--backup-dir",
    "--suffix",
    "--chmod",
    "--chown",
    "--timeout",
    "--port",
    "--password-file",
    "--log-file",
    "--partial-dir",
    "--temp-dir",
    "--link-dest",
    "--compare-dest",
    "--copy-dest",
    "--max-delete",
    "--max-size",
    "--min-size",
    "--bwlimit",
    "--out-format",
    "--info",
    "--debug",
    "--remote-option",
)


def _remote(word: str) -> tuple[str, str] | None:
    """(host, path) when an rsync/scp location is on another machine."""
    if word.startswith("rsync://"):
        host, _, path = word[8:].partition("/")
        return host.rpartition("@")[2], "/" + path
    if word.startswith(("/", ".", "~")):
        return None
    head, colon, path = word.partition(":")
    if not colon or "/" in head or not head:
        return None
    return head.rpartition("@")[2], path.lstrip(":") or "~"


def _location(word: str, cmd: Command) -> tuple[PathInfo, str | None]:
    remote = _remote(word)
    if remote is None:
        return classify(word, cmd), cmd.host
    host, path = remote
    return classify(path if path.startswith(("/", "~")) else "~/" + path), host


def rsync(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, _RSYNC_LONGS, "efTBM", _RSYNC_LONG_VALUES)
    if s.has("--help", "--version") or len(s.pos) < 2 or s.has("--list-only"):
        return read(cmd, "lists files with rsync")
    dest, host = _location(s.pos[-1], cmd)
    tags = {"recursive"} if s.has("-a", "-r", "--archive", "--recursive") else set()
    effect = Effect.WRITE
    if s.has(*_RSYNC_DELETE):
        effect = Effect.DESTROY
        tags.add("delete")
    if s.has("--remove-source-files"):
        tags.add("remove-source-files")
    if s.has("-n", "--dry-run"):
        effect = Effect.READ
        tags.add("dry-run")
    verb = "mirrors onto (deleting extra files in)" if "delete" in tags else "syncs into"
    where = f" on `{host}`" if host else ""
    result = op(cmd, "sync", effect, [dest], tags, f"{verb} `{dest.name}`{where}")
    if host != cmd.host:
        result = replace(result, targets=(Target.make(dest.kind, dest.name, host=host),))
    return [result]


# -- tar -----------------------------------------------------------------------------------

_TAR_VALUE = "fCTXbHKLNVgIF"
_TAR_MODES = {
    "-c": "create",
    "--create": "create",
    "-x": "extract",
    "--extract": "extract",
    "--get": "extract",
    "-t": "list",
    "--list": "list",
    "-r": "append",
    "--append": "append",
    "-u": "append",
    "--update": "append",
    "-A": "append",
    "--catenate": "append",
    "--concatenate": "append",
    "-d": "list",
    "--diff": "list",
    "--compare": "list",
    "--delete": "append",
    "--test-label": "list",
}
_TAR_LONGS = (
    *_TAR_MODES,
    "--overwrite",
    "--unlink-first",
    "--recursive-unlink",
    "--absolute-names",
    "--to-stdout",
    "--remove-files",
    "--help",
    "--version",
    "--verbose",
    "--gzip",
    "--bzip2",
    "--xz",
    "--zstd",
    "--keep-old-files",
    "--skip-old-files",
)
_TAR_LONG_VALUES = (
    "--file",
    "--directory",
    "--files-from",
    "--exclude-from",
    "--to-command",
    "--use-compress-program",
    "--info-script",
    "--new-volume-script",
    "--rsh-command",
    "--checkpoint-action",
    "--transform",
    "--strip-components",
    "--exclude",
    "--owner",
    "--group",
    "--mode",
)
_TAR_RUNS = (
    "--to-command",
    "--use-compress-program",
    "-I",
    "-F",
    "--info-script",
    "--new-volume-script",
    "--rsh-command",
)


def _tar_args(args: tuple[str, ...]) -> list[str]:
    """Old-style `tar xzf file` as `-x -z -f file`."""
    if not args or args[0].startswith("-") or not args[0].isalpha():
        return list(args)
    rest = list(args[1:])
    out: list[str] = []
    for ch in args[0]:
        out.append("-" + ch)
        if ch in _TAR_VALUE and rest:
            out.append(rest.pop(0))
    return out + rest


def tar(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(_tar_args(cmd.args), _TAR_LONGS, _TAR_VALUE, _TAR_LONG_VALUES)
    ops = _tar_code(cmd, ctx, s.values)
    mode = next((m for f, m in _TAR_MODES.items() if s.has(f)), None)
    if mode is None or mode == "list" or s.has("--help", "--version"):
        return ops + read(cmd, "lists an archive")
    archive = s.value("-f", "--file")
    if mode == "extract":
        return [*ops, _tar_extract(cmd, s.value("-C", "--directory") or ".", s)]
    ops += _tar_sources_removed(cmd, s)
    if archive is None or archive == "-":
        return ops or read(cmd, "writes an archive to standard output")
    info, effect = written(classify(archive, cmd), into=False)
    return [*ops, op(cmd, "archive", effect, [info], summary=f"writes archive `{info.name}`")]


def _tar_extract(cmd: Command, where: str, s) -> Operation:  # type: ignore[no-untyped-def]
    if s.has("-O", "--to-stdout"):
        return read(cmd, "prints archive members")[0]
    info = classify(where, cmd)
    tags = set()
    if s.has("--overwrite", "--unlink-first", "-U", "--recursive-unlink"):
        tags.add("force")
    if s.has("-P", "--absolute-names"):
        tags.add("root-path")
    info, _ = written(info, clobber=False)
    return op(cmd, "extract", Effect.WRITE, [info], tags, f"extracts files into `{info.name}`")


def _tar_sources_removed(cmd: Command, s) -> list[Operation]:  # type: ignore[no-untyped-def]
    if not s.has("--remove-files") or not s.pos:
        return []
    infos = [classify(w, cmd) for w in s.pos]
    return [
        op(
            cmd,
            "delete",
            Effect.DESTROY,
            infos,
            {"recursive"},
            f"archives then deletes {names(infos)}",
        )
    ]


def _tar_code(cmd: Command, ctx: Context, values: dict[str, list[str]]) -> list[Operation]:
    ops: list[Operation] = []
    for flag in _TAR_RUNS:
        for text in values.get(flag, ()):
            ops.extend(ctx.shell(text, cmd))
    for action in values.get("--checkpoint-action", ()):
        if action.startswith("exec="):
            ops.extend(ctx.shell(action[5:], cmd))
    return ops


# -- unzip, 7z, zip, gzip and friends ------------------------------------------------------


def unzip(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help",), "dPOI", ())
    if s.has("-l", "-t", "-v", "-z", "-Z", "-p", "-c", "--help", "-h") or not s.pos:
        return read(cmd, "lists an archive")
    info, _ = written(classify(s.value("-d") or ".", cmd), clobber=False)
    tags = {"force"} if s.has("-o") else set()
    return [op(cmd, "extract", Effect.WRITE, [info], tags, f"extracts files into `{info.name}`")]


def sevenzip(cmd: Command, ctx: Context) -> list[Operation]:
    pos = [a for a in cmd.args if not a.startswith("-")]
    verb = pos[0] if pos else ""
    if verb in ("x", "e"):
        where = next((a[2:] for a in cmd.args if a.startswith("-o")), ".")
        info, _ = written(classify(where or ".", cmd), clobber=False)
        return [op(cmd, "extract", Effect.WRITE, [info], summary=f"extracts into `{info.name}`")]
    if verb in ("a", "u", "d", "rn") and len(pos) > 1:
        info = classify(pos[1], cmd)
        return [op(cmd, "archive", Effect.WRITE, [info], summary=f"writes archive `{info.name}`")]
    return read(cmd, "lists an archive")


def zip_(cmd: Command, ctx: Context) -> list[Operation]:
    # `-T -TT 'cmd'` / `--unzip-command cmd` test the archive by running a shell command
    for j, a in enumerate(cmd.args):
        if a in ("-TT", "--unzip-command") and j + 1 < len(cmd.args):
            return ctx.shell(cmd.args[j + 1], cmd)
        if a.startswith(("-TT=", "--unzip-command=")):
            return ctx.shell(a.split("=", 1)[1], cmd)
    s = scan(cmd.args, ("--help",), "bnxitP", ())
    if not s.pos or s.has("--help", "-h", "-T", "-sf"):
        return read(cmd, "lists an archive")
    info = classify(s.pos[0], cmd)
    return [op(cmd, "archive", Effect.WRITE, [info], summary=f"writes archive `{info.name}`")]


_COMPRESS_READS = (
    "-c",
    "--stdout",
    "--to-stdout",
    "-l",
    "--list",
    "-t",
    "--test",
    "-h",
    "--help",
    "-V",
    "--version",
    "-L",
    "--license",
)


def compress(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(
        cmd.args,
        (
            "--stdout",
            "--to-stdout",
            "--list",
            "--test",
            "--help",
            "--version",
            "--keep",
            "--recursive",
            "--decompress",
            "--force",
        ),
        "oSbT",
        ("--suffix",),
    )
    files = [w for w in s.pos if w != "-"]
    if s.has(*_COMPRESS_READS) or not files:
        return read(cmd, "compresses a stream")
    infos = [classify(w, cmd) for w in files]
    tags = {"recursive"} if s.has("-r", "--recursive") else set()
    return [
        op(
            cmd,
            "compress",
            Effect.WRITE,
            infos,
            tags,
            f"replaces {names(infos)} with (de)compressed copies",
        )
    ]


HANDLERS = {
    "rsync": rsync,
    "tar": tar,
    "gtar": tar,
    "bsdtar": tar,
    "unzip": unzip,
    "7z": sevenzip,
    "7za": sevenzip,
    "7zz": sevenzip,
    "zip": zip_,
    **dict.fromkeys(
        words("gzip gunzip bzip2 bunzip2 xz unxz zstd unzstd lz4 pigz compress uncompress"),
        compress,
    ),
}
