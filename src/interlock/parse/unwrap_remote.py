"""Peelers for commands run as another user or on another host: `ssh host cmd`,
`mosh host -- cmd`, `su -c cmd`.
"""

from __future__ import annotations

import shlex
from dataclasses import replace

from interlock.model import Command
from interlock.parse.unwrap_base import Opaque, Peel, Script, skip_options, via

_SSH_VALUE_OPTS = frozenset(
    "-b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w -B".split()
)
_MOSH_VALUE_OPTS = frozenset({"-p", "--port", "--ssh", "--predict", "--family", "--server"})
_HEREDOC_END = "INTERLOCK_EOF"
_LOCAL_OPTIONS = frozenset({"proxycommand", "localcommand", "knownhostscommand"})
_TRANSPORTS = frozenset(
    "ssh nc ncat netcat socat connect connect-proxy corkscrew proxytunnel aws gcloud "
    "cloudflared tsh boundary websocat".split()
)


def peel_mosh(cmd: Command) -> Peel:
    """`mosh [opts] [--] host [--] [cmd…]`."""
    i = skip_options(cmd.argv, 1, _MOSH_VALUE_OPTS)
    after = i + 2 if cmd.argv[i + 1 : i + 2] == ("--",) else i + 1
    return peel_ssh(cmd, i, after, exec_words=True)


def peel_ssh(
    cmd: Command, host_at: int | None = None, after: int | None = None, exec_words: bool = False
) -> Peel:
    """`ssh host cmd…` (the words joined into one line for the remote shell, as ssh does; mosh
    runs them as they are: `exec_words`), and what `-o ProxyCommand=…` runs here."""
    found = _remote(cmd, host_at, after, exec_words)
    i = skip_options(cmd.argv, 1, _SSH_VALUE_OPTS) if host_at is None else host_at
    options = cmd.argv[: skip_options(cmd.argv, i + 1, _SSH_VALUE_OPTS)]  # not the remote words
    local = [Script(text, via(cmd, "ssh")) for text in _local_commands(options)]
    if not local:
        return found
    return [*local, *(found if isinstance(found, list) else [found])]


def _local_commands(argv: tuple[str, ...]) -> list[str]:
    """`-o ProxyCommand=…`, `-oLocalCommand …`: commands ssh runs on this machine."""
    found = []
    for j, a in enumerate(argv):
        value = argv[j + 1] if a == "-o" and j + 1 < len(argv) else a[2:] if a[:2] == "-o" else ""
        key, _, text = value.replace("=", " ", 1).partition(" ")
        text = text.strip()
        if key.lower() not in _LOCAL_OPTIONS or text.lower() in ("", "none"):
            continue
        if not _transport(text):
            found.append(text)
    return found[:4]


def _transport(text: str) -> bool:
    """`ssh -W %h:%p jump`, `nc %h %p`, `aws ssm start-session --target %h …`: a proxy that
    only carries the connection to the host (like `-J`), with nothing else in the line."""
    words = text.split()
    prog = words[0].rsplit("/", 1)[-1] if words else ""
    return "%h" in text and prog in _TRANSPORTS and not set(text) & set(";|&`$()<>")


def _remote(
    cmd: Command, host_at: int | None, after: int | None, exec_words: bool
) -> Script | Opaque:
    argv = cmd.argv
    i = skip_options(argv, 1, _SSH_VALUE_OPTS) if host_at is None else host_at
    if i >= len(argv):
        return Opaque(f"`{cmd.program}` with no host")
    host = argv[i].rsplit("@", 1)[-1]
    if after is None:
        # OpenSSH reads options after the host too (`ssh host -p 22 cmd`, `ssh host -- cmd`),
        # unless a `--` came before the host
        after = i + 1 if "--" in argv[1:i] else skip_options(argv, i + 1, _SSH_VALUE_OPTS)
    rest = argv[after:]
    nested = replace(cmd, host=host, via=(*cmd.via, "ssh"), stdin=None, stdin_piped=False)
    if not rest:
        if cmd.stdin is not None:
            return Script(cmd.stdin, nested)
        return Opaque(f"opens a shell on `{host}`", ("interactive", "remote-shell"), host=host)
    dyn = any(cmd.is_dynamic(j) for j in range(after, len(argv)))
    text = shlex.join(rest) if exec_words else " ".join(rest)
    if cmd.stdin is not None and _HEREDOC_END not in cmd.stdin:
        # `ssh host sudo bash -s <<EOF`, `ssh host psql <<EOF`: the input goes to the remote
        # command, so hand it over as a heredoc of its own
        body = cmd.stdin if cmd.stdin.endswith("\n") else cmd.stdin + "\n"
        text = f"{text} <<'{_HEREDOC_END}'\n{body}{_HEREDOC_END}\n"
    return Script(text, nested, dynamic=dyn)


def peel_su(cmd: Command) -> Peel:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a in ("-c", "--command") and j + 1 < len(argv):
            return Script(argv[j + 1], via(cmd, "su"), dynamic=cmd.is_dynamic(j + 1))
        if a.startswith("--command="):
            return Script(a.split("=", 1)[1], via(cmd, "su"))
    if cmd.stdin is not None:
        return Script(cmd.stdin, via(cmd, "su"))
    return Opaque("`su` opens a shell as another user", ("interactive", "privileged"))
