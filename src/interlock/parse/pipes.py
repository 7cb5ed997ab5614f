"""What flows through a pipe: the text a command prints, when it can be known statically, and
where unknown text came from (a download, a decoder).

This is what lets `echo cm0gLXJmIC8= | base64 -d | sh` be read as `rm -rf /`, and
`curl https://x | sh` be reported as remote code.
"""

from __future__ import annotations

import base64
import binascii
import codecs

from interlock.model import Command
from interlock.parse.words import decode_ansi_c, printf_text

_DECODERS = frozenset(
    {
        "base64",
        "base32",
        "xxd",
        "openssl",
        "gunzip",
        "zcat",
        "gzip",
        "bzip2",
        "xz",
        "unxz",
        "uudecode",
        "rev",
        "tr",
        "basenc",
        "recode",
        "iconv",
        "perl",
        "python",
        "python3",
        "ruby",
        "node",
        "awk",
        "sed",
    }
)
_DOWNLOADERS = frozenset(
    {
        "curl",
        "wget",
        "fetch",
        "http",
        "https",
        "xh",
        "aria2c",
        "nc",
        "ncat",
        "socat",
        "scp",
        "aws",
        "gsutil",
        "gh",
    }
)
_MAX = 1 << 20


def known_stdout(cmd: Command) -> str | None:
    """The text `cmd` prints, when it is fixed by the command line (else None)."""
    prog = cmd.program
    args = cmd.args
    if any(cmd.is_dynamic(i) for i in range(1, len(cmd.argv))):
        return None
    if prog == "echo":
        words = list(args)
        newline, escapes = True, False
        while words and words[0] in ("-n", "-e", "-E", "-ne", "-en"):
            newline = newline and "n" not in words[0]
            escapes = escapes or "e" in words[0]
            words.pop(0)
        text = " ".join(words) + ("\n" if newline else "")
        return decode_ansi_c(text) if escapes else text  # `echo -e 'rm\x20-rf /'`
    if prog == "printf" and args and args[0] != "-v":
        fmt_args = args[1:] if args[0] == "--" else args
        return printf_text(fmt_args[0], fmt_args[1:]) if fmt_args else None
    if prog in ("cat", "tee") and not [a for a in args if not a.startswith("-")]:
        return cmd.stdin
    if cmd.stdin is None:
        return None
    return _decode(prog, args, cmd.stdin)


def found_paths(cmd: Command) -> str | None:
    """A stand-in for what `find ROOT… -name x` prints, as `ROOT/{}` per start path: the form
    `find -exec` hands its command, so `find . -name '*.tmp' | xargs rm` is judged like
    `find . -name '*.tmp' -exec rm {} +`. Only for an `xargs` consumer: the stand-in is a
    command's argument list, not text (`find … | python3` reads unknown input, not `./{}`).
    None (unknown) unless a test narrows the match: an unfiltered find also prints ROOT
    itself, and the consumer cannot re-read find's expression the way an `-exec` command
    does. None too when an action prints something else."""
    from interlock.parse.tools import fs_find

    if cmd.program != "find" or any(cmd.is_dynamic(i) for i in range(1, len(cmd.argv))):
        return None
    roots, expr = fs_find.split(cmd.args)
    if any(a in _FIND_PRINTS_OTHER for a in expr) or not fs_find.filtered(expr, frozenset()):
        return None
    if any(r.startswith("/") for r in roots) and _literal_name(expr, fs_find.NOT_FILTERS):
        return None  # `find /var/lib -name postgresql`: the data directory itself
    return "".join(r.rstrip("/") + "/{}\n" for r in roots)


def _literal_name(expr: list[str], not_filters: frozenset[str]) -> bool:
    tests = [i for i, x in enumerate(expr) if x.startswith("-") and x not in not_filters]
    if [expr[i] for i in tests] not in (["-name"], ["-iname"]) or tests[0] + 1 >= len(expr):
        return False
    return not set(expr[tests[0] + 1]) & set("*?[")


_FIND_PRINTS_OTHER = frozenset(
    "-printf -fprintf -fprint -fprint0 -fls -ls -ok -okdir -exec -execdir -files0-from".split()
)


def _decode(prog: str, args: tuple[str, ...], data: str) -> str | None:
    if len(data) > _MAX:
        return None
    try:
        if prog in ("base64", "basenc") and _decoding(args):
            return base64.b64decode("".join(data.split()) + "==", validate=False).decode(
                "utf-8", "replace"
            )
        if prog == "base32" and _decoding(args):
            return base64.b32decode("".join(data.split())).decode("utf-8", "replace")
        if prog == "openssl" and "base64" in args and "-d" in args:
            return base64.b64decode("".join(data.split()) + "==").decode("utf-8", "replace")
        if prog == "xxd" and "-r" in args and "-p" in args:
            return bytes.fromhex("".join(data.split())).decode("utf-8", "replace")
        if prog == "rev":
            return "\n".join(line[::-1] for line in data.rstrip("\n").split("\n")) + "\n"
        if prog == "tr" and len(args) == 2 and {args[0], args[1]} == {"A-Za-z", "N-ZA-Mn-za-m"}:
            return codecs.decode(data, "rot13")
    except (binascii.Error, ValueError, UnicodeError):
        return None
    return None


def _decoding(args: tuple[str, ...]) -> bool:
    return any(
        a in ("-d", "--decode", "-D") or (a.startswith("-") and not a.startswith("--") and "d" in a)
        for a in args
    )


def origin_tags(cmd: Command, upstream: tuple[str, ...]) -> tuple[str, ...]:
    """Tags describing where `cmd`'s output comes from, carried down a pipeline."""
    prog = cmd.program
    tags = set(upstream)
    if prog in _DOWNLOADERS:
        tags.add("remote-code")
    elif prog in _DECODERS:
        tags.add("obfuscated")
    return tuple(sorted(tags))
