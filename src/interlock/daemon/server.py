"""The resident daemon: a private Unix socket, a bounded set of worker threads, one JSON line
in and one JSON line out per connection.

    request   {"v": 1, "op": "run", "version", "package", "argv", "cwd", "env", "stdin"}
              {"v": 1, "op": "ping"} | {"v": 1, "op": "stop"}
    answer    {"version", "exit", "stdout", "stderr"}   the command's answer
              {"version", "fallback": why}               decide in your own process
              {"version", "refused": why}                a request this daemon will not read

The socket is created 0600 in a directory that must belong to this user and be writable by no
one else (created 0700); a peer of another user id is hung up on. A dead, busy or mismatched
daemon never weakens a check: the client decides in-process instead (see client.py).
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from interlock.daemon import client

WORKERS = 8
READ_TIMEOUT = 5.0  # seconds to receive a whole request
STACK = 64 << 20  # as `interlock hook`'s worker: deep shell nesting recurses
Handle = Callable[[dict[str, Any]], dict[str, Any]]


class DaemonError(Exception):
    """The daemon cannot start; the message says why and what to do."""


def default_socket(environ: dict[str, str] | None = None) -> str:
    return client.socket_path(dict(os.environ) if environ is None else environ)


def secure_directory(directory: str) -> None:
    """Create `directory` 0700, or check that an existing one is this user's and that no one
    else can write to it (someone who could would be able to answer for Interlock)."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        st = os.stat(directory)
    except OSError as exc:
        raise DaemonError(f"cannot create `{directory}`: {exc.strerror}") from None
    if st.st_uid != os.getuid():
        raise DaemonError(f"`{directory}` belongs to user id {st.st_uid}, not to this user")
    if st.st_mode & 0o022:
        mode = stat.S_IMODE(st.st_mode)
        raise DaemonError(
            f"`{directory}` is writable by others (mode {mode:o}); run `chmod 700 {directory}`"
        )


def log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    print(f"{stamp} interlock daemon[{os.getpid()}]: {message}", file=sys.stderr, flush=True)


class Daemon:
    """`bind()` then `serve()` (blocks until `stop()`), or `start()` for a background thread."""

    def __init__(self, path: str, handle: Handle, workers: int = WORKERS) -> None:
        self.path = path
        self.handle = handle
        self.workers = max(1, workers)
        self.started = time.time()
        self._listener: socket.socket | None = None
        self._inode: int | None = None
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def bind(self) -> None:
        """Listen on `path`: 0600 from the start (bound under a temporary name, then renamed
        over any stale socket). Refuses when a daemon already answers there."""
        directory = os.path.dirname(os.path.abspath(self.path))
        secure_directory(directory)
        if os.path.exists(self.path) and client.exchange(self.path, {"v": 1, "op": "ping"}, 1.0):
            raise DaemonError(f"a daemon already answers on `{self.path}`")
        temporary = os.path.join(directory, f".daemon-{os.getpid()}-{id(self)}.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            if os.path.lexists(temporary):
                os.unlink(temporary)
            listener.bind(temporary)
            os.chmod(temporary, 0o600)
            listener.listen(64)
            os.replace(temporary, self.path)
        except OSError as exc:
            listener.close()
            raise DaemonError(f"cannot listen on `{self.path}`: {exc.strerror}") from None
        self._inode = os.stat(self.path).st_ino
        self._listener = listener

    def serve(self) -> None:
        """Answer requests until `stop()`."""
        if self._listener is None:
            self.bind()
        previous: int | None = threading.stack_size()
        try:
            threading.stack_size(STACK)
        except (ValueError, RuntimeError):
            previous = None
        try:
            for n in range(self.workers):
                t = threading.Thread(
                    target=self._work,
                    args=(self._listener,),
                    name=f"interlock-daemon-{n}",
                    daemon=True,
                )
                t.start()
                self._threads.append(t)
        finally:
            if previous is not None:
                threading.stack_size(previous)
        self._stopping.wait()
        self._close()

    def start(self) -> threading.Thread:
        """Bind now and serve in a background thread (tests, benchmarks)."""
        self.bind()
        thread = threading.Thread(target=self.serve, name="interlock-daemon", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self._stopping.set()

    def _close(self) -> None:
        for _ in self._threads:  # wake each worker blocked in accept()
            try:
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.settimeout(0.5)
                    s.connect(self.path)
            except OSError:
                pass
        for t in self._threads:
            t.join(2.0)
        if self._listener is not None:
            self._listener.close()
        try:
            if os.stat(self.path).st_ino == self._inode:
                os.unlink(self.path)  # only our own socket, never a successor's
        except OSError:
            pass

    def _work(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                if self._stopping.wait(0.05):
                    return
                continue
            with conn:
                if not self._stopping.is_set():
                    self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(READ_TIMEOUT)
            if not same_user(conn):
                return
            line = read_request(conn)
            if line is None:
                return reply(conn, {"refused": "request.too_large"})
            try:
                request = json.loads(line)
            except ValueError:
                return reply(conn, {"refused": "request.json"})
            if not isinstance(request, dict):
                return reply(conn, {"refused": "request.json"})
            reply(conn, self.respond(request))
        except OSError:
            pass  # the client went away or was too slow; it decides in-process
        except Exception as exc:  # never let one request take a worker down
            log(f"internal error answering a request ({type(exc).__name__})")

    def respond(self, request: dict[str, Any]) -> dict[str, Any]:
        op = request.get("op", "run")
        if op == "ping":
            return {"pong": True, "pid": os.getpid(), "uptime": time.time() - self.started}
        if op == "stop":
            self.stop()
            return {"stopping": True, "pid": os.getpid()}
        return self.handle(request)


def same_user(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True  # the socket is 0600 in a private directory
    cred = conn.getsockopt(socket.SOL_SOCKET, option, 12)
    return int.from_bytes(cred[4:8], sys.byteorder) == os.getuid()


def read_request(conn: socket.socket) -> bytes | None:
    """One line of at most `client.MAX_REQUEST` bytes within `READ_TIMEOUT`; None when larger.
    Raises OSError (timeout included) when the client stops sending."""
    deadline = time.monotonic() + READ_TIMEOUT
    chunks: list[bytes] = []
    size = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("request too slow")
        conn.settimeout(left)
        chunk = conn.recv(1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > client.MAX_REQUEST + 1:
            return None
        if b"\n" in chunk:
            return b"".join(chunks)


def reply(conn: socket.socket, answer: dict[str, Any]) -> None:
    answer.setdefault("version", client.version())
    data = json.dumps(answer, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
    conn.sendall(data)
