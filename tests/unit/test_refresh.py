"""Keeping a snapshot file fresh: when the next collection is due, and writes nobody sees half of."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from interlock.impact.loaders import from_tfstate
from interlock.impact.model import Resource, build_snapshot, snapshot_from_json
from interlock.impact.refresh import (
    age,
    is_stale,
    next_due,
    parse_duration,
    read_snapshot,
    refresh,
    run_every,
    write_atomic,
)
from interlock.model.errors import InputError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "inventory"
T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
DB = Resource("tf:aws_db_instance.main", "db-instance", "prod-main", tier="prod")


class Clock:
    """A clock that moves only when the schedule waits; it records every wait."""

    def __init__(self, at: datetime = T0) -> None:
        self.at, self.waits = at, []

    def now(self) -> datetime:
        return self.at

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        self.at += timedelta(seconds=seconds)
        return True


def tfstate(path: Path):
    """The edge a schedule runs: read the state file again on every collection."""
    return lambda when: from_tfstate(path.read_text("utf-8"), "prod", "", when)


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# ---- when the next collection is due ----------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "last", "due"),
    [
        ("no snapshot yet: collect now", None, T0),
        ("fetched 5 minutes ago: due 15 minutes after it", T0 - 5 * MIN, T0 + 10 * MIN),
        ("fetched exactly one interval ago: due now", T0 - 15 * MIN, T0),
        ("overdue: collect now, not in the past", T0 - 90 * MIN, T0),
        ("fetched in the future (a clock moved back): collect now", T0 + 5 * MIN, T0),
    ],
)
def test_the_next_collection_is_due_one_interval_after_the_last(note, last, due):
    assert next_due(last, 15 * MIN, T0) == due, note


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("1h", 3600), ("2d", 172800), ("1h30m", 5400), ("366d", 31622400)],
)
def test_durations_take_a_unit(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "text", ["", "15", "abc", "0s", "0m0s", "1.5h", "-1m", "1w", "1h 30m", "15M", "367d", "٣m"]
)
def test_bad_durations_are_refused_with_a_code(text):
    with pytest.raises(InputError) as err:
        parse_duration(text)
    assert err.value.code == "input.duration"


@pytest.mark.parametrize(
    ("note", "fetched_at", "stale"),
    [
        ("ten minutes old, an hour allowed", "2024-05-01T11:50:00+00:00", False),
        ("two hours old", "2024-05-01T10:00:00+00:00", True),
        ("the same instant in another zone", "2024-05-01T14:00:00+02:00", False),
        ("no zone means UTC", "2024-05-01T11:59:00", False),
        ("a few seconds in the future (clock skew)", "2024-05-01T12:00:30+00:00", False),
        ("far in the future: fetched_at is not digested, so not fresh forever", "3024-01-01", True),
        ("no time at all", "", True),
        ("not a time", "yesterday", True),
    ],
)
def test_a_reader_can_tell_a_stale_snapshot(note, fetched_at, stale):
    snap = build_snapshot([DB], [], "tfstate", fetched_at)
    assert is_stale(snap, 60 * MIN, T0) is stale, note


def test_the_age_of_a_snapshot_is_measured_from_its_fetched_at():
    assert age(build_snapshot([DB], [], "tfstate", "2024-05-01T11:00:00Z"), T0) == 60 * MIN
    assert age(build_snapshot([DB], [], "tfstate", ""), T0) is None


# ---- one collection, written atomically -------------------------------------------------------


def test_a_refresh_writes_a_snapshot_that_verifies_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "snap.json"
    result = refresh(tfstate(FIX / "prod.tfstate"), str(out), None, Clock().now)
    assert result.status == "new" and result.error is None
    snap = snapshot_from_json(out.read_text("utf-8"))
    assert snap.digest == result.snapshot.digest and snap.fetched_at == "2024-05-01T12:00:00+00:00"
    assert leftovers(tmp_path) == []


def test_a_failed_collection_keeps_the_previous_file_byte_for_byte(tmp_path):
    source, out = tmp_path / "prod.tfstate", tmp_path / "snap.json"
    source.write_text((FIX / "prod.tfstate").read_text("utf-8"), "utf-8")
    first = refresh(tfstate(source), str(out), None, Clock().now)
    before = out.read_bytes()
    source.write_text('{"version": 4, "resources": [', "utf-8")  # a half-written state file
    second = refresh(tfstate(source), str(out), first.snapshot.digest, Clock(T0 + MIN).now)
    assert second.status == "failed" and second.snapshot is None
    assert second.error.code == "input.inventory"
    assert out.read_bytes() == before and leftovers(tmp_path) == []


def test_a_write_that_fails_keeps_the_previous_file_and_removes_the_temporary_one(
    tmp_path,
):
    out = tmp_path / "snap.json"
    write_atomic(str(out), "the previous snapshot\n")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(str(out), "a" * 100_000 + "\ud800")  # not encodable
    assert out.read_text("utf-8") == "the previous snapshot\n" and leftovers(tmp_path) == []


def test_a_name_that_is_not_unicode_is_a_failed_refresh_not_a_crash(tmp_path):
    out = tmp_path / "snap.json"
    hostile = Resource("k8s::shop:pod:\ud800", "pod", "\ud800")  # cannot be written as UTF-8
    result = refresh(
        lambda when: build_snapshot([hostile], [], "kubernetes", when), str(out), None, Clock().now
    )
    assert result.status == "failed" and result.error.code == "input.inventory"
    assert "not valid Unicode" in result.error.message
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_file_that_cannot_be_written_is_an_input_error(tmp_path):
    out = tmp_path / "missing-directory" / "snap.json"
    with pytest.raises(InputError) as err:
        write_atomic(str(out), "{}\n")
    assert err.value.code == "input.unwritable" and not out.parent.exists()


def test_replacing_a_file_keeps_its_permissions(tmp_path):
    out = tmp_path / "snap.json"
    out.write_text("old\n", "utf-8")
    os.chmod(out, 0o640)
    write_atomic(str(out), "new\n")
    assert out.read_text("utf-8") == "new\n" and stat.S_IMODE(out.stat().st_mode) == 0o640


def test_an_unchanged_digest_rewrites_only_fetched_at(tmp_path):
    out = tmp_path / "snap.json"
    first = refresh(tfstate(FIX / "prod.tfstate"), str(out), None, Clock().now)
    later = Clock(T0 + 15 * MIN)
    second = refresh(tfstate(FIX / "prod.tfstate"), str(out), first.snapshot.digest, later.now)
    assert second.status == "unchanged"
    snap = snapshot_from_json(out.read_text("utf-8"))
    assert snap.digest == first.snapshot.digest
    assert snap.fetched_at == "2024-05-01T12:15:00+00:00"  # a reader sees the data is fresh


def test_a_changed_environment_is_reported_as_changed(tmp_path):
    out = tmp_path / "snap.json"
    refresh(lambda when: build_snapshot([DB], [], "tfstate", when), str(out), None, Clock().now)
    before = read_snapshot(str(out))
    grown = Resource("tf:aws_s3_bucket.logs", "s3-bucket", "logs", tier="prod")
    result = refresh(
        lambda when: build_snapshot([DB, grown], [], "tfstate", when),
        str(out),
        before.digest,
        Clock().now,
    )
    assert result.status == "changed" and read_snapshot(str(out)).digest != before.digest


def test_a_tampered_or_missing_file_reads_as_no_snapshot(tmp_path):
    out = tmp_path / "snap.json"
    assert read_snapshot(str(out)) is None
    refresh(lambda when: build_snapshot([DB], [], "tfstate", when), str(out), None, Clock().now)
    out.write_text(out.read_text("utf-8").replace("prod-main", "dev-main"), "utf-8")
    assert read_snapshot(str(out)) is None


# ---- the schedule -----------------------------------------------------------------------------


def test_the_schedule_collects_every_interval_without_sleeping(tmp_path):
    out, clock, seen = tmp_path / "snap.json", Clock(), []
    runs, last = run_every(
        tfstate(FIX / "prod.tfstate"), str(out), 15 * MIN, clock.now, clock.wait, seen.append, 3
    )
    assert runs == 3 and [r.status for r in seen] == ["new", "unchanged", "unchanged"]
    assert [r.at for r in seen] == [T0, T0 + 15 * MIN, T0 + 30 * MIN] and last is seen[-1]
    assert sum(clock.waits) == 30 * 60  # no wait after the last collection


def test_a_fresh_file_is_not_collected_again_until_it_is_due(tmp_path):
    out = tmp_path / "snap.json"
    refresh(tfstate(FIX / "prod.tfstate"), str(out), None, Clock(T0 - 5 * MIN).now)
    clock, seen = Clock(), []
    run_every(
        tfstate(FIX / "prod.tfstate"), str(out), 15 * MIN, clock.now, clock.wait, seen.append, 1
    )
    assert clock.waits == [600.0] and seen[0].at == T0 + 10 * MIN and seen[0].status == "unchanged"


def test_the_schedule_goes_on_after_a_failure_and_the_file_survives_it(tmp_path):
    source, out = tmp_path / "prod.tfstate", tmp_path / "snap.json"
    good = (FIX / "prod.tfstate").read_text("utf-8")
    source.write_text(good, "utf-8")
    states = iter(["not json", good])
    clock, seen = Clock(), []

    def wait(seconds: float) -> bool:
        if seconds:  # between collections, the state file changes under us
            source.write_text(next(states), "utf-8")
        return clock.wait(seconds)

    run_every(tfstate(source), str(out), 15 * MIN, clock.now, wait, seen.append, 3)
    assert [r.status for r in seen] == ["new", "failed", "unchanged"]
    assert snapshot_from_json(out.read_text("utf-8")).fetched_at == "2024-05-01T12:30:00+00:00"


def test_a_stop_request_ends_the_schedule_before_the_next_collection(tmp_path):
    out, clock, seen = tmp_path / "snap.json", Clock(), []
    answers = iter([True, False])

    def wait(seconds: float) -> bool:
        clock.wait(seconds)
        return next(answers)

    runs, last = run_every(
        tfstate(FIX / "prod.tfstate"), str(out), MIN, clock.now, wait, seen.append
    )
    assert runs == 1 and last.status == "new" and len(seen) == 1
