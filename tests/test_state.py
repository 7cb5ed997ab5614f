"""The state store: one contract suite on memory and SQLite, the kill-switch mirror the hot path
reads, the data directory, migrations and concurrent writers."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from interlock.model import History, KillSwitch
from interlock.store import MemoryState, SqliteState, data_dir, describe, read_kill_switches
from interlock.store.sqlite import SCHEMA_VERSION
from interlock.store.state import MIRROR, UNREADABLE

NOW = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)
BOT = KillSwitch(
    "agent", "agent:deploy-bot", "runaway deletes", "user:alice", "2026-03-06T15:00:00Z"
)
ALL = KillSwitch("all", "", "incident 42", "user:bob", "2026-03-06T15:01:00Z")
PROD = KillSwitch("env", "prod", "", "user:carol", "2026-03-06T15:02:00Z")


@pytest.fixture(params=["memory", "sqlite"])
def store(request, tmp_path):
    if request.param == "memory":
        yield MemoryState()
        return
    with SqliteState(tmp_path / "state" / "interlock.db") as s:
        yield s


# contract: kill switches


def test_a_new_store_has_no_kill_switches(store):
    assert store.kill_switches() == ()


def test_a_frozen_switch_is_listed_with_everything_it_was_given(store):
    store.freeze(BOT)
    assert store.kill_switches() == (BOT,)


def test_freezing_the_same_scope_twice_keeps_the_first_switch(store):
    store.freeze(BOT)
    store.freeze(KillSwitch("agent", "agent:deploy-bot", "second", "user:dave", "later"))
    assert store.kill_switches() == (BOT,)


def test_switches_of_every_scope_live_side_by_side(store):
    for s in (PROD, BOT, ALL):
        store.freeze(s)
    assert set(store.kill_switches()) == {BOT, ALL, PROD}


def test_unfreezing_lifts_only_the_named_switch(store):
    store.freeze(BOT)
    store.freeze(ALL)
    assert store.unfreeze("agent", "agent:deploy-bot", "user:alice") is True
    assert store.kill_switches() == (ALL,)


def test_unfreezing_what_is_not_frozen_answers_false(store):
    store.freeze(PROD)
    assert store.unfreeze("env", "staging", "user:alice") is False
    assert store.kill_switches() == (PROD,)


# contract: pending unfreeze requests


def test_an_unfreeze_request_is_pending_and_leaves_the_switch_in_place(store):
    store.freeze(ALL)
    pending = store.request_unfreeze("all", "", "user:bob", NOW)
    assert (pending.scope, pending.value, pending.requested_by) == ("all", "", "user:bob")
    assert pending.at == "2026-03-06T15:30:00.000000Z"
    assert store.pending_unfreezes() == (pending,)
    assert store.kill_switches() == (ALL,)


def test_asking_twice_to_unfreeze_the_same_switch_keeps_one_request(store):
    first = store.request_unfreeze("env", "prod", "user:bob", NOW)
    again = store.request_unfreeze("env", "prod", "user:carol", NOW + timedelta(minutes=1))
    assert again == first
    assert len(store.pending_unfreezes()) == 1


def test_requests_for_different_switches_get_different_ids(store):
    a = store.request_unfreeze("env", "prod", "user:bob", NOW)
    b = store.request_unfreeze("all", "", "user:bob", NOW)
    assert a.id != b.id
    assert store.pending_unfreezes() == (a, b)


def test_lifting_a_switch_clears_its_pending_request(store):
    store.freeze(PROD)
    store.freeze(ALL)
    store.request_unfreeze("env", "prod", "user:bob", NOW)
    other = store.request_unfreeze("all", "", "user:bob", NOW)
    store.unfreeze("env", "prod", "user:carol")
    assert store.pending_unfreezes() == (other,)


# contract: recent activity for the volume limit


def test_history_of_an_agent_with_no_activity_is_empty(store):
    assert store.history("agent:deploy-bot", NOW, 60) == History()


def test_history_sums_destructive_operations_and_counts_distinct_targets(store):
    store.record("agent:deploy-bot", 2, ["namespace:a", "namespace:b"], NOW - timedelta(minutes=5))
    store.record("agent:deploy-bot", 1, ["namespace:b"], NOW - timedelta(minutes=1))
    assert store.history("agent:deploy-bot", NOW, 60) == History(destructive_ops=3, fleet_touched=2)


def test_records_outside_the_window_do_not_count(store):
    store.record("agent:deploy-bot", 5, ["vm:old"], NOW - timedelta(minutes=61))
    store.record("agent:deploy-bot", 1, ["vm:new"], NOW - timedelta(minutes=59))
    store.record("agent:deploy-bot", 7, ["vm:future"], NOW + timedelta(seconds=1))
    assert store.history("agent:deploy-bot", NOW, 60) == History(destructive_ops=1, fleet_touched=1)


def test_the_window_is_open_at_its_start_and_closed_at_now(store):
    store.record("agent:deploy-bot", 1, [], NOW - timedelta(minutes=10))
    store.record("agent:deploy-bot", 2, [], NOW)
    assert store.history("agent:deploy-bot", NOW, 10).destructive_ops == 2


def test_history_counts_only_the_asking_agent(store):
    store.record("agent:other", 4, ["db:orders"], NOW)
    store.record("agent:deploy-bot", 1, ["db:users"], NOW)
    assert store.history("agent:deploy-bot", NOW, 60) == History(destructive_ops=1, fleet_touched=1)


def test_a_clock_in_another_time_zone_means_the_same_instant(store):
    tokyo = NOW.astimezone(timezone(timedelta(hours=9)))
    store.record("agent:deploy-bot", 1, [], tokyo - timedelta(minutes=1))
    assert store.history("agent:deploy-bot", NOW, 2).destructive_ops == 1


# the mirror the hot path reads


def test_no_mirror_file_means_nothing_is_frozen(tmp_path):
    assert read_kill_switches(str(tmp_path)) == ()


def test_the_mirror_follows_every_freeze_and_unfreeze(tmp_path):
    with SqliteState(tmp_path / "interlock.db") as s:
        s.freeze(BOT)
        s.freeze(ALL)
        assert set(read_kill_switches(str(tmp_path))) == {BOT, ALL}
        s.unfreeze("all", "", "user:bob")
        assert read_kill_switches(str(tmp_path)) == (BOT,)
        s.unfreeze("agent", "agent:deploy-bot", "user:bob")
        assert read_kill_switches(str(tmp_path)) == ()


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"",
        b"{}",
        b"[]]",
        b'[{"value": "x"}]',
        b'[{"scope": 1}]',
        b'[{"scope": "agent", "value": "x", "extra": "y"}]',
        b'["all"]',
    ],
)
def test_a_corrupt_mirror_stops_every_agent(tmp_path, content):
    (tmp_path / MIRROR).write_bytes(content)
    assert read_kill_switches(str(tmp_path)) == (UNREADABLE,)
    assert UNREADABLE.stops(None, frozenset())


def test_an_unreadable_mirror_stops_every_agent(tmp_path):
    (tmp_path / MIRROR).mkdir()
    assert read_kill_switches(str(tmp_path)) == (UNREADABLE,)


def test_a_mirror_with_an_unknown_scope_is_read_and_stops_everyone(tmp_path):
    (tmp_path / MIRROR).write_text('[{"scope": "galaxy", "value": "x"}]')
    (switch,) = read_kill_switches(str(tmp_path))
    assert switch.stops(None, frozenset())


def test_the_next_change_repairs_a_corrupt_mirror(tmp_path):
    with SqliteState(tmp_path / "interlock.db") as s:
        s.freeze(PROD)
        (tmp_path / MIRROR).write_text("garbage")
        s.unfreeze("agent", "nobody", "user:bob")
        assert read_kill_switches(str(tmp_path)) == (PROD,)


def test_a_failed_mirror_write_leaves_the_database_unchanged(tmp_path, monkeypatch):
    import interlock.store.sqlite as sqlite_module

    def broken(directory, switches):
        raise OSError(28, "No space left on device")

    with SqliteState(tmp_path / "interlock.db") as s:
        monkeypatch.setattr(sqlite_module, "write_mirror", broken)
        with pytest.raises(OSError):
            s.freeze(ALL)
        assert s.kill_switches() == ()


def test_describe_names_the_scope_who_and_why():
    assert describe(BOT) == "agent `agent:deploy-bot` is frozen by user:alice: runaway deletes"
    assert describe(PROD) == "every agent against prod is frozen by user:carol"
    assert describe(KillSwitch("all")) == "every agent is frozen"


# where the state lives


def test_the_data_directory_comes_from_interlock_data_dir_first():
    env = {"INTERLOCK_DATA_DIR": "/srv/il", "XDG_DATA_HOME": "/x", "HOME": "/home/a"}
    assert data_dir(env) == "/srv/il"


def test_the_data_directory_falls_back_to_xdg_data_home():
    assert data_dir({"XDG_DATA_HOME": "/x"}) == os.path.join("/x", "interlock")


def test_the_data_directory_falls_back_to_the_home_directory():
    expected = os.path.join(os.path.expanduser("~"), ".local", "share", "interlock")
    assert data_dir({}) == expected


# SQLite specifics


def test_a_new_database_is_migrated_to_the_latest_schema_in_wal_mode(tmp_path):
    with SqliteState(tmp_path / "interlock.db") as s:
        assert s.schema_version == SCHEMA_VERSION
    db = sqlite3.connect(tmp_path / "interlock.db")
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"kill_switch", "activity", "pending_unfreeze", "schema_version"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_reopening_a_database_keeps_its_state(tmp_path):
    with SqliteState(tmp_path / "interlock.db") as s:
        s.freeze(BOT)
        s.record("agent:deploy-bot", 2, ["x"], NOW)
    with SqliteState(tmp_path / "interlock.db") as s:
        assert s.kill_switches() == (BOT,)
        assert s.history("agent:deploy-bot", NOW, 5).destructive_ops == 2
        assert s.schema_version == SCHEMA_VERSION


def test_an_older_database_gets_only_the_missing_steps(tmp_path):
    from interlock.store.sqlite import MIGRATIONS

    db = sqlite3.connect(tmp_path / "interlock.db")
    db.executescript(";".join(MIGRATIONS[0]) + ";CREATE TABLE schema_version (version INTEGER)")
    db.execute("INSERT INTO kill_switch VALUES ('all', '', 'old', 'user:x', 't')")
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.commit()
    db.close()
    with SqliteState(tmp_path / "interlock.db") as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s.kill_switches() == (KillSwitch("all", "", "old", "user:x", "t"),)
        assert s.pending_unfreezes() == ()


def test_two_stores_on_one_file_see_each_others_writes(tmp_path):
    path = tmp_path / "interlock.db"
    with SqliteState(path) as a, SqliteState(path) as b:
        a.freeze(BOT)
        b.freeze(PROD)
        assert set(a.kill_switches()) == {BOT, PROD}
        a.unfreeze("env", "prod", "user:carol")
        assert b.kill_switches() == (BOT,)
        assert read_kill_switches(str(tmp_path)) == (BOT,)


def test_concurrent_writers_lose_no_switch_and_no_record(tmp_path):
    path = tmp_path / "interlock.db"
    SqliteState(path).close()  # migrate once, before the race
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with SqliteState(path) as s:
                for i in range(25):
                    s.freeze(KillSwitch("agent", f"agent:{name}-{i}", at="t"))
                    s.record("agent:shared", 1, [f"{name}-{i}"], NOW)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and not any(t.is_alive() for t in threads)
    with SqliteState(path) as s:
        assert len(s.kill_switches()) == 50
        assert s.history("agent:shared", NOW, 1) == History(destructive_ops=50, fleet_touched=50)
    assert len(read_kill_switches(str(tmp_path))) == 50
