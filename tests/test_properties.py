"""Property tests: no input crashes the parser or the check, and a check never allows what it
could not analyze."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interlock.model import Verdict
from interlock.parse.shell import BudgetExceeded, analyze_shell

SHELLISH = st.text(
    alphabet=st.sampled_from(list("rm -f/$(){}[]'\"\\`;|&<>*~\n\tabc=#!$'")), max_size=80
)
WORDS = st.lists(st.sampled_from([
    "rm", "-rf", "/", "sudo", "bash", "-c", "'", '"', "$(", ")", "|", "&&", ";", "kubectl", "delete",
    "ns", "prod", "eval", "xargs", "find", "-exec", "{}", "\\;", "<<EOF", "EOF", "\n", "$X", "X=rm",
    "terraform", "destroy", "git", "push", "--force", "psql", "-c", "DROP TABLE x", "aws", "s3",
    "curl", "-X", "DELETE", "python", "-c", "ssh", "host", "env", "timeout", "5",
]), max_size=25).map(" ".join)  # fmt: skip


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(SHELLISH, WORDS, st.text(max_size=120)))
def test_the_walker_never_crashes(text):
    try:
        ops = analyze_shell(text)
    except BudgetExceeded:
        return
    assert isinstance(ops, list)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.one_of(SHELLISH, WORDS, st.text(max_size=120)), st.sampled_from(["workstation", "gateway"])
)
def test_a_check_always_answers(
    text,
    mode,
):
    from interlock.model import Mode
    from interlock.service import CheckCall, check

    d = check(CheckCall(command=text, mode=Mode(mode)), _settings())
    assert d.verdict in Verdict
    assert d.digest.startswith("il1:sha256:")
    if d.errors:
        assert d.verdict is not Verdict.ALLOW


_CACHE = {}


def _settings():
    if "s" not in _CACHE:
        from interlock.policy.packs import load_index
        from interlock.service import Settings

        _CACHE["s"] = Settings(rules=load_index(use_cache=False))
    return _CACHE["s"]


def test_an_internal_error_fails_closed(monkeypatch):
    import interlock.service as service

    def boom(*a, **k):
        raise RuntimeError("bug")

    monkeypatch.setattr("interlock.parse.shell.analyze_shell", boom)
    for mode in ("workstation", "gateway"):
        from interlock.model import Mode

        d = service.check(service.CheckCall(command="ls", mode=Mode(mode)), _settings())
        assert d.verdict is Verdict.ASK and d.errors == ("internal.error",)


def test_a_crashing_analyzer_fails_closed(monkeypatch):
    import interlock.parse.tools as tools
    from interlock.model import Mode
    from interlock.service import CheckCall, check

    def broken(program):
        def analyze(cmd, ctx):
            raise ValueError("bug")

        return analyze

    monkeypatch.setattr(tools, "analyzer_for", broken)
    for mode in (Mode.WORKSTATION, Mode.GATEWAY):
        d = check(CheckCall(command="ls -la", mode=mode), _settings())
        assert d.verdict is Verdict.ASK and "default.internal-error" in d.rules


def test_megabytes_of_input_return_promptly():
    from interlock.model import Mode
    from interlock.service import CheckCall, check

    d = check(CheckCall(command="echo hi; " * 100_000, mode=Mode.GATEWAY), _settings())
    assert d.verdict in (Verdict.ALLOW, Verdict.ASK)


def test_ten_thousand_nested_substitutions_do_not_allow():
    from interlock.model import Mode
    from interlock.service import CheckCall, check

    text = "$(" * 10_000 + "rm -rf /" + ")" * 10_000
    for mode in Mode:
        d = check(CheckCall(command=text, mode=mode), _settings())
        assert d.verdict is not Verdict.ALLOW
