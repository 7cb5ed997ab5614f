"""Blast radius on a 100,000-resource graph, and a 10,000-change Terraform plan (issue 4).

    .venv/bin/python bench/bench_blast.py [--resources 100000] [--changes 10000] [--runs 7]

Builds a synthetic estate shaped like the sample environment, repeated: per VPC, subnets,
security groups, a load balancer, ECS services, RDS instances and S3 buckets as Terraform
state; per namespace, deployments → replicasets → pods, Services selecting them, an ingress
and PVCs; a catalogue service per namespace. Times, as the median of `--runs`:

- `blast_radius` cold (the adjacency index built in the call) and warm (index cached by
  snapshot digest), for deleting one VPC, one namespace, and one database;
- a plan of `--changes` resource changes: `load_plan` + `plan_operations` + `changes_for` +
  `blast_radius`, and the same plus `resolve` and `evaluate` (the whole `simulate` decision).

Prints a Markdown table and writes bench/out/blast.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from interlock.impact import blast  # noqa: E402
from interlock.impact.blast import Change, blast_radius  # noqa: E402
from interlock.impact.changes import changes_for  # noqa: E402
from interlock.impact.model import Edge, Resource, build_snapshot  # noqa: E402


def estate(total: int):
    res: list[Resource] = []
    edges: list[Edge] = []
    v = 0
    while len(res) < total:
        _vpc(v, res, edges)
        _namespace(v, res, edges)
        v += 1
    return build_snapshot(res, edges, "merged", "2024-05-01T00:00:00+00:00")


def _vpc(v: int, res: list[Resource], edges: list[Edge]) -> None:
    vpc = f"tf:module.env{v}.aws_vpc.main"
    res.append(Resource(vpc, "vpc", f"vpc-{v}", "prod", restore_minutes=30, env_root=True))
    subnets = [f"tf:module.env{v}.aws_subnet.private[{i}]" for i in range(6)]
    for s in subnets:
        res.append(Resource(s, "subnet", s, "prod", restore_minutes=10))
        edges.append(Edge(s, vpc))
    sg = f"tf:module.env{v}.aws_security_group.app"
    lb = f"tf:module.env{v}.aws_lb.web"
    res += [Resource(sg, "security-group", sg, "prod", restore_minutes=5),
            Resource(lb, "load-balancer", lb, "prod", restore_minutes=15)]  # fmt: skip
    edges += [Edge(sg, vpc), Edge(lb, sg)] + [Edge(lb, s) for s in subnets]
    for d in range(20):
        db = f"tf:module.env{v}.aws_db_instance.db{d}"
        res.append(Resource(db, "db-instance", f"db-{v}-{d}", "prod", f"svc{v}", True,
                            "snapshot" if d % 2 else "none", restore_minutes=90))  # fmt: skip
        edges += [Edge(db, sg), Edge(db, subnets[d % 6])]
        for k in range(5):
            ecs = f"tf:module.env{v}.aws_ecs_service.s{d}_{k}"
            res.append(Resource(ecs, "ecs-service", ecs, "prod", f"svc{v}", restore_minutes=10))
            edges += [Edge(ecs, db), Edge(ecs, lb), Edge(ecs, subnets[k])]


def _namespace(v: int, res: list[Resource], edges: list[Edge]) -> None:
    ns = f"k8s:prod:{v}:namespace:ns{v}"
    svc = f"service:svc{v}"
    res += [Resource(ns, "namespace", f"ns{v}", "prod", restore_minutes=10, env_root=True),
            Resource(svc, "service", f"svc{v}", "prod", f"svc{v}", criticality="high")]  # fmt: skip
    for d in range(40):
        base = f"k8s:prod:ns{v}"
        dep, rs, ks = (
            f"{base}:deployment:d{d}",
            f"{base}:replicaset:d{d}-1",
            f"{base}:k8s-service:d{d}",
        )
        pvc = f"{base}:persistentvolumeclaim:d{d}"
        res += [Resource(dep, "deployment", f"d{d}", "prod", restore_minutes=5),
                Resource(rs, "replicaset", f"d{d}-1", "prod", restore_minutes=2),
                Resource(ks, "k8s-service", f"d{d}", "prod", restore_minutes=2),
                Resource(pvc, "persistentvolumeclaim", f"d{d}", "prod", stateful=True,
                         restore_minutes=30)]  # fmt: skip
        edges += [Edge(dep, ns, "contains"), Edge(rs, ns, "contains"), Edge(rs, dep, "owns"),
                  Edge(ks, ns, "contains"), Edge(pvc, ns, "contains"), Edge(svc, ks)]  # fmt: skip
        for p in range(8):
            pod = f"{base}:pod:d{d}-1-{p}"
            res.append(Resource(pod, "pod", f"d{d}-1-{p}", "prod", restore_minutes=2))
            edges += [Edge(pod, ns, "contains"), Edge(pod, rs, "owns"), Edge(ks, pod, "selects")]
            if p == 0:
                edges.append(Edge(pod, pvc))


def timed(fn, runs: int, before=None) -> float:
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def plan_doc(snapshot, n: int) -> str:
    tf = [r for r in snapshot.resources if r.id.startswith("tf:")][:n]
    kinds = [["update"], ["update"], ["delete"], ["delete", "create"], ["no-op"], ["create"]]
    changes = []
    for i, r in enumerate(tf):
        addr = r.id[3:]
        changes.append({"address": addr, "mode": "managed", "type": addr.split(".")[-2],
                        "change": {"actions": kinds[i % len(kinds)]}})  # fmt: skip
    return json.dumps({"format_version": "1.2", "resource_changes": changes})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--resources", type=int, default=100_000)
    ap.add_argument("--changes", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    t = time.perf_counter()
    snap = estate(a.resources)
    built = (time.perf_counter() - t) * 1000
    cold = blast._INDEXES.clear
    cases = {
        "delete one VPC": [Change("tf:module.env0.aws_vpc.main", "delete")],
        "delete one namespace": [Change("k8s:prod:0:namespace:ns0", "delete")],
        "delete one database": [Change("tf:module.env0.aws_db_instance.db0", "delete")],
    }
    rows = []
    for name, changes in cases.items():
        report = blast_radius(snap, changes)
        c = timed(lambda ch=changes: blast_radius(snap, ch), a.runs, cold)
        w = timed(lambda ch=changes: blast_radius(snap, ch), a.runs)
        rows.append((name, len(report.deleted), len(report.impaired), c, w))
    doc = plan_doc(snap, a.changes)
    from interlock.model import Mode
    from interlock.parse.tfplan import load_plan, plan_operations
    from interlock.policy.evaluate import evaluate
    from interlock.policy.packs import load_index
    from interlock.resolve import EMPTY, resolve

    index = load_index()

    def analyse():
        ops = plan_operations(load_plan(doc))
        return blast_radius(snap, changes_for(ops, snap)), ops

    def decide():
        _, ops = analyse()
        return evaluate(resolve(ops, EMPTY, None), index, Mode.GATEWAY)

    from interlock.impact.model import snapshot_from_json, snapshot_to_json

    text = snapshot_to_json(snap)
    load_ms = timed(lambda: snapshot_from_json(text), 3)
    report, _ = analyse()
    plan_ms = timed(analyse, a.runs)
    decide_ms = timed(decide, max(3, a.runs // 2))
    print(f"estate: {len(snap.resources):,} resources, {len(snap.edges):,} edges "
          f"(built and digested in {built:.0f} ms)\n")  # fmt: skip
    print("| case | deleted | impaired | cold ms | warm ms |\n|---|---|---|---|---|")
    for name, d, i, c, w in rows:
        print(f"| {name} | {d:,} | {i:,} | {c:.1f} | {w:.1f} |")
    print(f"\n| {a.changes:,}-change plan | ms |\n|---|---|")
    print(f"| load + operations + changes_for + blast_radius | {plan_ms:.0f} |")
    print(f"| … + resolve + evaluate (the simulate decision) | {decide_ms:.0f} |")
    print(
        f"| loading the {len(text) // 2**20} MiB snapshot file (parse + digest check) | {load_ms:.0f} |"
    )
    print(f"\nplan blast radius: deleted {len(report.deleted):,}, replaced {len(report.replaced):,}, "
          f"impaired {len(report.impaired):,}")  # fmt: skip
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "blast.json").write_text(json.dumps({
        "resources": len(snap.resources), "edges": len(snap.edges),
        "cases": [dict(zip(["case", "deleted", "impaired", "cold_ms", "warm_ms"], r, strict=True)) for r in rows],
        "plan_changes": a.changes, "plan_ms": plan_ms, "plan_decide_ms": decide_ms, "snapshot_load_ms": load_ms,
    }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
