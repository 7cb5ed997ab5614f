"""Start-up stays lean: what a hook's `interlock check` loads, checked through `sys.modules`.

No timing here (see bench/ and docs/performance.md for the figures): each test runs a fresh
interpreter and lists the modules it ended up with.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("sqlglot", "yaml", "rich", "tree_sitter")


def _loaded(code: str, cache_dir: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERLOCK_")}
    env["XDG_CACHE_HOME"] = cache_dir
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def _top(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_importing_the_console_script_loads_no_heavy_module(tmp_path):
    loaded = _top(_loaded("import interlock.cli.main", str(tmp_path)))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_plain_check_loads_neither_yaml_nor_sql_nor_argparse_once_packs_are_cached(tmp_path):
    call = (
        "import io\nfrom interlock.cli.main import main\n"
        "main(['check', '--', 'ls', '-la'], io.StringIO(), io.StringIO(), io.StringIO())"
    )
    _loaded(call, str(tmp_path))  # the first call parses the YAML packs and writes the cache
    loaded = _top(_loaded(call, str(tmp_path)))
    assert "tree_sitter" in loaded  # the check did run
    unexpected = loaded & {"sqlglot", "yaml", "rich", "argparse"}
    assert not unexpected, sorted(unexpected)


ARGV_LINES = [
    ["--", "ls", "-la"],
    ["--", "ls", "--", "x"],
    ["--", "--json"],
    ["--json", "--", "--"],
    ["ls"],
    ["ls", "x", "y"],
    ["--json", "ls"],
    ["ls", "--json"],
    ["ls", "-la"],
    ["ls", "--", "x"],
    ["--mode=gateway", "--", "rm", "-rf", "/"],
    ["--mode", "gateway", "--env", "prod", "--json", "--", "kubectl", "get", "pods"],
    ["--mode", "nope", "--", "ls"],
    ["--mode"],
    ["--mod", "gateway", "--", "ls"],
    ["--env", "unknown", "--", "ls"],
    ["--rules", "a", "--rules=b", "--", "x"],
    ["--envmap", "-", "--", "x"],
    ["--envmap", "--json", "--", "x"],
    ["--envmap="],
    ["--json=yes", "--", "ls"],
    ["--batch", "-"],
    ["--batch=f.jsonl", "--mode", "workstation"],
    ["-h"],
    ["-", "x"],
    [],
]


def test_the_quick_option_reader_agrees_with_argparse_on_every_line_it_reads():
    from interlock.cli.check import OPTIONS, build_parser
    from interlock.cli.common import UsageError, parse_known

    read = 0
    for argv in ARGV_LINES:
        quick = parse_known(argv, OPTIONS)
        if quick is None:
            continue  # argparse decides, as before
        read += 1
        try:
            full = vars(build_parser().parse_args(argv))
        except (UsageError, SystemExit):
            full = None
        assert vars(quick) == full, argv
    assert read >= 15


def test_rules_read_back_from_the_pack_cache_are_the_rules_of_the_yaml():
    from interlock.policy.packs import load_index

    fresh = load_index(use_cache=False)
    load_index()  # writes the cache if this session has none yet
    cached = load_index()

    def ids(rules):
        return [r.id for r in rules]

    assert ids(cached.rules) == ids(fresh.rules)
    assert {f: ids(v) for f, v in cached.by_family.items()} == {
        f: ids(v) for f, v in fresh.by_family.items()
    }


def test_a_rule_damaged_in_the_cache_fails_the_checks_of_its_family_closed():
    from interlock.model import Mode
    from interlock.policy.packs import lazy_index, pack_texts, parse_packs
    from interlock.service import CheckCall, Settings, check

    parsed = parse_packs(pack_texts())
    for _name, data in parsed:
        rules = data.get("rules") if isinstance(data, dict) else data
        for rule in rules:
            if rule["id"] == "kubernetes.delete-namespace":
                rule["effect"] = "allow"  # packs may not allow: invalid
    index = lazy_index([(n, d.get("rules") if isinstance(d, dict) else d) for n, d in parsed])
    settings = Settings(rules=index)

    d = check(CheckCall(command="kubectl delete ns payments", mode=Mode.GATEWAY), settings)
    assert d.verdict.value == "ask" and d.errors == ("policy.invalid",)
    assert check(CheckCall(command="ls -la"), settings).verdict.value == "allow"
