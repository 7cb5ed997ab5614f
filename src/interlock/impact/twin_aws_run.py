"""The AWS twin's edges: a moto server on loopback, and the `aws` CLI run against it.

`MotoServer` serves moto on 127.0.0.1 on a free port, in a daemon thread of this process.
Moto keeps its state per process, so one server runs at a time (a lock, waited on for a
bounded time: `impact.twin_busy`) and each start resets the state.

`aws_args(command)` turns a proposed `aws …` command (a string or argv) into the CLI's
arguments: leading `NAME=value` words dropped, `--profile` and `--endpoint-url` removed (the
twin decides where the call goes), and refused (`impact.twin_command`) when it is not `aws` or
would write a local file (`s3 cp|mv|sync` to a local path, a positional output file).
`run_cli(args, endpoint, region)` runs AWS CLI v1 (`python -m awscli`) in a subprocess with
dummy credentials and no config files, in a scratch directory, with a timeout
(`impact.twin_timeout`). `check_endpoint` refuses anything but `http(s)://127.0.0.1:<port>`
(`impact.twin_endpoint`): the twin never talks to real AWS.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from interlock.model.errors import InterlockError

LOOPBACK = "127.0.0.1"
_LOCK = threading.Lock()
_STRIP = ("--profile", "--endpoint-url")
_S3_COPY = frozenset({"cp", "mv", "sync"})


class TwinError(InterlockError):
    code = "impact.twin"


def check_endpoint(url: str) -> str:
    """`url` when it is a moto server on this machine's loopback; else `impact.twin_endpoint`."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("http", "https") or parts.hostname != LOOPBACK or not port:
        raise TwinError(
            f"aws twin: endpoint `{url}` is not http://{LOOPBACK}:<port>; "
            "the twin only runs against a local moto server",
            "impact.twin_endpoint",
        )
    return url


class MotoServer:
    """moto on 127.0.0.1, a free port, a daemon thread; `with MotoServer() as url: …`."""

    def __init__(self, wait_seconds: float = 30.0) -> None:
        self.wait_seconds = wait_seconds
        self.url = ""
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        if not _LOCK.acquire(timeout=self.wait_seconds):
            raise TwinError("aws twin: another twin is running; try again", "impact.twin_busy")
        try:
            app = DomainDispatcherApplication(create_backend_app)
            self._server = make_server(LOOPBACK, 0, app, threaded=True, request_handler=_handler())
        except BaseException:
            _LOCK.release()
            raise
        self.url = f"http://{LOOPBACK}:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        self.reset()
        return self.url

    def reset(self) -> None:
        """Forget every resource (moto's state is per process, not per server)."""
        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=self.wait_seconds) as answer:
            answer.read()

    def stop(self) -> None:
        if self._server is None:
            return
        try:  # the next start resets moto's state
            self._server.shutdown()
            self._server.server_close()
            if self._thread is not None:
                self._thread.join(timeout=self.wait_seconds)
        finally:
            self._server = None
            _LOCK.release()

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler() -> Any:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class Quiet(MotoRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass  # one line per request on stderr helps nobody

    return Quiet


def _refuse(what: str) -> TwinError:
    return TwinError(f"aws twin: {what}", "impact.twin_command")


def aws_args(command: str | Sequence[str]) -> list[str]:
    """The arguments after `aws` of a proposed command, made safe to run against the twin."""
    try:
        words = shlex.split(command) if isinstance(command, str) else list(command)
    except ValueError:
        raise _refuse("the command does not parse; quote it as a shell would") from None
    while words and "=" in words[0] and not words[0].startswith(("-", "=")):
        words.pop(0)  # NAME=value before the program
    if not words or os.path.basename(words[0]) != "aws":
        shown = words[0] if words else ""
        raise _refuse(f"`{shown}` is not an aws command; the twin runs only the aws cli")
    args = _strip(words[1:])
    _check_local_writes(args)
    return args


def _strip(args: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for word in args:
        if skip:
            skip = False
        elif word in _STRIP:
            skip = True
        elif not word.startswith(tuple(f"{s}=" for s in _STRIP)):
            out.append(word)
    return out


def _positionals(args: list[str]) -> list[str]:
    out, after_option = [], False
    for word in args:
        if word.startswith("--"):
            after_option = "=" not in word
        elif after_option:
            after_option = False
        else:
            out.append(word)
    return out


def _check_local_writes(args: list[str]) -> None:
    words = _positionals(args)
    if len(words) < 2:
        return
    service, operation, rest = words[0], words[1], words[2:]
    if service == "s3":
        if operation in _S3_COPY and rest and not rest[-1].startswith("s3://"):
            raise _refuse(f"`s3 {operation}` to a local path writes this machine's files")
    elif rest:
        raise _refuse(f"`{rest[0]}` looks like an output file; the twin writes no local files")


@dataclass(frozen=True, slots=True)
class CliRun:
    stdout: str
    stderr: str
    exit_code: int


def twin_env(endpoint: str, region: str, home: str) -> dict[str, str]:
    """The whole environment of a twin call: dummy credentials, no config, no real endpoint."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": home,
        "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": region,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "AWS_MAX_ATTEMPTS": "1",
    }


def run_cli(args: Sequence[str], endpoint: str, region: str, timeout: float = 60.0) -> CliRun:
    """Run `aws ARGS --endpoint-url ENDPOINT` (CLI v1 of this interpreter) in a scratch dir."""
    check_endpoint(endpoint)
    argv = [sys.executable, "-m", "awscli", *args, "--endpoint-url", endpoint]
    with tempfile.TemporaryDirectory(prefix="interlock-aws-twin-") as scratch:
        try:
            proc = subprocess.run(
                argv,
                cwd=scratch,
                env=twin_env(endpoint, region, scratch),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            raise TwinError(
                f"aws twin: the command ran longer than {timeout:g} s; it was stopped",
                "impact.twin_timeout",
            ) from None
    return CliRun(proc.stdout, proc.stderr, proc.returncode)


__all__ = [
    "LOOPBACK",
    "CliRun",
    "MotoServer",
    "TwinError",
    "aws_args",
    "check_endpoint",
    "run_cli",
    "twin_env",
]
