"""Facts about an AWS CLI call that rules match on, beyond its effect.

`tags(call, effect, kind, names)` answers the tags: an environment root (`delete-stack`), a
data store, a backup, IAM, a security control, something made public, an audit trail, a key,
scale-to-zero, a safety net switched off (`--no-deletion-protection`, versioning suspended,
backup retention 0) or a lifecycle rule that can expire a whole bucket. `adjust` reclassifies the
operations whose effect depends on their payload (Route 53 change batches, SQL statements).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interlock.model import Effect
from interlock.parse.tools.cloud import sql_effect, words

if TYPE_CHECKING:
    from interlock.parse.tools.cloud_aws import Call

_ENV_ROOT = words(
    "cloudformation:delete-stack cloudformation:delete-stack-set ec2:delete-vpc "
    "eks:delete-cluster ecs:delete-cluster elasticbeanstalk:terminate-environment "
    "elasticbeanstalk:delete-application elasticbeanstalk:rebuild-environment "
    "organizations:close-account organizations:leave-organization "
    "organizations:remove-account-from-organization organizations:delete-organization "
    "amplify:delete-app opsworks:delete-stack apprunner:delete-service "
    "proton:delete-environment mwaa:delete-environment account:close-account"
)
_DATA_SERVICES = words(
    "rds docdb neptune redshift redshift-serverless dynamodb timestream-write keyspaces "
    "opensearch es elasticache memorydb dax qldb dsql lightsail s3api glue athena"
)
_DATA_KINDS = words(
    "db-instance db-cluster global-cluster cluster table database domain elasticsearch-domain "
    "replication-group keyspace ledger namespace workgroup relational-database bucket "
    "serverless-cache"
)
# Stores outside the database services whose deletion loses data: disks, file systems, vaults.
_DATA_PAIRS = words(
    "ec2:volume efs:file-system fsx:file-system fsx:volume glacier:vault glacier:archive "
    "lightsail:disk kinesis:stream firehose:delivery-stream ecr:repository s3control:bucket "
    "s3tables:table-bucket s3tables:table s3vectors:vector-bucket"
)
_AUDIT_SERVICES = words(
    "cloudtrail guardduty config configservice securityhub accessanalyzer macie2 "
    "inspector2 detective"
)
_IAM_SERVICES = words("iam sso-admin identitystore organizations")
_KEY_OPS = words("schedule-key-deletion disable-key delete-imported-key-material")
_SECURITY_WORDS = ("policy", "acl", "permission", "public-access", "security-group-", "grant")
_PUBLIC_MARKERS = ("public-read", "allusers", "0.0.0.0/0", "::/0", "group=all", '"*"', "=all")
_NO_BACKUP = (
    "--skip-final-snapshot",
    "--delete-automated-backups",
    "--skip-final-cluster-snapshot",
    "--force-delete-without-recovery",
)
_SCALE = (
    "--desired-capacity",
    "--desired-count",
    "--max-size",
    "--desired-size",
    "--max-capacity",
    "--reserved-concurrent-executions",
)
# Switches that turn a safety net off: deletion/termination protection, backups, versioning.
_PROTECTION_OFF_FLAGS = (
    "--no-deletion-protection",
    "--no-deletion-protection-enabled",
    "--no-disable-api-termination",
    "--no-disable-api-stop",
    "--no-enable-termination-protection",
)
_PROTECTION_OFF_TEXT = (
    "status=suspended",
    "mfadelete=disabled",
    "pointintimerecoveryenabled=false",
    "deletion_protection.enabled,value=false",
    '"status": "suspended"',
    '"status":"suspended"',
)
_LIFECYCLE_OPS = words(
    "put-bucket-lifecycle-configuration put-bucket-lifecycle put-lifecycle-policy "
    "put-retention-policy update-lifecycle-policy"
)
_SQL_PARAMS = ("--sql", "--statement", "--query-string")


def tags(call: Call, effect: Effect, kind: str, names: list[str]) -> set[str]:
    svc, op = call.service, call.op
    out: set[str] = set()
    if call.has("--dry-run"):
        out.add("dry-run")
    if len(names) > 1 or op == "delete-objects":
        out.add("bulk")
    if (names and any("$" in n for n in names)) or (call.has("--cli-input-json") and not names):
        out.add("dynamic-target")
    if effect is Effect.READ:
        return out
    out |= _kind_tags(svc, op, effect, kind)
    out |= _flag_tags(call, op)
    return out


def _kind_tags(svc: str, op: str, effect: Effect, kind: str) -> set[str]:
    out: set[str] = set()
    destroy = effect is Effect.DESTROY
    if f"{svc}:{op}" in _ENV_ROOT or op in ("delete-stack", "delete-environment"):
        out.add("env-root")
    if destroy and (
        (svc in _DATA_SERVICES and kind in _DATA_KINDS) or f"{svc}:{kind}" in _DATA_PAIRS
    ):
        out.add("database")
    if any(w in kind for w in ("snapshot", "backup", "recovery-point")) or op == "deregister-image":
        out.add("backup")
    if svc == "backup" and destroy:
        out.add("backup")
    if svc in _IAM_SERVICES or (svc == "sts" and op.startswith("set")):
        out.add("iam")
    if svc in _AUDIT_SERVICES and (destroy or op.split("-")[0] in ("stop", "disable")):
        out.add("audit")
    if svc in ("route53", "route53domains") and destroy:
        out.add("dns")
    if svc == "ec2" and op == "delete-flow-logs":
        out.add("audit")
    if svc == "kms" and op in _KEY_OPS:
        out.add("crypto-key")
    if op in _LIFECYCLE_OPS:
        out.add("lifecycle")
    return out


def _flag_tags(call: Call, op: str) -> set[str]:
    out: set[str] = set()
    if any(call.has(f) for f in _NO_BACKUP):
        out.add("no-backup")
    if call.has("--force") or call.has("--force-delete"):
        out.add("force")
    text = " ".join(v for vals in call.params.values() for v in vals).lower()
    if any(w in op for w in _SECURITY_WORDS) or op == "create-access-key":
        out.add("security")
        if any(m in text for m in _PUBLIC_MARKERS):
            out.add("public")
    if _shares_publicly(call, op, text):
        out |= {"security", "public"}
    if any(call.first(f) == "0" for f in _SCALE) or "desiredsize=0" in text.replace(" ", ""):
        out.add("scale-to-zero")
    if _protection_off(call, text):
        out.add("protection-off")
    return out


def _shares_publicly(call: Call, op: str, text: str) -> bool:
    """A snapshot, AMI or database opened to every AWS account or the internet."""
    if call.has("--publicly-accessible"):
        return True
    if not (op.startswith("modify-") and op.endswith("-attribute")):
        return False
    values = call.params.get("--values-to-add", []) + call.params.get("--group-names", [])
    return "all" in (v.lower() for v in values) or "group=all" in text.replace(" ", "")


def _protection_off(call: Call, text: str) -> bool:
    if any(call.has(f) for f in _PROTECTION_OFF_FLAGS):
        return True
    if call.first("--backup-retention-period") == "0":
        return True
    attr = (call.first("--attribute") or "").lower()
    if attr in ("disableapitermination", "disableapistop") and call.first("--value") == "false":
        return True
    compact = text.replace(" ", "")
    return any(m.replace(" ", "") in compact for m in _PROTECTION_OFF_TEXT)


def adjust(call: Call, effect: Effect, tags_: set[str]) -> tuple[Effect, set[str]]:
    """Operations whose effect depends on their payload (record batches, SQL)."""
    if call.op == "change-resource-record-sets":
        batch = (call.first("--change-batch") or "").upper()
        if "DELETE" in batch:
            return Effect.DESTROY, tags_ | {"dns"}
        return effect, tags_ | {"dns"}
    if call.has("--terminate-instances"):  # `cancel-spot-fleet-requests --terminate-instances`
        return Effect.DESTROY, tags_
    items = " ".join(
        call.params.get("--request-items", []) + call.params.get("--transact-items", [])
    )
    if '"DeleteRequest"' in items or '"Delete"' in items:  # batch/transact writes that delete
        return Effect.DESTROY, tags_
    sql = call.first(*_SQL_PARAMS)
    if sql and effect is not Effect.READ:
        sql_eff, sql_tags = sql_effect(sql)
        return sql_eff, tags_ | set(sql_tags)
    return effect, tags_
