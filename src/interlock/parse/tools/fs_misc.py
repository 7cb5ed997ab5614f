"""Everyday utilities that mostly read, and the few ways they write or run code."""

from __future__ import annotations

import re
import shlex
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools.fs_paths import classify, names, op, read, scan, words, written

READS = words(
    "ls ll la dir vdir exa eza lsd tree cat tac bat batcat less more most head tail grep egrep "
    "fgrep rg ag ack stat du df dust duf ncdu wc file pwd echo printf uniq cut diff cmp colordiff "
    "which whereis whoami id date uname hostname true false test [ [[ cd pushd popd basename "
    "dirname realpath readlink sleep jq gron md5sum sha1sum sha224sum sha256sum sha384sum "
    "sha512sum b2sum cksum sum md5 shasum xxd od hexdump strings column tr fold nl paste comm "
    "join seq yes printenv export set unset alias unalias type hash clear exit return read "
    "wait fg bg jobs ps pstree pgrep top htop btop atop free uptime w who last lsblk blkid "
    "findmnt lsattr getfacl man info help tldr apropos whatis zcat zless zmore zgrep zdiff "
    "bzcat bzless xzcat xzless zstdcat lz4cat zipinfo base64 base32 lsof netstat ss ping ping6 "
    "dig nslookup host traceroute tracepath mtr whois locate mlocate plocate mktemp sync shuf "
    "rev expand unexpand fmt pr iconv numfmt expr bc dc factor cal tput stty tty getconf "
    "nproc lscpu lsusb lspci lsmod dmesg vmstat iostat mpstat sar lvs vgs pvs lvdisplay "
    "vgdisplay pvdisplay lvscan vgscan pvscan dmidecode arch logname groups users env "
    "command builtin local declare typeset let shopt trap times ulimit umask dirs caller "
    "compgen complete getopts mapfile readarray disown suspend logout : watch"
)
_SHELL_STATE = re.compile(
    r"(?:^|/)(?:bin/activate(?:\.\w+)?|\.?env|\.envrc|\.(?:bash|zsh|ksh)rc|\.bash_profile|"
    r"\.z?profile|nvm\.sh|cargo/env|asdf\.sh|sdkman-init\.sh|conda\.sh|virtualenvwrapper\.sh|"
    r"etc/profile|etc/os-release|completion\.\w+)$"
)
_AWK_SYSTEM = re.compile(r"system\s*\(\s*\"((?:[^\"\\]|\\.)*)\"\s*\)")
# `print "cmd" | "sh"` and `"cmd" | getline` run `cmd` through the shell
_AWK_PIPE = re.compile(
    r"print\s*\(?\s*\"((?:[^\"\\]|\\.)*)\"\s*\)?\s*\|\s*\"(?:/bin/|/usr/bin/)?(?:ba|z|da|k)?sh\"|"
    r"\"((?:[^\"\\]|\\.)*)\"\s*\|\s*getline"
)
_AWK_CODE = re.compile(r"system\s*\(|\|\s*getline|print[^;}]*\|\s*\"")
_AWK_WRITE = re.compile(r"(?:print|printf)[^;}]*>{1,2}\s*\"([^\"]+)\"")


def source(cmd: Command, ctx: Context) -> list[Operation]:
    script = cmd.args[0] if cmd.args else ""
    if _SHELL_STATE.search(script.translate(str.maketrans("", "", "\"'"))):
        return read(cmd, f"loads shell settings from `{script}`")
    info = classify(script, cmd) if script else None
    targets = [info] if info else []
    return [op(cmd, "source", Effect.UNKNOWN, targets, summary=f"runs shell script `{script}`")]


def awk(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help", "--version"), "fvFi", ("--file", "--assign", "--include"))
    program = "" if s.has("-f", "--file") else (s.pos[0] if s.pos else "")
    ops: list[Operation] = []
    found = _AWK_SYSTEM.findall(program) + [a or b for a, b in _AWK_PIPE.findall(program)]
    for text in found:
        ops.extend(ctx.shell(text.replace('\\"', '"'), cmd))
    if _AWK_CODE.search(program) and not ops:
        ops.append(op(cmd, "run", Effect.UNKNOWN, summary="awk runs a shell command"))
    if s.has("-f", "--file"):
        ops.append(op(cmd, "run", Effect.UNKNOWN, summary="runs an awk program file"))
    for path in _AWK_WRITE.findall(program):
        info, effect = written(classify(path, cmd), into=False)
        ops.append(op(cmd, "write", effect, [info], summary=f"awk writes `{info.name}`"))
    if "inplace" in s.values.get("-i", []) + s.values.get("--include", []):
        files = [classify(w, cmd) for w in s.pos[1:]]
        ops.append(op(cmd, "edit", Effect.WRITE, files, summary=f"edits {names(files)} in place"))
    return ops or read(cmd, "filters text")


def _output_file(cmd: Command, path: str | None, what: str) -> list[Operation]:
    if path is None or path == "-":
        return read(cmd, what)
    info, effect = written(classify(path, cmd), into=False)
    if info.harmless:
        return read(cmd, what)
    return [op(cmd, "write", effect, [info], summary=f"writes `{info.name}`")]


def sort(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help",), "otkSTy", ("--output", "--key", "--field-separator"))
    return _output_file(cmd, s.value("-o", "--output"), "sorts text")


def uniq(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help",), "fsw", ("--skip-fields", "--skip-chars", "--check-chars"))
    return _output_file(cmd, s.pos[1] if len(s.pos) > 1 else None, "filters repeated lines")


def xxd(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, (), "cglsno", ())
    return _output_file(cmd, s.pos[1] if len(s.pos) > 1 else None, "dumps bytes")


def base64(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help",), "oiwb", ("--output", "--input", "--wrap"))
    return _output_file(cmd, s.value("-o", "--output"), "encodes text")


def yq(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--inplace", "--help"), "pPoIe", ("--output-format", "--input-format"))
    if not s.has("-i", "--inplace"):
        return read(cmd, "queries YAML")
    files = [classify(w, cmd) for w in s.pos[1:] or s.pos[-1:]]
    return [op(cmd, "edit", Effect.WRITE, files, summary=f"edits {names(files)} in place")]


def split(cmd: Command, ctx: Context) -> list[Operation]:
    s = scan(cmd.args, ("--help",), "abCln", ("--bytes", "--lines", "--number", "--suffix-length"))
    prefix = s.pos[1] if len(s.pos) > 1 else "x"
    info = classify(prefix, cmd)
    return [op(cmd, "write", Effect.WRITE, [info], summary=f"writes pieces named `{info.name}*`")]


def history(cmd: Command, ctx: Context) -> list[Operation]:
    if any(a in ("-c", "-d", "-w", "-r", "-a", "-n") or a.startswith("-d") for a in cmd.args):
        return [op(cmd, "clear-history", Effect.WRITE, summary="rewrites shell history")]
    return read(cmd, "shows shell history")


def date(cmd: Command, ctx: Context) -> list[Operation]:
    if any(a in ("-s",) or a.startswith("--set") for a in cmd.args):
        return [op(cmd, "set-clock", Effect.WRITE, summary="sets the system clock")]
    return read(cmd, "prints the date")


def hostname(cmd: Command, ctx: Context) -> list[Operation]:
    if any(not a.startswith("-") for a in cmd.args) or "-F" in cmd.args or "--file" in cmd.args:
        return [op(cmd, "set-hostname", Effect.WRITE, summary="changes the host name")]
    return read(cmd, "prints the host name")


def netcat(cmd: Command, ctx: Context) -> list[Operation]:
    flags = "".join(a[1:] for a in cmd.args if a.startswith("-") and not a.startswith("--"))
    pos = [a for a in cmd.args if not a.startswith("-")]
    host = pos[0] if pos else None
    target = [Target.make("host", host, host=host)] if host else []
    if "e" in flags or "c" in flags or "--exec" in cmd.args or "--sh-exec" in cmd.args:
        base = op(
            cmd, "exec", Effect.UNKNOWN, (), {"remote-code"}, "serves a shell over the network"
        )
        return [_with_targets(base, target)]
    if "l" in flags:
        return [op(cmd, "listen", Effect.UNKNOWN, summary="listens for network connections")]
    if "z" not in flags and (cmd.stdin is not None or cmd.stdin_piped):
        base = op(cmd, "send", Effect.WRITE, (), {"network"}, f"sends data to `{host}`")
        return [_with_targets(base, target)]
    return read(cmd, "probes a network port")


def _with_targets(o: Operation, targets: list[Target]) -> Operation:
    return replace(o, targets=tuple(targets))


def env(cmd: Command, ctx: Context) -> list[Operation]:
    """The walker peels `env`; this only sees it when it reaches us unpeeled."""
    rest = _env_command(cmd.args)
    if not rest:
        return read(cmd, "prints the environment")
    return ctx.shell(shlex.join(rest), cmd) or read(cmd, "runs a command")


def _env_command(args: tuple[str, ...]) -> list[str]:
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-u", "--unset", "-C", "--chdir", "-S", "--split-string"):
            i += 2
        elif a.startswith("-") or "=" in a:
            i += 1
        else:
            return list(args[i:])
    return []


def fd(cmd: Command, ctx: Context) -> list[Operation]:
    for flag in ("-x", "--exec", "-X", "--exec-batch"):
        if flag in cmd.args:
            rest = list(cmd.args[cmd.args.index(flag) + 1 :])
            rest = rest[: rest.index(";")] if ";" in rest else rest
            if not any("{" in w for w in rest):
                rest.append("{}")
            return ctx.shell(shlex.join(rest).replace("'{}'", "{}"), cmd) or read(
                cmd, "finds files"
            )
    return read(cmd, "finds files")


def ripgrep(cmd: Command, ctx: Context) -> list[Operation]:
    if any(a == "--pre" or a.startswith("--pre=") for a in cmd.args):
        return [op(cmd, "run", Effect.UNKNOWN, summary="runs a preprocessor program")]
    return read(cmd, "searches text")


HANDLERS = {
    "source": source,
    ".": source,
    "awk": awk,
    "gawk": awk,
    "mawk": awk,
    "nawk": awk,
    "sort": sort,
    "uniq": uniq,
    "xxd": xxd,
    "base64": base64,
    "yq": yq,
    "split": split,
    "csplit": split,
    "history": history,
    "date": date,
    "hostname": hostname,
    "nc": netcat,
    "ncat": netcat,
    "netcat": netcat,
    "env": env,
    "fd": fd,
    "fdfind": fd,
    "rg": ripgrep,
}
