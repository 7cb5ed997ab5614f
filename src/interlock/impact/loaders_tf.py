"""Terraform state (v4) and plan JSON → `Snapshot`.

State: every `resources[].instances[]` of mode `managed` is a resource `tf:<address>` (module
prefix and `index_key` included); `dependencies` name resources (every instance of them) the
instance depends on. Plans (`terraform show -json PLANFILE`): the resources of `prior_state`
(the world before the apply), their `depends_on`, and the references found in
`configuration` expressions. Data sources are skipped: they are read, never owned.

Backup is read where the provider says it: RDS `backup_retention_period` > 0, DynamoDB
point-in-time recovery and S3 versioning give `snapshot`, their absence `none`; a `Backup`
tag (`verified`/`snapshot`/`none`) overrides. Values never leave the loader except the
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
    resources: list[Resource] = []
    deps: list[tuple[str, list[str]]] = []
    for block in state["resources"]:
        block = as_dict(block)
        if block.get("mode", "managed") != "managed" or not text(block.get("type")):
            continue
        base = _base_address(text(block.get("module")), block["type"], text(block.get("name")))
        for inst in as_list(block.get("instances")):
            inst = as_dict(inst)
            address = base + _index(inst.get("index_key"))
            attributes = as_dict(inst.get("attributes"))
            resources.append(_resource(address, block["type"], attributes, tier, workspace))
            deps.append((address, [d for d in as_list(inst.get("dependencies")) if text(d)]))
    return build_snapshot(resources, _edges(resources, deps), "tfstate", fetched_at)


def from_tfplan(doc: Any, tier: str = "", workspace: str = "", fetched_at: str = "") -> Snapshot:
    """A plan (`terraform show -json PLANFILE`): its `prior_state` and `configuration`."""
    from interlock.parse.tfplan import _check_plan, _decode

    plan = _decode(doc) if isinstance(doc, (str, bytes, bytearray)) else doc
    _check_plan(plan)
    values = as_dict(as_dict(as_dict(plan).get("prior_state")).get("values"))
    resources: list[Resource] = []
    deps: list[tuple[str, list[str]]] = []
    for item in _state_resources(as_dict(values.get("root_module"))):
        address, rtype = text(item.get("address")), text(item.get("type"))
        if item.get("mode", "managed") != "managed" or not address or not rtype:
            continue
        attributes = as_dict(item.get("values"))
        resources.append(_resource(address, rtype, attributes, tier, workspace))
        deps.append((address, [d for d in as_list(item.get("depends_on")) if text(d)]))
    config = as_dict(as_dict(plan.get("configuration")).get("root_module"))
    deps.extend(_config_deps(config, ""))
    return build_snapshot(resources, _edges(resources, deps), "tfplan", fetched_at)


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
    address: str, rtype: str, attributes: dict[str, Any], tier: str, workspace: str
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
        backup=_backup(rtype, attributes, tags) if stateful else "unknown",
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


def _backup(rtype: str, attributes: dict[str, Any], tags: dict[str, Any]) -> str:
    tagged = text(tags.get("Backup") or tags.get("backup")).lower()
    if tagged in _BACKUPS:
        return tagged
    if "backup_retention_period" in attributes:
        period = attributes["backup_retention_period"]
        return "snapshot" if isinstance(period, int) and period > 0 else "none"
    for key in ("point_in_time_recovery", "versioning"):
        if key in attributes:
            blocks = as_list(attributes[key])
            on = any(as_dict(b).get("enabled") is True for b in blocks)
            return "snapshot" if on else "none"
    return "unknown"


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
