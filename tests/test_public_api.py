"""The public API is deliberate: `__all__` is sorted, pinned, and every name resolves."""

from __future__ import annotations

import subprocess
import sys

import interlock

PINNED = [
    "CheckCall", "Command", "Decision", "Effect", "Finding", "InterlockError", "Mode",
    "Operation", "Settings", "Target", "Tier", "Verdict", "check", "default_settings",
]  # fmt: skip


def test_all_is_sorted_and_pinned():
    assert interlock.__all__ == sorted(interlock.__all__) == PINNED


def test_every_exported_name_resolves():
    for name in interlock.__all__:
        assert getattr(interlock, name) is not None


def test_an_unknown_name_is_an_attribute_error():
    try:
        interlock.nothing_here  # noqa: B018
    except AttributeError as exc:
        assert "nothing_here" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_the_documented_example_denies_a_prod_namespace_delete():
    from interlock import CheckCall, Verdict, check, default_settings

    d = check(CheckCall(command="kubectl --context prod-eu delete ns payments"), default_settings())
    assert d.verdict is Verdict.DENY
    assert "kubernetes.delete-namespace" in d.rules


def test_importing_the_package_loads_nothing_heavy():
    code = (
        "import sys, interlock, interlock.cli.main; "
        "heavy = {'sqlglot', 'yaml', 'rich', 'tree_sitter', 'interlock.service'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
