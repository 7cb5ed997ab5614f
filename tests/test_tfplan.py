"""Terraform plans: `interlock.parse.tfplan` and `interlock simulate --tfplan`.

Every plan in tests/fixtures/tfplans (real ones from ovsds/tf-plan-format, and handmade ones)
has a `.meta.json` with the exact counts, deleted and replaced lists and label; the parser and
the command must agree with it. See tests/fixtures/tfplans/README.md.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from interlock.cli.main import main
from interlock.model import InputError, Mode, Tier, Verdict
from interlock.parse.tfplan import load_plan, plan_operations

PLANS = Path(__file__).parent / "fixtures" / "tfplans"
HANDMADE = PLANS / "handmade"
METAS = sorted(PLANS.glob("*.meta.json")) + sorted(HANDMADE.glob("*.meta.json"))
SECRETS = ("hunter2", "hxk5iA==", "87193988")


def _plan_file(meta: Path) -> Path:
    return meta.with_name(json.loads(meta.read_text("utf-8"))["file"])


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def simulate_json(path: Path | str, *extra: str) -> tuple[int, dict]:
    code, out, _err = run("simulate", "--tfplan", str(path), "--json", *extra)
    return code, json.loads(out)


def decide(plan_doc, rules, mode: Mode = Mode.WORKSTATION, env: Tier | None = None):
    from interlock.policy.evaluate import evaluate
    from interlock.resolve import resolve

    return evaluate(resolve(plan_operations(load_plan(plan_doc)), forced=env), rules, mode)


def handmade(name: str) -> str:
    return (HANDMADE / f"{name}.json").read_text("utf-8")


# ---- every fixture equals its meta ------------------------------------------------------------


def test_there_are_fixture_plans_from_outside_and_handmade():
    assert len([m for m in METAS if m.parent == PLANS]) >= 7
    assert len([m for m in METAS if m.parent == HANDMADE]) >= 10


@pytest.mark.parametrize("meta", METAS, ids=lambda p: p.name.removesuffix(".meta.json"))
def test_the_parser_gives_exactly_the_counts_lists_and_label_of_the_meta(meta):
    want = json.loads(meta.read_text("utf-8"))
    plan = load_plan(_plan_file(meta).read_text("utf-8"))
    assert plan.counts == want["action_counts"]
    assert len(plan.changes) == want["resource_changes_total"]
    assert plan.deleted == want["deleted"]
    assert plan.replaced == want["replaced"]
    assert plan.label == want["derived_label"]
    assert plan.terraform_version == want["terraform_version"]
    assert plan.format_version == want["format_version"]


@pytest.mark.parametrize("meta", METAS, ids=lambda p: p.name.removesuffix(".meta.json"))
def test_simulate_json_reports_exactly_the_counts_lists_and_label_of_the_meta(meta):
    want = json.loads(meta.read_text("utf-8"))
    code, got = simulate_json(_plan_file(meta))
    assert code in (0, 2, 3)
    assert got["counts"] == want["action_counts"]
    assert got["resource_changes_total"] == want["resource_changes_total"]
    assert got["deleted"] == want["deleted"]
    assert got["replaced"] == want["replaced"]
    assert got["label"] == want["derived_label"]
    assert got["verdict"] in ("allow", "ask", "deny")
    assert got["digest"].startswith("il1:sha256:")


# ---- the shapes a plan takes -------------------------------------------------------------------


def test_create_before_destroy_counts_as_a_replacement_in_either_order():
    plan = load_plan(handmade("create-before-destroy"))
    assert [c.kind for c in plan.changes] == ["replace", "replace", "replace"]
    assert plan.replaced[0] == 'aws_instance.web ["create", "delete"]'
    ops = plan_operations(plan)
    assert ops[0].action == "plan-replace"
    assert {"replace", "create-before-destroy", "tainted"} <= ops[0].tags
    assert {"replace", "stateful", "forced-replace"} <= ops[1].tags
    assert "create-before-destroy" not in ops[2].tags


def test_module_addresses_keep_their_count_and_for_each_indexes():
    plan = load_plan(handmade("modules-indexes"))
    addresses = [c.address for c in plan.changes]
    assert 'module.app["eu"].aws_instance.web[0]' in addresses
    assert "module.net.module.subnets.aws_subnet.private[2]" in addresses
    ops = {op.targets[0].name: op for op in plan_operations(plan)}
    db = ops["module.db.aws_db_instance.main"]
    assert db.action == "plan-delete" and {"stateful", "no-config"} <= db.tags
    assert ops['aws_s3_bucket.logs["audit"]'].action == "plan-replace"


def test_an_address_missing_from_an_entry_is_built_from_module_type_name_and_index():
    doc = {
        "format_version": "1.2",
        "resource_changes": [
            {
                "module_address": 'module.a["x"]',
                "mode": "managed",
                "type": "aws_instance",
                "name": "web",
                "index": 3,
                "change": {"actions": ["delete"]},
            }
        ],
    }
    assert load_plan(doc).deleted == ['module.a["x"].aws_instance.web[3]']


def test_data_sources_are_reads_and_reading_them_is_allowed():
    plan = load_plan(handmade("data-sources"))
    reads = [op for op in plan_operations(plan) if op.action == "plan-read"]
    assert len(reads) == 2 and all("data-source" in op.tags for op in reads)
    assert all(op.effect.value == "read" for op in reads)
    code, got = simulate_json(HANDMADE / "data-sources.json")
    assert got["data_reads"] == [
        "data.aws_ami.ubuntu",
        "module.iam.data.aws_iam_policy_document.assume",
    ]
    assert code == 0 and got["verdict"] == "allow"


def test_deleting_a_data_source_from_state_is_counted_but_destroys_nothing():
    plan = load_plan(handmade("legacy-0.12"))
    assert plan.deleted == ["aws_instance.web", "data.aws_ami.ubuntu"]
    data_op = plan_operations(plan)[1]
    assert data_op.effect.value == "write" and "data-source" in data_op.tags


def test_deposed_objects_are_deletions_of_their_own():
    plan = load_plan(handmade("deposed"))
    ops = plan_operations(plan)
    assert [op.action for op in ops] == ["plan-delete", "plan-delete", "plan-no-op"]
    assert all("deposed" in op.tags for op in ops[:2])
    assert ops[0].text != ops[1].text  # two deposed objects are two different deletions
    _code, got = simulate_json(HANDMADE / "deposed.json")
    assert got["deposed"] == [
        {"address": "aws_instance.web", "deposed": "00000001"},
        {"address": "aws_instance.web", "deposed": "00000002"},
    ]


def test_moved_resources_report_their_previous_address():
    _code, got = simulate_json(HANDMADE / "moved.json")
    assert got["moved"] == [
        {"address": "aws_instance.app", "previous_address": "aws_instance.web"},
        {"address": "module.storage.aws_s3_bucket.data", "previous_address": "aws_s3_bucket.data"},
    ]
    assert "moved" in plan_operations(load_plan(handmade("moved")))[0].tags


def test_forget_is_other_and_asked_like_state_surgery(settings):
    plan = load_plan(handmade("forget-import"))
    assert plan.counts["other"] == 2
    forget = plan_operations(plan)[0]
    assert forget.action == "plan-forget" and "state-surgery" in forget.tags
    d = decide(handmade("forget-import"), settings.rules)
    assert d.verdict is Verdict.ASK and "terraform.state-surgery" in d.rules


def test_imports_are_reported_and_counted_by_their_actions():
    _code, got = simulate_json(HANDMADE / "forget-import.json")
    assert got["importing"] == ["aws_s3_bucket.imported", "aws_iam_role.imported", "aws_vpc.main"]
    assert got["counts"]["no-op"] == 1 and got["counts"]["create"] == 1


def test_an_empty_plan_is_safe_and_allowed():
    code, got = simulate_json(HANDMADE / "empty.json")
    assert code == 0 and got["verdict"] == "allow" and got["label"] == "safe"
    assert got["counts"] == dict.fromkeys(got["counts"], 0)


def test_drift_is_reported_but_never_counted():
    _code, got = simulate_json(HANDMADE / "drift-outputs-sensitive.json")
    assert got["counts"]["delete"] == 0 and got["deleted"] == []
    assert [c["address"] for c in got["drift"]] == ["aws_instance.gone", "aws_s3_bucket.changed"]
    assert got["output_changes"] == {"db_password": "update", "endpoint": "create", "same": "no-op"}


@pytest.mark.parametrize("name", ["drift-outputs-sensitive.json", "../tfplanformat_sensitive.json"])
@pytest.mark.parametrize("as_json", [True, False])
def test_sensitive_values_are_never_printed(name, as_json):
    _code, out, err = run(
        "simulate", "--tfplan", str(HANDMADE / name), *(["--json"] if as_json else [])
    )
    for secret in SECRETS:
        assert secret not in out + err


def test_a_production_plan_deleting_a_database_is_denied_in_both_modes(settings):
    for mode in Mode:
        d = decide(handmade("prod-stateful-delete"), settings.rules, mode)
        assert d.verdict is Verdict.DENY, mode
        assert "terraform.plan-delete-stateful-prod" in d.rules
    code, _out, _err = run("simulate", "--tfplan", str(HANDMADE / "prod-stateful-delete.json"))
    assert code == 2


def test_any_plan_deletion_is_asked_with_two_approvers_in_gateway(settings):
    d = decide(handmade("deposed"), settings.rules, Mode.GATEWAY)
    assert d.verdict is Verdict.ASK and d.approvals == 2
    assert d.rules[0] == "terraform.plan-delete"


def test_replacing_a_database_in_a_plan_for_prod_is_denied(settings):
    d = decide(handmade("create-before-destroy"), settings.rules, Mode.GATEWAY, Tier.PROD)
    assert d.verdict is Verdict.DENY
    assert {"terraform.replace-stateful-prod", "terraform.plan-delete-stateful-prod"} <= set(
        d.rules
    )


def test_a_plan_replacement_fires_the_same_rule_as_minus_replace(settings):
    d = decide(handmade("create-before-destroy"), settings.rules)
    assert d.verdict is Verdict.ASK and "terraform.replace" in d.rules


def test_creating_is_allowed_on_a_workstation_and_asked_in_the_gateway():
    path = PLANS / "tfplanformat_create.json"
    assert simulate_json(path)[0] == 0
    code, got = simulate_json(path, "--mode", "gateway")
    assert code == 3 and got["verdict"] == "ask" and got["mode"] == "gateway"


def test_env_prod_turns_a_plan_deletion_into_a_deny_on_a_workstation():
    code, got = simulate_json(PLANS / "tfplanformat_delete.json", "--env", "prod")
    assert code == 2 and got["verdict"] == "deny"


def test_a_ten_thousand_change_plan_is_counted():
    actions = (["create"], ["update"], ["delete"], ["delete", "create"], ["no-op"])
    doc = {
        "format_version": "1.2",
        "terraform_version": "1.9.0",
        "resource_changes": [
            {
                "address": f'module.m[{i % 7}].aws_instance.x["{i}"]',
                "mode": "managed",
                "type": "aws_instance",
                "name": "x",
                "change": {"actions": actions[i % 5], "before": None, "after": None},
            }
            for i in range(10_000)
        ],
    }
    plan = load_plan(json.dumps(doc))
    assert plan.counts == {
        "create": 2000, "update": 2000, "delete": 2000, "replace": 2000,
        "no-op": 2000, "read": 0, "other": 0,
    }  # fmt: skip
    code, out, _err = run("simulate", "--tfplan", "-", "--json", stdin=json.dumps(doc))
    got = json.loads(out)
    assert code == 3 and len(got["deleted"]) == 2000 and len(got["replaced"]) == 2000


# ---- what is not a plan ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["state-show.json", "state-raw.tfstate.json"])
def test_a_state_file_is_refused(name):
    with pytest.raises(InputError) as exc:
        load_plan(handmade(name.removesuffix(".json")))
    assert exc.value.code == "input.tfplan" and "state" in exc.value.message
    code, _out, err = run("simulate", "--tfplan", str(HANDMADE / name))
    assert code == 1 and err.startswith("deny  input.tfplan:")


GARBAGE = [
    "",
    "not json at all",
    "Terraform will perform the following actions:\n  # aws_instance.web will be destroyed",
    '{"@level":"info","@message":"Terraform 1.7.5","type":"version"}\n{"@level":"info"}',
    "[]",
    '[{"resource_changes": []}]',
    "42",
    "null",
    '"a string"',
    "{}",
    '{"format_version": "1.2"}',
    '{"format_version": "1.2", "terraform_version": "1.7.5", "values": {}}',
    '{"resource_changes": 5}',
    '{"resource_changes": [{"address": "x"}]}',
    '{"resource_changes": [{"address": "x", "change": {"actions": "delete"}}]}',
    '{"resource_changes": [{"change": {"actions": ["delete"]}}]}',
    '{"format_version": "2.0", "resource_changes": []}',
    '{"format_version": 1, "resource_changes": []}',
    '{"format_version": "1.2", "resource_changes": [1, 2]',
    "[" * 100_000,
]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_what_is_not_a_plan_is_refused_with_input_tfplan(text):
    with pytest.raises(InputError) as exc:
        load_plan(text)
    assert exc.value.code == "input.tfplan"
    code, out, err = run("simulate", "--tfplan", "-", "--json", stdin=text)
    assert code == 1 and err.startswith("deny  input.tfplan:")
    assert json.loads(out) | {"reason": ""} == {
        "verdict": "deny", "reason": "", "rules": [], "errors": ["input.tfplan"]
    }  # fmt: skip


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(InputError) as exc:
        load_plan(b"\xff\xfe{")
    assert exc.value.code == "input.tfplan"


def test_a_missing_file_is_a_usage_error():
    code, out, err = run("simulate", "--tfplan", "/nonexistent/plan.json")
    assert code == 1 and out == "" and err.startswith("deny  input.unreadable:")


def test_tfplan_is_required():
    code, _out, err = run("simulate", "--json")
    assert code == 1 and err.startswith("deny  usage:")


def test_simulate_is_listed_in_the_help():
    _code, out, _err = run("--help")
    assert "simulate" in out


def test_the_human_summary_names_counts_addresses_label_and_verdict():
    code, out, _err = run("simulate", "--tfplan", str(HANDMADE / "modules-indexes.json"))
    assert code == 3
    assert "  delete        3" in out and "  replace       1" in out
    assert 'aws_s3_bucket.logs["audit"] ["delete", "create"]' in out
    assert "module.db.aws_db_instance.main  (delete_because_no_module)" in out
    assert "label: destructive" in out and "verdict: ask:" in out and "rules: " in out


def test_the_human_summary_shortens_long_lists():
    doc = {
        "format_version": "1.2",
        "resource_changes": [
            {"address": f"null_resource.n[{i}]", "change": {"actions": ["delete"]}}
            for i in range(80)
        ],
    }
    _code, out, _err = run("simulate", "--tfplan", "-", stdin=json.dumps(doc))
    assert "null_resource.n[49]" in out and "null_resource.n[50]" not in out
    assert "and 30 more" in out


# ---- no input crashes the parser ---------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_words = st.sampled_from(["create", "update", "delete", "no-op", "read", "forget", "x", ""])
_change = st.fixed_dictionaries(
    {"change": st.fixed_dictionaries({"actions": st.lists(_words, max_size=3) | _json})},
    optional={
        "address": st.text(max_size=10) | _json,
        "mode": st.sampled_from(["managed", "data"]) | _json,
        "type": st.text(max_size=12) | _json,
        "name": st.text(max_size=5),
        "index": _json,
        "module_address": st.text(max_size=5) | _json,
        "deposed": _json,
        "previous_address": _json,
        "action_reason": st.sampled_from(["replace_because_tainted", "x"]) | _json,
    },
)
_planlike = st.fixed_dictionaries(
    {},
    optional={
        "format_version": st.sampled_from(["1.2", "0.1", "2.0", "x"]) | _json,
        "terraform_version": _json,
        "resource_changes": st.lists(_change | _json, max_size=4) | _json,
        "planned_values": _json,
        "resource_drift": st.lists(_change | _json, max_size=3) | _json,
        "output_changes": st.dictionaries(st.text(max_size=4), _json, max_size=3) | _json,
        "variables": st.dictionaries(st.sampled_from(["env", "stage", "x"]), _json) | _json,
        "deferred_changes": _json,
        "errored": _json,
        "values": _json,
    },
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.one_of(_json, _planlike, _planlike.map(json.dumps), st.text(max_size=40)))
def test_no_json_crashes_the_parser(doc):
    try:
        plan = load_plan(doc)
    except InputError as exc:
        assert exc.code == "input.tfplan"
        return
    ops = plan_operations(plan)
    assert len(ops) >= len(plan.changes)
    assert plan.label in ("safe", "risky", "destructive")
    assert sum(plan.counts.values()) == len(plan.changes)


def test_a_plan_wrapped_in_ci_wrapper_lines_is_read():
    plan = (PLANS / "tfplanformat_delete.json").read_text("utf-8").strip()
    text = f"[command]/runner/_temp/terraform-bin show -json tfplan\n{plan}\n::debug::exitcode: 0\n"
    assert load_plan(text).deleted == ["terraform_data.foo-bar"]


def test_two_plans_in_one_input_are_refused():
    plan = (PLANS / "tfplanformat_delete.json").read_text("utf-8").strip()
    with pytest.raises(InputError) as exc:
        load_plan(f"{plan}\n{plan}\n")
    assert exc.value.code == "input.tfplan"
