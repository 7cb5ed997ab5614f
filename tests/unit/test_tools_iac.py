"""The iac analyzer on its own: effects, actions, tags and targets, without the policy layer."""

from __future__ import annotations

import shlex

import pytest

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools.iac import analyze
from interlock.parse.tools.iac_common import env_hint, go_flags


def run(line: str, env: dict[str, str] | None = None, cwd: str | None = None, **kw) -> Operation:
    ops = runs(line, env, cwd, **kw)
    assert len(ops) == 1
    return ops[0]


def runs(line: str, env=None, cwd=None, shell=None, **kw) -> list[Operation]:
    cmd = Command(
        argv=tuple(shlex.split(line)), text=line, env=tuple((env or {}).items()), cwd=cwd, **kw
    )
    return analyze(cmd, Context(shell=shell or (lambda text, c: [])))


def scope(o: Operation, key: str) -> set[str]:
    return {v for t in o.targets for k, v in t.scope if k == key}


@pytest.mark.parametrize(
    "line",
    [
        "terraform init",
        "terraform plan -destroy",
        "terraform validate",
        "terraform fmt -recursive",
        "terraform show -json tfplan",
        "terraform state list",
        "terraform workspace show",
        "terraform -version",
        "terraform apply -help",
        "tofu output -json",
        "terragrunt run-all plan",
        "atmos terraform plan vpc -s ue2-prod",
        "pulumi preview",
        "pulumi destroy --preview-only",
        "cdk diff",
        "cdk synth",
        "sam validate",
        "ansible-playbook site.yml --check",
        "packer validate .",
        "nomad job status",
        "consul kv get -recurse app/",
    ],
)
def test_read_only_commands_are_reads(line):
    assert run(line).effect is Effect.READ


def test_a_destroy_plan_is_read_but_tagged():
    assert "destroy-plan" in run("terraform plan -destroy").tags


def test_apply_is_a_write_and_auto_approve_is_tagged():
    o = run("terraform apply -auto-approve")
    assert (o.action, o.effect) == ("apply", Effect.WRITE)
    assert "auto-approve" in o.tags


def test_auto_approve_set_to_false_is_not_auto_approve():
    assert "auto-approve" not in run("terraform apply -auto-approve=false").tags


def test_apply_destroy_is_a_destroy_of_everything():
    o = run("terraform apply -destroy")
    assert (o.action, o.effect) == ("destroy", Effect.DESTROY)
    assert "teardown" in o.tags


def test_a_targeted_destroy_is_not_a_teardown():
    o = run("terraform destroy -target=aws_instance.web")
    assert o.effect is Effect.DESTROY
    assert "targeted" in o.tags and "teardown" not in o.tags
    assert any(t.kind == "terraform-resource" and t.name == "aws_instance.web" for t in o.targets)


def test_replace_names_the_resource_and_marks_data_stores():
    o = run("terraform apply -replace=aws_db_instance.main")
    assert (o.action, o.effect) == ("replace", Effect.DESTROY)
    assert {"replace", "stateful"} <= o.tags
    assert ("terraform-resource", "aws_db_instance.main") in {(t.kind, t.name) for t in o.targets}


def test_replacing_a_stateless_resource_is_not_stateful():
    assert "stateful" not in run("terraform apply -replace=module.web.aws_instance.this").tags


def test_a_saved_plan_applies_without_a_prompt():
    assert {"saved-plan", "auto-approve"} <= run("terraform apply tfplan").tags


def test_chdir_names_the_environment():
    o = run("terraform -chdir=envs/prod destroy -auto-approve")
    assert scope(o, "env") == {"prod"}


def test_cwd_and_chdir_combine():
    o = run("terraform -chdir=prod apply", cwd="live")
    assert o.targets[0].name == "live/prod"
    assert scope(o, "env") == {"prod"}


def test_live_only_means_prod_when_nothing_else_is_named():
    assert scope(run("terraform apply", cwd="infrastructure-live/dev/vpc"), "env") == {"dev"}
    assert scope(run("terraform apply", cwd="live"), "env") == {"live"}


def test_tf_workspace_is_the_workspace():
    o = run("terraform apply", env={"TF_WORKSPACE": "prod"})
    assert scope(o, "workspace") == {"prod"}


def test_variables_and_var_files_name_the_environment():
    assert scope(run("terraform apply -var env=staging"), "env") == {"staging"}
    assert scope(run("terraform apply -var-file=envs/prod.tfvars"), "env") == {"prod"}


def test_tf_cli_args_are_read_as_if_written():
    o = run("terraform apply", env={"TF_CLI_ARGS_apply": "-destroy -auto-approve"})
    assert o.effect is Effect.DESTROY and "auto-approve" in o.tags


def test_yes_fed_on_stdin_is_auto_approve():
    assert "auto-approve" in run("terraform apply", stdin="yes\n").tags


@pytest.mark.parametrize(
    ("line", "action", "effect"),
    [
        ("terraform state rm aws_instance.web", "state-rm", Effect.DESTROY),
        ("terraform state mv a b", "state-mv", Effect.WRITE),
        ("terraform state push -force x.tfstate", "state-push", Effect.DESTROY),
        ("terraform state replace-provider a b", "state-replace-provider", Effect.WRITE),
        ("terraform import aws_s3_bucket.b name", "import", Effect.WRITE),
        ("terraform taint aws_instance.web", "taint", Effect.WRITE),
        ("terraform force-unlock -force ID", "force-unlock", Effect.WRITE),
        ("terraform workspace delete -force old", "workspace-delete", Effect.DESTROY),
        ("terraform workspace select prod", "workspace-select", Effect.WRITE),
        ("terraform init -migrate-state", "init", Effect.WRITE),
    ],
)
def test_terraform_subcommands(line, action, effect):
    o = run(line)
    assert (o.action, o.effect) == (action, effect)


def test_state_surgery_is_tagged():
    assert "state-surgery" in run("terraform state rm x").tags
    assert "force" in run("terraform state push -force x.tfstate").tags


def test_workspace_select_is_local():
    assert run("terraform workspace select prod").targets[0].tier is Tier.LOCAL


def test_a_dynamic_subcommand_is_unknown():
    o = runs("terraform $ACTION", dynamic=frozenset({1}))[0]
    assert o.effect is Effect.UNKNOWN and "dynamic-target" in o.tags


def test_a_remote_host_is_in_every_target_scope():
    o = run("terraform destroy", host="bastion-1")
    assert scope(o, "host") == {"bastion-1"}


@pytest.mark.parametrize(
    "line",
    [
        "terragrunt run-all destroy",
        "terragrunt destroy-all",
        "terragrunt run --all destroy",
        "terragrunt run --all -- destroy",
        "terragrunt destroy --all",
        "terragrunt stack run destroy",
    ],
)
def test_every_spelling_of_a_terragrunt_bulk_destroy(line):
    o = run(line)
    assert o.effect is Effect.DESTROY and "bulk" in o.tags


def test_terragrunt_working_dir_and_non_interactive():
    o = run(
        "terragrunt run-all apply --terragrunt-non-interactive --terragrunt-working-dir live/prod"
    )
    assert {"bulk", "auto-approve"} <= o.tags
    assert scope(o, "env") == {"prod"}


def test_terragrunt_exec_is_analyzed_as_shell():
    seen = []
    runs("terragrunt exec -- rm -rf .terraform", shell=lambda text, c: seen.append(text) or [])
    assert seen == ["rm -rf .terraform"]


def test_atmos_names_component_and_stack():
    o = run("atmos terraform destroy vpc -s ue2-prod")
    t = o.targets[0]
    assert (t.kind, t.name, t.get("stack"), t.get("env")) == (
        "atmos-component",
        "vpc",
        "ue2-prod",
        "prod",
    )


def test_atmos_deploy_is_an_unattended_apply():
    o = run("atmos terraform deploy eks --stack plat-use1-dev")
    assert o.action == "apply" and "auto-approve" in o.tags


def test_pulumi_stack_scope_and_auto_approve():
    o = run("pulumi destroy --yes -s acme/api/prod")
    assert o.effect is Effect.DESTROY and "auto-approve" in o.tags
    assert scope(o, "stack") == {"acme/api/prod"} and scope(o, "env") == {"prod"}


def test_pulumi_stack_rm_force_is_a_teardown():
    o = run("pulumi stack rm prod --force")
    assert o.action == "stack-rm" and {"force", "teardown"} <= o.tags


def test_pulumi_state_delete_is_state_surgery():
    o = run("pulumi state delete urn:pulumi:dev::app::aws:s3/bucket:Bucket::logs")
    assert o.effect is Effect.DESTROY and "state-surgery" in o.tags


def test_cdk_destroy_force_and_camel_case_stack_names():
    o = run("cdk destroy MyAppProduction --force")
    assert o.effect is Effect.DESTROY and {"force", "auto-approve"} <= o.tags
    assert scope(o, "env") == {"production"}


def test_cdk_require_approval_never_is_auto_approve():
    assert "auto-approve" in run("cdk deploy --require-approval never").tags


def test_serverless_remove_names_the_stage():
    o = run("sls remove --stage prod")
    assert o.effect is Effect.DESTROY and o.targets[0].get("env") == "prod"


def test_copilot_env_delete():
    o = run("copilot env delete -n prod --yes")
    assert (o.action, o.effect) == ("env-delete", Effect.DESTROY)


def test_ansible_playbook_runs_unknown_code_unless_checking():
    assert run("ansible-playbook -i inventories/prod site.yml").effect is Effect.UNKNOWN
    assert run("ansible-playbook -i inventories/prod site.yml -C").effect is Effect.READ


def test_ansible_adhoc_shell_is_analyzed_on_the_host_pattern():
    seen = []
    runs(
        "ansible web -m shell -a 'rm -rf /data'",
        shell=lambda text, c: seen.append((text, c.host)) or [],
    )
    assert seen == [("rm -rf /data", "web")]


def test_nomad_purge_and_consul_recursive_delete():
    assert run("nomad job stop -purge api").effect is Effect.DESTROY
    assert run("nomad job stop api").effect is Effect.WRITE
    o = run("consul kv delete -recurse")
    assert o.effect is Effect.DESTROY and {"recursive", "all"} <= o.tags


def test_terramate_run_analyzes_the_command_and_marks_it_bulk():
    inner = Operation("iac", "destroy", Effect.DESTROY, "terraform")
    ops = runs("terramate run --changed -- terraform destroy", shell=lambda text, c: [inner])
    assert ops[0].effect is Effect.DESTROY and "bulk" in ops[0].tags


@pytest.mark.parametrize(
    "line",
    [
        "terraform",
        "terraform -chdir",
        "terragrunt",
        "atmos",
        "pulumi",
        "cdk",
        "sls",
        "sam",
        "copilot",
        "ansible",
        "nomad",
        "consul",
        "terramate run",
        "terraform state",
        "pulumi stack rm",
        "atmos terraform",
    ],
)
def test_odd_input_never_raises_and_answers_an_operation(line):
    assert runs(line)


def test_env_hint_ranks_prod_over_dev_and_ignores_lookalikes():
    assert env_hint(["envs/dev", "prod.tfvars"]) == "prod"
    assert env_hint(["product-catalog"]) is None
    assert env_hint(["envs/non-prod"]) == "nonprod"


def test_go_flags_read_single_and_double_dash_and_values():
    a = go_flags(
        ["--var-file", "x.tfvars", "-target=a", "plan.out", "-lock=false"],
        frozenset({"-var-file", "-target"}),
    )
    assert a.value("-var-file") == "x.tfvars" and a.value("-target") == "a"
    assert a.pos == ["plan.out"] and a.opts["-lock"] == ["false"]


@pytest.mark.parametrize(
    ("line", "action", "effect"),
    [
        ("terraform apply destroy.tfplan", "destroy", Effect.DESTROY),
        ("ansible-inventory --list -i prod", "inventory", Effect.READ),
        ("ansible-vault view secrets.yml", "view", Effect.READ),
        ("ansible-vault encrypt secrets.yml", "encrypt", Effect.WRITE),
        ("ansible-lint --fix", "fix", Effect.WRITE),
        ("infracost breakdown --path .", "breakdown", Effect.READ),
        ("infracost comment github --path o.json", "comment", Effect.WRITE),
        ("kamal app details", "app details", Effect.READ),
        ("kamal remove -y -d production", "remove", Effect.DESTROY),
        ("kamal accessory remove db", "accessory-remove", Effect.DESTROY),
        ("kamal deploy", "deploy", Effect.WRITE),
        ("kamal prune all", "prune", Effect.WRITE),
        ("kamal app exec -i bash", "app exec", Effect.UNKNOWN),
    ],
)
def test_red_team_tools(line, action, effect):
    o = run(line)
    assert (o.action, o.effect) == (action, effect)


def test_kamal_remove_is_a_teardown_of_the_destination():
    o = run("kamal remove -y -d production")
    assert "teardown" in o.tags and scope(o, "env") == {"production"}


def test_kamal_exec_analyzes_the_inner_command_on_the_servers():
    seen = []
    runs(
        "kamal app exec -d staging 'ls /rails'",
        shell=lambda text, c: seen.append((text, c.host)) or [],
    )
    assert seen == [("ls /rails", "kamal:staging")]
