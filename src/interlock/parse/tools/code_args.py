"""How each interpreter is told what to run: `-c CODE`, `-e CODE`, `-m MODULE`, a script file,
standard input, or a subcommand (`deno eval`, `bun test`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from interlock.model import Command, Effect
from interlock.parse import lexicon
from interlock.parse.lexicon import words

LANG = {
    "python": "py",
    "python2": "py",
    "python3": "py",
    "ipython": "py",
    "pypy": "py",
    "pypy3": "py",
    "node": "js",
    "nodejs": "js",
    "deno": "js",
    "bun": "js",
    "ruby": "rb",
    "irb": "rb",
    "perl": "pl",
    "php": "php",
    "lua": "lua",
    "Rscript": "r",
    "osascript": "osa",
    "pwsh": "ps",
    "powershell": "ps",
    "pwsh.exe": "ps",
    "powershell.exe": "ps",
    "node.exe": "js",
    "ts-node": "js",
    "tsx": "js",
    "groovy": "groovy",
    "julia": "jl",
    "tclsh": "tcl",
}
# flag spellings that carry inline code, per language
_CODE_FLAGS = {
    "py": ("-c",),
    "js": ("-e", "--eval", "-p", "--print"),
    "rb": ("-e",),
    "pl": ("-e", "-E"),
    "php": ("-r",),
    "lua": ("-e",),
    "r": ("-e", "--expr"),
    "osa": ("-e",),
    "groovy": ("-e",),
    "jl": ("-e", "--eval", "-E", "--print"),
    "tcl": (),
}
_VALUE_FLAGS = {
    "py": ("-W", "-X", "-Q"),
    "js": (
        "-r",
        "--require",
        "--import",
        "--input-type",
        "--loader",
        "--env-file",
        "--conditions",
        "-C",
    ),
    "rb": ("-r", "-I", "-C", "-E", "-F"),
    "pl": ("-I", "-M", "-m", "-F", "-x"),
    "php": ("-c", "-d", "-f", "-S", "-t", "-z"),
    "lua": ("-l",),
    "r": ("--default-packages",),
    "osa": ("-l", "-s"),
    "groovy": ("-cp", "-classpath", "-D"),
    "jl": ("-L", "--load", "-J", "--project", "-t", "-p"),
    "tcl": (),
    "ps": (),
}
_D, _W, _R, _U = Effect.DESTROY, Effect.WRITE, Effect.READ, Effect.UNKNOWN
SUBCOMMANDS: dict[str, dict[str, Effect]] = {
    "deno": {
        "run": _U,
        "task": _U,
        "test": _R,
        "bench": _R,
        "fmt": _W,
        "lint": _R,
        "check": _R,
        "info": _R,
        "doc": _R,
        "install": _W,
        "uninstall": _W,
        "add": _W,
        "remove": _W,
        "compile": _W,
        "bundle": _W,
        "cache": _W,
        "upgrade": _W,
        "repl": _U,
        "serve": _W,
        "publish": _W,
        "init": _W,
        "outdated": _R,
        "jupyter": _U,
        "coverage": _R,
        "types": _R,
        "completions": _R,
        "clean": _W,
    },
    "bun": {
        "run": _U,
        "test": _R,
        "install": _W,
        "i": _W,
        "add": _W,
        "a": _W,
        "remove": _W,
        "rm": _W,
        "update": _W,
        "build": _W,
        "x": _U,
        "create": _W,
        "init": _W,
        "upgrade": _W,
        "pm": _R,
        "link": _W,
        "unlink": _W,
        "publish": _W,
        "outdated": _R,
        "audit": _R,
        "patch": _W,
        "info": _R,
        "repl": _U,
    },
}
_DENO_VALUE = words(
    "--config -c --import-map --lock --env-file --allow-read --allow-write --allow-net "
    "--allow-env --allow-run --cert --location --seed --v8-flags"
)


@dataclass(slots=True)
class Invocation:
    lang: str
    help: bool = False
    code: str | None = None
    module: str | None = None
    script: str | None = None
    sub: str | None = None
    rest: list[str] = field(default_factory=list)
    inplace_files: list[str] = field(default_factory=list)


def parse(cmd: Command) -> Invocation:
    prog = cmd.program
    lang = LANG.get(prog, "py")  # `python3.12`, `pypy3` …
    inv = Invocation(lang)
    if lang == "ps":
        return _powershell(cmd, inv)
    if (
        prog in ("deno", "bun")
        and len(cmd.argv) > 1
        and cmd.argv[1] in ("eval", "-e", "--eval", "-p", "--print")
    ):
        inv.code = " ".join(cmd.argv[2:3])
        return inv
    codes: list[str] = []
    argv, i, n = cmd.argv, 1, len(cmd.argv)
    while i < n:
        a = argv[i]
        if not codes and (a in ("--help", "-h", "--version", "-V") or (a == "-v" and n == 2)):
            inv.help = True
            return inv
        if a == "-" or (a == "--" and i + 1 >= n):
            inv.code = cmd.stdin if cmd.stdin is not None else None
            if inv.code is None and not cmd.stdin_piped:  # `curl … | python3 -`: from a pipe
                inv.script = "-"
            return inv
        if lang == "pl" and re.fullmatch(r"-[a-zA-Z0-9]*[eE]", a) and i + 1 < n:
            codes.append(argv[i + 1])
            if "i" in a:
                inv.inplace_files = list(argv[i + 2 :])
            i += 2
            continue
        if lang == "pl" and re.fullmatch(r"-[a-zA-Z0-9.]*i[a-zA-Z0-9.~]*", a):
            inv.inplace_files = ["?"]
        if a in _CODE_FLAGS.get(lang, ()) and i + 1 < n:
            codes.append(argv[i + 1])
            if lang == "py":  # everything after `-c CODE` is sys.argv
                break
            i += 2
            continue
        if lang == "py" and a.startswith("-c") and len(a) > 2:
            codes.append(a[2:])
            break
        if lang == "py" and a == "-m" and i + 1 < n:
            inv.module, inv.rest = argv[i + 1], list(argv[i + 2 :])
            return inv
        if lang == "py" and a.startswith("-m") and len(a) > 2:
            inv.module, inv.rest = a[2:], list(argv[i + 1 :])
            return inv
        if a.startswith("-"):
            i += (
                2
                if (a in _VALUE_FLAGS.get(lang, ()) or (prog == "deno" and a in _DENO_VALUE))
                else 1
            )
            continue
        if codes:
            if lang == "pl" and inv.inplace_files == ["?"]:
                inv.inplace_files = list(argv[i:])
            break
        if prog in SUBCOMMANDS and a == "run" and "-" in argv[i + 1 :] and cmd.stdin is not None:
            inv.code = cmd.stdin  # `deno run -A - <<< CODE`
            return inv
        if prog in SUBCOMMANDS and a in SUBCOMMANDS[prog]:
            inv.sub, inv.rest = a, list(argv[i + 1 :])
            return inv
        inv.script, inv.rest = a, list(argv[i + 1 :])
        if prog == "php" and a in ("artisan", "bin/console"):
            inv.script = a
        return inv
    if codes:
        inv.code = "\n".join(codes)
        if inv.inplace_files == ["?"]:
            inv.inplace_files = []
    elif cmd.stdin is not None and prog not in ("irb",):
        inv.code = cmd.stdin
    return inv


def _powershell(cmd: Command, inv: Invocation) -> Invocation:
    argv, n = cmd.argv, len(cmd.argv)
    for i in range(1, n):
        low = argv[i].lower()
        if low in ("-help", "-?", "/?", "-version", "-v"):
            inv.help = True
            return inv
        if low.startswith("-e") and len(low) > 1 and "-encodedcommand".startswith(low):
            inv.code = "-EncodedCommand " + " ".join(argv[i + 1 : i + 2])
            return inv
        if len(low) > 1 and "-command".startswith(low) and low != "-":
            inv.code = " ".join(argv[i + 1 :])
            if inv.code == "-":
                inv.code = cmd.stdin or ""
            return inv
        if len(low) > 1 and "-file".startswith(low) and i + 1 < n:
            inv.script, inv.rest = argv[i + 1], list(argv[i + 2 :])
            return inv
        if not low.startswith("-"):
            inv.code = " ".join(argv[i:])
            return inv
    if cmd.stdin is not None:
        inv.code = cmd.stdin
    return inv


_CMDLET = re.compile(r"\b([A-Z][a-z]+)-([A-Z][A-Za-z]+)\b([^;|\n]*)")
_PS_ALIASES = re.compile(
    r"(?:^|[;|&]\s*)(rm|del|erase|rd|rmdir|ri|Remove-Item)\s+([^;|\n]*)", re.IGNORECASE
)
_PS_READ_VERBS = words(
    "Get Format Write Out Select Where Sort Measure Test Show Find Search Compare Resolve "
    "Read Trace Watch ConvertTo ConvertFrom Group Tee Join Split Wait Import"
)
_PS_DESTROY = words("Remove Clear Uninstall Unregister Revoke Disable")
_PS_HOST_DESTROY = words(
    "Stop-Computer Restart-Computer Format-Volume Clear-Disk Initialize-Disk Remove-Partition"
)


def cmdlets(code: str) -> list[tuple[str, str, str]]:
    out = [(m.group(1), m.group(2), m.group(3).strip()) for m in _CMDLET.finditer(code)]
    out += [
        ("Remove", "Item", m.group(2).strip())
        for m in _PS_ALIASES.finditer(code)
        if m.group(1).lower() != "remove-item"
    ]
    return out[:16]


def ps_effect(verb: str, noun: str) -> Effect:
    if f"{verb}-{noun}" in _PS_HOST_DESTROY:
        return Effect.DESTROY
    if verb in _PS_READ_VERBS:
        return Effect.READ
    if verb in _PS_DESTROY:
        return Effect.DESTROY if verb != "Disable" else Effect.WRITE
    return lexicon.classify(verb) or Effect.UNKNOWN
