"""`interlock daemon`: keep Interlock loaded so a hook's `interlock check` answers in a few ms.

    interlock daemon [start] [--socket PATH] [--foreground | --background] [--workers N]
    interlock daemon status [--socket PATH]
    interlock daemon stop [--socket PATH]

The console script asks the daemon first for `check` and `hook` and decides in-process when it
does not answer: a dead daemon makes checks slower, never weaker. See docs/daemon.md.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import UsageError, print_error

if TYPE_CHECKING:
    from interlock.cli.common import Parser

ACTIONS = ("start", "status", "stop")


def build_parser() -> Parser:
    from interlock.cli.common import Parser

    p = Parser(prog="interlock daemon", description="Run the resident daemon for fast hooks.")
    p.add_argument("action", nargs="?", choices=ACTIONS, default="start")
    p.add_argument(
        "--socket",
        metavar="PATH",
        help="Unix socket (default: $INTERLOCK_DAEMON_SOCKET, "
        "$XDG_RUNTIME_DIR/interlock/daemon.sock, else daemon.sock in the data directory)",
    )
    how = p.add_mutually_exclusive_group()
    how.add_argument("--foreground", action="store_true", help="stay attached (the default)")
    how.add_argument(
        "--background",
        action="store_true",
        help="detach; pid in daemon.pid and log in daemon.log beside the socket",
    )
    p.add_argument("--workers", type=int, default=8, help="requests answered at once (8)")
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    from interlock.daemon.server import DaemonError, default_socket

    try:
        ns = build_parser().parse_args(list(argv))
        if not 1 <= ns.workers <= 64:
            raise UsageError("`--workers` takes 1 to 64")
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    path = os.path.abspath(ns.socket or default_socket())
    if ns.action == "status":
        return status(path, stdout, stderr)
    if ns.action == "stop":
        return stop(path, stdout, stderr)
    try:
        return start(path, ns.workers, ns.background, stdout)
    except DaemonError as exc:
        print_error(stderr, "daemon.start", str(exc))
        return 1


def status(path: str, stdout: TextIO, stderr: TextIO) -> int:
    from interlock.daemon import client

    answer = client.exchange(path, {"v": client.PROTOCOL, "op": "ping"}, 2.0)
    if not isinstance(answer, dict) or not answer.get("pong"):
        print(f"interlock daemon: not running on `{path}` (checks run in-process)", file=stderr)
        return 1
    same = answer.get("version") == client.version()
    note = "" if same else f"; version {answer.get('version')} differs, so it is not asked"
    print(
        f"interlock daemon: pid {answer.get('pid')} on `{path}`, "
        f"up {answer.get('uptime', 0):.0f} s{note}",
        file=stdout,
    )
    return 0 if same else 1


def stop(path: str, stdout: TextIO, stderr: TextIO) -> int:
    from interlock.daemon import client

    answer = client.exchange(path, {"v": client.PROTOCOL, "op": "stop"}, 2.0)
    if not isinstance(answer, dict) or not answer.get("stopping"):
        print(f"interlock daemon: not running on `{path}`", file=stderr)
        return 1
    print(f"interlock daemon: stopped pid {answer.get('pid')}", file=stdout)
    return 0


def start(path: str, workers: int, background: bool, stdout: TextIO) -> int:
    from interlock.daemon.handler import Handler
    from interlock.daemon.server import Daemon, log

    handler = Handler()
    daemon = Daemon(path, handler, workers)
    daemon.bind()  # errors (directory, another daemon) show here, before detaching
    if background:
        pid = detach(os.path.dirname(path))
        if pid:
            print(f"interlock daemon: pid {pid} listening on `{path}`", file=stdout)
            stdout.flush()
            os._exit(0)  # the listening socket now belongs to the detached process
    else:
        print(f"interlock daemon: listening on `{path}` (Ctrl-C stops)", file=stdout)
        stdout.flush()
    warm(handler)
    _on_signals(daemon)
    log(f"listening on {path}, version {handler.version}")
    daemon.serve()
    log(f"stopped after {handler.served} requests")
    return 0


def detach(directory: str) -> int:
    """Double fork. In the caller, the detached process's pid; in the detached process, 0
    (with its pid in `daemon.pid`, output in `daemon.log`, working directory `/`)."""
    read_end, write_end = os.pipe()
    if os.fork():
        os.close(write_end)
        with os.fdopen(read_end) as fh:
            return int(fh.read().strip() or 0)
    os.close(read_end)
    os.setsid()
    if os.fork():
        os._exit(0)
    os.chdir("/")
    os.umask(0o077)
    logfd = os.open(
        os.path.join(directory, "daemon.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600
    )
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(logfd, 1)
    os.dup2(logfd, 2)
    os.close(null)
    os.close(logfd)
    with open(os.path.join(directory, "daemon.pid"), "w", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")
    os.write(write_end, f"{os.getpid()}\n".encode())
    os.close(write_end)
    return 0


def warm(handler: Any) -> None:
    """Load what the first requests would: the engine, the SQL parser, the hook adapters."""
    from interlock.daemon import client

    env = client.request_env(os.environ)
    for argv in (["check", "--", "ls -la"], ["check", "--", "psql -c 'drop table x'"]):
        request = {
            "v": client.PROTOCOL,
            "version": handler.version,
            "package": handler.package,
            "argv": argv,
            "cwd": "/",
            "env": env,
            "stdin": None,
        }
        handler(request)
    handler.served = 0


def _on_signals(daemon: Any) -> None:
    import signal

    def stop(_signum: int, _frame: Any) -> None:
        daemon.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
