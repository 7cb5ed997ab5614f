"""What every loader shares: resource kinds, restore times, environment roots, tiers, errors.

Ids: `tf:<address>` (Terraform state and plans), `k8s:<context>:<namespace>:<kind>:<name>`
(Kubernetes; cluster-scoped objects have an empty namespace), `service:<name>` (the catalogue).
Terraform types become kinds by dropping the provider and turning `_` into `-`, with the
aliases in `_TF_KINDS` (`aws_db_instance` → `db-instance`, `aws_s3_bucket` → `s3-bucket`).
A Kubernetes Service is kind `k8s-service`: kind `service` is a catalogue service.
A Terraform type is stateful when it is one of `STATEFUL_TYPES`, by its exact name.
"""

from __future__ import annotations

from typing import Any

from interlock.model.errors import InputError

CODE = "input.inventory"

_TF_KINDS = {
    "aws_lb": "load-balancer", "aws_alb": "load-balancer", "aws_elb": "load-balancer",
    "aws_lb_listener": "lb-listener", "aws_alb_listener": "lb-listener",
    "aws_lb_target_group": "target-group", "aws_alb_target_group": "target-group",
    "aws_rds_cluster": "db-cluster", "aws_instance": "instance",
    "aws_cloudformation_stack": "stack", "google_container_cluster": "gke-cluster",
    "azurerm_kubernetes_cluster": "aks-cluster", "kubernetes_namespace": "namespace",
    "kubernetes_namespace_v1": "namespace",
}  # fmt: skip

# kind → typical minutes to recreate or restore it (data restores dominate)
RESTORE_MINUTES = {
    "vpc": 30, "subnet": 10, "security-group": 5, "route-table": 5, "internet-gateway": 5,
    "nat-gateway": 10, "load-balancer": 15, "lb-listener": 5, "target-group": 5,
    "ecs-cluster": 15, "ecs-service": 10, "ecs-task-definition": 2, "eks-cluster": 45,
    "gke-cluster": 45, "aks-cluster": 45, "eks-node-group": 20, "instance": 15,
    "db-instance": 90, "db-cluster": 120, "db-subnet-group": 5, "s3-bucket": 60,
    "dynamodb-table": 60, "lambda-function": 5, "iam-role": 2, "stack": 60,
    "elasticache-cluster": 30, "efs-file-system": 60, "ebs-volume": 30,
    "namespace": 10, "deployment": 5, "statefulset": 10, "daemonset": 5, "replicaset": 2,
    "pod": 2, "k8s-service": 2, "ingress": 5, "persistentvolumeclaim": 30,
    "persistentvolume": 30, "configmap": 2, "secret": 5, "job": 5, "cronjob": 2,
}  # fmt: skip

# Terraform types that are an environment's root: deleting one takes an environment down.
ENV_ROOT_TYPES = frozenset({
    "aws_vpc", "aws_eks_cluster", "aws_ecs_cluster", "aws_cloudformation_stack",
    "aws_rds_cluster", "aws_db_instance", "aws_organizations_account",
    "google_container_cluster", "google_project", "google_compute_network",
    "google_sql_database_instance", "azurerm_resource_group", "azurerm_virtual_network",
    "azurerm_kubernetes_cluster", "azurerm_postgresql_server", "azurerm_mssql_server",
    "azurerm_postgresql_flexible_server", "kubernetes_namespace", "kubernetes_namespace_v1",
    "digitalocean_kubernetes_cluster", "digitalocean_vpc",
})  # fmt: skip

# Terraform types whose deletion or replacement loses data. Exact names: the settings around a
# store (`aws_s3_bucket_policy`, `aws_db_parameter_group`, `aws_rds_cluster_endpoint`) hold none.
STATEFUL_TYPES = frozenset({
    # AWS
    "aws_db_instance", "aws_rds_cluster", "aws_rds_cluster_instance", "aws_rds_global_cluster",
    "aws_s3_bucket", "aws_s3_directory_bucket", "aws_glacier_vault", "aws_dynamodb_table",
    "aws_dynamodb_global_table", "aws_ebs_volume", "aws_efs_file_system",
    "aws_fsx_lustre_file_system", "aws_fsx_ontap_file_system", "aws_fsx_openzfs_file_system",
    "aws_fsx_windows_file_system", "aws_elasticache_cluster", "aws_elasticache_replication_group",
    "aws_elasticache_serverless_cache", "aws_memorydb_cluster", "aws_redshift_cluster",
    "aws_redshiftserverless_namespace", "aws_docdb_cluster", "aws_docdb_cluster_instance",
    "aws_docdbelastic_cluster", "aws_neptune_cluster", "aws_neptune_cluster_instance",
    "aws_opensearch_domain", "aws_elasticsearch_domain", "aws_kinesis_stream", "aws_msk_cluster",
    "aws_msk_serverless_cluster", "aws_keyspaces_keyspace", "aws_keyspaces_table",
    "aws_timestreamwrite_table", "aws_qldb_ledger", "aws_sqs_queue", "aws_kms_key",
    "aws_secretsmanager_secret", "aws_backup_vault", "aws_lightsail_database",
    "aws_lightsail_disk",
    # Google Cloud
    "google_sql_database_instance", "google_sql_database", "google_storage_bucket",
    "google_compute_disk", "google_compute_region_disk", "google_bigtable_instance",
    "google_bigtable_table", "google_spanner_instance", "google_spanner_database",
    "google_bigquery_dataset", "google_bigquery_table", "google_firestore_database",
    "google_filestore_instance", "google_redis_instance", "google_alloydb_cluster",
    "google_kms_crypto_key", "google_secret_manager_secret",
    # Azure
    "azurerm_storage_account", "azurerm_storage_container", "azurerm_storage_share",
    "azurerm_managed_disk", "azurerm_mssql_server", "azurerm_mssql_database",
    "azurerm_mssql_managed_instance", "azurerm_sql_server", "azurerm_sql_database",
    "azurerm_postgresql_server", "azurerm_postgresql_database",
    "azurerm_postgresql_flexible_server", "azurerm_postgresql_flexible_server_database",
    "azurerm_mysql_server", "azurerm_mysql_database", "azurerm_mysql_flexible_server",
    "azurerm_mysql_flexible_database", "azurerm_mariadb_server", "azurerm_mariadb_database",
    "azurerm_cosmosdb_account", "azurerm_cosmosdb_sql_database", "azurerm_cosmosdb_sql_container",
    "azurerm_cosmosdb_mongo_database", "azurerm_cosmosdb_mongo_collection",
    "azurerm_cosmosdb_cassandra_keyspace", "azurerm_cosmosdb_gremlin_database",
    "azurerm_cosmosdb_table", "azurerm_redis_cache", "azurerm_key_vault", "azurerm_key_vault_key",
    "azurerm_key_vault_secret", "azurerm_recovery_services_vault",
    "azurerm_data_protection_backup_vault", "azurerm_netapp_volume", "azurerm_kusto_database",
    # others
    "digitalocean_database_cluster", "digitalocean_volume", "digitalocean_spaces_bucket",
    "kubernetes_persistent_volume", "kubernetes_persistent_volume_v1",
    "kubernetes_persistent_volume_claim", "kubernetes_persistent_volume_claim_v1",
    "mongodbatlas_cluster", "mongodbatlas_advanced_cluster", "mongodbatlas_serverless_instance",
    "postgresql_database", "mysql_database", "hcloud_volume", "linode_volume",
    "openstack_blockstorage_volume_v3", "snowflake_database",
})  # fmt: skip


def bad(what: str) -> InputError:
    return InputError(f"inventory: {what}", CODE)


def tf_kind(rtype: str) -> str:
    if rtype in _TF_KINDS:
        return _TF_KINDS[rtype]
    head, _, rest = rtype.partition("_")
    return (rest or head).replace("_", "-")


def tf_stateful(rtype: str) -> bool:
    """Whether a Terraform type holds data: exactly one of `STATEFUL_TYPES`, never by a part of
    its name (`aws_s3_bucket_versioning` configures a bucket and holds nothing)."""
    return rtype in STATEFUL_TYPES


def tier_of(*hints: str | None, default: str = "unknown") -> str:
    """The tier named by the first hint that names one (`prod-eu` → `prod`)."""
    from interlock.resolve.heuristics import guess_tier

    for hint in hints:
        found = guess_tier(hint) if hint else None
        if found is not None:
            return found.value
    return default


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""
