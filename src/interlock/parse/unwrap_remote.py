"""Peelers for commands run as another user or on another host: `ssh host cmd`,
`mosh host -- cmd`, `su -c cmd`; and the programs file copiers run to reach the other host
(`rsync -e 'ssh …'`, `rsync --rsync-path=…`, `scp -S prog`, `-o ProxyCommand=…`).
"""

from __future__ import annotations

import shlex
from dataclasses import replace

from interlock.model import Command
from interlock.parse.unwrap_base import Inner, Opaque, Peel, Script, skip_options, via

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


def runs_locally(line: str) -> bool:
    """True when the ssh command line `line` (`ssh -o ProxyCommand='…'`) names a command ssh
    runs on this machine, other than a proxy that only carries the connection."""
    try:
        words = tuple(shlex.split(line))
    except ValueError:
        words = tuple(line.split())
    return bool(_local_commands(words))


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


# -- file copiers: the programs they start to reach the other host ------------------------

_RSYNC_TAKES = frozenset(
    "-e --rsh --rsync-path -f --filter --exclude --include --exclude-from --include-from "
    "--files-from -T --temp-dir --partial-dir --backup-dir --suffix --chmod --chown --timeout "
    "--port --password-file --log-file --link-dest --compare-dest --copy-dest --max-delete "
    "--max-size --min-size --bwlimit --out-format --info --debug -M --remote-option -B "
    "--block-size --contimeout --iconv --usermap --groupmap --skip-compress".split()
)
_SCP_TAKES = frozenset("-c -D -F -i -J -l -o -P -S -X -b -B -R -s".split())


def peel_copier(cmd: Command) -> Peel | None:
    """`rsync`, `scp`, `sftp`: the remote-shell program they run here (`-e`/`--rsh`,
    `RSYNC_RSH`, `-S`; `-D` for sftp), the command rsync runs there (`--rsync-path`), and
    ssh's `-o ProxyCommand=…` — each judged as the command line it becomes, with the copy
    itself judged by its analyzer. None when it names none of them."""
    prog = cmd.program
    values, args = _copier_words(cmd.argv, _RSYNC_TAKES if prog == "rsync" else _SCP_TAKES)
    host = next((h for w in args if (h := _copy_host(w, prog == "sftp"))), "")
    dyn = any(cmd.is_dynamic(k) for k in range(1, len(cmd.argv)))
    lines: list[str] = []
    if prog == "rsync":
        rsh = values.get("-e") or values.get("--rsh") or cmd.getenv("RSYNC_RSH")
        remote = values.get("--rsync-path")
        if host and (rsh or remote):  # rsync runs `RSH HOST RSYNC_PATH --server …`
            lines.append(f"{rsh or 'ssh'} {shlex.quote(host)} {remote or 'rsync'} --server")
    else:
        lines.extend(_local_commands(cmd.argv))
        if host and values.get("-S"):  # scp runs `PROG … HOST scp -t …`
            lines.append(f"{shlex.quote(values['-S'])} {shlex.quote(host)} {prog} -t")
        if prog == "sftp" and values.get("-D"):  # a local sftp server instead of ssh
            lines.append(values["-D"])
    if not lines:
        return None
    return [*(Script(line, via(cmd, prog), dynamic=dyn) for line in lines), Inner(cmd, True)]


def _copier_words(argv: tuple[str, ...], takes: frozenset[str]) -> tuple[dict[str, str], list[str]]:
    """The values of the options in `takes` (`-e ssh`, `--rsh=ssh`, `-Sprog`, and at the end
    of a bundle: `-avze ssh`), and the other words."""
    values: dict[str, str] = {}
    args: list[str] = []
    i = 1
    while i < len(argv):
        a = argv[i]
        key, eq, value = a.partition("=")
        short = a[:1] == "-" and a[1:2] not in ("-", "") and len(a) > 2
        if a in takes and i + 1 < len(argv):
            values[a], i = argv[i + 1], i + 1
        elif eq and key in takes:
            values[key] = value
        elif short and a[:2] in takes:
            values[a[:2]] = a[2:]  # `-Sprog`, `-essh`
        elif short and "-" + a[-1] in takes and i + 1 < len(argv):
            values["-" + a[-1]], i = argv[i + 1], i + 1
        elif not a.startswith("-") or a == "-":
            args.append(a)
        i += 1
    return values, args


def _copy_host(word: str, bare: bool = False) -> str:
    """The host of `[user@]host:path`, `host::module` or `rsync://host/…` ("" for a local
    path); `bare`: a word without a colon is a host too (`sftp host`)."""
    if word.startswith("rsync://"):
        return word[8:].split("/", 1)[0].rpartition("@")[2]
    head, colon, _path = word.partition(":")
    if not (colon or bare) or not head or "/" in head or word.startswith(("/", ".", "~")):
        return ""
    return head.rpartition("@")[2]
