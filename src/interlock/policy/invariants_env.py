"""`invariant.no-env-teardown` and `invariant.no-unbacked-destroy`.

An environment root is what holds an environment together: a cluster, a network, a stack or
workspace of infrastructure as code, a namespace, a database, a resource group, a project, an
account. Destroying one in production, or destroying a production resource and creating the
same thing again later in the same proposal ("delete and recreate"), is denied whatever the
spelling: the analyzers name the kind, tag `env-root`/`teardown`, and this module compares
destroys with the writes that follow them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from interlock.model import Affected, Effect, Finding, Impact, Operation, Target, Tier
from interlock.parse.tftypes import is_env_root, type_of
from interlock.policy.invariants_common import deny, is_prod, what

TEARDOWN = "invariant.no-env-teardown"
UNBACKED = "invariant.no-unbacked-destroy"

ROOT_TAGS = frozenset({"env-root", "teardown"})
ROOT_KINDS = frozenset(
    {
        "cluster", "eks", "gke", "aks", "vpc", "network", "virtual-network", "vnet",
        "cloudformation", "cdk-stack", "pulumi-stack", "terraform-workspace",
        "terragrunt-stack", "serverless-stage", "copilot-env",
        "namespace", "project", "database", "group", "resource-group", "resourcegroup",
        "subscription", "organization", "tenant",
    }
)  # fmt: skip
ROOT_ACTIONS = frozenset({"teardown", "nuke", "destroy-environment", "delete-environment"})
# A database is a root when it goes (or is dropped and created again); one that stays but loses
# its rows or tables (`FLUSHALL`, `flyway clean`) is data loss, which no-unbacked-destroy and
# the rules cover. Kinds `stack` and `environment` are left to the analyzers' tags: a Swarm
# stack is an app, and `--env prod` gives target-less operations an `environment` target.
DATABASE_ROOT_ACTIONS = frozenset(
    {
        "drop", "dropdb", "drop-database", "dropdatabase", "database-drop", "db:drop",
        "doctrine:database:drop", "delete", "destroy", "remove", "rm", "database-reset",
        "db:reset", "migrate-reset", "recreate",
    }
)  # fmt: skip
STATEFUL_TAGS = frozenset({"stateful", "database", "backup", "no-backup"})
STATEFUL_KINDS = frozenset(
    {
        "database", "db", "table", "collection", "schema", "keyspace", "bucket", "volume",
        "persistentvolume", "persistentvolumeclaim", "pv", "pvc", "snapshot", "backup",
        "db-instance", "db-cluster", "global-cluster", "file-system", "filesystem", "disk",
        "statefulset", "stream", "index", "replication-group", "vault",
    }
)  # fmt: skip
_CREATE_WORDS = frozenset(
    {"apply", "create", "install", "deploy", "up", "upgrade", "provision", "recreate", "new",
     "restore", "replace", "add"}
)  # fmt: skip
_KIND_CLASS = {"cloudformation": "stack", "cdk-stack": "stack", "pv": "persistentvolume",
               "pvc": "persistentvolumeclaim", "ns": "namespace", "resourcegroup": "group",
               "resource-group": "group", "db": "database"}  # fmt: skip
# Scope keys that locate an environment (a shared value means "the same place").
_PLACE_KEYS = frozenset(
    {"context", "cluster", "namespace", "workspace", "stack", "project", "resource_group",
     "subscription", "account", "env", "database", "host"}
)  # fmt: skip
_INSTEAD = "change it in place; if it really must be recreated, a human does it with a quorum"


# ---- no-env-teardown --------------------------------------------------------------------------


def teardown_findings(ops: Sequence[Operation], impact: Impact | None = None) -> list[Finding]:
    """Production roots destroyed as the operations say, or, when they do not say it, as a
    simulation found on the inventory (a plan whose deletes reach a production stack)."""
    out = [
        deny(TEARDOWN, f"{what(op)}: this tears down a production environment root; {_INSTEAD}")
        for op in ops
        if is_root_destroy(op)
    ]
    if out or impact is None or not impact.simulated:
        return out
    roots = [a for a in impact.roots if a.tier == Tier.PROD.value]
    changing = [op for op in ops if op.effect is not Effect.READ]
    if roots and changing:
        reason = (
            f"{what(changing[0])}: the simulation shows it deletes or replaces "
            f"{_names(roots)}, a production environment root; {_INSTEAD}"
        )
        out.append(deny(TEARDOWN, reason))
    return out


def _names(items: Sequence[Affected], shown: int = 3) -> str:
    head = ", ".join(a.label() for a in items[:shown])
    return head + (f" and {len(items) - shown} more" if len(items) > shown else "")


def is_root_destroy(op: Operation) -> bool:
    """A destroy of a production environment root (cluster, network, stack, namespace, …)."""
    if op.effect is not Effect.DESTROY or not is_prod(op):
        return False
    if op.tags & ROOT_TAGS or op.action in ROOT_ACTIONS:
        return True
    if any(_tf_root(t) for t in op.targets):
        return True  # a plan, `-target` or `-replace` deleting or recreating a root type
    if "replace" in op.tags or op.action == "replace":
        return False
    return any(_root_kind(op, t) for t in op.targets)


def _root_kind(op: Operation, t: Target) -> bool:
    if t.kind == "all":  # `kubectl delete all --all`: the namespace is emptied
        return "all" in op.tags
    if t.kind == "database":
        return op.action in DATABASE_ROOT_ACTIONS
    return t.kind in ROOT_KINDS


def _tf_root(t: Target) -> bool:
    """A Terraform resource that is an environment root, whose deletion or replacement tears one
    down: its type is one in the table of `interlock.parse.tftypes` (a network, cluster,
    project, database…)."""
    return t.kind == "terraform-resource" and is_env_root(type_of(t.name))


def recreate_findings(ops: Sequence[Operation]) -> list[Finding]:
    """ "Delete and recreate" in one proposal: a production destroy followed by a create, apply,
    install or deploy of the same thing."""
    out: list[Finding] = []
    for i, gone in enumerate(ops):
        if gone.effect is not Effect.DESTROY or not is_prod(gone):
            continue
        again = next((later for later in ops[i + 1 :] if _recreates(gone, later)), None)
        if again is not None:
            reason = (
                f"deletes and recreates in production: {what(gone)}, then {what(again)}; {_INSTEAD}"
            )
            out.append(deny(TEARDOWN, reason))
    return out


def _recreates(gone: Operation, later: Operation) -> bool:
    if later.effect not in (Effect.WRITE, Effect.UNKNOWN) or not _creates(later):
        return False
    if later.tier not in (Tier.PROD, Tier.UNKNOWN) or later.family != gone.family:
        return False
    pairs = [(a, b) for a in gone.targets for b in later.targets]
    if any(a.name and a.name == b.name for a, b in pairs):
        return True
    same_kind = [(a, b) for a, b in pairs if _kind(a) == _kind(b)]
    if any(not a.name or not b.name for a, b in same_kind):
        return True
    if is_root_destroy(gone):
        return bool(same_kind) or any(_same_place(a, b) for a, b in pairs)
    return False


def _creates(op: Operation) -> bool:
    words = set(re.split(r"[-_:. ]+", op.action.lower()))
    return bool(words & _CREATE_WORDS)


def _kind(t: Target) -> str:
    return _KIND_CLASS.get(t.kind, t.kind)


def _same_place(a: Target, b: Target) -> bool:
    here = {(k, v) for k, v in a.scope if k in _PLACE_KEYS}
    return bool(here & set(b.scope)) or (a.kind == "namespace" and b.get("namespace") == a.name)


# ---- no-unbacked-destroy ----------------------------------------------------------------------


def unbacked_findings(ops: Sequence[Operation], impact: Impact) -> list[Finding]:
    """Stateful production destroys with no backup: the operation says so (`no-backup`), or a
    simulation found data without backup. Without either, the rules decide."""
    prod = [op for op in ops if op.effect is Effect.DESTROY and is_prod(op)]
    out = [
        deny(UNBACKED, f"{what(op)}: this destroys production data and skips its backup; {_BACKUP}")
        for op in prod
        if "no-backup" in op.tags
    ]
    if out or not impact.simulated:
        return out
    if impact.lost:
        # the simulation names what it loses: production data, or data of unknown tier lost
        # by a production destroy, is denied; data the inventory places elsewhere is not
        lost = [a for a in impact.lost if a.tier == Tier.PROD.value]
        if not lost and prod:
            lost = [a for a in impact.lost if a.tier == Tier.UNKNOWN.value]
        changing = prod or [op for op in ops if op.effect is not Effect.READ]
        if lost and changing:
            reason = (
                f"{what(changing[0])}: the simulation shows it loses {_names(lost)} "
                f"with no backup; {_BACKUP}"
            )
            out.append(deny(UNBACKED, reason))
        return out
    if impact.data_without_backup > 0 and prod:  # counts only (a policy test case)
        stateful = [op for op in prod if is_stateful(op)] or prod
        count = impact.data_without_backup
        for op in stateful:
            reason = (
                f"{what(op)}: this destroys production data; the simulation found {count} "
                f"resource{'s' if count != 1 else ''} without a backup; {_BACKUP}"
            )
            out.append(deny(UNBACKED, reason))
    return out


_BACKUP = "take and verify a backup (a final snapshot) first, then ask again"


def is_stateful(op: Operation) -> bool:
    return bool(op.tags & STATEFUL_TAGS) or any(t.kind in STATEFUL_KINDS for t in op.targets)
