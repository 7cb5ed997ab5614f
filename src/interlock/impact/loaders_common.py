"""What every loader shares: resource kinds, restore times, environment roots, tiers, errors.

Ids: `tf:<address>` (Terraform state and plans), `k8s:<context>:<namespace>:<kind>:<name>`
(Kubernetes; cluster-scoped objects have an empty namespace), `service:<name>` (the catalogue).
Terraform types become kinds by dropping the provider and turning `_` into `-`, with the
aliases in `_TF_KINDS` (`aws_db_instance` → `db-instance`, `aws_s3_bucket` → `s3-bucket`).
A Kubernetes Service is kind `k8s-service`: kind `service` is a catalogue service.
Whether a Terraform type holds data or is an environment's root comes from one table,
`interlock.parse.tftypes` (by exact name; `STATEFUL_TYPES` and `ENV_ROOT_TYPES` are its sets).
"""

from __future__ import annotations

from typing import Any

from interlock.model.errors import InputError
from interlock.parse import tftypes as _tftypes

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

# Terraform types that hold data, and types that are an environment's root (deleting one takes
# an environment down), by exact name: one table for every judge of a type (parse/tftypes.py).
STATEFUL_TYPES = _tftypes.STATEFUL_TYPES
ENV_ROOT_TYPES = _tftypes.ENV_ROOT_TYPES


def bad(what: str) -> InputError:
    return InputError(f"inventory: {what}", CODE)


def tf_kind(rtype: str) -> str:
    if rtype in _TF_KINDS:
        return _TF_KINDS[rtype]
    head, _, rest = rtype.partition("_")
    return (rest or head).replace("_", "-")


def tf_stateful(rtype: str) -> bool:
    """Whether a Terraform type holds data, as `interlock.parse.tftypes` says: by its exact name,
    never by a part of it (`aws_s3_bucket_versioning` configures a bucket and holds nothing)."""
    return _tftypes.is_stateful(rtype)


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
