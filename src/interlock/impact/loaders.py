"""Pure loaders: text or parsed documents in, `Snapshot` out; and `merge`.

`from_tfstate`, `from_tfplan` (loaders_tf), `from_kubernetes` (loaders_k8s) and
`from_catalogue` (loaders_catalogue) each build one snapshot. `merge(*snapshots)` unites them:
a resource id seen twice keeps the later snapshot's resource, edges are united, a Terraform
resource and the AWS resource it manages become one (`interlock.impact.link`: by ARN or by
provider id and kind, keeping the `aws:` id), and the catalogue's services are applied to every
resource (see `apply_catalogue`), a linked one claimed by patterns over either of its ids. Bad
input raises `InputError` with code `input.inventory` (`input.tfplan` for a document that is
not a plan).
"""

from __future__ import annotations

from dataclasses import replace

from interlock.impact.link import claimed_by_both, link, repoint
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
    linked = link(by_id.values(), edges)
    resources, edges = linked.resources, linked.edges
    _apply_catalogue(resources, edges, linked.aliases)
    source = snapshots[0].source if len(snapshots) == 1 else "merged"
    when = fetched_at or max((s.fetched_at for s in snapshots), default="")
    return build_snapshot(resources, edges, source, when)


def _apply_catalogue(resources: list[Resource], edges: list[Edge], aliases: dict[str, str]) -> None:
    """`apply_catalogue`, with each linked resource also offered under its other id (in place)."""
    views = [replace(r, id=aliases[r.id]) for r in resources if r.id in aliases]
    work = resources + views
    apply_catalogue(work, edges)
    resources[:] = work[: len(resources)]
    kept = {alias: i for i, r in enumerate(resources) if (alias := aliases.get(r.id))}
    for view, claimed in zip(views, work[len(resources) :], strict=True):
        i = kept[view.id]
        resources[i] = claimed_by_both(view, resources[i], claimed)
    edges[:] = repoint(edges, {alias: resources[i].id for alias, i in kept.items()})
