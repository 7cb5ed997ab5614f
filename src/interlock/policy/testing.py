"""Policy test cases, like `opa test`: a YAML list of inputs with the verdict, the rule ids and
the layer they must produce.

    - note: the deploy bot may roll out to staging
      command: kubectl --context staging apply -f app.yaml
      agent: agent:deploy-bot
      now: "2026-03-04T10:00:00Z"
      want: allow
      want_rules: [acme.staging-deploys]
      want_layer: rules

`load_cases(text, file)` checks the schema (unknown keys are errors, `policy.test_invalid`);
`run_cases(cases, decide)` runs each case through `decide` — the CLI passes one that calls the
real check — and compares. Nothing here reads a file or a clock: a case without `now` runs at
`DEFAULT_NOW`, so a suite gives the same answer on any day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from interlock.model import PolicyError

DEFAULT_NOW = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)  # a Wednesday noon: outside any weekend
VERDICTS = ("allow", "ask", "deny")
LAYERS = ("invariants", "rules", "grant", "defaults")
CASE_KEYS = frozenset(
    {
        "note",
        "command",
        "sql",
        "mode",
        "env",
        "agent",
        "now",
        "impact",
        "history",
        "kill",
        "want",
        "want_rules",
        "want_layer",
        "want_error_code",
    }
)
IMPACT_KEYS = frozenset({"deleted", "services_impaired", "data_without_backup", "restore_minutes"})
IMPACT_FACTS = frozenset({"env_root_teardown", "tiers", "lost", "roots"})
AFFECTED_KEYS = frozenset({"kind", "name", "tier"})
TIER_NAMES = ("prod", "staging", "dev", "local", "unknown")
HISTORY_KEYS = frozenset({"destructive_ops", "fleet_touched", "fleet_size"})
KILL_KEYS = frozenset({"scope", "value", "reason"})


@dataclass(frozen=True, slots=True)
class Case:
    """One test case. `impact` is None when the case gives none (no simulation ran)."""

    file: str
    note: str
    want: str
    command: str | None = None
    sql: str | None = None
    mode: str = "workstation"
    env: str | None = None
    agent: str | None = None
    now: datetime = DEFAULT_NOW
    impact: Mapping[str, Any] | None = None  # counts, and the facts in IMPACT_FACTS
    history: Mapping[str, int] = field(default_factory=dict)
    kill: tuple[Mapping[str, str], ...] = ()
    want_rules: tuple[str, ...] = ()
    want_layer: str | None = None
    want_error_code: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the check answered for a case."""

    verdict: str
    rules: tuple[str, ...] = ()
    layer: str = ""
    errors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Result:
    case: Case
    outcome: Outcome
    problems: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.problems


def load_cases(data: Any, file: str) -> list[Case]:
    """Cases from one parsed test file (a list of mappings)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise _invalid(f"test file `{file}` must be a list of cases")
    cases = [_case(item, file, i) for i, item in enumerate(data, 1)]
    seen: set[str] = set()
    for c in cases:
        if c.note in seen:
            raise _invalid(f"note `{c.note}` appears twice in `{file}`")
        seen.add(c.note)
    return cases


def run_cases(cases: Iterable[Case], decide: Callable[[Case], Outcome]) -> list[Result]:
    results = []
    for case in cases:
        outcome = decide(case)
        results.append(Result(case, outcome, tuple(compare(case, outcome))))
    return results


def compare(case: Case, got: Outcome) -> list[str]:
    """What differs between a case's expectations and an outcome (empty when it passes)."""
    out = []
    if got.verdict != case.want:
        out.append(f"want {case.want}, got {got.verdict}")
    missing = [r for r in case.want_rules if r not in got.rules]
    if missing:
        out.append(f"want rules {', '.join(missing)}")
    if case.want_layer is not None and got.layer != case.want_layer:
        out.append(f"want layer {case.want_layer}, got {got.layer or 'none'}")
    if case.want_error_code is not None and case.want_error_code not in got.errors:
        out.append(f"want error {case.want_error_code}")
    return out


def failure_line(result: Result) -> str:
    """`FAIL tests/prod.yaml:note: want deny, got ask (rules a, b)`."""
    rules = ", ".join(result.outcome.rules) or "none"
    layer = f" [{result.outcome.layer}]" if result.outcome.layer else ""
    problems = "; ".join(result.problems)
    return f"FAIL {result.case.file}:{result.case.note}: {problems} (rules {rules}){layer}"


def summary(results: Sequence[Result]) -> str:
    failed = sum(1 for r in results if not r.passed)
    return f"{len(results) - failed} passed, {failed} failed"


def _case(item: Any, file: str, n: int) -> Case:
    if not isinstance(item, dict):
        raise _invalid(f"case {n} in `{file}` must be a mapping")
    note = item.get("note")
    if not isinstance(note, str) or not note.strip():
        raise _invalid(f"case {n} in `{file}` needs a `note`")
    where = f"case `{note}` in `{file}`"
    extra = set(item) - CASE_KEYS
    if extra:
        raise _invalid(f"unknown key `{sorted(extra)[0]}` in {where}")
    if ("command" in item) == ("sql" in item):
        raise _invalid(f"{where} needs exactly one of `command` or `sql`")
    return Case(
        file=file,
        note=note,
        want=_choice(item, "want", VERDICTS, where, required=True) or "",
        command=_opt_str(item, "command", where),
        sql=_opt_str(item, "sql", where),
        mode=_choice(item, "mode", ("workstation", "gateway"), where) or "workstation",
        env=_choice(item, "env", ("prod", "staging", "dev", "local"), where),
        agent=_opt_str(item, "agent", where),
        now=_now(item.get("now"), where),
        impact=_impact(item, where),
        history=_counts(item, "history", HISTORY_KEYS, where) or {},
        kill=_kill(item.get("kill", []), where),
        want_rules=_ids(item.get("want_rules", []), where),
        want_layer=_choice(item, "want_layer", LAYERS, where),
        want_error_code=_opt_str(item, "want_error_code", where),
    )


def _opt_str(item: dict[str, Any], key: str, where: str) -> str | None:
    value = item.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise _invalid(f"`{key}` in {where} must be a non-empty string")
    return value


def _choice(
    item: dict[str, Any], key: str, allowed: tuple[str, ...], where: str, required: bool = False
) -> str | None:
    value = item.get(key)
    if value is None and not required:
        return None
    if value not in allowed:
        raise _invalid(f"`{key}` in {where} is `{value}`; use {', '.join(allowed)}")
    return str(value)


def _now(value: Any, where: str) -> datetime:
    if value is None:
        return DEFAULT_NOW
    if isinstance(value, datetime):  # YAML reads an unquoted timestamp as one
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise _invalid(f"`now` in {where} is `{value}`; use ISO-8601") from None
    else:
        raise _invalid(f"`now` in {where} must be an ISO-8601 time")
    if moment.tzinfo is None:
        raise _invalid(f"`now` in {where} needs a time zone (`Z` or `+01:00`)")
    return moment


def _counts(
    item: dict[str, Any], key: str, allowed: frozenset[str], where: str
) -> dict[str, int] | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _invalid(f"`{key}` in {where} must be a mapping")
    extra = set(value) - allowed
    if extra:
        raise _invalid(f"unknown key `{key}.{sorted(extra)[0]}` in {where}")
    for k, v in value.items():
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise _invalid(f"`{key}.{k}` in {where} must be a whole number")
    return dict(value)


def _impact(item: dict[str, Any], where: str) -> dict[str, Any] | None:
    """A simulation's report: counts, plus `env_root_teardown`, `tiers` and what was `lost`
    and which `roots` went, as `{kind, name, tier}` (see `impact_of`)."""
    value = item.get("impact")
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _invalid(f"`impact` in {where} must be a mapping")
    facts = {k: v for k, v in value.items() if k in IMPACT_FACTS}
    out: dict[str, Any] = _counts({"impact": {k: v for k, v in value.items() if k not in facts}},
                                  "impact", IMPACT_KEYS, where) or {}  # fmt: skip
    if "env_root_teardown" in facts:
        if not isinstance(facts["env_root_teardown"], bool):
            raise _invalid(f"`impact.env_root_teardown` in {where} must be true or false")
        out["env_root_teardown"] = facts["env_root_teardown"]
    if "tiers" in facts:
        tiers = facts["tiers"]
        if not isinstance(tiers, list) or any(t not in TIER_NAMES for t in tiers):
            raise _invalid(f"`impact.tiers` in {where} must be a list of {', '.join(TIER_NAMES)}")
        out["tiers"] = list(tiers)
    for key in ("lost", "roots"):
        if key in facts:
            out[key] = [
                _affected(a, f"`impact.{key}` in {where}") for a in _list(facts[key], key, where)
            ]
    return out


def _list(value: Any, key: str, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _invalid(f"`impact.{key}` in {where} must be a list")
    return value


def _affected(value: Any, where: str) -> dict[str, str]:
    if (
        not isinstance(value, dict)
        or set(value) - AFFECTED_KEYS
        or not {"kind", "name"} <= set(value)
    ):
        raise _invalid(f"each entry of {where} is `{{kind, name, tier}}`")
    if not all(isinstance(v, str) for v in value.values()):
        raise _invalid(f"each entry of {where} is `{{kind, name, tier}}` of strings")
    if value.get("tier", "unknown") not in TIER_NAMES:
        raise _invalid(f"a tier in {where} must be one of {', '.join(TIER_NAMES)}")
    return {"kind": value["kind"], "name": value["name"], "tier": value.get("tier", "unknown")}


def impact_of_case(impact: Mapping[str, Any]) -> Any:
    """The `Impact` a test case's `impact` describes (a simulation ran)."""
    from interlock.model import Affected, Impact

    counts = {k: v for k, v in impact.items() if k in IMPACT_KEYS}
    return Impact(
        **counts,
        simulated=True,
        env_root_teardown=bool(impact.get("env_root_teardown", False)),
        tiers=frozenset(impact.get("tiers", ())),
        lost=tuple(Affected(**a) for a in impact.get("lost", ())),
        roots=tuple(Affected(**a) for a in impact.get("roots", ())),
    )


def _kill(value: Any, where: str) -> tuple[Mapping[str, str], ...]:
    if not isinstance(value, list):
        raise _invalid(f"`kill` in {where} must be a list of switches")
    out = []
    for sw in value:
        if not isinstance(sw, dict) or set(sw) - KILL_KEYS or "scope" not in sw:
            raise _invalid(f"every `kill` switch in {where} takes scope, value, reason")
        if sw["scope"] not in ("agent", "all", "env"):
            raise _invalid(f"kill scope `{sw['scope']}` in {where}; use agent, all or env")
        out.append({k: str(v) for k, v in sw.items()})
    return tuple(out)


def _ids(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid(f"`want_rules` in {where} must be a list of rule ids")
    return tuple(value)


def _invalid(message: str) -> PolicyError:
    return PolicyError(message, "policy.test_invalid")
