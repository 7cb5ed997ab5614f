"""Every rule in every default pack: its `hit` examples fire it, its `miss` examples do not."""

from __future__ import annotations

import pytest

from interlock.policy.packs import load_index

INDEX = load_index(use_cache=False)


def _examples():
    for rule in INDEX.rules:
        for cmd in rule.hit:
            yield pytest.param(rule, cmd, True, id=f"{rule.id}:hit:{cmd[:60]}")
        for cmd in rule.miss:
            yield pytest.param(rule, cmd, False, id=f"{rule.id}:miss:{cmd[:60]}")


def test_every_rule_has_a_hit_and_a_miss():
    lacking = [r.id for r in INDEX.rules if not r.hit or not r.miss]
    assert not lacking, f"rules without examples: {lacking}"


@pytest.mark.parametrize(("rule", "command", "should_fire"), list(_examples()))
def test_rule_example(rule, command, should_fire, decide):
    fired = set()
    for mode in sorted(m.value for m in rule.modes):
        fired |= set(decide(command, mode=mode).rules)
    if should_fire:
        assert rule.id in fired, f"{rule.id} did not fire on `{command}`; fired: {sorted(fired)}"
    else:
        assert rule.id not in fired, f"{rule.id} fired on `{command}`"
