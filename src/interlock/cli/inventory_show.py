"""`interlock inventory show FILE [--max-age DURATION] [--json]`: what a snapshot holds, how old.

Prints the digest, source, `fetched_at` and its age, and the resources counted by kind and by
tier (`--json`: one object with the same facts, `age_seconds` null when unknown). The file's
digest is checked first. With `--max-age`, a snapshot older than DURATION, further than that in
the future, or of unknown age is stale: exit 2 with `impact.inventory_stale`, so a reader (a
script, a cron job, the gateway) can refuse to decide from old facts.
Exit codes: 0 shown (and fresh enough), 2 stale, 1 usage or a file that cannot be read or
does not verify.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from interlock.cli.common import print_error
from interlock.model import InputError

if TYPE_CHECKING:
    from interlock.impact.model import Snapshot

SPANS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))


def show(ns: Any, stdin: TextIO, stdout: TextIO, stderr: TextIO, now: datetime) -> int:
    from interlock.cli.inventory import read
    from interlock.impact.model import snapshot_from_json
    from interlock.impact.refresh import age, is_stale

    try:
        snap = snapshot_from_json(read(ns.file, stdin))
    except InputError as exc:
        print_error(stderr, exc.code, f"`{ns.file}`: {exc.message}")
        return 1
    facts = summary(snap, now)
    stdout.write(json.dumps(facts, indent=2) + "\n" if ns.json else text(facts))
    if ns.max_age is None or not is_stale(snap, ns.max_age, now):
        return 0
    seen = age(snap, now)
    print_error(
        stderr,
        "impact.inventory_stale",
        f"snapshot `{ns.file}` was fetched {when(seen)}, beyond --max-age {span(ns.max_age)}; "
        "collect it again",
    )
    return 2


def summary(snap: Snapshot, now: datetime) -> dict[str, Any]:
    from interlock.impact.refresh import age

    seen = age(snap, now)
    return {
        "digest": snap.digest,
        "source": snap.source,
        "fetched_at": snap.fetched_at,
        "age_seconds": None if seen is None else int(seen.total_seconds()),
        "resources": len(snap.resources),
        "edges": len(snap.edges),
        "kinds": dict(sorted(Counter(r.kind for r in snap.resources).items())),
        "tiers": dict(sorted(Counter(r.tier for r in snap.resources).items())),
    }


def text(facts: dict[str, Any]) -> str:
    seconds = facts["age_seconds"]
    seen = None if seconds is None else timedelta(seconds=seconds)
    return "\n".join(
        [
            f"digest: {facts['digest']}",
            f"source: {facts['source']}",
            f"fetched at: {facts['fetched_at'] or '(none)'} ({when(seen)})",
            f"resources: {facts['resources']}, edges: {facts['edges']}",
            "kinds: " + _counts(facts["kinds"]),
            "tiers: " + _counts(facts["tiers"]),
            "",
        ]
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {n}" for k, n in counts.items()) or "(none)"


def when(seen: timedelta | None) -> str:
    """`2h 5m ago`, `in the future by 30s`, or `at an unknown time`."""
    if seen is None:
        return "at an unknown time"
    if seen < timedelta(0):
        return f"in the future by {span(-seen)}"
    return f"{span(seen)} ago"


def span(delta: timedelta) -> str:
    """The two largest units: `3d 4h`, `2h 5m`, `45s`."""
    left, parts = int(delta.total_seconds()), list[str]()
    for unit, size in SPANS:
        if left >= size or (unit == "s" and not parts):
            count, left = divmod(left, size)
            parts.append(f"{count}{unit}")
    return " ".join(parts[:2])
