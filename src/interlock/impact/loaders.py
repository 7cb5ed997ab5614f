"""Pure loaders: text or parsed documents in, `Snapshot` out; and `merge`.

`from_tfstate`, `from_tfplan` (loaders_tf), `from_kubernetes` (loaders_k8s) and
`from_catalogue` (loaders_catalogue) each build one snapshot. `merge(*snapshots)` unites them:
a resource id seen twice keeps the later snapshot's resource, edges are united, and the
catalogue's services are applied to every resource (see `apply_catalogue`). Bad input raises
`InputError` with code `input.inventory` (`input.tfplan` for a document that is not a plan).
"""

from __future__ import annotations

from interlock.impact.loaders_catalogue import apply_catalogue, from_catalogue
from interlock.impact.loaders_k8s import from_kubernetes
from interlock.impact.loaders_tf import from_tfplan, from_tfstate
from interlock.impact.model import Edge, Resource, Snapshot, build_snapshot

__all__ = ["from_catalogue", "from_kubernetes", "from_tfplan", "from_tfstate", "merge"]


def merge(*snapshots: Snapshot, fetched_at: str = "") -> Snapshot:
    """One snapshot of everything; `fetched_at` defaults to the latest of the inputs."""
    by_id: dict[str, Resource] = {}
    edges: list[Edge] = []
    for snap in snapshots:
        by_id.update((r.id, r) for r in snap.resources)
        edges.extend(snap.edges)
    resources = list(by_id.values())
    apply_catalogue(resources, edges)
    source = snapshots[0].source if len(snapshots) == 1 else "merged"
    when = fetched_at or max((s.fetched_at for s in snapshots), default="")
    return build_snapshot(resources, edges, source, when)
