"""The inventory model: canonical digests, the snapshot file, and refusing a tampered one."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.impact.model import (
    Edge,
    Resource,
    build_snapshot,
    snapshot_digest,
    snapshot_from_json,
    snapshot_to_json,
)
from interlock.model.errors import InputError

DB = Resource("tf:aws_db_instance.main", "db-instance", "prod-main", tier="prod", stateful=True)
VPC = Resource("tf:aws_vpc.main", "vpc", "prod-main", tier="prod", env_root=True)
SNAP = build_snapshot([DB, VPC], [Edge(DB.id, VPC.id)], "tfstate", "2024-05-01T00:00:00+00:00")


def test_the_digest_is_pinned():
    assert SNAP.digest == snapshot_digest([DB, VPC], [Edge(DB.id, VPC.id)])
    assert SNAP.digest.startswith("inv1:sha256:") and len(SNAP.digest) == 12 + 64
    # golden: changing the canonical layout is a new version (`inv2`), not an edit here
    assert SNAP.digest == (
        "inv1:sha256:5d3ad8809732f4007706ee79a6263efb0cb0c6abdfd97cef2cb62fb4ac42eb08"
    )


def test_the_digest_ignores_order_source_and_fetch_time():
    other = build_snapshot([VPC, DB], [Edge(DB.id, VPC.id)], "merged", "2030-01-01T00:00:00Z")
    assert other.digest == SNAP.digest


def test_any_field_changes_the_digest():
    changed = build_snapshot(
        [DB, VPC.__class__(**{**_fields(VPC), "backup": "none"})], SNAP.edges, "x"
    )
    assert changed.digest != SNAP.digest


def test_dangling_edges_and_self_loops_are_dropped():
    snap = build_snapshot([DB], [Edge(DB.id, "tf:gone"), Edge(DB.id, DB.id)], "tfstate")
    assert snap.edges == ()


def test_a_snapshot_file_round_trips():
    again = snapshot_from_json(snapshot_to_json(SNAP))
    assert again == SNAP


def test_a_tampered_snapshot_is_refused():
    doc = json.loads(snapshot_to_json(SNAP))
    doc["resources"][0]["backup"] = "verified"
    with pytest.raises(InputError) as err:
        snapshot_from_json(json.dumps(doc))
    assert err.value.code == "input.inventory"


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 2, "resources": [], "edges": [], "digest": ""}',
        '{"version": 1, "resources": {}, "edges": [], "digest": ""}',
        '{"version": 1, "resources": [1], "edges": [], "digest": ""}',
        '{"version": 1, "resources": [{"id": "a", "kind": "vpc", "name": "a", '
        '"restore_minutes": 1.5}], "edges": [], "digest": ""}',
        '{"version": 1, "resources": [], "edges": [], "digest": 7}',
    ],
)
def test_malformed_snapshot_files_are_refused(text):
    with pytest.raises(InputError) as err:
        snapshot_from_json(text)
    assert err.value.code == "input.inventory"


def test_resource_attrs_read_by_key():
    r = Resource("x", "vpc", "x", attrs=(("arn", "arn:aws:x"), ("region", "eu-west-1")))
    assert r.attr("region") == "eu-west-1" and r.attr("missing", "-") == "-"


def _fields(r: Resource) -> dict[str, object]:
    return {f: getattr(r, f) for f in r.__slots__}


ids = st.text("abcxyz:.", min_size=1, max_size=6)


@settings(max_examples=50, deadline=None)
@given(st.lists(ids, min_size=1, max_size=12, unique=True), st.integers(0, 2**32))
def test_digests_are_stable_under_any_order(names, seed):
    rs = [Resource(n, "vpc", n, restore_minutes=len(n)) for n in names]
    es = [Edge(a, b) for a in names for b in names if a < b]
    shuffled_r, shuffled_e = rs[:], es[:]
    random.Random(seed).shuffle(shuffled_r)
    random.Random(seed).shuffle(shuffled_e)
    one = build_snapshot(rs, es, "tfstate")
    assert build_snapshot(shuffled_r, shuffled_e, "kubernetes").digest == one.digest
    assert snapshot_from_json(snapshot_to_json(one)).digest == one.digest
