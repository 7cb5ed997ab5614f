"""What the daemon does with one request: the same decision `interlock check` and
`interlock hook AGENT` would make in the client's own process, with the client's environment
and working directory passed explicitly (never `os.environ` or `os.chdir`: they are
process-wide and requests run concurrently).

Only the plain paths are answered here: one `check` command line, one hook call. Everything
else (help, usage errors, `--batch`, settings that fail to load) answers `fallback` and the
client runs the command in-process, where the usual messages come from. `check` and the hook
path mirror `interlock.cli.check.main` and `interlock.adapters.hooks.base.decide`; tests in
tests/test_daemon.py run both on the same inputs and require identical answers.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import threading
import time
from collections import OrderedDict
from typing import Any

from interlock.daemon import client

BUSY = 1.5  # seconds a request waits for the evaluator before the client decides in-process
MAX_AGE = 5.0  # seconds a cached settings object is trusted without re-reading it at all
CACHE_LIMIT = 32
Answer = dict[str, Any]


class Fallback(Exception):
    """This request is better answered in the client's own process."""


def fallback(reason: str) -> Answer:
    return {"fallback": reason, "version": client.version()}


class Handler:
    """Answers `run` requests. One evaluation at a time: the parser and the rule indexes are
    shared, and the interpreter's lock serialises the work anyway."""

    def __init__(self) -> None:
        self.version = client.version()
        self.package = client.package()
        self.home = os.environ.get("HOME")
        self.settings = SettingsCache()
        self._lock = threading.Lock()
        self.served = 0

    def __call__(self, request: dict[str, Any]) -> Answer:
        problem = self.refusal(request)
        if problem:
            return fallback(problem)
        if not self._lock.acquire(timeout=BUSY):
            return fallback("busy")
        try:
            answer = self.dispatch(
                request["argv"], request["env"], request["cwd"], request["stdin"]
            )
        except Exception as exc:  # the client runs it in-process, where the error shows
            answer = fallback(f"internal error ({type(exc).__name__})")
        finally:
            self._lock.release()
        self.served += 1
        return answer

    def refusal(self, r: dict[str, Any]) -> str | None:
        """Why this request is not answered here, or None."""
        if r.get("v") != client.PROTOCOL:
            return "protocol"
        if r.get("version") != self.version or r.get("package") != self.package:
            return "version"  # another installation of Interlock: its own rules, its own code
        argv, env, cwd, stdin = r.get("argv"), r.get("env"), r.get("cwd"), r.get("stdin")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            return "argv"
        if not isinstance(env, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()
        ):
            return "env"
        if not isinstance(cwd, str) or not os.path.isabs(cwd):
            return "cwd"
        if stdin is not None and not isinstance(stdin, str):
            return "stdin"
        if env.get("HOME") != self.home:
            return "home"  # `~` in settings paths would mean another directory
        return None

    def dispatch(self, argv: list[str], env: dict[str, str], cwd: str, stdin: str | None) -> Answer:
        if argv[0] == "check":
            return self.check(argv[1:], env, cwd)
        if argv[0] == "hook" and stdin is not None:
            return self.hook(argv[1:], stdin, env, cwd)
        return fallback("command")

    def check(self, argv: list[str], env: dict[str, str], cwd: str) -> Answer:
        """`interlock.cli.check.main` for one command line."""
        from interlock.cli import check as cli
        from interlock.cli.common import agent_id, default_mode, parse_known
        from interlock.model import InterlockError, Tier
        from interlock.service import CheckCall, check

        ns = parse_known(argv, cli.OPTIONS)
        if ns is None or ns.batch or not ns.command:
            return fallback("usage")
        try:
            mode = default_mode(ns, env)
            agent = agent_id(ns, env)
            settings = self.settings.get(ns, env, cwd)
        except InterlockError:
            return fallback("settings")
        call = CheckCall(
            command=cli.join_command(ns.command),
            mode=mode,
            env=Tier(ns.env) if ns.env else None,
            agent=agent,
        )
        decision = check(call, settings)
        if ns.json:
            out = json.dumps(cli.decision_json(decision), ensure_ascii=False) + "\n"
        else:
            out = cli.decision_line(decision) + "\n"
        return self.answer(decision.exit_code, out, "")

    def hook(self, argv: list[str], stdin: str, env: dict[str, str], cwd: str) -> Answer:
        """`interlock.cli.hook.serve` for one tool call; the time limit is applied to the result
        (a slower daemon makes the client decide in-process long before it matters)."""
        import importlib

        from interlock.adapters.hooks import AGENTS
        from interlock.adapters.hooks.base import failure
        from interlock.cli import hook as cli

        target = AGENTS.get(argv[0]) if argv else None
        if target is None or any(a in ("-h", "--help") for a in argv[1:]):
            return fallback("usage")
        agent = importlib.import_module(target)
        try:
            opts = cli.options(argv[1:])
            started = time.monotonic()
            outcome = self.decide(agent.parse(cli.read(io.StringIO(stdin))), opts, env, cwd)
            if time.monotonic() - started > opts.timeout:
                outcome = failure("internal.timeout", f"no decision within {opts.timeout:g} s")
        except Fallback as exc:
            return fallback(str(exc))
        except BaseException as exc:  # INVARIANT: nothing escapes without a deny answer
            outcome = cli._failed(exc)
        out, err = io.StringIO(), io.StringIO()
        code = cli.emit(agent, outcome, out, err)
        return self.answer(code, out.getvalue(), err.getvalue())

    def decide(self, call: Any, opts: Any, env: dict[str, str], cwd: str) -> Any:
        """`interlock.adapters.hooks.base.decide` with the client's environment and the
        daemon's cached settings."""
        from interlock.adapters.hooks.base import decide
        from interlock.model import InterlockError

        def load(ns: Any) -> Any:
            try:
                return self.settings.get(ns, env, cwd)
            except InterlockError:
                raise Fallback("settings") from None  # in-process names the problem its own way

        return decide(call, opts, env, load)

    def answer(self, code: int, out: str, err: str) -> Answer:
        return {"version": self.version, "exit": code, "stdout": out, "stderr": err}


class SettingsCache:
    """`settings_from(ns, env, cwd)`, loaded once per distinct (options, environment, working
    directory) and loaded again when a file it read changes (mtime, size, inode of the rule
    pack, policy and environment-map files and directories) or after `MAX_AGE` seconds.
    Kill switches are not cached: the settings read them on every check."""

    def __init__(self, limit: int = CACHE_LIMIT) -> None:
        self._entries: OrderedDict[Any, tuple[Any, float, Any]] = OrderedDict()
        self._limit = limit
        self.loads = 0

    def get(self, ns: Any, env: dict[str, str], cwd: str) -> Any:
        from interlock.cli.common import settings_from

        key = (ns.envmap, tuple(ns.rules), getattr(ns, "policy", None), cwd, _frozen(env))
        prints = fingerprint(watched(ns, env, cwd))
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] == prints and now - hit[1] < MAX_AGE:
            self._entries.move_to_end(key)
            return hit[2]
        settings = settings_from(ns, env, cwd)
        self.loads += 1
        self._entries[key] = (prints, now, settings)
        self._entries.move_to_end(key)
        while len(self._entries) > self._limit:
            self._entries.popitem(last=False)
        return settings


def _frozen(env: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(env.items()))


def watched(ns: Any, env: dict[str, str], cwd: str) -> list[str]:
    """The files and directories `settings_from` reads for these options (every entry of the
    rule and policy directories, so a new file counts as a change)."""
    from interlock.cli.common import ENVMAP_PATHS, POLICY_DIR
    from interlock.policy.packs import PACK_DIR

    envmap = ns.envmap or env.get("INTERLOCK_ENVMAP")
    paths = (
        [os.path.join(cwd, envmap)]
        if envmap
        else [
            os.path.join(cwd, ENVMAP_PATHS[0]),
            os.path.expanduser(ENVMAP_PATHS[1]),
        ]
    )
    inventory = getattr(ns, "inventory", None) or env.get("INTERLOCK_INVENTORY")
    if inventory:  # a refreshed snapshot replaces the file: a new inode, a new fingerprint
        paths.append(os.path.join(cwd, inventory))
    policy = getattr(ns, "policy", None) or env.get("INTERLOCK_POLICY") or POLICY_DIR
    for directory in (
        PACK_DIR,
        *(os.path.join(cwd, d) for d in ns.rules),
        os.path.join(cwd, policy),
    ):
        paths.append(directory)
        with contextlib.suppress(OSError):
            paths.extend(os.path.join(directory, n) for n in sorted(os.listdir(directory)))
    return paths


def fingerprint(paths: list[str]) -> tuple[Any, ...]:
    out: list[Any] = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append(None)
            continue
        out.append((st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
    return tuple(out)
