"""Terraform plans: what `terraform show -json PLANFILE` says an apply would do.

`load_plan(doc)` takes the parsed JSON (or its text) — never a path — checks that it is a plan
and answers a `Plan`: one `ResourceChange` per `resource_changes` entry, classified by its
`change.actions`:

| actions                                          | kind      |
|--------------------------------------------------|-----------|
| `["create"]`                                     | create    |
| `["update"]`                                     | update    |
| `["delete"]`                                     | delete    |
| both `delete` and `create`, in either order      | replace   |
| `["no-op"]`                                      | no-op     |
| `["read"]`                                       | read      |
| anything else (`["forget"]`, `["create","forget"]`) | other  |

`resource_drift` (changes made outside Terraform) is reported but never counted. A plan's label
is `destructive` when anything is deleted or replaced, `risky` when anything is created, updated
or changed otherwise (`forget`, an unknown action), and `safe` when every change is a no-op or a
read. `plan_operations(plan)` turns it into Interlock `Operation`s (family `iac`, program
`terraform`, one per resource change) so the same rules and defaults decide whether applying it
may run. `forget` is a write (the object lives on, unmanaged); an action no Terraform Interlock
knows is judged as a destroy. Whether a type holds data comes from `interlock.parse.tftypes`.

Values (`before`, `after`, variables, outputs) are never copied out of the document: only
addresses, types, actions and reasons are, so a sensitive value cannot be printed.
Anything that is not a plan raises `InputError` with code `input.tfplan`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from interlock.model import Effect, InputError, Operation, Target
from interlock.parse import tftypes

CODE = "input.tfplan"
KINDS = ("create", "update", "delete", "replace", "no-op", "read", "other")
_SINGLE = frozenset({"create", "update", "delete", "no-op", "read"})
_VERSION = re.compile(r"^(\d+)\.(\d+)")
_HINT = "give the output of `terraform show -json PLANFILE`"
_MAX_TRIES = 20  # top-level objects tried when a plan is wrapped in other lines
_LINE_OBJECT = re.compile(r"^\{", re.MULTILINE)

# action_reason → a tag rules can match (the reason itself is reported as it is)
_REASON_TAGS = {
    "replace_because_tainted": "tainted",
    "replace_by_request": "forced-replace",
    "replace_by_triggers": "forced-replace",
    "replace_because_cannot_update": "cannot-update",
    "delete_because_no_resource_config": "no-config",
    "delete_because_no_module": "no-config",
    "delete_because_wrong_repetition": "no-config",
    "delete_because_count_index": "no-config",
    "delete_because_each_key": "no-config",
    "delete_because_no_move_target": "no-config",
}


@dataclass(frozen=True, slots=True)
class ResourceChange:
    """One entry of `resource_changes` (or `resource_drift`), without its values."""

    address: str
    actions: tuple[str, ...]
    kind: str
    mode: str = "managed"
    type: str = ""
    previous_address: str | None = None
    deposed: str | None = None
    action_reason: str | None = None
    importing: bool = False

    @property
    def facts(self) -> tftypes.TypeFacts:
        """What its type is: a kind, whether it holds data, whether it is an environment root."""
        return tftypes.facts(self.type or tftypes.type_of(self.address))

    @property
    def unknown(self) -> bool:
        """Whether its actions are none Interlock knows (a newer Terraform's)."""
        return self.kind == "other" and self.actions not in _OTHER

    @property
    def listed(self) -> str:
        """The address as the fixtures list a replacement: `a.b ["delete", "create"]`."""
        return f"{self.address} {json.dumps(list(self.actions))}"


@dataclass(frozen=True, slots=True)
class Plan:
    format_version: str | None
    terraform_version: str | None
    changes: tuple[ResourceChange, ...]
    drift: tuple[ResourceChange, ...] = ()
    outputs: tuple[tuple[str, str], ...] = ()  # (output name, kind)
    deferred: int = 0
    errored: bool = False
    env: str | None = None  # an environment word found in the plan's `env`-like variables

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(KINDS, 0)
        for c in self.changes:
            out[c.kind] += 1
        return out

    @property
    def deleted(self) -> list[str]:
        return [c.address for c in self.changes if c.kind == "delete"]

    @property
    def replaced(self) -> list[str]:
        return [c.listed for c in self.changes if c.kind == "replace"]

    @property
    def label(self) -> str:
        counts = self.counts
        if counts["delete"] or counts["replace"]:
            return "destructive"
        if counts["create"] or counts["update"] or counts["other"]:
            return "risky"  # `forget` rewrites state; an unknown action may do anything
        return "safe"


def kind_of(actions: tuple[str, ...]) -> str:
    if "delete" in actions and "create" in actions:
        return "replace"
    if len(actions) == 1 and actions[0] in _SINGLE:
        return actions[0]
    return "other"


def load_plan(doc: Any) -> Plan:
    """The plan in `doc` (parsed JSON, or JSON text); `InputError` when it is not a plan."""
    if isinstance(doc, (str, bytes, bytearray)):
        doc = _decode(doc)
    _check_plan(doc)
    changes = _entries(doc.get("resource_changes"), "resource_changes", strict=True)
    return Plan(
        format_version=_str(doc.get("format_version")),
        terraform_version=_str(doc.get("terraform_version")),
        changes=changes,
        drift=_entries(doc.get("resource_drift"), "resource_drift", strict=False),
        outputs=_outputs(doc.get("output_changes")),
        deferred=_length(doc.get("deferred_changes")),
        errored=doc.get("errored") is True,
        env=_env_word(doc.get("variables")),
    )


def _decode(text: str | bytes | bytearray) -> Any:
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError(f"the plan is not UTF-8 text; {_HINT}", CODE) from None
    text = text.lstrip("\ufeff")
    try:
        return json.loads(text)
    except RecursionError:
        raise InputError(f"the plan nests too deeply to read; {_HINT}", CODE) from None
    except ValueError as exc:
        embedded = _embedded_plan(text)
        if embedded is None:
            raise InputError(_not_json(text, exc), CODE) from None
        return embedded


def _embedded_plan(text: str) -> dict[str, Any] | None:
    """The one plan object among other lines (a CI wrapper's `[command]…` and `::debug::`
    lines around it); None unless exactly one top-level object is a plan."""
    decoder = json.JSONDecoder()
    found: list[dict[str, Any]] = []
    end = 0
    tries = 0
    for match in _LINE_OBJECT.finditer(text):
        if match.start() < end:
            continue  # inside the object just read
        tries += 1
        if tries > _MAX_TRIES:
            return None
        try:
            obj, end = decoder.raw_decode(text, match.start())
        except (ValueError, RecursionError):
            continue
        if isinstance(obj, dict) and ("resource_changes" in obj or "planned_values" in obj):
            found.append(obj)
    return found[0] if len(found) == 1 else None


def _not_json(text: str, exc: ValueError) -> str:
    first = text.lstrip().split("\n", 1)[0]
    if first.startswith("{") and '"@level"' in first:
        return (
            "this is the log of `terraform plan -json`, not a plan; save the plan with "
            f"`terraform plan -out=PLANFILE` and {_HINT}"
        )
    if not first.startswith(("{", "[")):
        return f"the plan is not JSON (human-readable plan output cannot be checked); {_HINT}"
    detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "invalid JSON"
    return f"the plan is not valid JSON ({detail}); {_HINT}"


def _check_plan(doc: Any) -> None:
    if not isinstance(doc, dict):
        raise InputError(f"the plan is {_json_type(doc)}, not a plan object; {_HINT}", CODE)
    has_plan_keys = "resource_changes" in doc or "planned_values" in doc
    if not has_plan_keys and ("values" in doc or "lineage" in doc or "serial" in doc):
        raise InputError(
            f"this is a Terraform state, not a plan; run `terraform plan -out=PLANFILE` and {_HINT}",
            CODE,
        )
    if not has_plan_keys:
        raise InputError(
            f"this JSON has neither `resource_changes` nor `planned_values`, so it is not a plan; {_HINT}",
            CODE,
        )
    _check_version(doc.get("format_version"))
    for key in ("resource_changes", "resource_drift"):
        if doc.get(key) is not None and not isinstance(doc[key], list):
            raise InputError(f"the plan's `{key}` must be a list", CODE)


def _check_version(value: Any) -> None:
    if value is None:
        return  # hand-made plans often leave it out; the shape is checked entry by entry
    match = _VERSION.match(value) if isinstance(value, str) else None
    if match is None:
        raise InputError(f"the plan's `format_version` `{value}` is not a version", CODE)
    if int(match.group(1)) > 1:
        raise InputError(
            f"plan format `{value}` is newer than Interlock understands (1.x); upgrade Interlock",
            CODE,
        )


def _entries(items: Any, key: str, strict: bool) -> tuple[ResourceChange, ...]:
    """The entries of `resource_changes` (`strict`: a bad entry is an error) or of drift."""
    out = []
    for i, item in enumerate(items or ()):
        change = _entry(item)
        if change is None and strict:
            raise InputError(
                f"entry {i} of `{key}` is not a resource change (it needs `address` and "
                f"`change.actions`); {_HINT}",
                CODE,
            )
        if change is not None:
            out.append(change)
    return tuple(out)


def _entry(item: Any) -> ResourceChange | None:
    if not isinstance(item, dict) or not isinstance(item.get("change"), dict):
        return None
    change = item["change"]
    actions = change.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        return None
    address = _address(item)
    if address is None:
        return None
    acts = tuple(actions)
    return ResourceChange(
        address=address,
        actions=acts,
        kind=kind_of(acts),
        mode=_str(item.get("mode")) or "managed",
        type=_str(item.get("type")) or "",
        previous_address=_str(item.get("previous_address")),
        deposed=_str(item.get("deposed")),
        action_reason=_str(item.get("action_reason")),
        importing=isinstance(change.get("importing"), dict),
    )


def _address(item: dict[str, Any]) -> str | None:
    """`address`, or one built from module, mode, type, name and index when it is missing."""
    if isinstance(item.get("address"), str) and item["address"]:
        return str(item["address"])
    rtype, name = item.get("type"), item.get("name")
    if not (isinstance(rtype, str) and isinstance(name, str) and rtype and name):
        return None
    addr = ("data." if item.get("mode") == "data" else "") + f"{rtype}.{name}"
    index = item.get("index")
    if isinstance(index, (int, str)) and not isinstance(index, bool):
        addr += f"[{json.dumps(index)}]"
    module = item.get("module_address")
    return f"{module}.{addr}" if isinstance(module, str) and module else addr


def _outputs(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    out = []
    for name, change in value.items():
        actions = change.get("actions") if isinstance(change, dict) else None
        if not isinstance(name, str) or not isinstance(actions, list):
            continue
        if all(isinstance(a, str) for a in actions):
            out.append((name, kind_of(tuple(actions))))
    return tuple(sorted(out))


def _env_word(variables: Any) -> str | None:
    """The environment word (`prod`, `staging`…) in a variable such as `env` or `stage`."""
    from interlock.parse.tools.iac_common import env_hint
    from interlock.parse.tools.iac_terraform import _ENV_VARS

    if not isinstance(variables, dict):
        return None
    values = []
    for name, var in variables.items():
        value = var.get("value") if isinstance(var, dict) else None
        if isinstance(name, str) and name.lower() in _ENV_VARS and isinstance(value, str):
            values.append(value)
    return env_hint(values)


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool) or value is None:
        return f"JSON `{json.dumps(value)}`"
    return "a JSON number"


def _length(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# ---- operations -------------------------------------------------------------------------------

# kind → (action, effect, verb for the summary)
_OPS: dict[str, tuple[str, Effect, str]] = {
    "create": ("plan-create", Effect.WRITE, "creates"),
    "update": ("plan-update", Effect.WRITE, "updates in place"),
    "delete": ("plan-delete", Effect.DESTROY, "deletes"),
    "replace": ("plan-replace", Effect.DESTROY, "replaces (deletes and recreates)"),
    "no-op": ("plan-no-op", Effect.READ, "leaves unchanged"),
    "read": ("plan-read", Effect.READ, "reads"),
}
_OTHER: dict[tuple[str, ...], tuple[str, Effect, str]] = {
    ("forget",): ("plan-forget", Effect.WRITE, "forgets (leaves running, unmanaged)"),
    ("create", "forget"): (
        "plan-create-forget",
        Effect.WRITE,
        "replaces, forgetting (not deleting) the old object of",
    ),
}


def plan_operations(plan: Plan, workspace: str | None = None) -> list[Operation]:
    """One `iac` operation per resource change, plus one when outputs change."""
    ops = [_operation(c, plan.env, workspace) for c in plan.changes]
    changed = [name for name, kind in plan.outputs if kind != "no-op"]
    if changed:
        target = Target.make("terraform-output", "outputs", env=plan.env, workspace=workspace)
        ops.append(
            Operation(
                family="iac",
                action="plan-outputs",
                effect=Effect.WRITE,
                program="terraform",
                targets=(target,),
                tags=frozenset({"plan"}),
                summary=f"changes {len(changed)} output value(s)",
                text=f"terraform plan: outputs {' '.join(changed)}",
            )
        )
    return ops


def _operation(c: ResourceChange, env: str | None, workspace: str | None) -> Operation:
    action, effect, verb = _OPS.get(c.kind) or _OTHER.get(c.actions) or _unknown(c)
    if c.mode == "data" and effect is not Effect.READ and not c.unknown:
        effect = Effect.WRITE  # a data source only lives in state; nothing real is deleted
    facts = c.facts
    what = f"{facts.kind} " if c.mode != "data" and (facts.stateful or facts.env_root) else ""
    summary = f"{verb} {what}`{c.address}`"
    if c.action_reason:
        summary += f" ({c.action_reason.replace('_', ' ')})"
    target = Target.make("terraform-resource", c.address, env=env, workspace=workspace)
    return Operation(
        family="iac",
        action=action,
        effect=effect,
        program="terraform",
        targets=(target,),
        tags=frozenset(_tags(c)),
        summary=summary,
        text=f"terraform plan: {c.listed}" + (f" deposed {c.deposed}" if c.deposed else ""),
    )


def _unknown(c: ResourceChange) -> tuple[str, Effect, str]:
    # INVARIANT: an action this Interlock does not know may delete; judged as a destroy, so no
    # mode allows it silently
    verb = f"does `{'+'.join(c.actions) or 'nothing'}` (an action Interlock does not know) to"
    return ("plan-other", Effect.DESTROY, verb)


def _tags(c: ResourceChange) -> set[str]:
    tags = {"plan"}
    if c.kind == "replace":
        tags.add("replace")
        if c.actions[0] == "create":
            tags.add("create-before-destroy")
    if c.mode == "data":
        tags.add("data-source")
    elif c.facts.stateful:
        tags.add("stateful")
    if c.unknown:
        tags.add("unknown-action")
    if c.action_reason in _REASON_TAGS:
        tags.add(_REASON_TAGS[c.action_reason])
    for flag, tag in ((c.deposed, "deposed"), (c.importing, "importing")):
        if flag:
            tags.add(tag)
    if c.previous_address:
        tags.add("moved")
    if "forget" in c.actions:
        tags.add("state-surgery")  # like `terraform state rm`: the object lives on, unmanaged
    return tags
