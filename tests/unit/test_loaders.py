"""Each inventory loader on a small realistic fixture, and bad input refused with its code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interlock.impact.loaders import (
    from_catalogue,
    from_kubernetes,
    from_tfplan,
    from_tfstate,
    merge,
)
from interlock.impact.model import Edge
from interlock.model.errors import InputError

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "inventory"
TFPLANS = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "tfplans"


def fixture(name: str) -> str:
    return (FIX / name).read_text("utf-8")


@pytest.fixture(scope="module")
def tf():
    return from_tfstate(fixture("prod.tfstate"), fetched_at="2024-05-01T00:00:00+00:00")


@pytest.fixture(scope="module")
def k8s():
    return from_kubernetes(fixture("shop.k8s.json"), context="prod-eu")


# ---- terraform state ------------------------------------------------------------------------


def test_state_instances_become_resources_with_module_and_index_addresses(tf):
    ids = {r.id for r in tf.resources}
    assert {"tf:aws_subnet.private[0]", "tf:aws_subnet.private[1]"} <= ids
    assert "tf:module.db.aws_db_instance.main" in ids
    assert not any("data." in i for i in ids)  # data sources are read, never owned
    assert tf.source == "tfstate" and tf.fetched_at == "2024-05-01T00:00:00+00:00"


def test_state_dependencies_become_edges_to_every_instance(tf):
    edges = set(tf.edges)
    assert Edge("tf:aws_lb.web", "tf:aws_subnet.private[0]") in edges
    assert Edge("tf:aws_lb.web", "tf:aws_subnet.private[1]") in edges
    assert (
        Edge("tf:module.db.aws_db_instance.main", "tf:module.db.aws_db_subnet_group.main") in edges
    )


def test_state_resources_know_kind_name_tier_backup_and_roots(tf):
    res = tf.by_id()
    db = res["tf:module.db.aws_db_instance.main"]
    assert (db.kind, db.name, db.tier, db.stateful, db.backup) == (
        "db-instance", "prod-main", "prod", True, "snapshot"
    )  # fmt: skip
    assert db.attr("region") == "eu-west-1" and db.attr("arn").startswith("arn:aws:rds")
    assert res["tf:aws_vpc.main"].env_root and res["tf:aws_vpc.main"].attr("id") == "vpc-0a1b2c3d"
    assert (
        res["tf:aws_s3_bucket.assets"].stateful
        and res["tf:aws_s3_bucket.assets"].kind == "s3-bucket"
    )
    assert not res["tf:aws_security_group.app"].stateful
    assert res["tf:aws_lb.web"].kind == "load-balancer"


def test_state_values_other_than_names_and_ids_are_not_copied(tf):
    assert "hunter2" not in json.dumps([r.attrs for r in tf.resources])


def test_a_backup_tag_overrides_what_the_provider_says():
    state = json.loads(fixture("prod.tfstate"))
    db = next(r for r in state["resources"] if r["type"] == "aws_db_instance")
    db["instances"][0]["attributes"]["tags"]["Backup"] = "verified"
    res = from_tfstate(state).by_id()
    assert res["tf:module.db.aws_db_instance.main"].backup == "verified"


def _state(*blocks: tuple[str, dict]) -> dict:
    resources = [
        {"mode": "managed", "type": rtype, "name": f"r{i}", "instances": [{"attributes": attrs}]}
        for i, (rtype, attrs) in enumerate(blocks)
    ]
    return {"version": 4, "resources": resources}


@pytest.mark.parametrize(
    ("rtype", "stateful"),
    [("aws_db_instance", True), ("aws_rds_cluster", True), ("aws_s3_bucket", True),
     ("aws_dynamodb_table", True), ("aws_efs_file_system", True), ("aws_ebs_volume", True),
     ("aws_elasticache_replication_group", True), ("aws_sqs_queue", True),
     ("google_sql_database_instance", True), ("azurerm_storage_account", True),
     ("aws_s3_bucket_versioning", False), ("aws_s3_bucket_policy", False),
     ("aws_db_parameter_group", False), ("aws_rds_cluster_endpoint", False),
     ("aws_dynamodb_table_item", False), ("aws_ebs_volume_attachment", False),
     ("aws_db_subnet_group", False)],
)  # fmt: skip
def test_a_type_is_stateful_by_its_exact_name(rtype, stateful):
    (r,) = from_tfstate(_state((rtype, {"id": "x"}))).resources
    assert r.stateful is stateful


@pytest.mark.parametrize(
    ("bucket", "beside", "backup"),
    [
        ({"versioning": [{"enabled": True}]}, None, "unknown"),  # versions go with the bucket
        ({"versioning": [{"enabled": False}]}, None, "none"),
        ({"versioning": [{"enabled": False}]}, ("aws_s3_bucket_versioning",
         {"bucket": "b", "versioning_configuration": [{"status": "Enabled"}]}), "unknown"),
        ({"versioning": [{"enabled": True}]}, ("aws_s3_bucket_versioning",
         {"bucket": "b", "versioning_configuration": [{"status": "Suspended"}]}), "none"),
        ({"versioning": [{"enabled": True}], "replication_configuration": [{"rules": [{}]}]},
         None, "snapshot"),
        ({"versioning": [{"enabled": False}]}, ("aws_s3_bucket_replication_configuration",
         {"bucket": "b", "rule": [{"id": "all"}]}), "snapshot"),
        ({}, None, "unknown"),  # the state says nothing about it
    ],
)  # fmt: skip
def test_a_bucket_is_backed_up_as_the_aws_collector_says(bucket, beside, backup):
    doc = _state(
        ("aws_s3_bucket", {"id": "b", "bucket": "b", **bucket}), *([beside] * bool(beside))
    )
    res = from_tfstate(doc).by_id()
    assert res["tf:aws_s3_bucket.r0"].backup == backup
    assert not any(r.stateful for r in res.values() if r.kind != "s3-bucket")


@pytest.mark.parametrize(
    "doc",
    ["{not json", "[]", '{"version": 3, "resources": []}', '{"version": 4}',
     '{"resource_changes": [], "format_version": "1.2"}'],
)  # fmt: skip
def test_bad_states_are_refused(doc):
    with pytest.raises(InputError) as err:
        from_tfstate(doc)
    assert err.value.code == "input.inventory"


# ---- terraform plan -------------------------------------------------------------------------


def test_a_plan_gives_its_prior_state_and_configuration_references():
    snap = from_tfplan(fixture("replace-db.tfplan.json"))
    assert [r.id for r in snap.resources] == [
        "tf:aws_ecs_service.api", "tf:aws_vpc.main", "tf:module.db.aws_db_instance.main"
    ]  # fmt: skip
    db = snap.by_id()["tf:module.db.aws_db_instance.main"]
    assert db.backup == "none" and db.stateful and db.tier == "prod"
    edges = set(snap.edges)
    assert Edge("tf:module.db.aws_db_instance.main", "tf:aws_vpc.main") in edges  # depends_on
    assert (
        Edge("tf:aws_ecs_service.api", "tf:module.db.aws_db_instance.main") in edges
    )  # module ref


def test_a_state_is_refused_as_a_plan():
    with pytest.raises(InputError) as err:
        from_tfplan(fixture("prod.tfstate"))
    assert err.value.code == "input.tfplan"


@pytest.mark.skipif(not TFPLANS.is_dir(), reason="shared fixtures not present")
def test_every_shared_plan_loads():
    for path in sorted(TFPLANS.glob("*.json")):
        if not path.name.endswith(".meta.json"):
            from_tfplan(path.read_text("utf-8"))


# ---- kubernetes -----------------------------------------------------------------------------

NS = "k8s:prod-eu::namespace:shop"
RS = "k8s:prod-eu:shop:replicaset:api-7d9f8b6c5d"
POD = "k8s:prod-eu:shop:pod:api-7d9f8b6c5d-x2k4p"
PVC = "k8s:prod-eu:shop:persistentvolumeclaim:data-db-0"
PV = "k8s:prod-eu::persistentvolume:pvc-5f1c2a"


def test_kubernetes_objects_get_ids_by_context_namespace_kind_and_name(k8s):
    res = k8s.by_id()
    assert res[NS].env_root and res[NS].tier == "prod"
    assert res["k8s:prod-eu:shop:k8s-service:api"].kind == "k8s-service"
    assert res[PVC].stateful and res[PV].stateful
    assert res[POD].attr("label:app") == "api"
    assert res["k8s:prod-eu:shop:deployment:api"].attr("helm-release") == "shop-api"


def test_kubernetes_edges_follow_owners_selectors_ingress_and_claims(k8s):
    edges = set(k8s.edges)
    assert Edge(POD, NS, "contains") in edges
    assert Edge(POD, RS, "owns") in edges
    assert Edge(RS, "k8s:prod-eu:shop:deployment:api", "owns") in edges
    assert Edge("k8s:prod-eu:shop:k8s-service:api", POD, "selects") in edges
    assert (
        Edge("k8s:prod-eu:shop:k8s-service:api", "k8s:prod-eu:shop:pod:db-0", "selects")
        not in edges
    )
    assert (
        Edge("k8s:prod-eu:shop:ingress:web", "k8s:prod-eu:shop:k8s-service:api", "routes-to")
        in edges
    )
    assert Edge(PVC, PV, "binds") in edges
    assert Edge(PV, PVC, "owns") in edges  # reclaim policy Delete: the volume goes with its claim
    assert Edge("k8s:prod-eu:shop:pod:db-0", PVC, "depends-on") in edges
    assert Edge(POD, "k8s:prod-eu:shop:configmap:api-config", "depends-on") in edges


def test_a_namespace_the_list_only_names_is_added():
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "batch"}}
    snap = from_kubernetes({"kind": "List", "items": [pod]})
    assert {r.id for r in snap.resources} == {"k8s:::namespace:batch", "k8s::batch:pod:p"}
    assert snap.edges == (Edge("k8s::batch:pod:p", "k8s:::namespace:batch", "contains"),)


def test_one_object_loads_like_a_list():
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "staging-eu"}}
    (r,) = from_kubernetes(json.dumps(ns)).resources
    assert r.kind == "namespace" and r.tier == "staging"


@pytest.mark.parametrize(
    "doc", ["nope", "[]", '{"items": []}', '{"kind": "List", "items": [{"kind": "Pod"}]}']
)
def test_bad_kubernetes_input_is_refused(doc):
    with pytest.raises(InputError) as err:
        from_kubernetes(doc)
    assert err.value.code == "input.inventory"


# ---- catalogue and merge --------------------------------------------------------------------


def test_catalogue_services_are_resources_that_depend_on_each_other():
    snap = from_catalogue(fixture("catalogue.yaml"))
    res = snap.by_id()
    assert res["service:checkout"].kind == "service"
    assert res["service:checkout"].criticality == "critical"
    assert res["service:checkout"].attr("customers") == "12000"
    assert Edge("service:checkout", "service:orders-db") in snap.edges


def test_merge_gives_claimed_resources_their_service_and_overrides(tf, k8s):
    snap = merge(tf, k8s, from_catalogue(fixture("catalogue.yaml")))
    res = snap.by_id()
    assert snap.source == "merged" and snap.fetched_at == "2024-05-01T00:00:00+00:00"
    db = res["tf:module.db.aws_db_instance.main"]
    assert (db.service, db.criticality, db.restore_minutes) == ("orders-db", "critical", 120)
    assert res["tf:aws_lb_listener.https"].service == "checkout"  # glob `tf:aws_lb*`
    assert res[POD].service == "checkout"
    assert res["tf:aws_vpc.main"].service == ""
    assert Edge("service:checkout", "tf:aws_ecs_service.api") in snap.edges
    assert merge(snap).digest == snap.digest  # applying the catalogue twice changes nothing


@pytest.mark.parametrize(
    "text",
    [
        "services: 3",
        "::: not yaml",
        "services: [{criticality: high}]",
        "services: [{name: a, owner: me}]",
        "services: [{name: a, criticality: urgent}]",
        "services: [{name: a, depends_on: [b]}]",
        "services: [{name: a}, {name: a}]",
        "services: [{name: a, resources: [{id: x, backup: tape}]}]",
        "services: [{name: a, resources: [{id: x, restore_minutes: -1}]}]",
        "services: [{name: a, resources: x}]",
        "extra: 1\nservices: []",
    ],
)
def test_bad_catalogues_are_refused(text):
    with pytest.raises(InputError) as err:
        from_catalogue(text)
    assert err.value.code == "input.inventory"
