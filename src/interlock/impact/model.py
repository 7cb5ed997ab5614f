"""The environment model: resources, the edges between them, and a snapshot with a digest.

A `Snapshot` is a value: loaders build it from text, the blast-radius engine reads it, and its
digest is recorded beside every decision that used it so the decision can be replayed.

Digest format `inv1:sha256:<64 hex>` over canonical JSON (keys sorted, separators `,` `:`,
UTF-8, no floats) of `{"v": 1, "resources": [resource…], "edges": [edge…]}` with resources
sorted by id and edges sorted by (source, target, kind); `source` and `fetched_at` are not
part of it, so the same environment fetched twice has the same digest. Each resource is
`{"id", "kind", "name", "tier", "service", "stateful", "backup", "criticality",
"restore_minutes", "env_root", "attrs": {k: v}}`, each edge `{"source", "target", "kind"}`.
Changing this layout is a new version (`inv2`).

The snapshot file is `{"version": 1, "source", "fetched_at", "digest", "resources", "edges"}`;
`snapshot_from_json` refuses a file whose digest does not match its content (`input.inventory`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from interlock.model.digest import canonical_json
from interlock.model.errors import InputError

VERSION = "inv1"
FILE_VERSION = 1

TIERS = frozenset({"prod", "staging", "dev", "local", "unknown"})
BACKUPS = frozenset({"verified", "snapshot", "none", "unknown"})
CRITICALITIES = frozenset({"critical", "high", "medium", "low", ""})
EDGE_KINDS = frozenset({"depends-on", "contains", "selects", "routes-to", "binds", "owns"})
SOURCES = frozenset({"tfstate", "tfplan", "kubernetes", "aws", "catalogue", "merged"})


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    kind: str
    name: str
    tier: str = "unknown"
    service: str = ""
    stateful: bool = False
    backup: str = "unknown"
    criticality: str = ""
    restore_minutes: int = 0
    env_root: bool = False
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str, default: str = "") -> str:
        for k, v in self.attrs:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Edge:
    """`source` depends on (is contained by, is selected by…) `target`; see `kind`."""

    source: str
    target: str
    kind: str = "depends-on"


@dataclass(frozen=True, slots=True)
class Snapshot:
    resources: tuple[Resource, ...]
    edges: tuple[Edge, ...]
    source: str
    fetched_at: str
    digest: str

    def by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}


def attrs_of(values: Mapping[str, object]) -> tuple[tuple[str, str], ...]:
    """Sorted `(key, value)` pairs, empty values dropped, everything as a string."""
    return tuple(sorted((k, str(v)) for k, v in values.items() if v not in (None, "")))


def resource_value(r: Resource) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": r.kind,
        "name": r.name,
        "tier": r.tier,
        "service": r.service,
        "stateful": r.stateful,
        "backup": r.backup,
        "criticality": r.criticality,
        "restore_minutes": r.restore_minutes,
        "env_root": r.env_root,
        "attrs": dict(r.attrs),
    }


def edge_value(e: Edge) -> dict[str, str]:
    return {"source": e.source, "target": e.target, "kind": e.kind}


def snapshot_digest(resources: Iterable[Resource], edges: Iterable[Edge]) -> str:
    body = {
        "v": 1,
        "resources": [resource_value(r) for r in sorted(resources, key=lambda r: r.id)],
        "edges": [edge_value(e) for e in sorted(edges, key=lambda e: (e.source, e.target, e.kind))],
    }
    try:
        data = canonical_json(body)
    except UnicodeEncodeError:  # a lone surrogate from a JSON `\ud800` in some source
        raise _bad("a name or attribute holds text that is not valid Unicode") from None
    return f"{VERSION}:sha256:{hashlib.sha256(data).hexdigest()}"


def build_snapshot(
    resources: Iterable[Resource], edges: Iterable[Edge], source: str, fetched_at: str = ""
) -> Snapshot:
    """A snapshot in canonical order, de-duplicated (last resource with an id wins), digested.

    Edges whose ends are not both resources of the snapshot are dropped: a dangling edge would
    make the blast radius depend on resources nobody can see."""
    by_id: dict[str, Resource] = {}
    for r in resources:
        by_id[r.id] = r
    kept = {e for e in edges if e.source in by_id and e.target in by_id and e.source != e.target}
    res = tuple(by_id[k] for k in sorted(by_id))
    eds = tuple(sorted(kept, key=lambda e: (e.source, e.target, e.kind)))
    return Snapshot(res, eds, source, fetched_at, snapshot_digest(res, eds))


def snapshot_to_json(snap: Snapshot) -> str:
    body = {
        "version": FILE_VERSION,
        "source": snap.source,
        "fetched_at": snap.fetched_at,
        "digest": snap.digest,
        "resources": [resource_value(r) for r in snap.resources],
        "edges": [edge_value(e) for e in snap.edges],
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def _bad(what: str) -> InputError:
    return InputError(f"inventory snapshot: {what}; collect it again", "input.inventory")


def _str(d: Mapping[str, Any], key: str, default: str | None = None) -> str:
    v = d.get(key, default)
    if not isinstance(v, str):
        raise _bad(f"`{key}` must be a string")
    return v


def resource_from_value(d: Any) -> Resource:
    if not isinstance(d, dict):
        raise _bad("a resource is not an object")
    attrs = d.get("attrs", {})
    minutes = d.get("restore_minutes", 0)
    if not isinstance(attrs, dict) or not all(isinstance(v, str) for v in attrs.values()):
        raise _bad("`attrs` must map strings to strings")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        raise _bad("`restore_minutes` must be a whole number")
    return Resource(
        id=_str(d, "id"),
        kind=_str(d, "kind"),
        name=_str(d, "name"),
        tier=_str(d, "tier", "unknown"),
        service=_str(d, "service", ""),
        stateful=d.get("stateful", False) is True,
        backup=_str(d, "backup", "unknown"),
        criticality=_str(d, "criticality", ""),
        restore_minutes=minutes,
        env_root=d.get("env_root", False) is True,
        attrs=attrs_of(attrs),
    )


def edge_from_value(d: Any) -> Edge:
    if not isinstance(d, dict):
        raise _bad("an edge is not an object")
    return Edge(_str(d, "source"), _str(d, "target"), _str(d, "kind", "depends-on"))


def snapshot_from_json(text: str) -> Snapshot:
    """Parse a snapshot file; refuse one whose digest does not match its content."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise _bad(f"not json ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or data.get("version") != FILE_VERSION:
        raise _bad(f"not a version {FILE_VERSION} snapshot")
    rows, edges = data.get("resources"), data.get("edges")
    if not isinstance(rows, list) or not isinstance(edges, list):
        raise _bad("`resources` and `edges` must be lists")
    resources = tuple(resource_from_value(r) for r in rows)
    links = tuple(edge_from_value(e) for e in edges)
    claimed = _str(data, "digest")
    when = _str(data, "fetched_at", "")
    # INVARIANT: a file written by `snapshot_to_json` has no duplicates or dangling edges, so
    # its claimed digest equals the one `build_snapshot` computes after dropping them
    snap = build_snapshot(resources, links, _str(data, "source", "merged"), when)
    if snap.digest != claimed:
        raise _bad(f"digest `{claimed[:24]}…` does not match its content")
    return snap
