"""Terraform state (v4) and plan JSON → `Snapshot`.

State: every `resources[].instances[]` of mode `managed` is a resource `tf:<address>` (module
prefix and `index_key` included); `dependencies` name resources (every instance of them) the
instance depends on. Plans (`terraform show -json PLANFILE`): the resources of `prior_state`
(the world before the apply), their `depends_on`, and the references found in
`configuration` expressions. Data sources are skipped: they are read, never owned.

Backup is read where the provider says it: RDS `backup_retention_period` > 0 and DynamoDB
point-in-time recovery give `snapshot`, their absence `none`; a `Backup` tag
(`verified`/`snapshot`/`none`) overrides. A bucket agrees with the AWS collector: replicated
(its `replication_configuration`, or an `aws_s3_bucket_replication_configuration` naming it)
is `snapshot`; versioned (its `versioning` block, or an `aws_s3_bucket_versioning` naming it,
which wins) is `unknown`, since versions are deleted with the bucket but only a versioned
bucket can be in an AWS Backup plan; neither is `none`. Values never leave the loader except the
physical name, id, ARN and region, which match commands against resources.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from interlock.impact.loaders_common import (
    ENV_ROOT_TYPES,
    RESTORE_MINUTES,
    as_dict,
    as_list,
    bad,
    text,
    tf_kind,
    tf_stateful,
    tier_of,
)
from interlock.impact.model import Edge, Resource, Snapshot, attrs_of, build_snapshot

_NOT_RESOURCES = frozenset(
    {"var", "local", "data", "module", "count", "each", "self", "path", "terraform"}
)
_ENV_TAGS = ("Environment", "environment", "Env", "env", "Stage", "stage", "Tier", "tier")
_BACKUPS = frozenset({"verified", "snapshot", "none"})
_Row = tuple[str, str, dict[str, Any], list[str]]  # address, type, attributes, dependencies


def _load(doc: Any, what: str) -> dict[str, Any]:
    if isinstance(doc, (str, bytes, bytearray)):
        try:
            doc = json.loads(doc)
        except (ValueError, RecursionError):
            raise bad(f"the {what} is not JSON; give the file as Terraform wrote it") from None
    if not isinstance(doc, dict):
        raise bad(f"the {what} is not a JSON object")
    return doc


def from_tfstate(doc: Any, tier: str = "", workspace: str = "", fetched_at: str = "") -> Snapshot:
    """A `terraform.tfstate` (version 4), as text or parsed JSON."""
    state = _load(doc, "state")
    if "resource_changes" in state or "planned_values" in state:
        raise bad("this is a plan, not a state; use `--tfplan`")
    if state.get("version") != 4 or not isinstance(state.get("resources"), list):
        raise bad(f"state version `{state.get('version')}` is not 4 (`terraform.tfstate`)")
    rows: list[_Row] = []
    for block in state["resources"]:
        block = as_dict(block)
        if block.get("mode", "managed") != "managed" or not text(block.get("type")):
            continue
        base = _base_address(text(block.get("module")), block["type"], text(block.get("name")))
        for inst in as_list(block.get("instances")):
            inst = as_dict(inst)
            address = base + _index(inst.get("index_key"))
            attributes = as_dict(inst.get("attributes"))
            refs = [d for d in as_list(inst.get("dependencies")) if text(d)]
            rows.append((address, block["type"], attributes, refs))
    resources, deps = _resources(rows, tier, workspace)
    return build_snapshot(resources, _edges(resources, deps), "tfstate", fetched_at)


def from_tfplan(doc: Any, tier: str = "", workspace: str = "", fetched_at: str = "") -> Snapshot:
    """A plan (`terraform show -json PLANFILE`): its `prior_state` and `configuration`."""
    from interlock.parse.tfplan import _check_plan, _decode

    plan = _decode(doc) if isinstance(doc, (str, bytes, bytearray)) else doc
    _check_plan(plan)
    values = as_dict(as_dict(as_dict(plan).get("prior_state")).get("values"))
    rows: list[_Row] = []
    for item in _state_resources(as_dict(values.get("root_module"))):
        address, rtype = text(item.get("address")), text(item.get("type"))
        if item.get("mode", "managed") != "managed" or not address or not rtype:
            continue
        refs = [d for d in as_list(item.get("depends_on")) if text(d)]
        rows.append((address, rtype, as_dict(item.get("values")), refs))
    resources, deps = _resources(rows, tier, workspace)
    config = as_dict(as_dict(plan.get("configuration")).get("root_module"))
    deps.extend(_config_deps(config, ""))
    return build_snapshot(resources, _edges(resources, deps), "tfplan", fetched_at)


def _resources(
    rows: list[_Row], tier: str, workspace: str
) -> tuple[list[Resource], list[tuple[str, list[str]]]]:
    """Each row's resource, and (address, the addresses it depends on)."""
    buckets = _bucket_settings(rows)
    resources = [
        _resource(address, rtype, attributes, tier, workspace, buckets)
        for address, rtype, attributes, _ in rows
    ]
    return resources, [(address, refs) for address, _, _, refs in rows]


def _bucket_settings(rows: list[_Row]) -> dict[str, dict[str, str]]:
    """Bucket name → `versioning` status / `replication`, from the resources that configure a
    bucket apart from it (AWS provider 4 and later)."""
    out: dict[str, dict[str, str]] = {}
    for _, rtype, attributes, _ in rows:
        bucket = text(attributes.get("bucket"))
        if rtype == "aws_s3_bucket_versioning" and bucket:
            blocks = as_list(attributes.get("versioning_configuration"))
            status = next((text(as_dict(b).get("status")) for b in blocks), "")
            out.setdefault(bucket, {})["versioning"] = status
        elif (
            rtype == "aws_s3_bucket_replication_configuration" and bucket and attributes.get("rule")
        ):
            out.setdefault(bucket, {})["replication"] = "on"
    return out


def _base_address(module: str, rtype: str, name: str) -> str:
    return f"{module}.{rtype}.{name}" if module else f"{rtype}.{name}"


def _index(key: Any) -> str:
    if isinstance(key, bool) or not isinstance(key, (int, str)):
        return ""
    return f"[{json.dumps(key)}]"


def _strip_index(address: str) -> str:
    """`module.a["x"].aws_s3_bucket.b[0]` → `module.a.aws_s3_bucket.b`, for matching."""
    out, depth = [], 0
    for ch in address:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def _resource(
    address: str,
    rtype: str,
    attributes: dict[str, Any],
    tier: str,
    workspace: str,
    buckets: dict[str, dict[str, str]],
) -> Resource:
    tags = {**as_dict(attributes.get("tags_all")), **as_dict(attributes.get("tags"))}
    name = next(
        (
            text(attributes.get(k))
            for k in ("identifier", "bucket", "name")
            if text(attributes.get(k))
        ),
        text(tags.get("Name")) or address,
    )
    env_tag = next((text(tags.get(k)) for k in _ENV_TAGS if text(tags.get(k))), "")
    kind = tf_kind(rtype)
    stateful = tf_stateful(rtype)
    arn = text(attributes.get("arn"))
    return Resource(
        id=f"tf:{address}",
        kind=kind,
        name=name,
        tier=tier_of(env_tag, tier, name, address),
        stateful=stateful,
        backup=_backup(attributes, tags, buckets.get(text(attributes.get("bucket")), {}))
        if stateful
        else "unknown",
        restore_minutes=RESTORE_MINUTES.get(kind, 10),
        env_root=rtype in ENV_ROOT_TYPES,
        attrs=attrs_of(
            {
                "address": address,
                "type": rtype,
                "id": text(attributes.get("id")),
                "arn": arn,
                "region": arn.split(":")[3] if arn.count(":") >= 5 else "",
                "workspace": workspace,
            }
        ),
    )


def _backup(attributes: dict[str, Any], tags: dict[str, Any], bucket: dict[str, str]) -> str:
    tagged = text(tags.get("Backup") or tags.get("backup")).lower()
    if tagged in _BACKUPS:
        return tagged
    if "backup_retention_period" in attributes:
        period = attributes["backup_retention_period"]
        return "snapshot" if isinstance(period, int) and period > 0 else "none"
    if "point_in_time_recovery" in attributes:
        return "snapshot" if _enabled(attributes["point_in_time_recovery"]) else "none"
    return _bucket_backup(attributes, bucket)


def _bucket_backup(attributes: dict[str, Any], bucket: dict[str, str]) -> str:
    """`snapshot` if replicated; `unknown` if only versioned (the versions go with the bucket,
    but it may be in a backup plan nobody listed); `none` if neither; `unknown` if not said."""
    replication = as_list(attributes.get("replication_configuration"))
    if bucket.get("replication") or any(as_list(as_dict(b).get("rules")) for b in replication):
        return "snapshot"
    if "versioning" in bucket:
        versioned = bucket["versioning"] == "Enabled"
    elif "versioning" in attributes:
        versioned = _enabled(attributes["versioning"])
    else:
        return "unknown"
    return "unknown" if versioned else "none"


def _enabled(blocks: Any) -> bool:
    return any(as_dict(b).get("enabled") is True for b in as_list(blocks))


def _state_resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for item in as_list(module.get("resources")):
        yield as_dict(item)
    for child in as_list(module.get("child_modules")):
        yield from _state_resources(as_dict(child))


def _config_deps(module: dict[str, Any], prefix: str) -> list[tuple[str, list[str]]]:
    """(config address, addresses it refers to) for every resource in a configuration."""
    out = []
    for item in as_list(module.get("resources")):
        item = as_dict(item)
        if item.get("mode", "managed") != "managed" or not text(item.get("address")):
            continue
        refs = [r for r in as_list(item.get("depends_on")) if text(r)]
        refs += list(_references(item.get("expressions")))
        out.append((prefix + item["address"], [prefix + _resource_ref(r) for r in refs]))
    for name, call in as_dict(module.get("module_calls")).items():
        child = as_dict(as_dict(call).get("module"))
        out.extend(_config_deps(child, f"{prefix}module.{name}."))
    return out


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "references":
                yield from (r for r in as_list(inner) if text(r))
            else:
                yield from _references(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _references(inner)


def _resource_ref(ref: str) -> str:
    parts = _strip_index(ref).split(".")
    if len(parts) < 2 or (parts[0] in _NOT_RESOURCES and parts[0] != "module"):
        return ""  # `module.x.output` stands for every resource of module x
    return f"{parts[0]}.{parts[1]}"


def _edges(resources: list[Resource], deps: Iterable[tuple[str, list[str]]]) -> list[Edge]:
    """Each dependency names a resource (all its instances) or one instance."""
    instances: dict[str, list[str]] = {}
    for r in resources:
        address = r.attr("address")
        base = _strip_index(address)
        instances.setdefault(base, []).append(r.id)
        if "[" in address:
            instances.setdefault(address, []).append(r.id)
        parts = base.split(".")
        for i in range(2, len(parts) - 1, 2):
            if parts[i - 2] == "module":
                instances.setdefault(".".join(parts[:i]), []).append(r.id)
    edges: list[Edge] = []
    for address, refs in deps:
        sources = instances.get(address, ())
        for ref in refs:
            for target in instances.get(ref, ()) if ref else ():
                edges.extend(Edge(s, target) for s in sources if s != target)
    return edges
