"""`interlock policy`: test and lint a policy directory.

    interlock policy test DIR [--verbose]
    interlock policy lint [DIR] [--strict] [--json] [--now ISO-8601]

`test` loads DIR/policy.yaml (with DIR/invariants.yaml and its approved digest when present),
runs every case of DIR/tests/*.yaml through the real check, prints one `FAIL` line per failing
case and a summary `N passed, M failed`; exit 0 when all pass, 1 otherwise (and 1, with the
error code, when the policy or a test file does not load). `lint` prints one finding a line,
code first; exit 1 when there is an error (`--strict`: any finding).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

from interlock.cli.common import Parser, UsageError, print_error
from interlock.model import (
    History,
    InterlockError,
    KillSwitch,
    Mode,
    Operation,
    PolicyError,
    Tier,
)

DEFAULT_DIR = os.path.join(".interlock", "policy")


def build_parser() -> Parser:
    p = Parser(prog="interlock policy", description="Test and lint policy files.")
    sub = p.add_subparsers(dest="sub", required=True, metavar="{test,lint}")
    t = sub.add_parser("test", help="run DIR/tests/*.yaml against DIR/policy.yaml")
    t.add_argument("dir", metavar="DIR")
    t.add_argument("--verbose", "-v", action="store_true", help="print passing cases too")
    lint = sub.add_parser("lint", help="report unreachable, shadowed, untested rules …")
    lint.add_argument("dir", metavar="DIR", nargs="?", default=None)
    lint.add_argument("--strict", action="store_true", help="warnings count as errors")
    lint.add_argument("--json", action="store_true", help="one JSON object per finding")
    lint.add_argument("--now", default=None, help="the time grants expire against (ISO-8601)")
    return p


def main(argv: Sequence[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    try:
        ns = build_parser().parse_args(list(argv))
        if ns.sub == "test":
            return run_tests(ns.dir, ns.verbose, stdout)
        directory = ns.dir or os.environ.get("INTERLOCK_POLICY") or DEFAULT_DIR
        return run_lint(directory, ns.strict, ns.json, _now(ns.now), stdout)
    except UsageError as exc:
        print_error(stderr, "usage", str(exc))
        return 1
    except InterlockError as exc:
        print_error(stderr, exc.code, exc.message)
        return 1


# -- test ---------------------------------------------------------------------------------------


def run_tests(directory: str, verbose: bool, stdout: TextIO) -> int:
    from interlock.policy.testing import failure_line, run_cases, summary

    policy = load_dir(directory)
    cases = load_tests(directory)
    if cases is None:
        raise PolicyError(f"`{directory}` has no tests/*.yaml", "policy.no_tests")
    results = run_cases(cases, decider(policy))
    for r in results:
        if not r.passed:
            stdout.write(failure_line(r) + "\n")
        elif verbose:
            stdout.write(f"PASS {r.case.file}:{r.case.note}\n")
    stdout.write(summary(results) + "\n")
    return 0 if all(r.passed for r in results) else 1


def decider(policy: Any) -> Callable[[Any], Any]:
    """A function that runs one test case through the real check with `policy` loaded."""
    from dataclasses import replace

    from interlock.policy.testing import Outcome
    from interlock.service import check, default_settings

    base = replace(default_settings(), policy=policy)

    def decide(case: Any) -> Outcome:
        call, settings = call_for(case, policy, base)
        d = check(call, settings)
        return Outcome(d.verdict.value, d.rules, d.layer, d.errors)

    return decide


def call_for(case: Any, policy: Any, base: Any) -> tuple[Any, Any]:
    """The check call of a test case and the settings it runs under: its agent (launched by
    whom the policy says), its clock and impact report, and the kill switches and history the
    store would hold."""
    from dataclasses import replace

    from interlock.policy.testing import impact_of_case
    from interlock.service import CheckCall

    entry = policy.agent(case.agent)
    call = CheckCall(
        command=case.command,
        sql=case.sql,
        mode=Mode(case.mode),
        env=Tier(case.env) if case.env else None,
        agent=case.agent,
        launched_by=entry.launched_by if entry else None,
        now=case.now,
        impact=impact_of_case(case.impact) if case.impact is not None else None,
    )
    kill = tuple(KillSwitch(k["scope"], k.get("value", ""), k.get("reason", "")) for k in case.kill)
    history = History(**case.history)
    settings = replace(
        base,
        kill_switches=lambda: kill,
        history=lambda _agent, _now, _window: history,
        record=None,
    )
    return call, settings


# -- lint ---------------------------------------------------------------------------------------


def run_lint(directory: str, strict: bool, as_json: bool, now: datetime, stdout: TextIO) -> int:
    from interlock.policy.lint import has_errors, lint
    from interlock.policy.packs import load_index

    policy = load_dir(directory)
    findings = lint(
        policy,
        load_index(),
        builtin_invariants(),
        now=now,
        cases=load_tests(directory),
        analyze=analyzer(policy),
        evaluate=evaluate_cel,
        denied_by=invariant_denies(policy),
    )
    for f in findings:
        stdout.write((json.dumps(f.as_json()) if as_json else f.line()) + "\n")
    if not as_json:
        errors = sum(1 for f in findings if f.severity == "error")
        stdout.write(f"{errors} errors, {len(findings) - errors} warnings\n")
    return 1 if has_errors(findings, strict) else 0


def builtin_invariants() -> tuple[Any, ...]:
    from interlock.policy.invariants import BUILTIN

    return tuple(BUILTIN)


def analyzer(policy: Any) -> Callable[[str], tuple[list[Operation], Collection[str]]]:
    """Commands → (operations, ids of the invariants that deny them) under a neutral request:
    gateway mode, no agent, no impact report, no history, outside any freeze window."""
    from dataclasses import replace

    from interlock.policy.testing import DEFAULT_NOW
    from interlock.service import CheckCall, check, default_settings

    settings = replace(default_settings(), policy=policy, record=None)

    def analyze(command: str) -> tuple[list[Operation], Collection[str]]:
        d = check(CheckCall(command=command, mode=Mode.GATEWAY, now=DEFAULT_NOW), settings)
        denied = {f.rule for f in d.findings if f.layer == "invariants"}
        return list(d.operations), denied

    return analyze


def invariant_denies(policy: Any) -> Callable[[Operation], bool]:
    """Whether a built-in invariant denies one operation under a neutral request."""
    from interlock.model import Request
    from interlock.policy.invariants import invariant_findings
    from interlock.policy.testing import DEFAULT_NOW

    request = Request(now=DEFAULT_NOW)
    return lambda op: bool(invariant_findings((op,), request, policy, Mode.GATEWAY))


def evaluate_cel(source: str, activation: Any) -> Any:
    from interlock.policy.cel import load_cel

    return load_cel().compile(source).execute(activation)


# -- files --------------------------------------------------------------------------------------


def load_dir(directory: str) -> Any:
    """The policy in `directory`: policy.yaml, and invariants.yaml with its approved digest."""
    if not os.path.isfile(os.path.join(directory, "policy.yaml")):
        raise PolicyError(f"`{directory}` has no policy.yaml", "policy.missing")
    from interlock.policy.policyfile import load_policy

    policy_text = _read(directory, "policy.yaml")
    invariants = _read(directory, "invariants.yaml")
    approved = _read(directory, "invariants.approved")
    return load_policy(policy_text or "", invariants, approved.strip() if approved else None)


def load_tests(directory: str) -> list[Any] | None:
    """Every case of DIR/tests/*.yaml, in file order; None when there are no test files."""
    import yaml

    from interlock.policy.testing import load_cases

    tests = os.path.join(directory, "tests")
    names = (
        sorted(n for n in os.listdir(tests) if n.endswith(".yaml")) if os.path.isdir(tests) else []
    )
    if not names:
        return None
    cases = []
    for name in names:
        rel = f"tests/{name}"
        try:
            data = yaml.safe_load(_read(directory, rel) or "")
        except yaml.YAMLError as exc:
            first = str(exc).splitlines()[0]
            raise PolicyError(
                f"`{rel}` is not valid YAML: {first}", "policy.test_invalid"
            ) from None
        cases += load_cases(data, rel)
    return cases


def _read(directory: str, name: str) -> str | None:
    path = os.path.join(directory, name)
    if not os.path.isfile(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def _now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now `{value}` is not an ISO-8601 time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
