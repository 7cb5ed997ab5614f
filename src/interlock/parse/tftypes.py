"""Terraform resource types: which hold data, which hold an environment together, what they are.

The one table every judge of a Terraform type reads: plans (`parse/tfplan.py`), `terraform
apply -replace=ADDR` (`parse/tools/iac_terraform.py`), state and plans loaded as an inventory
(`impact/loaders_common.py`) and `invariant.no-env-teardown` (`policy/invariants_env.py`).

Each type has a kind, and the kind decides two facts:

- **stateful**: deleting or replacing the resource loses data that only it holds (a database,
  a table, a bucket, a volume, a key whose ciphertexts become unreadable, a queue's messages,
  a repository, a backup vault). Kinds in `DATA_KINDS`.
- **environment root**: it holds an environment together, so losing it takes the environment
  down (a network, a Kubernetes cluster, a project, account or resource group, a namespace, a
  stack, a database server). Kinds in `ROOT_KINDS`.

The table also lists types that sit next to a store and hold nothing themselves (`config`:
parameter groups, versioning, lifecycle, policies, ACLs, attachments, users; `compute`: the
instances of a cluster whose storage is the cluster's, warehouses, a StatefulSet, whose volume
claims outlive it; `catalog`: metadata over data kept elsewhere; `topic`, `logs`), so that
`aws_s3_bucket_versioning` or `aws_db_parameter_group` never counts as data.

Lookup is by exact name; a trailing version (`kubernetes_namespace_v2`) is tried without it.
A type the table does not know is judged by how its name ends (`_database`, `_bucket`,
`_volume`, `_disk`, `_file_system`, `_vpc`, `_resource_group`…), so an unlisted provider's
database still counts as data; any other unknown type is neither. Pure data: importing this
module imports nothing.
"""

from __future__ import annotations

import re
from typing import NamedTuple

DATA_KINDS = frozenset({
    "database", "schema", "table", "dataset", "store", "bucket", "volume", "file-system",
    "snapshot", "backup", "cache", "search", "queue", "stream", "key", "secret", "registry",
    "repository", "directory", "state",
})  # fmt: skip
ROOT_KINDS = frozenset({
    "database", "network", "cluster", "project", "account", "resource-group", "namespace",
    "stack",
})  # fmt: skip

# (kind, types): one row per kind and provider; a type appears once.
_ROWS: tuple[tuple[str, str], ...] = (
    # ---- AWS (hashicorp/aws) ----------------------------------------------------------------
    ("database", """aws_db_instance aws_rds_cluster aws_rds_global_cluster aws_docdb_cluster
        aws_docdb_global_cluster aws_docdbelastic_cluster aws_neptune_cluster
        aws_neptune_global_cluster aws_neptunegraph_graph aws_redshift_cluster
        aws_redshiftserverless_namespace aws_lightsail_database aws_dsql_cluster
        aws_timestreamwrite_database aws_timestreaminfluxdb_db_instance aws_keyspaces_keyspace
        aws_qldb_ledger"""),
    ("table", """aws_dynamodb_table aws_dynamodb_global_table aws_keyspaces_table
        aws_timestreamwrite_table aws_s3tables_table"""),
    ("bucket", """aws_s3_bucket aws_s3_directory_bucket aws_s3control_bucket
        aws_s3tables_table_bucket aws_lightsail_bucket aws_glacier_vault"""),
    ("volume", "aws_ebs_volume aws_lightsail_disk"),
    ("file-system", """aws_efs_file_system aws_fsx_lustre_file_system aws_fsx_ontap_file_system
        aws_fsx_openzfs_file_system aws_fsx_windows_file_system aws_fsx_ontap_volume
        aws_fsx_openzfs_volume"""),
    ("snapshot", """aws_ebs_snapshot aws_ebs_snapshot_copy aws_ebs_snapshot_import
        aws_db_snapshot aws_db_snapshot_copy aws_db_cluster_snapshot aws_memorydb_snapshot"""),
    ("backup", "aws_backup_vault aws_backup_logically_air_gapped_vault"),
    ("cache", """aws_elasticache_cluster aws_elasticache_replication_group
        aws_elasticache_global_replication_group aws_elasticache_serverless_cache
        aws_memorydb_cluster"""),
    ("search", """aws_opensearch_domain aws_elasticsearch_domain
        aws_opensearchserverless_collection aws_cloudsearch_domain"""),
    ("queue", "aws_sqs_queue aws_mq_broker"),
    ("stream", "aws_kinesis_stream aws_kinesis_video_stream aws_msk_cluster aws_msk_serverless_cluster"),
    ("key", """aws_kms_key aws_kms_external_key aws_kms_replica_key aws_kms_replica_external_key
        aws_acmpca_certificate_authority"""),
    ("secret", "aws_secretsmanager_secret"),
    ("registry", "aws_ecr_repository aws_ecrpublic_repository"),
    ("repository", "aws_codecommit_repository aws_codeartifact_repository"),
    ("directory", "aws_cognito_user_pool aws_directory_service_directory"),
    ("network", "aws_vpc aws_default_vpc aws_ec2_transit_gateway"),
    ("cluster", "aws_eks_cluster aws_ecs_cluster"),
    ("account", """aws_organizations_account aws_organizations_organization
        aws_organizations_organizational_unit"""),
    ("stack", """aws_cloudformation_stack aws_cloudformation_stack_set
        aws_elastic_beanstalk_environment aws_elastic_beanstalk_application aws_amplify_app
        aws_mwaa_environment"""),
    ("config", """aws_db_parameter_group aws_rds_cluster_parameter_group aws_db_option_group
        aws_db_subnet_group aws_db_proxy aws_db_proxy_endpoint aws_db_proxy_target
        aws_db_proxy_default_target_group aws_rds_cluster_endpoint aws_rds_cluster_role_association
        aws_db_instance_role_association aws_docdb_cluster_parameter_group aws_docdb_subnet_group
        aws_neptune_parameter_group aws_neptune_cluster_parameter_group aws_neptune_subnet_group
        aws_redshift_parameter_group aws_redshift_subnet_group aws_elasticache_parameter_group
        aws_elasticache_subnet_group aws_elasticache_user aws_elasticache_user_group
        aws_memorydb_parameter_group aws_memorydb_subnet_group aws_memorydb_acl aws_memorydb_user
        aws_dynamodb_table_item aws_dynamodb_table_replica aws_dynamodb_contributor_insights
        aws_dynamodb_kinesis_streaming_destination aws_dynamodb_resource_policy
        aws_s3_bucket_policy aws_s3_bucket_acl aws_s3_bucket_versioning
        aws_s3_bucket_lifecycle_configuration aws_s3_bucket_server_side_encryption_configuration
        aws_s3_bucket_public_access_block aws_s3_bucket_ownership_controls aws_s3_bucket_logging
        aws_s3_bucket_notification aws_s3_bucket_cors_configuration
        aws_s3_bucket_website_configuration aws_s3_bucket_replication_configuration
        aws_s3_bucket_object_lock_configuration aws_s3_bucket_intelligent_tiering_configuration
        aws_s3_bucket_metric aws_s3_bucket_inventory aws_s3_bucket_analytics_configuration
        aws_s3_bucket_accelerate_configuration aws_s3_bucket_request_payment_configuration
        aws_s3_object aws_s3_bucket_object aws_s3_object_copy aws_s3_access_point
        aws_s3_account_public_access_block aws_kms_alias aws_kms_grant aws_kms_key_policy
        aws_kms_ciphertext aws_secretsmanager_secret_version aws_secretsmanager_secret_rotation
        aws_secretsmanager_secret_policy aws_ebs_encryption_by_default aws_ebs_default_kms_key
        aws_volume_attachment aws_efs_mount_target aws_efs_access_point
        aws_efs_file_system_policy aws_efs_backup_policy aws_efs_replication_configuration
        aws_sqs_queue_policy aws_sqs_queue_redrive_policy aws_sqs_queue_redrive_allow_policy
        aws_ecr_lifecycle_policy aws_ecr_repository_policy aws_ecr_replication_configuration
        aws_backup_plan aws_backup_selection aws_backup_vault_policy
        aws_backup_vault_notifications aws_backup_vault_lock_configuration
        aws_opensearch_domain_policy aws_elasticsearch_domain_policy aws_kinesis_stream_consumer
        aws_msk_configuration aws_msk_scram_secret_association aws_cognito_user_pool_client
        aws_cognito_user_pool_domain aws_glacier_vault_lock"""),
    ("compute", """aws_rds_cluster_instance aws_docdb_cluster_instance
        aws_neptune_cluster_instance aws_redshiftserverless_workgroup aws_dax_cluster
        aws_instance aws_emr_cluster"""),
    ("catalog", "aws_glue_catalog_database aws_glue_catalog_table aws_athena_database"),
    ("topic", "aws_sns_topic aws_sns_topic_subscription"),
    ("logs", "aws_cloudwatch_log_group aws_cloudwatch_log_stream"),
    # ---- Google Cloud (hashicorp/google, google-beta) ----------------------------------------
    ("database", """google_sql_database_instance google_sql_database google_spanner_instance
        google_spanner_database google_alloydb_cluster google_bigtable_instance
        google_firestore_database google_firebase_database_instance"""),
    ("table", "google_bigtable_table google_bigquery_table"),
    ("dataset", """google_bigquery_dataset google_healthcare_dataset google_healthcare_fhir_store
        google_healthcare_dicom_store google_healthcare_hl7_v2_store"""),
    ("bucket", "google_storage_bucket"),
    ("volume", "google_compute_disk google_compute_region_disk"),
    ("file-system", "google_filestore_instance google_netapp_volume"),
    ("snapshot", """google_compute_snapshot google_filestore_backup google_filestore_snapshot
        google_alloydb_backup"""),
    ("backup", "google_backup_dr_backup_vault"),
    ("cache", "google_redis_instance google_redis_cluster"),
    ("queue", "google_pubsub_subscription"),
    ("key", "google_kms_crypto_key google_kms_crypto_key_version"),
    ("secret", "google_secret_manager_secret"),
    ("registry", "google_artifact_registry_repository"),
    ("repository", "google_sourcerepo_repository"),
    ("network", "google_compute_network"),
    ("cluster", "google_container_cluster"),
    ("project", "google_project google_folder"),
    ("config", """google_sql_user google_sql_ssl_cert google_storage_bucket_iam_member
        google_storage_bucket_iam_binding google_storage_bucket_iam_policy
        google_storage_bucket_acl google_storage_bucket_object google_storage_default_object_acl
        google_storage_notification google_kms_key_ring google_kms_crypto_key_iam_member
        google_kms_crypto_key_iam_binding google_bigquery_dataset_iam_member
        google_bigquery_dataset_iam_binding google_bigquery_table_iam_member
        google_compute_attached_disk google_compute_disk_resource_policy_attachment
        google_secret_manager_secret_version google_secret_manager_secret_iam_member
        google_pubsub_subscription_iam_member google_project_service google_project_iam_member
        google_project_iam_binding google_compute_subnetwork"""),
    ("compute", "google_container_node_pool google_alloydb_instance google_memcache_instance"),
    ("topic", "google_pubsub_topic"),
    # ---- Azure (hashicorp/azurerm) -------------------------------------------------------------
    ("database", """azurerm_mssql_server azurerm_mssql_database azurerm_mssql_managed_instance
        azurerm_mssql_managed_database azurerm_sql_server azurerm_sql_database
        azurerm_sql_managed_instance azurerm_postgresql_server azurerm_postgresql_database
        azurerm_postgresql_flexible_server azurerm_postgresql_flexible_server_database
        azurerm_mysql_server azurerm_mysql_database azurerm_mysql_flexible_server
        azurerm_mysql_flexible_database azurerm_mariadb_server azurerm_mariadb_database
        azurerm_cosmosdb_account azurerm_cosmosdb_sql_database azurerm_cosmosdb_mongo_database
        azurerm_cosmosdb_cassandra_keyspace azurerm_cosmosdb_cassandra_cluster
        azurerm_cosmosdb_gremlin_database azurerm_cosmosdb_postgresql_cluster azurerm_mongo_cluster
        azurerm_kusto_cluster azurerm_kusto_database azurerm_synapse_sql_pool"""),
    ("table", """azurerm_cosmosdb_sql_container azurerm_cosmosdb_mongo_collection
        azurerm_cosmosdb_cassandra_table azurerm_cosmosdb_gremlin_graph azurerm_cosmosdb_table
        azurerm_storage_table"""),
    ("bucket", """azurerm_storage_account azurerm_storage_container
        azurerm_storage_data_lake_gen2_filesystem"""),
    ("file-system", "azurerm_storage_share azurerm_netapp_volume"),
    ("volume", "azurerm_managed_disk azurerm_elastic_san_volume"),
    ("snapshot", "azurerm_snapshot"),
    ("backup", "azurerm_recovery_services_vault azurerm_data_protection_backup_vault"),
    ("cache", """azurerm_redis_cache azurerm_redis_enterprise_cluster
        azurerm_redis_enterprise_database azurerm_managed_redis"""),
    ("queue", """azurerm_servicebus_namespace azurerm_servicebus_queue
        azurerm_servicebus_subscription azurerm_storage_queue"""),
    ("stream", "azurerm_eventhub_namespace azurerm_eventhub"),
    ("key", """azurerm_key_vault azurerm_key_vault_key azurerm_key_vault_certificate
        azurerm_key_vault_managed_hardware_security_module"""),
    ("secret", "azurerm_key_vault_secret"),
    ("registry", "azurerm_container_registry"),
    ("resource-group", "azurerm_resource_group"),
    ("network", "azurerm_virtual_network"),
    ("cluster", "azurerm_kubernetes_cluster azurerm_container_app_environment"),
    ("account", "azurerm_subscription azurerm_management_group"),
    ("config", """azurerm_storage_blob azurerm_storage_account_network_rules
        azurerm_storage_management_policy azurerm_storage_container_immutability_policy
        azurerm_storage_share_file azurerm_mssql_firewall_rule azurerm_mssql_virtual_network_rule
        azurerm_mssql_server_transparent_data_encryption
        azurerm_mssql_database_extended_auditing_policy
        azurerm_postgresql_flexible_server_configuration
        azurerm_postgresql_flexible_server_firewall_rule azurerm_postgresql_firewall_rule
        azurerm_postgresql_configuration azurerm_mysql_flexible_server_configuration
        azurerm_mysql_flexible_server_firewall_rule azurerm_key_vault_access_policy
        azurerm_virtual_machine_data_disk_attachment azurerm_subnet azurerm_private_endpoint
        azurerm_redis_firewall_rule azurerm_cosmosdb_sql_role_assignment azurerm_role_assignment
        azurerm_servicebus_namespace_authorization_rule"""),
    ("compute", """azurerm_kubernetes_cluster_node_pool azurerm_linux_virtual_machine
        azurerm_windows_virtual_machine"""),
    ("logs", "azurerm_log_analytics_workspace"),
    # ---- Kubernetes (hashicorp/kubernetes) ---------------------------------------------------
    ("namespace", "kubernetes_namespace kubernetes_namespace_v1"),
    ("volume", """kubernetes_persistent_volume kubernetes_persistent_volume_v1
        kubernetes_persistent_volume_claim kubernetes_persistent_volume_claim_v1"""),
    ("compute", "kubernetes_stateful_set kubernetes_stateful_set_v1"),
    # ---- other providers --------------------------------------------------------------------
    ("database", """digitalocean_database_cluster digitalocean_database_db cloudflare_d1_database
        mongodbatlas_cluster mongodbatlas_advanced_cluster mongodbatlas_serverless_instance
        mongodbatlas_flex_cluster snowflake_database postgresql_database mysql_database
        scaleway_rdb_instance oci_database_autonomous_database linode_database_postgresql
        linode_database_mysql aiven_pg aiven_mysql aiven_cassandra aiven_clickhouse"""),
    ("schema", "snowflake_schema postgresql_schema"),
    ("table", "snowflake_table"),
    ("store", "cloudflare_workers_kv_namespace"),
    ("bucket", """digitalocean_spaces_bucket cloudflare_r2_bucket linode_object_storage_bucket
        scaleway_object_bucket oci_objectstorage_bucket openstack_objectstorage_container_v1
        minio_s3_bucket b2_bucket"""),
    ("volume", """digitalocean_volume hcloud_volume linode_volume scaleway_block_volume
        scaleway_instance_volume oci_core_volume openstack_blockstorage_volume_v2
        openstack_blockstorage_volume_v3 vsphere_virtual_disk"""),
    ("snapshot", """digitalocean_volume_snapshot digitalocean_droplet_snapshot
        mongodbatlas_cloud_backup_snapshot"""),
    ("queue", "cloudflare_queue"),
    ("stream", "confluent_kafka_cluster confluent_kafka_topic kafka_topic aiven_kafka aiven_kafka_topic"),
    ("search", "aiven_opensearch ec_deployment"),
    ("secret", "vault_mount"),
    ("registry", "digitalocean_container_registry"),
    ("repository", "github_repository gitlab_project"),
    ("state", "tfe_workspace"),
    ("network", """digitalocean_vpc hcloud_network linode_vpc oci_core_vcn scaleway_vpc
        openstack_networking_network_v2"""),
    ("cluster", """digitalocean_kubernetes_cluster linode_lke_cluster oci_containerengine_cluster
        scaleway_k8s_cluster"""),
    ("project", "digitalocean_project mongodbatlas_project"),
    ("config", """digitalocean_database_firewall digitalocean_database_user
        digitalocean_database_connection_pool digitalocean_volume_attachment
        digitalocean_spaces_bucket_object digitalocean_spaces_bucket_policy cloudflare_workers_kv
        mongodbatlas_database_user mongodbatlas_project_ip_access_list
        mongodbatlas_cloud_backup_schedule postgresql_role postgresql_grant postgresql_extension
        mysql_user mysql_grant"""),
    ("compute", "digitalocean_database_replica snowflake_warehouse"),
)  # fmt: skip

# How the name of a type the table does not know ends → its kind (longest first).
_GUESSES: tuple[tuple[str, str], ...] = (
    ("_database_instance", "database"), ("_database_cluster", "database"),
    ("_db_instance", "database"), ("_db_cluster", "database"), ("_database", "database"),
    ("_file_system", "file-system"), ("_filesystem", "file-system"), ("_bucket", "bucket"),
    ("_volume", "volume"), ("_disk", "volume"), ("_kubernetes_cluster", "cluster"),
    ("_k8s_cluster", "cluster"), ("_resource_group", "resource-group"), ("_vpc", "network"),
)  # fmt: skip
_VERSION = re.compile(r"_v\d+$")
_INDEX = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"])*\]')  # `[0]`, `["a.b"]`


class TypeFacts(NamedTuple):
    kind: str  # "" when neither the table nor the name's ending tells
    stateful: bool
    env_root: bool


def _table() -> dict[str, str]:
    return {rtype: kind for kind, types in _ROWS for rtype in types.split()}


TYPES: dict[str, str] = _table()  # type → kind
STATEFUL_TYPES = frozenset(t for t, k in TYPES.items() if k in DATA_KINDS)
ENV_ROOT_TYPES = frozenset(t for t, k in TYPES.items() if k in ROOT_KINDS)


def kind_of(rtype: str) -> str:
    """The kind of a Terraform type: from the table, else from how its name ends, else ""."""
    base = _VERSION.sub("", rtype)
    kind = TYPES.get(rtype) or TYPES.get(base)
    if kind is not None:
        return kind
    return next((k for suffix, k in _GUESSES if base.endswith(suffix)), "")


def facts(rtype: str) -> TypeFacts:
    kind = kind_of(rtype)
    return TypeFacts(kind, kind in DATA_KINDS, kind in ROOT_KINDS)


def is_stateful(rtype: str) -> bool:
    """Whether deleting or replacing a resource of this type loses data only it holds."""
    return kind_of(rtype) in DATA_KINDS


def is_env_root(rtype: str) -> bool:
    """Whether a resource of this type holds an environment together."""
    return kind_of(rtype) in ROOT_KINDS


def type_of(address: str) -> str:
    """The resource type an address names: `module.a["x.y"].aws_s3_bucket.logs[0]` →
    `aws_s3_bucket`, `data.aws_ami.ubuntu` → `aws_ami`; "" when it names none."""
    parts = [p for p in _INDEX.sub("", address).split(".") if p]
    i = 0
    while i < len(parts) and parts[i] in ("module", "data"):
        i += 2 if parts[i] == "module" else 1
    return parts[i] if i < len(parts) else ""
