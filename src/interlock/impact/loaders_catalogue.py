"""The team's service catalogue (YAML) → `Snapshot`, and applying it to other snapshots.

    services:
      - name: checkout
        criticality: critical          # critical | high | medium | low
        tier: prod
        slo: "99.95"
        customers: 12000
        resources:                     # resource ids or glob patterns over ids
          - "tf:aws_ecs_service.checkout"
          - id: "tf:aws_db_instance.*"
            backup: verified           # what the team knows better than the provider
            restore_minutes: 45
            stateful: true
        depends_on: [payments]

Each service is a resource `service:<name>` of kind `service`. `from_catalogue` keeps the
patterns on it (attribute `resources`, canonical JSON); `apply_catalogue` — which `merge`
runs — matches them against the other resources: each match takes the service's name (the
first service in name order that claims it) and criticality, the entry's overrides, and the
service gains a `depends-on` edge to it. Unknown keys and unknown services are refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from fnmatch import translate
from typing import Any

from interlock.impact.loaders_common import as_dict, bad, text
from interlock.impact.model import (
    BACKUPS,
    CRITICALITIES,
    TIERS,
    Edge,
    Resource,
    Snapshot,
    attrs_of,
    build_snapshot,
)

_SERVICE_KEYS = frozenset(
    {"name", "criticality", "tier", "slo", "customers", "resources", "depends_on", "description"}
)
_ENTRY_KEYS = frozenset({"id", "backup", "restore_minutes", "stateful"})
_RANK = {"": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def from_catalogue(doc: Any, fetched_at: str = "") -> Snapshot:
    """The catalogue as YAML text or parsed value."""
    import yaml

    if isinstance(doc, (str, bytes)):
        try:
            doc = yaml.safe_load(doc)
        except yaml.YAMLError:
            raise bad("the catalogue is not YAML") from None
    services = as_dict(doc).get("services")
    if not isinstance(services, list) or set(as_dict(doc)) - {"services", "version"}:
        raise bad("a catalogue is `services:` and a list of services")
    resources = [_service(i, s) for i, s in enumerate(services)]
    names = {r.name for r in resources}
    if len(names) != len(resources):
        raise bad("a service is defined twice in the catalogue")
    edges = []
    for r, raw in zip(resources, services, strict=True):
        for dep in _strings(raw.get("depends_on", []), f"service `{r.name}` depends_on"):
            if dep not in names:
                raise bad(f"service `{r.name}` depends on `{dep}`, which the catalogue lacks")
            edges.append(Edge(r.id, f"service:{dep}"))
    return build_snapshot(resources, edges, "catalogue", fetched_at)


def _service(i: int, raw: Any) -> Resource:
    if not isinstance(raw, dict) or not text(raw.get("name")):
        raise bad(f"service {i} has no `name`")
    name = raw["name"]
    unknown = set(raw) - _SERVICE_KEYS
    if unknown:
        raise bad(f"service `{name}` has unknown key `{sorted(unknown)[0]}`")
    criticality = str(raw.get("criticality", ""))
    tier = str(raw.get("tier", "unknown"))
    if criticality not in CRITICALITIES or tier not in TIERS:
        raise bad(f"service `{name}`: criticality `{criticality}` or tier `{tier}` is unknown")
    entries = [_entry(name, e) for e in _list(raw.get("resources", []), name)]
    return Resource(
        id=f"service:{name}",
        kind="service",
        name=name,
        tier=tier,
        service=name,
        criticality=criticality,
        attrs=attrs_of(
            {
                "slo": raw.get("slo", ""),
                "customers": raw.get("customers", ""),
                "resources": json.dumps(entries, sort_keys=True) if entries else "",
            }
        ),
    )


def _list(value: Any, name: str) -> list[Any]:
    if not isinstance(value, list):
        raise bad(f"service `{name}`: `resources` must be a list")
    return value


def _strings(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise bad(f"{what} must be a list of names")
    return value


def _entry(name: str, raw: Any) -> dict[str, Any]:
    entry = {"id": raw} if isinstance(raw, str) else raw
    if not isinstance(entry, dict) or not text(entry.get("id")) or set(entry) - _ENTRY_KEYS:
        raise bad(
            f"service `{name}`: a resource is an id, or `id:` with backup/restore_minutes/stateful"
        )
    if entry.get("backup", "unknown") not in BACKUPS:
        raise bad(f"service `{name}`: backup `{entry['backup']}` is not one of {sorted(BACKUPS)}")
    minutes = entry.get("restore_minutes", 0)
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes < 0:
        raise bad(f"service `{name}`: `restore_minutes` must be a whole number")
    if not isinstance(entry.get("stateful", False), bool):
        raise bad(f"service `{name}`: `stateful` must be true or false")
    return entry


def apply_catalogue(resources: list[Resource], edges: list[Edge]) -> None:
    """Give every resource a catalogue service claims its service, criticality and overrides,
    and the service an edge to it (in place)."""
    services = sorted(
        (r for r in resources if r.kind == "service" and r.attr("resources")), key=lambda r: r.name
    )
    if not services:
        return
    rules = [
        (s, e, re.compile(translate(e["id"])))
        for s in services
        for e in json.loads(s.attr("resources"))
    ]
    for i, r in enumerate(resources):
        if r.kind == "service":
            continue
        for s, entry, pattern in rules:
            if pattern.match(r.id):
                r = _claimed(r, s, entry)
                edges.append(Edge(s.id, r.id))
        resources[i] = r


def _claimed(r: Resource, s: Resource, entry: dict[str, Any]) -> Resource:
    crit = s.criticality if _RANK[s.criticality] > _RANK.get(r.criticality, 0) else r.criticality
    return replace(
        r,
        service=r.service or s.name,
        criticality=crit,
        tier=r.tier if r.tier != "unknown" else s.tier,
        backup=entry.get("backup", r.backup),
        restore_minutes=entry.get("restore_minutes", r.restore_minutes),
        stateful=entry.get("stateful", r.stateful),
    )
