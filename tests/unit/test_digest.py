"""The canonical digest: format pinned by a golden value, stable, and sensitive to what matters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interlock.model import Effect, Operation, Target, Tier
from interlock.model.digest import canonical_json, digest

OP = Operation(
    family="kubernetes", action="delete", effect=Effect.DESTROY, program="kubectl",
    targets=(Target.make("namespace", "payments", tier=Tier.PROD, context="prod-eu"),),
    tags=frozenset({"b", "a"}), summary="deletes namespace `payments`",
    text="kubectl --context prod-eu delete ns payments",
)  # fmt: skip


def test_the_digest_format_is_pinned():
    assert digest("workstation", [OP]) == (
        "il1:sha256:" + __import__("hashlib").sha256(canonical_json({
            "v": 1, "mode": "workstation", "operations": [{
                "family": "kubernetes", "action": "delete", "effect": "destroy", "program": "kubectl",
                "tags": ["a", "b"], "text": "kubectl --context prod-eu delete ns payments",
                "targets": [{"kind": "namespace", "name": "payments", "tier": "prod", "scope": {"context": "prod-eu"}}],
            }],
            "policy": "", "impact": "",
        })).hexdigest()
    )  # fmt: skip


def test_the_golden_digest_does_not_drift():
    assert digest("workstation", [OP]) == GOLDEN


GOLDEN = "il1:sha256:9c61107c2a7f8d23561bba1da9e63b1981d86d71339f90b772e2ea9336821b2c"


def test_canonical_json_sorts_keys_and_has_no_spaces():
    assert canonical_json({"b": 1, "a": [1, "é"]}) == '{"a":[1,"é"],"b":1}'.encode()


def test_the_summary_does_not_change_the_digest():
    from dataclasses import replace

    assert digest("gateway", [OP]) == digest("gateway", [replace(OP, summary="other words")])


def test_the_policy_and_the_impact_change_the_digest():
    base = digest("gateway", [OP])
    assert digest("gateway", [OP], policy="pol1:sha256:ab") != base
    assert digest("gateway", [OP], impact="imp1:sha256:cd") != base


def test_mode_tier_and_text_change_the_digest():
    from dataclasses import replace

    base = digest("gateway", [OP])
    assert digest("workstation", [OP]) != base
    assert digest("gateway", [replace(OP, text=OP.text + " ")]) != base
    t = replace(OP.targets[0], tier=Tier.DEV)
    assert digest("gateway", [replace(OP, targets=(t,))]) != base


@given(st.text(max_size=200), st.sampled_from(["workstation", "gateway"]))
def test_digests_are_stable_for_any_text(text, mode):
    from dataclasses import replace

    op = replace(OP, text=text)
    assert digest(mode, [op]) == digest(mode, [replace(op)])
