"""Issue 3 acceptance: every attempt to weaken the invariants through configuration still ends
in deny, with the invariant id in the answer (or the configuration is refused)."""

from __future__ import annotations

import io
import json

import pytest

from interlock.cli.main import main

TEARDOWN = "kubectl --context prod-eu delete ns payments"
ALLOW_ALL = """
version: 1
rules:
  - id: ops.allow-everything
    effect: allow
    match: {effect: [read, write, destroy, unknown]}
"""
GRANT_EVERYTHING = """
version: 1
grant_templates:
  everything: "*"
agents:
  - id: agent:fixer
    launched_by: user:root-admin
    template: everything
"""


def run(argv, env=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(""), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERLOCK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def _policy(tmp_path, text):
    d = tmp_path / "policy"
    d.mkdir(exist_ok=True)
    (d / "policy.yaml").write_text(text)
    return str(d)


def test_an_org_rule_that_allows_everything_is_refused_naming_the_invariant(tmp_path):
    code, _, err = run(["check", "--policy", _policy(tmp_path, ALLOW_ALL), "--", TEARDOWN])
    assert code == 1
    assert (
        "policy.invariant_override" in err and "ops.allow-everything" in err and "invariant." in err
    )


@pytest.mark.parametrize("mode", ["workstation", "gateway"])
def test_an_agent_granted_everything_by_an_admin_is_still_denied(tmp_path, mode):
    policy = _policy(tmp_path, GRANT_EVERYTHING)
    code, out, _ = run(
        [
            "check",
            "--json",
            "--mode",
            mode,
            "--policy",
            policy,
            "--agent",
            "agent:fixer",
            "--",
            TEARDOWN,
        ]
    )
    obj = json.loads(out)
    assert code == 2 and obj["verdict"] == "deny" and obj["layer"] == "invariants"
    assert "invariant.no-env-teardown" in obj["rules"]


@pytest.mark.parametrize(
    "var",
    [
        "INTERLOCK_DISABLE",
        "INTERLOCK_INVARIANTS",
        "INTERLOCK_SKIP",
        "INTERLOCK_BYPASS",
        "INTERLOCK_OFF",
    ],
)
def test_environment_variables_cannot_disable_the_guard(monkeypatch, var):
    monkeypatch.setenv(var, "1")
    code, out, _ = run(["check", "--json", "--", TEARDOWN])
    assert code == 2 and "invariant.no-env-teardown" in json.loads(out)["rules"]


def test_a_mode_that_does_not_exist_is_refused(monkeypatch):
    monkeypatch.setenv("INTERLOCK_MODE", "off")
    code, _, err = run(["check", "--", TEARDOWN])
    assert code == 1 and err.startswith("deny")


@pytest.mark.parametrize("flag", ["--no-invariants", "--disable-invariants", "--force", "--unsafe"])
def test_flags_cannot_disable_the_guard(flag):
    code, _, err = run(["check", flag, "--", TEARDOWN])
    assert code == 1 and err.startswith("deny")


@pytest.mark.parametrize(
    "command",
    [
        "export INTERLOCK_MODE=off; kubectl delete ns payments",
        "echo '{}' > .claude/settings.json",
        "rm -rf .interlock/policy",
        "pkill -f interlock",
        "pip uninstall -y interlock",
        "sed -i 's/interlock/true/' .claude/settings.json",
    ],
)
def test_an_agent_cannot_switch_interlock_off(command):
    _, out, _ = run(["check", "--json", "--", command])
    obj = json.loads(out)
    assert obj["verdict"] == "deny", obj
    assert "invariant.self-protection" in obj["rules"]


def test_a_policy_key_that_disables_an_invariant_is_refused(tmp_path):
    text = "version: 1\ninvariants:\n  disable: [invariant.no-env-teardown]\n"
    code, _, err = run(["check", "--policy", _policy(tmp_path, text), "--", "ls"])
    assert code == 1 and "policy.invariant_override" in err


def test_an_unapproved_org_invariant_file_is_refused(tmp_path):
    policy = _policy(tmp_path, "version: 1\n")
    (tmp_path / "policy" / "invariants.yaml").write_text("invariants: []\n")
    (tmp_path / "policy" / "invariants.approved").write_text("0" * 64 + "\n")
    code, _, err = run(["check", "--policy", policy, "--", "ls"])
    assert code == 1 and "policy.invariants_unapproved" in err


def test_a_frozen_agent_is_denied_on_the_next_check_and_the_reason_says_so():
    code, _, _ = run(["freeze", "--agent", "agent:fixer", "--reason", "incident 42"])
    assert code == 0
    code, out, _ = run(["check", "--json", "--agent", "agent:fixer", "--", "ls"])
    obj = json.loads(out)
    assert code == 2 and obj["rules"][0] == "kill.agent" and "incident 42" in obj["reason"]
    code, out, _ = run(["check", "--json", "--agent", "agent:other", "--", "ls"])
    assert json.loads(out)["verdict"] == "allow"
