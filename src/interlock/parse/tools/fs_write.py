"""Writing files: cp, mv, ln, install, tee, touch, mkdir, rename and in-place sed."""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import (
    PathInfo,
    Scan,
    classify,
    names,
    op,
    read,
    scan,
    worst,
    written,
)

_COMMON_LONGS = ("--help", "--version", "--verbose", "--force", "--interactive")
_CP_LONGS = (
    *_COMMON_LONGS,
    "--recursive",
    "--archive",
    "--no-clobber",
    "--update",
    "--no-target-directory",
    "--parents",
    "--dereference",
    "--no-dereference",
    "--link",
    "--symbolic-link",
    "--remove-destination",
    "--one-file-system",
    "--preserve",
    "--no-preserve",
    "--strip-trailing-slashes",
    "--attributes-only",
    "--sparse",
    "--reflink",
    "--backup",
    "--debug",
    "--relative",
    "--logical",
    "--physical",
    "--symbolic",
)
_CP_LONG_VALUES = ("--target-directory", "--suffix", "--mode", "--owner", "--group")


def _dest_and_sources(s: Scan) -> tuple[str | None, list[str]]:
    target_dir = s.value("-t", "--target-directory")
    if target_dir is not None:
        return target_dir, s.pos
    if len(s.pos) < 2:
        return None, s.pos
    return s.pos[-1], s.pos[:-1]


def _copy_like(cmd: Command, action: str, short_values: str) -> list[Operation]:
    s = scan(cmd.args, _CP_LONGS, short_values, _CP_LONG_VALUES)
    if s.has("--help", "--version"):
        return read(cmd, f"prints `{cmd.program}` usage")
    if action == "install" and s.has("-d", "--directory"):
        return _make(cmd, s.pos, "mkdir", "creates directory")
    dest, _sources = _dest_and_sources(s)
    if dest is None:
        return read(cmd, f"`{cmd.program}` without a destination")
    info, effect = written(classify(dest, cmd), clobber=not s.has("-n", "--no-clobber"))
    tags = {"recursive"} if s.has("-r", "-R", "-a", "--recursive", "--archive") else set()
    verb = "overwrites" if effect is Effect.DESTROY else "writes"
    return [op(cmd, action, effect, [info], tags, f"{verb} `{info.name}` ({action})")]


def cp(cmd: Command, ctx: Context) -> list[Operation]:
    return _copy_like(cmd, "copy", "tS")


def install(cmd: Command, ctx: Context) -> list[Operation]:
    return _copy_like(cmd, "install", "tSmog")


def mv(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, _CP_LONGS, "tS", _CP_LONG_VALUES)
    if s.has("--help", "--version"):
        return read(cmd, "prints `mv` usage")
    dest, sources = _dest_and_sources(s)
    if dest is None:
        return read(cmd, "`mv` without a destination")
    dinfo = classify(dest, cmd)
    if dinfo.harmless:
        srcs = [classify(w, cmd) for w in sources]
        return [op(cmd, "delete", Effect.DESTROY, srcs, summary=f"discards {names(srcs)}")]
    dinfo, effect = written(dinfo, clobber=not s.has("-n", "--no-clobber"))
    srcs, src_effect = _moved_sources(cmd, sources)
    infos = [*srcs, dinfo]
    effect = worst(effect, src_effect)
    return [op(cmd, "move", effect, infos, summary=f"moves {names(srcs)} to `{dinfo.name}`")]


_GONE_TAGS = frozenset(
    {"root-path", "system-path", "home-path", "critical-file", "credential-path", "startup-file"}
)


def _moved_sources(cmd: Command, words: list[str]) -> tuple[list[PathInfo], Effect]:
    """A moved-away source is gone from where the system expects it."""
    infos = [classify(w, cmd) for w in words]
    gone = any(i.tags & _GONE_TAGS or i.kind == "device" for i in infos)
    return infos, Effect.DESTROY if gone else Effect.WRITE


def ln(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, (*_CP_LONGS, "--no-dereference"), "tS", _CP_LONG_VALUES)
    if s.has("--help", "--version") or not s.pos:
        return read(cmd, "prints `ln` usage")
    dest, _ = _dest_and_sources(s)
    link = dest if dest is not None else s.pos[0].rstrip("/").rsplit("/", 1)[-1] or "."
    force = s.has("-f", "--force", "--remove-destination")
    info, effect = written(classify(link, cmd), clobber=force)
    tags = {"force"} if force else set()
    return [op(cmd, "link", effect, [info], tags, f"links `{info.name}`")]


def tee(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--append", "--ignore-interrupts", "--help", "--version"), "", ())
    infos = [classify(w, cmd) for w in s.pos]
    infos = [i for i in infos if not i.harmless]
    if s.has("--help", "--version") or not infos:
        return read(cmd, "copies its input to the terminal")
    append = s.has("-a", "--append")
    ops: list[Operation] = []
    for raw in infos:
        info, effect = written(raw, clobber=not append, into=False)
        action = "append" if append else "overwrite"
        if effect is Effect.WRITE and not append:
            action = "write"
        ops.append(op(cmd, action, effect, [info], summary=f"{action}s `{info.name}`"))
    return ops


def _make(cmd: Command, words: list[str], action: str, what: str) -> list[Operation]:
    infos = [classify(w, cmd) for w in words]
    if not infos:
        return read(cmd, f"prints `{cmd.program}` usage")
    return [op(cmd, action, Effect.WRITE, infos, summary=f"{what} {names(infos)}")]


def touch(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--no-create", "--help", "--version"), "rdt", ("--reference", "--date"))
    return _make(cmd, s.pos, "touch", "touches")


def mkdir(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--parents", "--verbose", "--help", "--version"), "mZ", ("--mode",))
    return _make(cmd, s.pos, "mkdir", "creates directory")


def rename(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--no-act", "--dry-run", "--verbose", "--help", "--version"), "", ())
    if s.has("-n", "--no-act", "--dry-run", "--help", "--version", "-V", "-h"):
        return read(cmd, "previews renames")
    skip = 1 if cmd.program != "rename" or "s/" in (s.pos[:1] or [""])[0] else 2
    return _make(cmd, s.pos[skip:], "rename", "renames")


# -- sed -i --------------------------------------------------------------------------------


_ADDR = r"(?:\d+|\$|/(?:[^/\\\n]|\\.)*/[IM]*)"
# GNU sed's `e command` (address, optional `!`, then `e`) and the `e` flag of `s///`
_SED_E = re.compile(
    rf"(?:^|[;\n{{}}])\s*(?:{_ADDR}(?:\s*,\s*(?:{_ADDR}|[+~]\d+))?\s*!?\s*)?e(?:[ \t]+([^\n]*))?(?=$|[\s;}}])"
)
_SED_S_E = re.compile(
    r"(?:^|[;\n{}\d$/!])\s*s(.)((?:(?!\1)[^\\]|\\.)*)\1((?:(?!\1)[^\\]|\\.)*)\1[gpIiMm0-9]*e"
)


def _sed_scan(args: tuple[str, ...]) -> tuple[bool, bool, list[str]]:
    """(in place, script given by -e/-f, positionals) for GNU and BSD sed."""
    inplace = scripted = False
    pos: list[str] = []
    i, n = 0, len(args)
    while i < n:
        a = args[i]
        i += 1
        if a == "--":
            pos.extend(args[i:])
            break
        if a.startswith("--"):
            name = a.partition("=")[0]
            inplace = inplace or name == "--in-place"
            if name in ("--expression", "--file"):
                scripted = True
                i += 0 if "=" in a else 1
            continue
        if len(a) < 2 or a[0] != "-":
            pos.append(a)
            continue
        for j, ch in enumerate(a[1:], start=2):
            if ch == "i":
                inplace = True
                if j == len(a) and i < n and args[i] == "":
                    i += 1
                break
            if ch in "efl":
                scripted = scripted or ch != "l"
                i += 0 if a[j:] else 1
                break
    return inplace, scripted, pos


def _sed_scripts(args: tuple[str, ...], scripted: bool, pos: list[str]) -> list[str]:
    if not scripted:
        return pos[:1]
    found = []
    for j, a in enumerate(args):
        if a in ("-e", "--expression") and j + 1 < len(args):
            found.append(args[j + 1])
        elif a.startswith("--expression="):
            found.append(a.split("=", 1)[1])
        elif a.startswith("-") and not a.startswith("--") and "e" in a and a.index("e") > 0:
            rest = a[a.index("e") + 1 :]
            found.append(rest if rest else (args[j + 1] if j + 1 < len(args) else ""))
    return found


def _sed_exec(cmd: Command, ctx: Context, scripts: list[str]) -> list[Operation]:
    """GNU sed runs shell commands with `e cmd` and with the `e` flag of `s///e`."""
    ops: list[Operation] = []
    for script in scripts:
        shell = [m[1] for m in _SED_E.finditer(script)]
        subs = [m[3] for m in _SED_S_E.finditer(script)]
        for text in [t for t in shell if t] + [s.replace("\\/", "/") for s in subs]:
            ops.extend(ctx.shell(text, cmd))
        if shell or subs:
            summary = "sed runs shell commands (the `e` command)"
            ops.append(op(cmd, "exec", Effect.UNKNOWN, tags={"embedded-code"}, summary=summary))
    return ops


def sed(cmd: Command, ctx: Context) -> list[Operation]:
    inplace, scripted, pos = _sed_scan(cmd.args)
    files = pos if scripted else pos[1:]
    ran = _sed_exec(cmd, ctx, _sed_scripts(cmd.args, scripted, pos))
    if not inplace or not files:
        return ran or read(cmd, "filters text")
    infos = [classify(w, cmd) for w in files]
    edit = op(cmd, "edit", Effect.WRITE, infos, summary=f"edits {names(infos)} in place")
    return [*ran, edit]


HANDLERS = {
    "cp": cp,
    "mv": mv,
    "ln": ln,
    "install": install,
    "tee": tee,
    "touch": touch,
    "mkdir": mkdir,
    "rename": rename,
    "perl-rename": rename,
    "prename": rename,
    "sed": sed,
    "gsed": sed,
}
