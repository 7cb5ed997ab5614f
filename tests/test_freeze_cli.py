"""`interlock freeze` and `interlock unfreeze`, through `main(argv, stdin, stdout, stderr)`."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from interlock.cli.main import main
from interlock.model import KillSwitch
from interlock.store import read_kill_switches
from interlock.store.state import MIRROR, UNREADABLE

NOW = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERLOCK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INTERLOCK_MODE", raising=False)
    monkeypatch.setenv("USER", "alice")
    monkeypatch.setattr("interlock.cli.freeze.now", lambda: NOW)
    return tmp_path


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), io.StringIO(), out, err)
    return code, out.getvalue(), err.getvalue()


def listed(data):
    code, out, _ = run("freeze", "--list", "--json")
    assert code == 0
    return json.loads(out)


# freeze


def test_freezing_an_agent_prints_what_is_frozen_and_reaches_the_next_check(data):
    code, out, _ = run("freeze", "--agent", "agent:deploy-bot", "--reason", "runaway deletes")
    assert code == 0
    assert out == (
        "agent `agent:deploy-bot` is frozen by user:alice: runaway deletes"
        " (since 2026-03-06T15:30:00.000000Z)\n"
    )
    switch = KillSwitch(
        "agent", "agent:deploy-bot", "runaway deletes", "user:alice", "2026-03-06T15:30:00.000000Z"
    )
    assert read_kill_switches(str(data)) == (switch,)


def test_freezing_every_agent_names_who_did_it(data):
    code, out, _ = run("freeze", "--all", "--by", "user:oncall")
    assert code == 0
    assert out.startswith("every agent is frozen by user:oncall")
    assert read_kill_switches(str(data))[0].scope == "all"


def test_freezing_an_environment_stops_agents_against_that_tier(data):
    code, out, _ = run("freeze", "--env", "prod")
    assert code == 0
    assert out.startswith("every agent against prod is frozen")
    (switch,) = read_kill_switches(str(data))
    assert switch.stops(None, frozenset({"prod"})) and not switch.stops(None, frozenset({"dev"}))


def test_freezing_twice_is_idempotent_and_keeps_the_first_reason(data):
    run("freeze", "--agent", "agent:x", "--reason", "first")
    code, out, _ = run("freeze", "--agent", "agent:x", "--reason", "second")
    assert code == 0
    assert out.startswith("already frozen; agent `agent:x` is frozen by user:alice: first")
    assert [s["reason"] for s in listed(data)["kill_switches"]] == ["first"]


@pytest.mark.parametrize(
    "argv",
    [
        ["freeze"],
        ["freeze", "--agent", "a", "--all"],
        ["freeze", "--all", "--env", "prod"],
        ["freeze", "--env", "production"],
        ["freeze", "--agent", "  "],
        ["freeze", "--all", "--json"],
        ["freeze", "--list", "--reason", "x"],
        ["freeze", "--agent"],
        ["unfreeze"],
        ["unfreeze", "--env", "prd"],
        ["unfreeze", "--all", "--mode", "laptop"],
    ],
)
def test_bad_usage_exits_1_with_a_deny_usage_line(argv, data):
    code, out, err = run(*argv)
    assert code == 1
    assert out == ""
    assert err.startswith("deny  usage: ")
    assert not (data / MIRROR).exists()


def test_an_unknown_tier_is_named_in_backticks(data):
    _code, _out, err = run("freeze", "--env", "prd")
    assert "unknown tier `prd`" in err


# freeze --list


def test_listing_with_nothing_frozen_says_so(data):
    assert run("freeze", "--list") == (0, "nothing is frozen\n", "")


def test_listing_shows_every_switch_and_pending_request(data):
    run("freeze", "--all", "--reason", "incident 42")
    run("unfreeze", "--all", "--mode", "gateway", "--by", "user:bob")
    code, out, _ = run("freeze", "--list")
    assert code == 0
    assert out.splitlines() == [
        "every agent is frozen by user:alice: incident 42 (since 2026-03-06T15:30:00.000000Z)",
        "pending unfreeze #1: every agent, requested by user:bob at 2026-03-06T15:30:00.000000Z",
    ]


def test_listing_as_json_gives_switches_and_pending_requests(data):
    run("freeze", "--env", "prod")
    assert listed(data) == {
        "kill_switches": [
            {
                "scope": "env",
                "value": "prod",
                "reason": "",
                "set_by": "user:alice",
                "at": "2026-03-06T15:30:00.000000Z",
            }
        ],
        "pending_unfreeze": [],
    }


def test_listing_warns_when_checks_see_something_else(data):
    run("freeze", "--agent", "agent:x")
    (data / MIRROR).write_text("garbage")
    code, _out, err = run("freeze", "--list")
    assert code == 0
    assert "warning: checks see `every agent is frozen: kill-switch state unreadable`" in err


# unfreeze


def test_unfreezing_on_a_workstation_lifts_the_switch(data):
    run("freeze", "--agent", "agent:x")
    code, out, _ = run("unfreeze", "--agent", "agent:x")
    assert (code, out) == (0, "unfrozen: agent `agent:x`\n")
    assert read_kill_switches(str(data)) == ()


def test_unfreezing_one_switch_reports_what_is_still_frozen(data):
    run("freeze", "--agent", "agent:x")
    run("freeze", "--env", "prod")
    _code, out, _ = run("unfreeze", "--agent", "agent:x")
    assert out.splitlines()[1] == "still frozen: every agent against prod is frozen by user:alice"


def test_unfreezing_what_is_not_frozen_exits_0_and_says_so(data):
    assert run("unfreeze", "--env", "staging") == (
        0,
        "not frozen: every agent against staging\n",
        "",
    )


def test_unfreezing_in_gateway_mode_asks_and_keeps_the_switch(data):
    run("freeze", "--all")
    code, out, _ = run("unfreeze", "--all", "--mode", "gateway", "--by", "user:bob")
    assert code == 3
    assert out.startswith("ask   kill.unfreeze: unfreezing every agent needs approval")
    assert "request #1 by user:bob" in out
    assert [s.scope for s in read_kill_switches(str(data))] == ["all"]
    assert listed(data)["pending_unfreeze"][0]["requested_by"] == "user:bob"


def test_interlock_mode_gateway_in_the_environment_makes_unfreezing_ask(data, monkeypatch):
    run("freeze", "--agent", "agent:x")
    monkeypatch.setenv("INTERLOCK_MODE", "gateway")
    code, out, _ = run("unfreeze", "--agent", "agent:x")
    assert code == 3 and "kill.unfreeze" in out
    assert len(read_kill_switches(str(data))) == 1


def test_asking_twice_in_gateway_mode_keeps_one_pending_request(data):
    run("freeze", "--env", "prod")
    run("unfreeze", "--env", "prod", "--mode", "gateway")
    code, out, _ = run("unfreeze", "--env", "prod", "--mode", "gateway")
    assert code == 3 and "request #1" in out
    assert len(listed(data)["pending_unfreeze"]) == 1


def test_gateway_unfreeze_of_what_is_not_frozen_needs_no_approval(data):
    code, out, _ = run("unfreeze", "--all", "--mode", "gateway")
    assert (code, out) == (0, "not frozen: every agent\n")
    assert listed(data)["pending_unfreeze"] == []


def test_a_workstation_unfreeze_clears_the_pending_request(data):
    run("freeze", "--all")
    run("unfreeze", "--all", "--mode", "gateway")
    run("unfreeze", "--all", "--mode", "workstation")
    assert listed(data) == {"kill_switches": [], "pending_unfreeze": []}


def test_a_workstation_unfreeze_repairs_a_corrupt_mirror(data):
    (data / MIRROR).write_text("garbage")
    assert read_kill_switches(str(data)) == (UNREADABLE,)
    run("unfreeze", "--all")
    assert read_kill_switches(str(data)) == ()


# failures of the store


def test_a_data_directory_that_cannot_be_created_is_a_deny_line(data, monkeypatch):
    blocker = data / "file"
    blocker.write_text("")
    monkeypatch.setenv("INTERLOCK_DATA_DIR", str(blocker / "sub"))
    code, out, err = run("freeze", "--all")
    assert (code, out) == (1, "")
    assert err.startswith("deny  internal.store: cannot use the state in `")
