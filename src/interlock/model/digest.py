"""The canonical digest of a decision's subject.

Format `il1:sha256:<64 hex>`, over canonical JSON of
`{"v": 1, "mode": …, "operations": [op…], "policy": …, "impact": …}` where `policy` is the
policy digest (`pol1:…`, empty without a policy directory), `impact` the impact report's digest
(empty without a simulation) and each op is
`{"family", "action", "effect", "program", "tags": sorted, "text",
  "targets": [{"kind", "name", "tier", "scope": {k: v}}]}`.
Canonical JSON: keys sorted, separators `,` and `:`, UTF-8, no floats, no NaN.
Changing any part of this layout is a new version (`il2`); golden tests pin `il1`.
Approvals and audit records bind to this string.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from interlock.model.action import Operation

VERSION = "il1"


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def operation_value(op: Operation) -> dict[str, Any]:
    return {
        "family": op.family,
        "action": op.action,
        "effect": op.effect.value,
        "program": op.program,
        "tags": sorted(op.tags),
        "text": op.text,
        "targets": [
            {"kind": t.kind, "name": t.name, "tier": t.tier.value, "scope": dict(t.scope)}
            for t in op.targets
        ],
    }


def digest(
    mode: str,
    operations: tuple[Operation, ...] | list[Operation],
    policy: str = "",
    impact: str = "",
) -> str:
    body = {
        "v": 1,
        "mode": mode,
        "operations": [operation_value(op) for op in operations],
        "policy": policy,
        "impact": impact,
    }
    return f"{VERSION}:sha256:{hashlib.sha256(canonical_json(body)).hexdigest()}"
