"""The hook client of the resident daemon: standard library only, well under a millisecond.

`interlock.cli.main.run` imports this module before anything else for `check` and `hook`.
`forward` sends the call (argv, working directory, the environment variables a decision
reads, and for a hook its stdin) over the daemon's Unix socket and returns the daemon's
`(exit code, stdout, stderr)`, or None on any failure whatsoever: no socket, a socket owned by
someone else, refused, timed out, a malformed answer, another version of Interlock. None means
"decide in-process", never "allow".

Imports: `_socket` (the C module under `socket`; `socket` itself imports `enum`, about 5 ms),
`json`, `os`, `sys` and `time` (built into the interpreter). Nothing else, ever: this module
is on every hook call's path, and a test pins what it loads.
"""

from __future__ import annotations

import _socket
import json
import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

PROTOCOL = 1
TIMEOUT = 2.0  # seconds for the whole exchange; after that the check runs in-process
MAX_REQUEST = 16 << 20  # bytes of one request line; the daemon refuses bigger ones
MAX_ANSWER = 16 << 20
MAX_STDIN = (4 << 20) + 1  # what `interlock hook` reads: hooks.base.MAX_PAYLOAD + 1 characters
SOCKET_NAME = "daemon.sock"
# what a decision reads from the caller's environment besides INTERLOCK_*: cli.common.INHERITED
# (a test pins the two lists together), and HOME / XDG_DATA_HOME for the data directory
INHERITED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "KUBECONFIG",
    "TF_WORKSPACE",
    "PGHOST",
    "PGDATABASE",
    "PGSERVICE",
    "MYSQL_HOST",
    "CLOUDSDK_CORE_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "AZURE_SUBSCRIPTION_ID",
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DATABASE_URL",
    "REDIS_URL",
    "MONGODB_URI",
    "PULUMI_STACK",
    "VAULT_ADDR",
    "NOMAD_ADDR",
    "CONSUL_HTTP_ADDR",
    "HELM_KUBECONTEXT",
)
PASSED = frozenset((*INHERITED, "HOME", "XDG_DATA_HOME"))
_S_IFMT, _S_IFSOCK = 0o170000, 0o140000


class Unreadable:
    """Stands in for a stdin that failed to read, so the in-process hook fails as it would."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def read(self, size: int = -1) -> str:
        raise self.exc


def data_dir(environ: dict[str, str]) -> str:
    """Same as `interlock.store.data_dir` (a test pins them together)."""
    if environ.get("INTERLOCK_DATA_DIR"):
        return environ["INTERLOCK_DATA_DIR"]
    if environ.get("XDG_DATA_HOME"):
        return os.path.join(environ["XDG_DATA_HOME"], "interlock")
    return os.path.join(os.path.expanduser("~"), ".local", "share", "interlock")


def socket_path(environ: dict[str, str]) -> str:
    """`$INTERLOCK_DAEMON_SOCKET`, else `$XDG_RUNTIME_DIR/interlock/daemon.sock`, else
    `daemon.sock` in the data directory."""
    if environ.get("INTERLOCK_DAEMON_SOCKET"):
        return environ["INTERLOCK_DAEMON_SOCKET"]
    if environ.get("XDG_RUNTIME_DIR"):
        return os.path.join(environ["XDG_RUNTIME_DIR"], "interlock", SOCKET_NAME)
    return os.path.join(data_dir(environ), SOCKET_NAME)


def request_env(environ: dict[str, str] | os._Environ[str]) -> dict[str, str]:
    return {k: v for k, v in environ.items() if k in PASSED or k.startswith("INTERLOCK_")}


_VERSION: list[str] = []


def version() -> str:
    """This installation's version, from its `interlock-X.dist-info` directory on `sys.path`
    (importlib.metadata costs about 25 ms)."""
    if not _VERSION:
        _VERSION.append(_find_version())
    return _VERSION[0]


def _find_version() -> str:
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.startswith("interlock-") and name.endswith(".dist-info"):
                found = name[len("interlock-") : -len(".dist-info")]
                if "-" not in found:
                    return found
    return "unknown"


def package() -> str:
    """The directory of the `interlock` package this client belongs to."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def private_socket(path: str) -> bool:
    """The socket is ours: a socket owned by this user in a directory only this user (or root)
    can write to. Anything else is not asked (an agent that could plant one could answer)."""
    try:
        st = os.lstat(path)
        parent = os.stat(os.path.dirname(path) or ".")
    except (OSError, ValueError):
        return False
    uid = os.getuid()
    return (
        st.st_mode & _S_IFMT == _S_IFSOCK
        and st.st_uid == uid
        and parent.st_uid in (uid, 0)
        and not parent.st_mode & 0o022
    )


def exchange(path: str, message: dict[str, Any], timeout: float = TIMEOUT) -> Any:
    """Send one JSON line, read one JSON line back; None on any failure. Bounded by `timeout`."""
    try:
        data = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
    except (TypeError, ValueError):
        return None
    if len(data) > MAX_REQUEST or not private_socket(path):
        return None
    deadline = time.monotonic() + timeout
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(path)
        if not _same_user(sock):
            return None
        sock.sendall(data)
        raw = _read_line(sock, deadline)
        return None if raw is None else json.loads(raw.decode("utf-8", "surrogatepass"))
    except (OSError, ValueError):
        return None
    finally:
        sock.close()


def _same_user(sock: Any) -> bool:
    option = getattr(_socket, "SO_PEERCRED", None)
    if option is None:
        return True  # no peer credentials here: the socket's owner was checked
    cred = sock.getsockopt(_socket.SOL_SOCKET, option, 12)  # struct ucred: pid, uid, gid
    return int.from_bytes(cred[4:8], sys.byteorder) == os.getuid()


def _read_line(sock: Any, deadline: float) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        sock.settimeout(left)
        chunk = sock.recv(1 << 16)
        if not chunk:
            return None  # closed before a whole line: never an answer
        chunks.append(chunk)
        size += len(chunk)
        if chunk.endswith(b"\n"):
            return b"".join(chunks)
        if size > MAX_ANSWER:
            return None


def forward(
    argv: Sequence[str],
    stdin: str | None,
    environ: dict[str, str] | os._Environ[str],
    cwd: str,
    path: str | None = None,
    timeout: float = TIMEOUT,
) -> tuple[int, str, str] | None:
    """The daemon's `(exit code, stdout, stderr)` for `interlock ARGV`, or None."""
    message = {
        "v": PROTOCOL,
        "op": "run",
        "version": version(),
        "package": package(),
        "argv": list(argv),
        "cwd": cwd,
        "env": request_env(environ),
        "stdin": stdin,
    }
    answer = exchange(path or socket_path(dict(environ)), message, timeout)
    if not isinstance(answer, dict) or answer.get("version") != version():
        return None
    code, out, err = answer.get("exit"), answer.get("stdout"), answer.get("stderr")
    if type(code) is not int or not 0 <= code <= 255:
        return None
    if not isinstance(out, str) or not isinstance(err, str):
        return None
    return code, out, err


def try_daemon(argv: list[str]) -> tuple[tuple[int, str, str] | None, Any]:
    """For the console script: the daemon's answer (or None), and the stdin the in-process
    path must read instead of `sys.stdin` when this already read it (or None)."""
    environ = os.environ
    if environ.get("INTERLOCK_DAEMON", "").lower() in ("0", "off", "no", "false"):
        return None, None
    stdin = None
    if argv[0] == "hook":
        if len(argv) < 2 or "-h" in argv or "--help" in argv:
            return None, None  # in-process answers help without reading stdin
        try:
            stdin = sys.stdin.read(MAX_STDIN)
        except Exception as exc:  # the in-process hook fails the same way, in its protocol
            return None, Unreadable(exc)
    elif "--batch" in argv or any(a.startswith("--batch=") for a in argv):
        return None, None
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = None
    answer = None if cwd is None else forward(argv, stdin, environ, cwd)
    if stdin is None:
        return answer, None
    import io  # loaded at interpreter start-up anyway

    return answer, io.StringIO(stdin)
