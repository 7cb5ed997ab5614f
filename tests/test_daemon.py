"""The resident daemon answers exactly as the in-process command would, and never weaker.

Each test starts a daemon in a thread on a socket in its own temporary directory and compares
`interlock.daemon.client.forward` (what the console script does first) with
`interlock.cli.main.main` run in this process with the same environment and working directory.
No sleeps: every wait is bounded.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from interlock.cli.common import INHERITED
from interlock.daemon import client
from interlock.daemon.handler import Handler
from interlock.daemon.server import Daemon, DaemonError, secure_directory

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


class Running:
    def __init__(self, path: str, daemon: Daemon, handler: Handler, thread: threading.Thread):
        self.path, self.daemon, self.handler, self.thread = path, daemon, handler, thread

    def stop(self) -> None:
        self.daemon.stop()
        self.thread.join(10)
        assert not self.thread.is_alive()


def start(directory: Path, workers: int = 8) -> Running:
    path = str(directory / "daemon.sock")
    handler = Handler()
    daemon = Daemon(path, handler, workers)
    return Running(path, daemon, handler, daemon.start())


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A clean environment and working directory, the same for both sides."""
    for name in [*INHERITED, "XDG_DATA_HOME", "XDG_RUNTIME_DIR"]:
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("INTERLOCK_")]:
        monkeypatch.delenv(name)
    data = tmp_path / "data"
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setenv("INTERLOCK_DATA_DIR", str(data))
    monkeypatch.chdir(work)
    return tmp_path


@pytest.fixture
def daemon(home):
    run = home / "run"
    running = start(run)
    yield running
    running.stop()


def in_process(argv, stdin=""):
    from interlock.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def via(running, argv, stdin=None, timeout=client.TIMEOUT):
    return client.forward(argv, stdin, os.environ, os.getcwd(), running.path, timeout)


def both(running, argv, stdin=None):
    answer = via(running, argv, stdin)
    assert answer is not None, "the daemon did not answer"
    assert answer == in_process(argv, stdin or "")
    return answer


# -- same answers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["check", "--", "ls", "-la"], 0),
        (["check", "--", "git status"], 0),
        (["check", "--mode", "gateway", "--", "kubectl apply -f x.yaml"], 3),
        (["check", "--", "terraform destroy"], 3),
        (["check", "--", "kubectl --context prod delete ns payments"], 2),
        (["check", "--json", "--", "rm -rf /"], 2),
        (["check", "--env", "prod", "--json", "--", "psql -c 'drop table users'"], 2),
    ],
)
def test_check_answers_allow_ask_and_deny_as_in_process(daemon, argv, code):
    assert both(daemon, argv)[0] == code


def _cases():
    commands = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()) or []:
            if isinstance(case, dict) and isinstance(case.get("command"), str):
                commands.append(case["command"])
    return commands[::6]


def test_every_sixth_golden_case_gets_the_same_answer_from_the_daemon(daemon):
    for n, command in enumerate(_cases()):
        argv = ["check", "--mode", ("workstation", "gateway")[n % 2]]
        argv += ["--json"] if n % 3 == 0 else []
        answer = via(daemon, [*argv, "--", command])
        assert answer == in_process([*argv, "--", command]), command


def _payload(agent, command):
    shell = {
        "claude-code": {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "cwd": "/w",
        },
        "codex": {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
        },
        "cursor": {"hook_event_name": "beforeShellExecution", "command": command, "cwd": "/w"},
        "gemini": {
            "hook_event_name": "BeforeTool",
            "tool_name": "run_shell_command",
            "tool_input": {"command": command},
        },
        "kiro": {
            "hook_event_name": "preToolUse",
            "tool_name": "shell",
            "tool_input": {"command": command},
        },
        "copilot": {"toolName": "bash", "toolArgs": json.dumps({"command": command})},
    }
    return json.dumps(shell[agent])


AGENTS = ["claude-code", "codex", "cursor", "gemini", "kiro", "copilot"]


@pytest.mark.parametrize("agent", AGENTS)
@pytest.mark.parametrize(
    "command", ["ls -la", "terraform destroy", "kubectl --context prod delete ns x", "rm -rf /"]
)
def test_hooks_answer_as_in_process(daemon, agent, command):
    both(daemon, ["hook", agent], _payload(agent, command))


@pytest.mark.parametrize(
    "stdin",
    [
        "not json",
        "[]",
        "",
        json.dumps({"tool_name": "Write", "tool_input": {"file_path": "/etc/passwd"}}),
        json.dumps({"tool_name": "mcp__github__delete_repository", "tool_input": {}}),
        json.dumps({"tool_name": "Bash", "tool_input": {}}),
    ],
)
def test_hook_failures_and_other_tools_answer_as_in_process(daemon, stdin):
    code, _out, _err = both(daemon, ["hook", "claude-code"], stdin)
    assert code in (0, 2)


def test_a_bad_hook_option_is_denied_in_the_agents_protocol_by_both(daemon):
    assert both(daemon, ["hook", "claude-code", "--bogus"], _payload("claude-code", "ls"))[0] == 2


def test_the_clients_environment_and_directory_decide_not_the_daemons(daemon, home, monkeypatch):
    (home / "work" / ".interlock").mkdir()
    (home / "work" / ".interlock" / "environments.yaml").write_text(
        "tiers:\n  prod:\n    contexts: [blue]\n"
    )
    monkeypatch.setenv("INTERLOCK_MODE", "gateway")
    monkeypatch.setenv("KUBECONFIG", "/nowhere")
    argv = ["check", "--json", "--", "kubectl --context blue delete ns x"]
    assert '"tier": "prod"' in both(daemon, argv)[1].replace('": "', '": "')
    monkeypatch.chdir(home)  # no environment map here: `blue` is not prod
    assert '"tier": "prod"' not in both(daemon, argv)[1]


# -- state that changes under a running daemon ------------------------------------------------


def test_a_kill_switch_set_after_start_stops_the_next_check(daemon):
    assert both(daemon, ["check", "--", "ls"])[0] == 0
    assert in_process(["freeze", "--all", "--reason", "drill", "--by", "user:t"])[0] == 0
    code, out, _err = both(daemon, ["check", "--", "ls"])
    assert code == 2
    assert "kill.all" in out
    # lifted through the store: importing `interlock.cli.unfreeze` here would bind the real
    # clock into it before tests/test_freeze_cli.py patches `interlock.cli.freeze.now`
    from interlock.store import open_state

    with open_state() as state:
        assert state.unfreeze("all", "", "user:t")
    assert both(daemon, ["check", "--", "ls"])[0] == 0


POLICY = """version: 1
rules:
  - id: org.no-curl
    effect: {verdict}
    match: {{family: [http]}}
    reason: curl is {verdict}
"""


def test_a_policy_file_change_is_picked_up_on_the_next_request(daemon, home):
    policy = home / "work" / ".interlock" / "policy"
    policy.mkdir(parents=True)
    (policy / "policy.yaml").write_text(POLICY.format(verdict="ask"))
    first = both(daemon, ["check", "--json", "--", "curl https://example.com"])
    (policy / "policy.yaml").write_text(POLICY.format(verdict="deny") + "# changed\n")
    second = both(daemon, ["check", "--json", "--", "curl https://example.com"])
    assert first != second
    assert daemon.handler.settings.loads >= 2


def _inventory(path, backup):
    from interlock.impact.model import Resource, build_snapshot, snapshot_to_json

    db = Resource("tf:aws_db_instance.main", "db-instance", "orders", "prod", stateful=True,
                  backup=backup, env_root=False)  # fmt: skip
    tmp = path.with_suffix(".tmp")
    tmp.write_text(snapshot_to_json(build_snapshot([db], [], "tfstate")))
    os.replace(tmp, path)  # as `inventory collect --every` does


def test_a_refreshed_inventory_is_picked_up_on_the_next_request(daemon, home, monkeypatch):
    snap = home / "work" / "inventory.json"
    _inventory(snap, "snapshot")
    monkeypatch.setenv("INTERLOCK_INVENTORY", str(snap))
    argv = ["check", "--json", "--", "terraform apply -replace=aws_db_instance.main"]
    first = json.loads(both(daemon, argv)[1])
    assert "invariant.no-unbacked-destroy" not in first["rules"]
    _inventory(snap, "none")  # the next collection finds the backups gone
    second = json.loads(both(daemon, argv)[1])
    assert second["verdict"] == "deny" and "invariant.no-unbacked-destroy" in second["rules"]
    assert first["impact"]["digest"] != second["impact"]["digest"]


def test_settings_are_loaded_once_while_nothing_changes(daemon):
    for _ in range(5):
        both(daemon, ["check", "--", "ls"])
    assert daemon.handler.settings.loads == 1


# -- failures fall back, never allow -----------------------------------------------------------


def test_no_socket_means_no_answer(home):
    assert (
        client.forward(["check", "--", "rm -rf /"], None, os.environ, "/", str(home / "x")) is None
    )


def test_a_dead_socket_means_no_answer(home):
    path = str(home / "dead.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()  # the file stays; nothing listens
    assert client.forward(["check", "--", "ls"], None, os.environ, "/", path) is None


@pytest.mark.parametrize(
    "garbage",
    [
        b"nonsense\n",
        b'{"exit": 0}\n',
        b'{"exit": true, "stdout": "", "stderr": "", "version": "V"}\n',
        b'{"exit": 0, "stdout": "allow\\n", "stderr": "", "version": "0.0.0-other"}\n',
        b'{"exit": 999, "stdout": "", "stderr": "", "version": "V"}\n',
        b'{"exit": 0, "stdout": "allow", "stderr": ""',  # no end of line: cut short
        b"",
    ],
)
def test_a_garbage_answer_means_no_answer(home, garbage):
    path = str(home / "fake.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def answer():
        conn, _ = server.accept()
        with conn:
            conn.recv(1 << 20)
            conn.sendall(garbage.replace(b'"V"', json.dumps(client.version()).encode()))

    t = threading.Thread(target=answer, daemon=True)
    t.start()
    try:
        assert client.forward(["check", "--", "ls"], None, os.environ, "/", path, 5.0) is None
    finally:
        t.join(5)
        server.close()


def test_a_silent_daemon_times_out_into_no_answer(home):
    path = str(home / "silent.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)
    try:
        assert client.forward(["check", "--", "ls"], None, os.environ, "/", path, 0.2) is None
    finally:
        server.close()


def test_another_version_is_not_answered(daemon):
    message = {"v": 1, "op": "run", "version": "0.0.0", "package": client.package()}
    message |= {"argv": ["check", "--", "ls"], "cwd": "/", "env": {}, "stdin": None}
    answer = client.exchange(daemon.path, message)
    assert answer["fallback"] == "version"


def test_another_installation_is_not_answered(daemon):
    message = {"v": 1, "op": "run", "version": client.version(), "package": "/elsewhere"}
    message |= {"argv": ["check", "--", "ls"], "cwd": "/", "env": {}, "stdin": None}
    assert client.exchange(daemon.path, message)["fallback"] == "version"


@pytest.mark.parametrize(
    "argv",
    [["check", "--help"], ["check", "--batch", "-"], ["check"], ["check", "--mode", "x", "ls"]],
)
def test_anything_but_a_plain_call_is_left_to_the_client(daemon, argv):
    assert via(daemon, argv) is None


def _console(argv, env, stdin=""):
    return subprocess.run(
        [str(BIN / "interlock"), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("sock", ["absent", "garbage"])
def test_the_console_script_falls_back_in_process_when_the_daemon_cannot_answer(home, sock):
    path = home / "s.sock"
    if sock == "garbage":
        path.write_text("not a socket")
    env = dict(os.environ, INTERLOCK_DAEMON_SOCKET=str(path))
    for argv in (["check", "--", "rm", "-rf", "/"], ["check", "--", "ls"]):
        got = _console(argv, env)
        assert (got.returncode, got.stdout, got.stderr) == in_process(argv)
    payload = _payload("claude-code", "rm -rf /")
    got = _console(["hook", "claude-code"], env, payload)
    assert (got.returncode, got.stdout, got.stderr) == in_process(["hook", "claude-code"], payload)


def test_the_console_script_uses_a_running_daemon(daemon):
    env = dict(os.environ, INTERLOCK_DAEMON_SOCKET=daemon.path)
    before = daemon.handler.served
    payload = _payload("cursor", "kubectl --context prod delete ns x")
    got = _console(["hook", "cursor"], env, payload)
    assert (got.returncode, got.stdout, got.stderr) == in_process(["hook", "cursor"], payload)
    got = _console(["check", "--", "ls"], env)
    assert (got.returncode, got.stdout, got.stderr) == in_process(["check", "--", "ls"])
    assert daemon.handler.served == before + 2


# -- the socket ------------------------------------------------------------------------------


def test_the_socket_is_0600_in_a_0700_directory(daemon):
    assert stat.S_IMODE(os.stat(daemon.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(daemon.path)).st_mode) == 0o700


def test_a_directory_others_can_write_to_is_refused(home):
    loose = home / "loose"
    loose.mkdir()
    loose.chmod(0o777)
    with pytest.raises(DaemonError, match="writable by others"):
        secure_directory(str(loose))
    with pytest.raises(DaemonError):
        start(loose)


def test_a_directory_of_another_user_is_refused(home, monkeypatch):
    theirs = home / "theirs"
    theirs.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(theirs).st_uid + 1)
    with pytest.raises(DaemonError, match="belongs to user id"):
        secure_directory(str(theirs))


def test_the_client_does_not_ask_a_socket_in_a_directory_others_can_write_to(daemon):
    directory = os.path.dirname(daemon.path)
    os.chmod(directory, 0o777)
    try:
        assert via(daemon, ["check", "--", "ls"]) is None
    finally:
        os.chmod(directory, 0o700)


def test_a_second_daemon_on_the_same_socket_is_refused(daemon):
    with pytest.raises(DaemonError, match="already answers"):
        Daemon(daemon.path, Handler()).bind()


def test_a_huge_request_is_refused_and_the_daemon_goes_on(daemon):
    huge = b'{"argv": ["check", "--", "' + b"x" * (client.MAX_REQUEST + 10) + b'"]}\n'
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(daemon.path)
        with contextlib.suppress(OSError):  # the daemon stops reading: that is the refusal
            s.sendall(huge)
        data = b""
        try:
            while not data.endswith(b"\n"):
                chunk = s.recv(1 << 16)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
    if data:
        assert json.loads(data).get("refused") == "request.too_large", data[:300]
    # the client never sends one: it decides in-process instead
    assert via(daemon, ["check", "--", "x" * (client.MAX_REQUEST + 1)]) is None
    assert both(daemon, ["check", "--", "ls"])[0] == 0


def test_twenty_clients_at_once_get_their_own_answers(daemon):
    commands = [f"kubectl --context {c} delete ns n{i}" for i, c in enumerate(["dev", "prod"] * 10)]
    expected = {c: in_process(["check", "--json", "--", c]) for c in commands}
    with ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(lambda c: via(daemon, ["check", "--json", "--", c], timeout=10.0), commands)
        )
    assert answers == [expected[c] for c in commands]


def test_stop_removes_the_socket(home):
    running = start(home / "run2")
    assert os.path.exists(running.path)
    running.stop()
    assert not os.path.exists(running.path)


# -- the client stays small --------------------------------------------------------------------


def test_the_client_imports_only_what_it_names():
    code = (
        "import sys; before = set(sys.modules)\n"
        "import interlock.cli.main, interlock.daemon.client\n"
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    allowed = {"interlock", "interlock.cli", "interlock.cli.main", "interlock.daemon"}
    allowed |= {"interlock.daemon.client", "_socket", "json", "_json", "__future__"}
    allowed |= {"json.decoder", "json.scanner", "json.encoder", "re", "re._casefix"}
    allowed |= {"re._compiler", "re._constants", "re._parser", "enum", "functools", "copyreg"}
    allowed |= {"keyword", "operator", "reprlib", "collections", "itertools", "types"}
    allowed |= {"_sre", "_operator", "_functools", "_collections"}
    assert not set(out) - allowed, sorted(set(out) - allowed)
    assert "typing" not in out
    assert "socket" not in out


def test_the_client_lists_agree_with_the_engine():
    from interlock.adapters.hooks.base import MAX_PAYLOAD
    from interlock.store import data_dir

    assert client.INHERITED == INHERITED
    assert client.MAX_STDIN == MAX_PAYLOAD + 1
    for env in ({}, {"XDG_DATA_HOME": "/x"}, {"INTERLOCK_DATA_DIR": "/y", "XDG_DATA_HOME": "/x"}):
        assert client.data_dir(env) == data_dir(env)


def test_the_client_sends_only_what_a_decision_reads():
    env = {"AWS_PROFILE": "p", "AWS_SECRET_ACCESS_KEY": "s", "INTERLOCK_MODE": "gateway"}
    env |= {"HOME": "/h", "GITHUB_TOKEN": "t"}
    assert client.request_env(env) == {
        "AWS_PROFILE": "p",
        "INTERLOCK_MODE": "gateway",
        "HOME": "/h",
    }
