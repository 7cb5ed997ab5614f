"""The public command lines, through `main(argv, stdin, stdout, stderr)`."""

from __future__ import annotations

import io
import json

import pytest

from interlock.cli.main import main


def run(argv, stdin=""):
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def test_check_denies_a_prod_namespace_delete_with_exit_2():
    code, out, _ = run(
        ["check", "--", "kubectl", "--context", "prod-eu", "delete", "ns", "payments"]
    )
    assert code == 2
    assert out.startswith("deny  invariant.no-env-teardown:")
    assert "`payments`" in out
    _, out, _ = run(["check", "--json", "--", "kubectl --context prod-eu delete ns payments"])
    obj = json.loads(out)
    assert obj["layer"] == "invariants"
    assert {"invariant.no-env-teardown", "kubernetes.delete-namespace"} <= set(obj["rules"])


def test_check_allows_a_read_with_exit_0():
    code, out, _ = run(["check", "--", "kubectl get pods -A"])
    assert code == 0
    assert out.startswith("allow")


def test_check_asks_with_exit_3():
    code, _, _ = run(["check", "--", "terraform destroy"])
    assert code == 3


def test_check_json_has_the_contract_keys():
    code, out, _ = run(
        [
            "check",
            "--json",
            "--",
            "cd infra && terraform apply -replace=aws_db_instance.main -auto-approve",
        ]
    )
    obj = json.loads(out)
    assert {"verdict", "reason", "rules", "operations", "digest"} <= set(obj)
    assert obj["verdict"] == "ask" and code == 3
    assert "terraform.replace" in obj["rules"]
    assert obj["digest"].startswith("il1:sha256:")


def test_several_words_are_an_argv_and_keep_their_quoting():
    code, out, _ = run(["check", "--json", "--", "bash", "-c", "rm -rf /"])
    assert code == 2
    assert json.loads(out)["operations"][0]["targets"][0]["name"] == "/"


def test_bare_operators_between_words_stay_operators():
    code, _out, _ = run(
        ["check", "--json", "--", "echo", "cm0gLXJmIC8=", "|", "base64", "-d", "|", "sh"]
    )
    assert code == 2


def test_gateway_mode_asks_for_a_write():
    code, out, _ = run(["check", "--mode", "gateway", "--", "kubectl apply -f app.yaml"])
    assert code == 3
    assert "needs 1 approver" in out


def test_env_forces_a_tier():
    code, _, _ = run(["check", "--env", "prod", "--", "kubectl delete deploy api"])
    assert code == 2


def test_no_command_is_a_usage_error_that_prints_deny():
    code, _, err = run(["check"])
    assert code == 1
    assert err.startswith("deny  usage:")


def test_an_unknown_option_is_a_usage_error():
    code, _, err = run(["check", "--frobnicate", "--", "ls"])
    assert code == 1 and "deny" in err


def test_an_unknown_mode_is_a_usage_error():
    code, _, err = run(["check", "--mode", "yolo", "--", "ls"])
    assert code == 1 and err.startswith("deny")


def test_an_unknown_command_is_a_usage_error():
    code, _, err = run(["frobnicate"])
    assert code == 1 and err.startswith("deny")


def test_help_lists_the_commands():
    code, out, _ = run(["--help"])
    assert code == 0 and "check" in out and "explain" in out


def test_batch_answers_every_line_in_order_and_survives_bad_lines():
    lines = "\n".join(
        [
            json.dumps({"id": "a", "command": "ls -la"}),
            "{not json",
            json.dumps({"id": "c", "command": "kubectl --context prod-eu delete ns payments"}),
            json.dumps({"id": "d", "sql": "DROP TABLE users", "env": "prod"}),
            json.dumps({"id": "e", "command": "terraform apply", "mode": "gateway"}),
            json.dumps({"id": "f"}),
            json.dumps(["a list"]),
            json.dumps({"id": "h", "command": "ls", "mode": "yolo"}),
        ]
    )
    code, out, _ = run(["check", "--batch", "-"], stdin=lines + "\n")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0
    assert [r.get("id") for r in rows] == ["a", None, "c", "d", "e", "f", None, "h"]
    assert [r["verdict"] for r in rows] == [
        "allow",
        "deny",
        "deny",
        "deny",
        "ask",
        "deny",
        "deny",
        "deny",
    ]
    assert rows[1]["line"] == 2 and "error" in rows[1]
    assert set(rows[0]) >= {"id", "verdict", "reason", "rules"}


def test_batch_from_a_file(tmp_path):
    f = tmp_path / "in.jsonl"
    f.write_text(json.dumps({"id": 1, "command": "git push --force origin main"}) + "\n")
    code, out, _ = run(["check", "--batch", str(f)])
    assert code == 0
    assert json.loads(out)["verdict"] == "deny"


def test_batch_from_a_missing_file_is_an_error():
    code, _, err = run(["check", "--batch", "/nonexistent/x.jsonl"])
    assert code == 1 and err.startswith("deny")


def test_explain_shows_every_stage():
    code, out, _ = run(["explain", "--", "kubectl --context prod-eu delete ns payments"])
    assert code == 2
    for stage in ("1. parse", "2. resolve", "3. evaluate", "4. verdict"):
        assert stage in out
    assert "tier=prod" in out and "kubernetes.delete-namespace" in out


def test_packs_lists_rules():
    code, out, _ = run(["packs", "--json"])
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and any(r["id"] == "kubernetes.delete-namespace" for r in rows)


def test_an_envmap_marks_a_context_as_prod(tmp_path):
    m = tmp_path / "envs.yaml"
    m.write_text("tiers:\n  prod:\n    contexts: [eks-main]\n")
    code, out, _ = run(
        ["check", "--envmap", str(m), "--", "kubectl --context eks-main delete deploy api"]
    )
    assert code == 2, out


def test_an_envmap_with_an_unknown_key_is_refused(tmp_path):
    m = tmp_path / "envs.yaml"
    m.write_text("tiers:\n  prod:\n    contxts: [eks-main]\n")
    code, _, err = run(["check", "--envmap", str(m), "--", "ls"])
    assert code == 1 and "input.envmap" in err


def test_a_missing_envmap_is_refused():
    code, _, err = run(["check", "--envmap", "/nonexistent.yaml", "--", "ls"])
    assert code == 1 and "input.envmap" in err


def test_a_broken_rule_pack_is_refused(tmp_path):
    (tmp_path / "bad.yaml").write_text("- id: x.y\n  effect: allow\n")
    code, _, err = run(["check", "--rules", str(tmp_path), "--", "ls"])
    assert code == 1 and "policy." in err


def test_a_user_pack_adds_a_rule(tmp_path):
    (tmp_path / "team.yaml").write_text(
        "- id: team.no-make-deploy\n  title: t\n  effect: deny\n  why: w\n"
        "  match: {program: [make], action: [deploy]}\n  hit: [make deploy]\n  miss: [make]\n"
    )
    code, out, _ = run(["check", "--rules", str(tmp_path), "--", "make deploy"])
    assert code == 2 and "team.no-make-deploy" in out


@pytest.mark.parametrize("mode", ["workstation", "gateway"])
def test_oversized_input_fails_closed(mode):
    code, out, _ = run(["check", "--mode", mode, "--", "ls " + "a" * (1 << 20)])
    assert code == 3 and "input.too_large" in out
