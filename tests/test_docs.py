"""Documentation stays in step with the code: every command and every rule pack is documented."""

from __future__ import annotations

from pathlib import Path

from interlock.cli.main import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = "\n".join(
    p.read_text("utf-8") for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
)


def test_every_command_is_documented():
    missing = [name for name in COMMANDS if f"interlock {name}" not in DOCS]
    assert not missing, f"commands without docs: {missing}"


def test_the_readme_starts_with_the_two_setup_commands():
    lines = (ROOT / "README.md").read_text("utf-8").splitlines()
    block = lines[lines.index("```sh") + 1 : lines.index("```sh") + 3]
    assert "interlock check" in block[0] and block[1].endswith("pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert ".venv/bin/pytest" in ci and "pip install -q -e '.[dev]'" in ci


def test_every_rule_pack_is_in_the_changelog():
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    packs = [p.stem for p in (ROOT / "src/interlock/policy/packs").glob("*.yaml")]
    missing = [p for p in packs if f"`{p}`" not in changelog]
    assert not missing, f"packs missing from CHANGELOG.md: {missing}"
