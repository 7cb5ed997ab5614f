"""Infrastructure as code: Terraform/OpenTofu, Terragrunt, Atmos, Pulumi, CDK, deployers and
orchestrators. Each tool has its module; this one dispatches and fails closed.

Every operation has family `iac`. Effects follow what the run can do to real infrastructure:
`plan`, `diff`, `preview`, `synth`, `validate` read; `apply`, `up`, `deploy` write; `destroy`,
`-replace`, `remove`, `stack rm`, state deletion destroy. Tags rules match on: `auto-approve`
(no human confirms: `-auto-approve`, `--yes`, `--require-approval never`, `echo yes |`, a saved
plan), `teardown` (a whole stack, stage or workspace goes), `replace`, `stateful` (a replaced
resource holds data), `targeted`, `bulk` (many units at once: `run-all`, `--all`),
`state-surgery`, `destroy-plan`, `dry-run`.
"""

from __future__ import annotations

from interlock.model import Command, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.iac_common import unknown


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    try:
        ops = _dispatch(cmd, ctx)
    except Exception:  # an analyzer never raises; the caller fails closed
        ops = []
    return ops or [unknown(cmd, cmd.args[0] if cmd.args else "", "parse-error")]


def _dispatch(cmd: Command, ctx: Context) -> list[Operation]:
    prog = cmd.program
    if prog in ("terraform", "tofu"):
        from interlock.parse.tools.iac_terraform import analyze_terraform

        return analyze_terraform(cmd)
    if prog in ("terragrunt", "atmos"):
        from interlock.parse.tools import iac_terragrunt as tg

        return (
            tg.analyze_terragrunt(cmd, ctx) if prog == "terragrunt" else tg.analyze_atmos(cmd, ctx)
        )
    if prog == "pulumi":
        from interlock.parse.tools.iac_pulumi import analyze_pulumi

        return analyze_pulumi(cmd)
    return _dispatch_other(cmd, ctx, prog)


def _dispatch_other(cmd: Command, ctx: Context, prog: str) -> list[Operation]:
    from interlock.parse.tools import iac_deploy as dep
    from interlock.parse.tools import iac_ops as ops

    simple = {
        "cdk": dep.analyze_cdk, "cdktf": dep.analyze_cdk, "serverless": dep.analyze_serverless,
        "sls": dep.analyze_serverless, "sst": dep.analyze_serverless, "sam": dep.analyze_sam,
        "packer": ops.analyze_packer,
        "tflint": ops.analyze_linter, "terraform-docs": ops.analyze_linter,
    }  # fmt: skip
    if prog in simple:
        return simple[prog](cmd)
    if prog in ("ansible", "ansible-playbook", "ansible-pull"):
        return ops.analyze_ansible(cmd, ctx)
    if prog == "copilot":
        return dep.analyze_copilot(cmd, ctx)
    if prog in ("nomad", "consul"):
        return ops.analyze_hashi(cmd, ctx)
    if prog == "terramate":
        return ops.analyze_terramate(cmd, ctx)
    return _dispatch_tools(cmd, ctx, prog)


def _dispatch_tools(cmd: Command, ctx: Context, prog: str) -> list[Operation]:
    from interlock.parse.tools import iac_tools as tools

    if prog.startswith("ansible-"):
        return tools.analyze_ansible_helper(cmd)
    if prog == "infracost":
        return tools.analyze_infracost(cmd)
    if prog == "kamal":
        return tools.analyze_kamal(cmd, ctx)
    return _dispatch_config(cmd, ctx, prog)


def _dispatch_config(cmd: Command, ctx: Context, prog: str) -> list[Operation]:
    from interlock.parse.tools import iac_config as conf

    if prog in ("puppet", "puppetserver"):
        return conf.analyze_puppet(cmd)
    if prog in ("chef-client", "chef-solo", "cinc-client"):
        return conf.analyze_chef_client(cmd)
    if prog == "knife":
        return conf.analyze_knife(cmd, ctx)
    return [unknown(cmd, cmd.args[0] if cmd.args else "")]
