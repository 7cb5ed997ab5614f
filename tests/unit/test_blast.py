"""The blast radius of deleting and replacing things in the sample environment."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.impact.blast import Change, blast_radius
from interlock.impact.changes import changes_for
from interlock.impact.loaders import from_catalogue, from_kubernetes, from_tfstate, merge
from interlock.impact.model import Edge, Resource, build_snapshot
from interlock.parse.shell import analyze_shell

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "inventory"
DB = "tf:module.db.aws_db_instance.main"
NS = "k8s:prod-eu::namespace:shop"
PVC = "k8s:prod-eu:shop:persistentvolumeclaim:data-db-0"


@pytest.fixture(scope="module")
def env():
    return merge(
        from_tfstate((FIX / "prod.tfstate").read_text("utf-8")),
        from_kubernetes((FIX / "shop.k8s.json").read_text("utf-8"), context="prod-eu"),
        from_catalogue((FIX / "catalogue.yaml").read_text("utf-8")),
    )


def simulate(snapshot, command):
    return blast_radius(snapshot, changes_for(analyze_shell(command), snapshot))


def test_deleting_the_namespace_deletes_everything_in_it(env):
    report = simulate(env, "kubectl delete namespace shop --context prod-eu")
    assert NS in report.deleted and PVC in report.deleted
    assert len([d for d in report.deleted if ":shop:" in d]) == 12
    assert not any(":monitoring:" in d for d in report.deleted)
    assert "k8s:prod-eu::persistentvolume:pvc-5f1c2a" in report.deleted  # reclaim policy Delete
    assert report.services_impaired == ("checkout",)
    assert set(report.data_loss) == {PVC, "k8s:prod-eu::persistentvolume:pvc-5f1c2a"}
    assert report.env_root_teardown


def test_deleting_the_database_impairs_what_uses_it(env):
    report = simulate(env, "aws rds delete-db-instance --db-instance-identifier prod-main")
    assert report.deleted == (DB,)
    assert report.impaired == ("service:checkout", "service:orders-db", "tf:aws_ecs_service.api")
    assert report.services_impaired == ("checkout", "orders-db")
    assert report.data_loss == ()  # seven days of automated backups: a snapshot
    assert report.restore_minutes == 120  # the catalogue's figure


def test_deleting_the_database_without_a_final_snapshot_loses_its_data(env):
    cmd = "aws rds delete-db-instance --db-instance-identifier prod-main --skip-final-snapshot"
    assert simulate(env, cmd).data_loss == (DB,)


def test_deleting_the_vpc_impairs_everything_inside_it(env):
    report = simulate(env, "aws ec2 delete-vpc --vpc-id vpc-0a1b2c3d")
    assert report.deleted == ("tf:aws_vpc.main",)
    assert {DB, "tf:aws_lb.web", "tf:aws_subnet.private[1]"} <= set(report.impaired)
    assert report.env_root_teardown and report.restore_minutes == 30


def test_a_targeted_destroy_deletes_the_dependents_too(env):
    report = simulate(env, "terraform destroy -target=aws_vpc.main -auto-approve")
    assert DB in report.deleted and "tf:aws_ecs_service.api" in report.deleted
    # critical path: vpc 30 → subnets 10 → subnet group 5 → db 120 → ecs service 10
    assert report.restore_minutes == 175


@pytest.mark.parametrize(("backup", "lost"), [("snapshot", ()), ("none", (DB,)), ("verified", ())])
def test_replacing_the_database_loses_data_only_without_a_backup(env, backup, lost):
    res = [replace(r, backup=backup) if r.id == DB else r for r in env.resources]
    snap = build_snapshot(res, env.edges, env.source)
    report = simulate(snap, "terraform apply -replace=module.db.aws_db_instance.main")
    assert report.replaced == (DB,) and report.deleted == ()
    assert report.data_loss == lost
    impact = report.as_impact()
    assert (impact.deleted, impact.data_without_backup, impact.simulated) == (1, len(lost), True)
    assert impact.services_impaired == 2 and impact.digest == report.digest


def test_a_whole_destroy_deletes_every_terraform_resource(env):
    report = simulate(env, "terraform destroy -auto-approve")
    assert len(report.deleted) == sum(1 for r in env.resources if r.id.startswith("tf:"))


def test_scaling_to_zero_deletes_pods_not_the_workload(env):
    report = simulate(env, "kubectl scale deploy api --replicas=0 -n shop")
    assert report.changed == ("k8s:prod-eu:shop:deployment:api",)
    assert all(":pod:" in d for d in report.deleted) and len(report.deleted) == 2
    assert "k8s:prod-eu:shop:ingress:web" in report.impaired


def test_a_helm_uninstall_deletes_the_release(env):
    report = simulate(env, "helm uninstall shop-api -n shop")
    assert "k8s:prod-eu:shop:deployment:api" in report.deleted
    assert "k8s:prod-eu:shop:statefulset:db" not in report.deleted


def test_a_selector_and_a_read_and_another_context(env):
    assert len(simulate(env, "kubectl delete pods -l app=api -n shop").deleted) == 2
    assert simulate(env, "kubectl get pods -n shop").deleted == ()
    assert simulate(env, "kubectl delete ns shop --context staging").deleted == ()


def test_the_report_digest_is_stable_and_binds_the_snapshot(env):
    one = simulate(env, "kubectl delete namespace shop")
    assert one.digest == simulate(env, "kubectl delete namespace shop").digest
    assert one.digest.startswith("imp1:sha256:") and one.snapshot_digest == env.digest
    other = build_snapshot(env.resources[1:], env.edges, "x")
    assert simulate(other, "kubectl delete namespace shop").digest != one.digest


def test_changes_to_unknown_resources_are_reported_as_they_are():
    snap = build_snapshot([], [], "tfplan")
    report = blast_radius(snap, [Change("tf:a", "create"), Change("tf:b", "delete")])
    assert report.created == ("tf:a",) and report.deleted == ("tf:b",)


def test_the_strongest_effect_wins_and_a_cycle_does_not_loop():
    a = Resource("a", "x", "a", restore_minutes=5)
    b = Resource("b", "x", "b", restore_minutes=7)
    snap = build_snapshot([a, b], [Edge("a", "b"), Edge("b", "a")], "t")
    report = blast_radius(
        snap, [Change("a", "update"), Change("a", "delete"), Change("b", "replace")]
    )
    assert report.deleted == ("a",) and report.replaced == ("b",) and report.changed == ()
    assert report.restore_minutes == 12


KINDS = ["depends-on", "contains", "selects", "routes-to", "binds", "owns", "weird"]


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 25).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.sampled_from(KINDS))
            ),
            st.lists(
                st.tuples(
                    st.integers(0, n + 2),
                    st.sampled_from(["delete", "replace", "update", "create", "??"]),
                )
            ),
            st.lists(st.booleans(), min_size=n, max_size=n),
        )
    )
)
def test_blast_radius_never_raises_on_random_graphs(case):
    n, edges, changes, stateful = case
    res = [
        Resource(
            f"r{i}", "x", f"r{i}", stateful=stateful[i], restore_minutes=i, service=f"s{i % 3}"
        )
        for i in range(n)
    ]
    snap = build_snapshot(res, [Edge(f"r{a}", f"r{b}", k) for a, b, k in edges], "t")
    report = blast_radius(snap, [Change(f"r{i}", e) for i, e in changes])
    broken = set(report.deleted) | set(report.replaced)
    assert not broken & set(report.impaired)
    assert set(report.data_loss) <= broken
    assert report.restore_minutes <= sum(range(n))
    assert report.as_impact().simulated


def test_deleting_an_aws_stack_deletes_its_members_and_not_the_other_way_round():
    from interlock.impact.blast import Change, blast_radius
    from interlock.impact.model import Edge, Resource, build_snapshot

    stack = Resource("aws:cloudformation:stack:app", "stack", "app", tier="prod", env_root=True)
    bucket = Resource("aws:s3:bucket:logs", "s3-bucket", "logs", tier="prod", stateful=True)
    snap = build_snapshot([stack, bucket], [Edge(bucket.id, stack.id, "contains")], "aws", "")
    assert bucket.id in blast_radius(snap, [Change(stack.id, "delete")]).deleted
    assert stack.id not in blast_radius(snap, [Change(bucket.id, "delete")]).deleted
