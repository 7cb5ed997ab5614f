"""Terraform plans across providers: `interlock simulate --tfplan` on the plans in
tests/fixtures/tfplans-extra (GCP, Azure, Kubernetes, AWS, other providers, Terraform 1.7+ state
changes, future actions, a large plan), and the one table of Terraform types behind it
(`interlock.parse.tftypes`) as every judge of a type uses it.

Counts, lists and labels come from each plan's `.meta.json` (computed apart from Interlock);
verdicts and rule ids from `cases.yaml`. Everything runs through `interlock.cli.main.main` as a
user runs it, with `TF_WORKSPACE` set in the environment where a case names a workspace.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

from interlock.cli.main import main
from interlock.model import Effect
from interlock.parse import tftypes
from interlock.parse.tfplan import load_plan, plan_operations

PLANS = Path(__file__).parent / "fixtures" / "tfplans-extra"
METAS = sorted(PLANS.glob("*.meta.json"))
CASES = yaml.safe_load((PLANS / "cases.yaml").read_text("utf-8"))
CASE_KEYS = {
    "note", "plan", "args", "workspace", "workstation", "gateway", "gateway_approvals", "rules",
    "not_rules",
}  # fmt: skip
MODES = ("workstation", "gateway")


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def simulate(plan: str | Path, *extra: str) -> tuple[int, dict]:
    code, out, err = run("simulate", "--tfplan", str(plan), "--json", *extra)
    assert out, err
    return code, json.loads(out)


def plan_path(name: str) -> Path:
    return PLANS / f"{name}.json"


def ops_of(name: str) -> dict[str, list]:
    """The operations of a fixture plan, by address (deposed objects share one)."""
    out: dict[str, list] = {}
    for op in plan_operations(load_plan(plan_path(name).read_text("utf-8"))):
        out.setdefault(op.targets[0].name, []).append(op)
    return out


def one_plan(*entries: tuple[str, str, list[str]], mode: str = "managed") -> str:
    changes = [
        {"address": a, "mode": mode, "type": t, "name": a.rsplit(".", 1)[-1],
         "change": {"actions": acts, "before": None, "after": None}}
        for a, t, acts in entries
    ]  # fmt: skip
    return json.dumps({"format_version": "1.2", "terraform_version": "1.9.8",
                       "resource_changes": changes})  # fmt: skip


# ---- every plan equals its meta ---------------------------------------------------------------


def test_there_is_a_plan_for_every_provider_family_and_shape():
    names = {m.name.removesuffix(".meta.json") for m in METAS}
    assert len(names) >= 12 and {p["plan"] for p in CASES} <= names


@pytest.mark.parametrize("meta", METAS, ids=lambda p: p.name.removesuffix(".meta.json"))
def test_simulate_reports_exactly_the_counts_lists_and_label_of_the_meta(meta):
    want = json.loads(meta.read_text("utf-8"))
    code, got = simulate(PLANS / want["file"])
    assert code in (0, 2, 3)
    assert got["counts"] == want["action_counts"]
    assert got["resource_changes_total"] == want["resource_changes_total"]
    assert got["deleted"] == want["deleted"]
    assert got["replaced"] == want["replaced"]
    assert got["label"] == want["derived_label"]
    assert (got["terraform_version"], got["format_version"]) == (
        want["terraform_version"],
        want["format_version"],
    )


# ---- verdicts and rule ids, from cases.yaml -----------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c["note"] for c in CASES])
def test_case(case, monkeypatch):
    assert set(case) <= CASE_KEYS and any(m in case for m in MODES), case
    if case.get("workspace"):
        monkeypatch.setenv("TF_WORKSPACE", case["workspace"])
    fired: set[str] = set()
    for mode in (m for m in MODES if m in case):
        code, got = simulate(plan_path(case["plan"]), *case.get("args", ()), "--mode", mode)
        fired |= set(got["rules"])
        assert got["verdict"] == case[mode], f"{mode}: {got['rules']}: {got['reason']}"
        assert code == {"allow": 0, "deny": 2, "ask": 3}[case[mode]]
        if mode == "gateway" and "gateway_approvals" in case:
            assert got["approvals"] == case["gateway_approvals"]
    assert set(case.get("rules", ())) <= fired, sorted(fired)
    assert not set(case.get("not_rules", ())) & fired, sorted(fired)


# ---- what holds data: settings around a store are not the store --------------------------------


@pytest.mark.parametrize("name", ["aws-settings-only-delete", "gcp-settings-only-delete"])
def test_deleting_only_settings_around_stores_tags_nothing_stateful(name):
    deletes = [op for ops in ops_of(name).values() for op in ops if op.action == "plan-delete"]
    assert len(deletes) >= 5
    assert all("stateful" not in op.tags for op in deletes)


def test_the_stores_in_a_plan_are_tagged_and_their_settings_are_not():
    ops = ops_of("azure-resource-group-destroy")
    stateful = {addr for addr, found in ops.items() if "stateful" in found[0].tags}
    assert stateful == {
        "azurerm_key_vault.main",
        "azurerm_key_vault_secret.db_password",
        "azurerm_postgresql_flexible_server.main",
        "azurerm_postgresql_flexible_server_database.billing",
        "azurerm_storage_account.data",
        "azurerm_storage_container.invoices",
    }


def test_kubernetes_volume_claims_hold_data_and_the_statefulset_does_not():
    ops = ops_of("k8s-namespace-pvc-delete")
    claims = [a for a in ops if "persistent_volume_claim_v1" in a]
    assert len(claims) == 2 and all("stateful" in ops[a][0].tags for a in claims)
    assert "stateful" not in ops["module.shop.kubernetes_stateful_set_v1.postgres"][0].tags
    assert "stateful" not in ops["module.shop.kubernetes_namespace_v1.this"][0].tags


def test_a_deposed_volume_is_a_stateful_deletion_of_its_own():
    ops = ops_of("create-before-destroy-deposed")["aws_ebs_volume.data"]
    assert [op.action for op in ops] == ["plan-delete", "plan-no-op"]
    assert {"deposed", "stateful"} <= ops[0].tags
    _code, got = simulate(plan_path("create-before-destroy-deposed"))
    assert got["deposed"] == [
        {"address": "aws_ebs_volume.data", "deposed": "0f4d2a91"},
        {"address": "aws_instance.web", "deposed": "6cd1ae47"},
    ]


def test_create_before_destroy_replacements_keep_their_order_and_tag():
    ops = ops_of("create-before-destroy-deposed")
    tg = ops["aws_lb_target_group.blue"][0]
    assert tg.action == "plan-replace" and {"replace", "create-before-destroy"} <= tg.tags


def test_moved_and_imported_resources_are_reported():
    _code, got = simulate(plan_path("moved-import-forget"))
    assert got["moved"] == [
        {"address": "aws_iam_role.app", "previous_address": "aws_iam_role.service"},
        {"address": "module.network.aws_vpc.this", "previous_address": "aws_vpc.main"},
    ]
    assert got["importing"] == ["aws_dynamodb_table.sessions", "aws_s3_bucket.uploads"]


def test_data_sources_read_during_apply_are_reads():
    _code, got = simulate(plan_path("data-reads"))
    assert got["data_reads"] == [
        "data.aws_iam_policy_document.assume",
        "data.http.health",
        "module.eks.data.aws_eks_cluster_auth.this",
    ]
    reads = [op for ops in ops_of("data-reads").values() for op in ops if op.action == "plan-read"]
    assert len(reads) == 3 and all(op.effect is Effect.READ for op in reads)


# ---- forget destroys nothing; an unknown action is never allowed ------------------------------

ENVS = [(), ("--env", "prod"), ("--env", "staging"), ("--env", "local")]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("env", ENVS, ids=lambda e: " ".join(e) or "plan")
@pytest.mark.parametrize("workspace", [None, "prod"])
def test_forgetting_is_asked_in_every_mode_and_environment_never_denied(
    mode, env, workspace, monkeypatch
):
    if workspace:
        monkeypatch.setenv("TF_WORKSPACE", workspace)
    code, got = simulate(plan_path("forget-only"), *env, "--mode", mode)
    assert (code, got["verdict"]) == (3, "ask")
    assert "terraform.state-surgery" in got["rules"]
    assert got["counts"]["other"] == 2 and got["deleted"] == [] and got["replaced"] == []


def test_forget_and_create_forget_are_writes_that_destroy_nothing():
    ops = ops_of("moved-import-forget")
    forgets = [ops["aws_db_instance.legacy"][0], ops["aws_s3_bucket.archive"][0]]
    assert {op.action for op in forgets} == {"plan-forget"}
    bastion = ops["aws_instance.bastion"][0]
    assert bastion.action == "plan-create-forget" and "replace" not in bastion.tags
    for op in [*forgets, bastion]:
        assert op.effect is Effect.WRITE and "state-surgery" in op.tags


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("env", [*ENVS, ("--env", "dev")], ids=lambda e: " ".join(e) or "plan")
@pytest.mark.parametrize(
    "entry",
    [
        ("aws_s3_bucket.reports", "aws_s3_bucket", ["archive"]),
        ("aws_instance.web", "aws_instance", ["delete", "forget"]),
        ("null_resource.x", "null_resource", []),
    ],
    ids=["archive", "delete+forget", "no-actions"],
)
def test_an_action_interlock_does_not_know_is_never_allowed(mode, env, entry):
    code, out, _err = run(
        "simulate", "--tfplan", "-", "--json", *env, "--mode", mode, stdin=one_plan(entry)
    )
    got = json.loads(out)
    assert got["verdict"] in ("ask", "deny") and code in (2, 3)
    assert got["counts"]["other"] == 1 and got["label"] == "risky"


def test_an_unknown_action_on_a_data_source_is_still_not_allowed():
    doc = one_plan(("data.aws_ami.al2023", "aws_ami", ["refresh"]), mode="data")
    code, out, _err = run("simulate", "--tfplan", "-", "--json", stdin=doc)
    assert code == 3 and json.loads(out)["rules"] == ["terraform.plan-delete"]


def test_unknown_actions_are_tagged_so_policies_can_name_them():
    ops = ops_of("future-action")
    archive = ops["aws_s3_bucket.reports"][0]
    assert archive.action == "plan-other" and archive.effect is Effect.DESTROY
    assert {"unknown-action", "stateful"} <= archive.tags


# ---- the type table ---------------------------------------------------------------------------

STATEFUL = [
    # AWS
    "aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster",
    "aws_redshift_cluster", "aws_elasticache_replication_group", "aws_memorydb_cluster",
    "aws_dynamodb_table", "aws_s3_bucket", "aws_efs_file_system", "aws_fsx_lustre_file_system",
    "aws_ebs_volume", "aws_backup_vault", "aws_kms_key", "aws_kinesis_stream", "aws_msk_cluster",
    "aws_sqs_queue", "aws_opensearch_domain", "aws_timestreamwrite_table", "aws_qldb_ledger",
    "aws_ecr_repository", "aws_secretsmanager_secret", "aws_glacier_vault", "aws_db_snapshot",
    # Google Cloud
    "google_sql_database_instance", "google_sql_database", "google_spanner_database",
    "google_bigtable_instance", "google_bigquery_dataset", "google_bigquery_table",
    "google_storage_bucket", "google_filestore_instance", "google_firestore_database",
    "google_redis_instance", "google_pubsub_subscription", "google_kms_crypto_key",
    "google_compute_disk",
    # Azure
    "azurerm_storage_account", "azurerm_storage_container", "azurerm_storage_share",
    "azurerm_mssql_server", "azurerm_mssql_database", "azurerm_postgresql_flexible_server",
    "azurerm_mysql_flexible_server", "azurerm_cosmosdb_account", "azurerm_cosmosdb_sql_container",
    "azurerm_redis_cache", "azurerm_managed_disk", "azurerm_key_vault",
    # Kubernetes and others
    "kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1",
    "kubernetes_persistent_volume_v1", "digitalocean_database_cluster", "digitalocean_volume",
    "digitalocean_spaces_bucket", "cloudflare_r2_bucket", "mongodbatlas_advanced_cluster",
    "snowflake_database", "snowflake_schema", "snowflake_table",
]  # fmt: skip
NOT_STATEFUL = [
    "aws_s3_bucket_versioning", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_policy",
    "aws_s3_bucket_acl", "aws_s3_bucket_public_access_block", "aws_db_parameter_group",
    "aws_rds_cluster_parameter_group", "aws_db_option_group", "aws_db_subnet_group",
    "aws_rds_cluster_endpoint", "aws_rds_cluster_instance", "aws_elasticache_parameter_group",
    "aws_kms_alias", "aws_secretsmanager_secret_version", "aws_volume_attachment",
    "aws_efs_mount_target", "aws_sqs_queue_policy", "aws_sns_topic", "aws_iam_role",
    "aws_instance", "aws_glue_catalog_database", "google_storage_bucket_iam_member",
    "google_compute_attached_disk", "google_sql_user", "google_kms_key_ring",
    "azurerm_mssql_firewall_rule", "azurerm_storage_blob", "azurerm_key_vault_access_policy",
    "kubernetes_stateful_set_v1", "kubernetes_namespace_v1", "kubernetes_deployment",
    "snowflake_warehouse", "mongodbatlas_database_user", "datadog_monitor", "null_resource",
]  # fmt: skip
ROOTS = [
    "aws_vpc", "aws_eks_cluster", "aws_ecs_cluster", "aws_cloudformation_stack",
    "aws_organizations_account", "aws_db_instance", "aws_rds_cluster", "google_project",
    "google_compute_network", "google_container_cluster", "google_sql_database_instance",
    "azurerm_resource_group", "azurerm_virtual_network", "azurerm_kubernetes_cluster",
    "azurerm_mssql_server", "kubernetes_namespace", "kubernetes_namespace_v1",
    "digitalocean_kubernetes_cluster", "digitalocean_vpc",
]  # fmt: skip
NOT_ROOTS = [
    "aws_sns_topic_subscription", "aws_codebuild_project", "aws_emr_cluster", "aws_dax_cluster",
    "aws_service_discovery_private_dns_namespace", "aws_elasticache_cluster", "aws_s3_bucket",
    "google_pubsub_subscription", "google_project_service", "google_project_iam_member",
    "cloudflare_workers_kv_namespace", "kubernetes_persistent_volume_claim_v1", "aws_subnet",
]  # fmt: skip


@pytest.mark.parametrize("rtype", STATEFUL)
def test_stores_hold_data(rtype):
    assert tftypes.is_stateful(rtype) and tftypes.facts(rtype).kind


@pytest.mark.parametrize("rtype", NOT_STATEFUL)
def test_settings_compute_and_unknown_types_hold_no_data(rtype):
    assert not tftypes.is_stateful(rtype)


@pytest.mark.parametrize("rtype", ROOTS)
def test_environment_roots(rtype):
    assert tftypes.is_env_root(rtype)


@pytest.mark.parametrize("rtype", NOT_ROOTS)
def test_types_that_only_end_like_a_root_are_not_roots(rtype):
    assert not tftypes.is_env_root(rtype)


def test_every_type_is_listed_once_under_a_known_kind():
    listed = [t for _kind, types in tftypes._ROWS for t in types.split()]
    assert len(listed) == len(set(listed)) == len(tftypes.TYPES)
    negative = {"config", "compute", "catalog", "topic", "logs"}
    assert {k for k, _ in tftypes._ROWS} <= tftypes.DATA_KINDS | tftypes.ROOT_KINDS | negative
    assert all(t == t.lower() and "-" not in t for t in listed)


@pytest.mark.parametrize(
    ("rtype", "kind"),
    [
        ("kubernetes_persistent_volume_claim_v2", "volume"),  # a future version of a known type
        ("openstack_blockstorage_volume_v4", "volume"),
        ("scaleway_rdb_database", "database"),  # an unlisted provider, by its name's ending
        ("exoscale_sos_bucket", "bucket"),
        ("acme_file_system", "file-system"),
        ("ibm_is_vpc", "network"),
        ("acme_resource_group", "resource-group"),
        ("acme_cluster", ""),  # too common an ending to guess
        ("datadog_monitor", ""),
    ],
)
def test_types_the_table_does_not_list_are_judged_by_their_name(rtype, kind):
    assert tftypes.kind_of(rtype) == kind


@pytest.mark.parametrize(
    ("address", "rtype"),
    [
        ("aws_s3_bucket.logs", "aws_s3_bucket"),
        ("aws_s3_bucket.logs[0]", "aws_s3_bucket"),
        ('module.data["eu.west"].aws_s3_bucket.logs["a.b"]', "aws_s3_bucket"),
        (
            'module.a["x]y"].module.b[2].google_sql_database_instance.main',
            "google_sql_database_instance",
        ),
        ("module.eks.data.aws_eks_cluster_auth.this", "aws_eks_cluster_auth"),
        ("data.aws_ami.ubuntu", "aws_ami"),
        ("module.db", ""),
        ("", ""),
    ],
)
def test_the_type_is_found_behind_modules_indexes_and_data(address, rtype):
    assert tftypes.type_of(address) == rtype


# ---- every judge of a type reads the same table ------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_replacing_bucket_versioning_in_prod_is_not_data_loss_on_the_command_line(mode):
    cmd = "TF_WORKSPACE=prod terraform apply -replace=aws_s3_bucket_versioning.logs"
    code, out, _err = run("check", "--json", "--mode", mode, "--", cmd)
    assert "terraform.replace-stateful-prod" not in json.loads(out)["rules"]
    assert code == (3 if mode == "gateway" else 2)  # asked; a workstation denies prod destroys
    bucket = 'TF_WORKSPACE=prod terraform apply -replace=module.data["eu.west"].aws_s3_bucket.logs'
    code, out, _err = run("check", "--json", "--mode", mode, "--", bucket)
    assert code == 2 and "terraform.replace-stateful-prod" in json.loads(out)["rules"]


@pytest.mark.parametrize(
    ("address", "root"),
    [
        ("aws_codebuild_project.ci", False),
        ("aws_sns_topic_subscription.alerts", False),
        ("module.k8s.google_container_cluster.main", True),
        ("azurerm_resource_group.main", True),
    ],
)
def test_replacing_a_prod_resource_is_a_teardown_only_for_environment_roots(address, root):
    code, out, _err = run(
        "check",
        "--json",
        "--mode",
        "gateway",
        "--",
        f"TF_WORKSPACE=prod terraform apply -replace={address}",
    )
    assert ("invariant.no-env-teardown" in json.loads(out)["rules"]) is root
    assert code == (2 if root else 3)
    doc = one_plan((address, tftypes.type_of(address), ["delete", "create"]))
    code, out, _err = run(
        "simulate", "--tfplan", "-", "--json", "--mode", "gateway", "--env", "prod", stdin=doc
    )
    assert ("invariant.no-env-teardown" in json.loads(out)["rules"]) is root
    assert code == (2 if root else 3)


def test_an_inventory_from_a_plan_marks_stores_and_roots_from_the_same_table():
    code, out, err = run(
        "inventory", "collect", "--tfplan", str(plan_path("aws-settings-only-delete")),
        "--tfplan", str(plan_path("k8s-namespace-pvc-delete")), "--tier", "prod",
    )  # fmt: skip
    assert code == 0, err
    res = {r["id"].removeprefix("tf:"): r for r in json.loads(out)["resources"]}
    stateful = {a for a, r in res.items() if r["stateful"]}
    roots = {a for a, r in res.items() if r["env_root"]}
    assert stateful == {
        "aws_rds_cluster.orders",
        "kubernetes_persistent_volume_v1.backups",
        'module.shop.kubernetes_persistent_volume_claim_v1.data["postgres-0"]',
        'module.shop.kubernetes_persistent_volume_claim_v1.data["redis-0"]',
    }
    assert roots == {"aws_rds_cluster.orders", "module.shop.kubernetes_namespace_v1.this"}


def test_a_plan_with_an_inventory_of_its_own_prior_state_finds_the_data_it_loses(tmp_path):
    snap = tmp_path / "snapshot.json"
    plan = str(plan_path("azure-resource-group-destroy"))
    code, _out, err = run("inventory", "collect", "--tfplan", plan, "-o", str(snap))
    assert code == 0, err
    code, got = simulate(plan, "--inventory", str(snap), "--mode", "gateway")
    assert code == 2 and got["impact"]["env_root_teardown"] is True
    assert "tf:azurerm_postgresql_flexible_server.main" in got["impact"]["data_loss"]
    assert (
        "tf:azurerm_postgresql_flexible_server_firewall_rule.office"
        not in got["impact"]["data_loss"]
    )
