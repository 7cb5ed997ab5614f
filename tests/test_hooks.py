"""`interlock hook AGENT`: each agent's own protocol in and out, failing closed.

Every test goes through `main(argv, stdin, stdout, stderr)` and reads the answer the way the
agent would (`what_the_agent_does`), so a deny that the agent would not honour fails the test.
"""

from __future__ import annotations

import io
import json
import threading

import pytest

from interlock.cli.main import main


def run(agent, payload, *options):
    stdin = payload if isinstance(payload, str) else json.dumps(payload)
    out, err = io.StringIO(), io.StringIO()
    code = main(["hook", agent, *options], io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


# -- how each agent reads an answer (see the module docstrings for the sources) -----------


def _claude(code, out, err):
    if code == 2:
        assert err.strip(), "exit 2 needs the reason on stderr"
        return "deny", err
    assert code == 0
    if out == "":
        return "allow", ""  # no decision: Claude Code's own permission rules apply
    hso = json.loads(out)["hookSpecificOutput"]
    assert hso["hookEventName"] == "PreToolUse"
    assert hso["permissionDecision"] != "allow", (
        "an explicit allow would skip the user's own prompts"
    )
    return hso["permissionDecision"], hso["permissionDecisionReason"]


def _codex(code, out, err):
    if code == 2:
        assert err.strip(), "Codex ignores exit 2 without a reason on stderr"
        hso = json.loads(out)["hookSpecificOutput"]
        assert set(hso) == {"hookEventName", "permissionDecision", "permissionDecisionReason"}
        return "deny", err
    assert code == 0 and out == "", "Codex fails open on allow/ask JSON"
    return "allow", ""


def _cursor(code, out, err):
    assert code == 0
    obj = json.loads(out)
    assert obj["agent_message"] == obj["agentMessage"]
    return obj["permission"], obj["agent_message"]


def _gemini(code, out, err):
    if code == 2:
        assert err.strip()
        assert json.loads(out)["decision"] == "deny"
        return "deny", err
    assert code == 0
    obj = json.loads(out)
    return obj["decision"], obj["reason"]


def _kiro(code, out, err):
    if code == 2:
        assert err.strip()
        return "deny", err
    assert code == 0
    return "allow", ""


def _copilot(code, out, err):
    assert code == 0, "Copilot skips a hook that exits non-zero"
    obj = json.loads(out)
    return obj["permissionDecision"], obj["permissionDecisionReason"]


def _shell(agent, command):
    return {
        "claude-code": {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "cwd": "/work/repo",
        },
        "codex": {
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": command},
            "cwd": "/work/repo",
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
    }[agent]


AGENTS = {
    # agent: (reader, what an `ask` becomes, a read-only non-shell tool call, a payload missing a field)
    "claude-code": (
        _claude,
        "ask",
        {"tool_name": "mcp__github__list_issues", "tool_input": {"repo": "x"}},
        {"hook_event_name": "PreToolUse", "tool_name": "Bash", "tool_input": {}},
    ),
    "codex": (
        _codex,
        "deny",
        {
            "hook_event_name": "PreToolUse",
            "tool_name": "mcp__github__list_issues",
            "tool_input": {},
        },
        {"hook_event_name": "PreToolUse", "tool_name": "Bash"},
    ),
    "cursor": (
        _cursor,
        "ask",
        {"hook_event_name": "beforeMCPExecution", "tool_name": "list_issues", "tool_input": "{}"},
        {"hook_event_name": "beforeShellExecution", "cwd": "/w"},
    ),
    "gemini": (
        _gemini,
        "deny",
        {
            "hook_event_name": "BeforeTool",
            "tool_name": "read_file",
            "tool_input": {"file_path": "a"},
        },
        {"hook_event_name": "BeforeTool", "tool_name": "run_shell_command"},
    ),
    "kiro": (
        _kiro,
        "deny",
        {"hook_event_name": "preToolUse", "tool_name": "read", "tool_input": {"path": "a"}},
        {"hook_event_name": "preToolUse", "tool_name": "shell", "tool_input": {}},
    ),
    "copilot": (
        _copilot,
        "deny",
        {"toolName": "view", "toolArgs": {"path": "README.md"}},
        {"toolName": "bash", "toolArgs": "{}"},
    ),
}
NAMES = list(AGENTS)


def what_the_agent_does(agent, result):
    return AGENTS[agent][0](*result)


@pytest.mark.parametrize("agent", NAMES)
def test_a_read_only_command_is_allowed(agent):
    verdict, _ = what_the_agent_does(agent, run(agent, _shell(agent, "ls -la src")))
    assert verdict == "allow"


@pytest.mark.parametrize("agent", NAMES)
def test_a_destructive_plan_asks_or_is_denied_with_a_human_in_the_reason(agent):
    verdict, reason = what_the_agent_does(agent, run(agent, _shell(agent, "terraform destroy")))
    assert verdict == AGENTS[agent][1]
    assert "terraform.destroy" in reason
    assert "human" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_deleting_the_root_is_denied_with_an_actionable_reason(agent):
    verdict, reason = what_the_agent_does(agent, run(agent, _shell(agent, "rm -rf /")))
    assert verdict == "deny"
    assert "filesystem.destroy-root" in reason
    assert "non-destructive alternative" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_malformed_json_is_denied(agent):
    verdict, reason = what_the_agent_does(agent, run(agent, '{"tool_name": "Bash", '))
    assert verdict == "deny"
    assert "input.hook" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_a_json_value_that_is_not_an_object_is_denied(agent):
    verdict, _ = what_the_agent_does(agent, run(agent, "[1, 2]"))
    assert verdict == "deny"


@pytest.mark.parametrize("agent", NAMES)
def test_a_payload_missing_a_field_is_denied(agent):
    verdict, reason = what_the_agent_does(agent, run(agent, AGENTS[agent][3]))
    assert verdict == "deny"
    assert "input.hook" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_empty_stdin_is_denied(agent):
    verdict, _ = what_the_agent_does(agent, run(agent, ""))
    assert verdict == "deny"


@pytest.mark.parametrize("agent", NAMES)
def test_a_read_only_tool_that_is_not_a_shell_is_allowed(agent):
    verdict, _ = what_the_agent_does(agent, run(agent, AGENTS[agent][2]))
    assert verdict == "allow"


@pytest.mark.parametrize("agent", NAMES)
def test_an_internal_error_is_denied(agent, monkeypatch):
    def boom(call, settings):
        raise RuntimeError("bug")

    monkeypatch.setattr("interlock.service.check", boom)
    verdict, reason = what_the_agent_does(agent, run(agent, _shell(agent, "ls")))
    assert verdict == "deny"
    assert "internal.error" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_no_decision_within_the_timeout_is_denied(agent, monkeypatch):
    release = threading.Event()

    def hang(call, settings):
        release.wait(5)
        raise RuntimeError("released")

    monkeypatch.setattr("interlock.service.check", hang)
    try:
        result = run(agent, _shell(agent, "ls"), "--timeout", "0.05")
    finally:
        release.set()
    verdict, reason = what_the_agent_does(agent, result)
    assert verdict == "deny"
    assert "internal.timeout" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_a_bad_option_is_denied_in_the_agents_protocol(agent):
    verdict, reason = what_the_agent_does(agent, run(agent, _shell(agent, "ls"), "--nope"))
    assert verdict == "deny"
    assert "input.usage" in reason


@pytest.mark.parametrize("agent", NAMES)
def test_an_unknown_mode_is_denied(agent):
    result = run(agent, _shell(agent, "ls"), "--mode", "lenient")
    assert what_the_agent_does(agent, result)[0] == "deny"


@pytest.mark.parametrize("agent", NAMES)
def test_gateway_mode_from_the_environment_asks_for_a_write(agent, monkeypatch):
    monkeypatch.setenv("INTERLOCK_MODE", "gateway")
    verdict, _ = what_the_agent_does(agent, run(agent, _shell(agent, "kubectl apply -f app.yaml")))
    assert verdict == AGENTS[agent][1]


# -- tools that are not shell commands -----------------------------------------------------


def test_claude_code_may_not_rewrite_its_own_settings():
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": "/work/repo/.claude/settings.json", "content": "{}"},
        "cwd": "/work/repo",
    }
    verdict, reason = _claude(*run("claude-code", payload))
    assert verdict == "deny"
    assert "invariant.self-protection" in reason and ".claude/settings.json" in reason


def test_claude_code_asks_before_editing_a_git_hook():
    payload = {
        "tool_name": "Edit",
        "tool_input": {"file_path": "/work/repo/.git/hooks/pre-commit"},
        "cwd": "/work/repo",
    }
    assert _claude(*run("claude-code", payload))[0] == "ask"


def test_claude_code_denies_editing_the_password_file():
    payload = {"tool_name": "MultiEdit", "tool_input": {"file_path": "/etc/passwd", "edits": []}}
    verdict, reason = _claude(*run("claude-code", payload))
    assert verdict == "deny"
    assert "filesystem.modify-critical-file" in reason


def test_claude_code_allows_writing_a_source_file_in_the_project():
    payload = {
        "tool_name": "Write",
        "tool_input": {"file_path": "/work/repo/src/app.py", "content": "x = 1\n"},
        "cwd": "/work/repo",
    }
    assert _claude(*run("claude-code", payload))[0] == "allow"


def test_claude_code_denies_a_write_that_names_no_file():
    payload = {"tool_name": "Write", "tool_input": {"content": "x"}}
    assert _claude(*run("claude-code", payload))[0] == "deny"


def test_a_shell_redirect_into_agent_settings_is_denied_too():
    payload = _shell("claude-code", "echo '{}' > .claude/settings.json")
    verdict, reason = _claude(*run("claude-code", payload))
    assert verdict == "deny" and "invariant.self-protection" in reason


@pytest.mark.parametrize(
    ("agent", "payload", "verdict"),
    [
        ("claude-code", {"tool_name": "mcp__github__delete_repository", "tool_input": {}}, "ask"),
        ("codex", {"tool_name": "mcp__github__delete_repository", "tool_input": {}}, "deny"),
        (
            "cursor",
            {"hook_event_name": "beforeMCPExecution", "tool_name": "drop_table", "tool_input": {}},
            "ask",
        ),
        ("gemini", {"tool_name": "mcp__db__purge_cache", "tool_input": {}}, "deny"),
        ("kiro", {"tool_name": "@git/force_delete_branch", "tool_input": {}}, "deny"),
        ("copilot", {"toolName": "github-delete_file", "toolArgs": "{}"}, "deny"),
    ],
)
def test_a_tool_named_for_destruction_needs_a_human(agent, payload, verdict):
    got, reason = what_the_agent_does(agent, run(agent, payload))
    assert got == verdict
    assert "hooks.tool-destroy" in reason


def test_an_mcp_tool_with_sql_is_checked_as_sql():
    payload = {"tool_name": "mcp__pg__query", "tool_input": {"sql": "DROP TABLE users"}}
    assert _claude(*run("claude-code", payload))[0] != "allow"


def test_codex_checks_the_files_an_apply_patch_deletes():
    patch = "*** Begin Patch\n*** Delete File: /etc/hosts\n*** End Patch\n"
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "apply_patch",
        "tool_input": {"command": patch},
    }
    verdict, reason = _codex(*run("codex", payload))
    assert verdict == "deny"
    assert "/etc/hosts" in reason


def test_codex_allows_a_patch_to_a_project_file():
    patch = "*** Begin Patch\n*** Update File: src/app.py\n@@\n-a\n+b\n*** End Patch\n"
    payload = {"tool_name": "apply_patch", "tool_input": {"command": patch}, "cwd": "/w"}
    assert _codex(*run("codex", payload))[0] == "allow"


def test_kiro_checks_an_aws_call_as_the_aws_command_it_amounts_to():
    payload = {
        "hook_event_name": "preToolUse",
        "tool_name": "use_aws",
        "tool_input": {
            "service_name": "s3api",
            "operation_name": "delete_bucket",
            "parameters": {"bucket": "prod-data"},
            "region": "us-east-1",
        },
    }
    verdict, reason = _kiro(*run("kiro", payload))
    assert verdict == "deny"
    assert "prod-data" in reason


def test_kiro_write_is_a_file_change_not_a_shell_command():
    payload = {"tool_name": "fs_write", "tool_input": {"command": "create", "path": "/etc/sudoers"}}
    assert _kiro(*run("kiro", payload))[0] == "deny"


def test_copilot_accepts_vscode_style_payloads():
    payload = {
        "hook_event_name": "PreToolUse",
        "tool_name": "bash",
        "tool_input": {"command": "rm -rf /"},
    }
    assert _copilot(*run("copilot", payload))[0] == "deny"


def test_copilot_denies_tool_args_that_are_not_json():
    assert _copilot(*run("copilot", {"toolName": "bash", "toolArgs": "{oops"}))[0] == "deny"


def test_a_hook_registered_on_the_wrong_event_is_denied():
    payload = {
        "hook_event_name": "PostToolUse",
        "tool_name": "Bash",
        "tool_input": {"command": "ls"},
    }
    assert _claude(*run("claude-code", payload))[0] == "deny"


# -- the command itself ------------------------------------------------------------------


def test_an_unknown_agent_exits_2_with_the_reason_on_stderr():
    code, out, err = run("vim", "{}")
    assert code == 2 and out == ""
    assert "unknown agent `vim`" in err


def test_hook_without_an_agent_prints_usage_and_exits_2():
    out, err = io.StringIO(), io.StringIO()
    assert main(["hook"], io.StringIO(""), out, err) == 2
    assert "claude-code" in err.getvalue()


def test_hook_help_lists_every_agent():
    out, err = io.StringIO(), io.StringIO()
    assert main(["hook", "--help"], io.StringIO(""), out, err) == 0
    for agent in NAMES:
        assert agent in out.getvalue()


def test_hook_is_listed_in_the_top_level_help():
    out = io.StringIO()
    main(["--help"], io.StringIO(""), out, io.StringIO())
    assert "hook" in out.getvalue()


def test_an_interrupt_inside_the_check_is_denied(monkeypatch):
    def interrupt(call, settings):
        raise KeyboardInterrupt

    monkeypatch.setattr("interlock.service.check", interrupt)
    verdict, reason = _claude(*run("claude-code", _shell("claude-code", "ls")))
    assert verdict == "deny"
    assert "internal.interrupted" in reason


def test_a_broken_agent_module_still_exits_2(monkeypatch):
    from interlock.adapters.hooks import AGENTS as MODULES

    monkeypatch.setitem(MODULES, "claude-code", "interlock.adapters.hooks.missing")
    code, _, err = run("claude-code", _shell("claude-code", "ls"))
    assert code == 2
    assert err.startswith("deny")


def test_an_answer_that_cannot_be_written_in_the_protocol_still_exits_2(monkeypatch):
    def broken(outcome):
        raise ValueError("bug")

    monkeypatch.setattr("interlock.adapters.hooks.kiro.answer", broken)
    code, _, err = run("kiro", _shell("kiro", "ls"))
    assert code == 2 and "blocked" in err


def test_the_hook_takes_the_same_settings_as_check():
    payload = _shell("claude-code", "kubectl apply -f app.yaml")
    assert _claude(*run("claude-code", payload))[0] == "allow"
    assert _claude(*run("claude-code", payload, "--env", "prod"))[0] == "ask"
