"""Keep an inventory snapshot file fresh: when to collect again, and a write nobody sees half of.

    parse_duration("15m") -> timedelta              `30s`, `15m`, `1h`, `2d`, `1h30m`
    next_due(last, every, now) -> datetime          pure: when the next collection is due
    age(snapshot, now) / is_stale(snapshot, max_age, now)    what a reader checks
    refresh(collect, path, previous, now) -> Refresh         one collection, written atomically
    run_every(collect, path, every, now, wait, report, max_runs) -> (runs, last Refresh)

`interlock inventory collect … -o FILE --every 15m` is a front for `run_every`; the gateway's
schedule will reuse it. The clock (`now`) and the wait between collections (`wait(seconds)`,
False when asked to stop) are passed in, so a schedule is tested without sleeping.

`refresh` never loses the previous file. The new snapshot goes to a temporary file in the same
directory, is flushed to disk (fsync) and then `os.replace`s the old one, which is atomic within
one file system: a reader opens the old snapshot or the new one, never half of one. A collection
that fails (a source that no longer parses, an unreachable account) leaves the file as it was and
comes back as a `failed` Refresh with the error; the schedule goes on.

When the digest is unchanged the file is still rewritten, with the new `fetched_at` only:
`fetched_at` says when the content was last seen to be true, and readers decide from it whether
a snapshot is too old to trust (`is_stale`). The digest, which decisions record, stays the same,
and the Refresh says `unchanged`.

The schedule counts from the last attempt, not from `fetched_at`: a snapshot merged with an old
saved one keeps the older `fetched_at` (the data is only as fresh as its oldest part), and a
failed collection is retried after `every`, not at once.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from interlock.impact.model import Snapshot, snapshot_from_json, snapshot_to_json
from interlock.model.errors import InputError, InterlockError, InternalError

Collect = Callable[[str], Snapshot]  # fetched_at (ISO-8601) -> a snapshot
Clock = Callable[[], datetime]
Wait = Callable[[float], bool]  # wait up to this many seconds; False when asked to stop

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_DURATION = timedelta(days=366)
_DURATION = re.compile(r"(?:[0-9]{1,9}[smhd])+")


@dataclass(frozen=True, slots=True)
class Refresh:
    """One collection: `new` (no snapshot before), `changed`, `unchanged` or `failed`."""

    status: str
    at: datetime  # when the collection started
    snapshot: Snapshot | None = None  # the snapshot written; None when failed
    error: InterlockError | None = None


def parse_duration(text: str) -> timedelta:
    """`30s`, `15m`, `1h`, `2d` or a sum such as `1h30m`; more than zero, at most 366 days."""
    if not _DURATION.fullmatch(text):
        raise InputError(
            f"`{text}` is not a duration; use e.g. 30s, 15m, 1h or 1d", "input.duration"
        )
    seconds = sum(int(n) * UNITS[u] for n, u in re.findall(r"([0-9]+)([smhd])", text))
    if not 0 < seconds <= MAX_DURATION.total_seconds():
        raise InputError(
            f"duration `{text}` must be more than 0s and at most 366d", "input.duration"
        )
    return timedelta(seconds=seconds)


def parse_time(text: str) -> datetime | None:
    """An ISO-8601 `fetched_at` (no zone means UTC), or None when it is not one."""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def next_due(last: datetime | None, every: timedelta, now: datetime) -> datetime:
    """When to collect again: `every` after `last`; `now` when there is no last collection,
    when it is overdue, or when `last` is in the future (a clock moved back: collect rather
    than trust a time that has not happened yet)."""
    if last is None or last > now:
        return now
    return max(last + every, now)


def age(snapshot: Snapshot, now: datetime) -> timedelta | None:
    """How long ago the snapshot was fetched (negative: in the future); None when unknown."""
    fetched = parse_time(snapshot.fetched_at)
    return None if fetched is None else now - fetched


def is_stale(snapshot: Snapshot, max_age: timedelta, now: datetime) -> bool:
    """Older than `max_age`, or further than it in the future, or of unknown age: `fetched_at`
    is not covered by the digest, so a far-future time must not make a snapshot fresh forever."""
    seen = age(snapshot, now)
    return seen is None or abs(seen) > max_age


def read_snapshot(path: str) -> Snapshot | None:
    """The snapshot in `path`, or None when there is none or it does not verify."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return snapshot_from_json(fh.read())
    except (OSError, UnicodeDecodeError, InputError):
        return None


def write_atomic(path: str, text: str) -> None:
    """Replace `path` with `text` so that a reader sees the old content or the new, never half.

    The temporary file is created next to `path` (os.replace is atomic only within one file
    system), with the permissions a plain write would give (the umask; an existing file's mode
    is kept), flushed to disk before the rename, and removed if anything fails."""
    directory = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise InputError(f"cannot write `{path}`: {exc.strerror}", "input.unwritable") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            _keep_mode(path, fh.fileno())
            os.fsync(fh.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        _remove(temp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write `{path}`: {exc.strerror}", "input.unwritable") from None
        raise
    _sync_directory(directory)


def _keep_mode(path: str, fd: int) -> None:
    # no file yet (the umask decides), or no fchmod on this platform: nothing to keep
    with contextlib.suppress(OSError, AttributeError):
        os.fchmod(fd, stat.S_IMODE(os.stat(path).st_mode))


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable; not every platform can open a directory."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def refresh(collect: Collect, path: str, previous: str | None, now: Clock) -> Refresh:
    """Collect once and write the snapshot to `path`; on failure `path` is left as it was.
    `previous` is the digest of the snapshot `path` holds (None when it holds none)."""
    at = now()
    try:
        snap = collect(at.replace(microsecond=0).isoformat())
        write_atomic(path, snapshot_to_json(snap))
    except InterlockError as exc:
        return Refresh("failed", at, error=exc)
    except Exception as exc:  # a bug in one collection must not end the schedule
        return Refresh("failed", at, error=InternalError(f"internal error ({type(exc).__name__})"))
    if previous is None:
        return Refresh("new", at, snap)
    return Refresh("unchanged" if previous == snap.digest else "changed", at, snap)


def run_every(
    collect: Collect,
    path: str,
    every: timedelta,
    now: Clock,
    wait: Wait,
    report: Callable[[Refresh], None],
    max_runs: int | None = None,
) -> tuple[int, Refresh | None]:
    """Collect whenever due until `wait` says stop or `max_runs` collections have run.

    The first collection is due `every` after the `fetched_at` of the snapshot already in
    `path` (at once when there is none); each later one `every` after the previous attempt.
    Returns how many collections ran and the last one's result."""
    current = read_snapshot(path)
    last = parse_time(current.fetched_at) if current else None
    digest = current.digest if current else None
    runs, result = 0, None
    while max_runs is None or runs < max_runs:
        moment = now()
        if not wait(max((next_due(last, every, moment) - moment).total_seconds(), 0.0)):
            break
        result = refresh(collect, path, digest, now)
        report(result)
        runs, last = runs + 1, result.at
        if result.snapshot is not None:
            digest = result.snapshot.digest
    return runs, result
