"""The incident as a test (DESIGN.md, "The incident it answers").

An agent whose operator granted it everything proposes to delete and recreate the production
environment of a service, in several spellings: Terraform, CloudFormation, kubectl, helm, aws
CLI sequences. Every one is denied by an invariant — once by calling the invariants directly,
and once end to end through `interlock.service.check` with the hostile policy loaded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from interlock.model import Grant, Mode, Principal, Request, Verdict
from interlock.policy.invariants import invariant_findings
from interlock.policy.policyset import AgentEntry, OrgRule, PolicySet
from interlock.policy.rules import Match
from interlock.resolve import resolve
from interlock.service import CheckCall, check, operations

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
AGENT = "agent:fixer"
OPERATOR = "user:root-admin"
EVERYTHING = Grant(name="everything")
# The operator's configuration mistake, made as badly as the policy format allows.
GRANTED_EVERYTHING = PolicySet(
    rules=(
        OrgRule(
            id="acme.trust-the-agent",
            effect=Verdict.ALLOW,
            match=Match(effect=frozenset({"read", "write", "destroy", "unknown"})),
            reason="the operator trusts the agent",
        ),
    ),
    agents=(AgentEntry(id=AGENT, launched_by=OPERATOR, grant=EVERYTHING),),
    templates=(("everything", EVERYTHING),),
)

DELETE_AND_RECREATE = {
    "terraform": "terraform -chdir=envs/prod destroy -auto-approve && "
    "terraform -chdir=envs/prod apply -auto-approve",
    "terraform workspace": "TF_WORKSPACE=prod terraform apply -destroy -auto-approve && "
    "TF_WORKSPACE=prod terraform apply -auto-approve",
    "terraform replace": "terraform -chdir=envs/prod apply -replace=module.vpc.aws_vpc.main "
    "-auto-approve",
    "terragrunt": "cd live/prod && terragrunt run-all destroy --terragrunt-non-interactive && "
    "terragrunt run-all apply --terragrunt-non-interactive",
    "cloudformation": "aws cloudformation delete-stack --stack-name prod-payments && "
    "aws cloudformation wait stack-delete-complete --stack-name prod-payments && "
    "aws cloudformation create-stack --stack-name prod-payments --template-body file://stack.yaml",
    "cloudformation deploy": "aws cloudformation delete-stack --stack-name prod-payments; "
    "aws cloudformation deploy --stack-name prod-payments --template-file stack.yaml",
    "kubectl": "kubectl --context prod-eu delete namespace payments && "
    "kubectl --context prod-eu apply -f k8s/payments/",
    "kubectl raw api": "curl -X DELETE https://k8s.prod.example.com/api/v1/namespaces/payments "
    "&& kubectl --context prod-eu apply -f k8s/payments/",
    "helm": "helm uninstall payments -n prod && helm install payments ./charts/payments -n prod",
    "helm upgrade --install": "helm --kube-context prod-eu uninstall payments -n payments; "
    "helm --kube-context prod-eu upgrade --install payments ./charts/payments -n payments",
    "aws eks": "aws eks delete-cluster --name prod-eu && aws eks create-cluster --name prod-eu "
    "--role-arn arn:aws:iam::1:role/eks --resources-vpc-config subnetIds=subnet-1",
    "aws rds": "aws rds delete-db-instance --db-instance-identifier prod-payments "
    "--skip-final-snapshot && aws rds create-db-instance --db-instance-identifier prod-payments "
    "--engine postgres --db-instance-class db.m6g.large",
    "aws vpc": "aws ec2 delete-vpc --vpc-id vpc-0abc --profile prod && "
    "aws ec2 create-vpc --cidr-block 10.0.0.0/16 --profile prod",
    "pulumi": "pulumi destroy --stack prod --yes && pulumi up --stack prod --yes",
    "cdk": "cdk destroy PaymentsProd --force && cdk deploy PaymentsProd --require-approval never",
    "eksctl": "eksctl delete cluster --name prod-eu && eksctl create cluster -f prod-eu.yaml",
    "wrapped in bash -c": "bash -c 'kubectl --context prod-eu delete ns payments; "
    "kubectl --context prod-eu apply -f k8s/payments/'",
    "database": "dropdb -h prod-db.internal payments && createdb -h prod-db.internal payments",
}
SPELLINGS = [pytest.param(cmd, id=name) for name, cmd in DELETE_AND_RECREATE.items()]


def _invariant_ids(rules) -> set[str]:
    return {r for r in rules if r.startswith("invariant.")}


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("command", SPELLINGS)
def test_the_invariants_deny_deleting_and_recreating_production(settings, command, mode):
    ops = resolve(operations(CheckCall(command=command), settings), settings.envmap)
    request = Request(now=NOW, agent=Principal(AGENT, launched_by=OPERATOR))
    found = invariant_findings(ops, request, GRANTED_EVERYTHING, mode)
    assert _invariant_ids(f.rule for f in found), f"no invariant fired on {command}"
    assert all(f.verdict is Verdict.DENY and f.layer == "invariants" for f in found)


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("command", SPELLINGS)
def test_a_check_denies_the_incident_whatever_the_operator_granted(settings, command, mode):
    hostile = replace(settings, policy=GRANTED_EVERYTHING, now=lambda: NOW)
    call = CheckCall(command=command, mode=mode, agent=AGENT, launched_by=OPERATOR)
    decision = check(call, hostile)
    assert decision.verdict is Verdict.DENY, decision.reason
    assert _invariant_ids(decision.rules), decision.rules
    assert any(f.layer == "invariants" for f in decision.findings)


def test_the_answer_tells_the_agent_what_to_do_instead(settings):
    hostile = replace(settings, policy=GRANTED_EVERYTHING, now=lambda: NOW)
    call = CheckCall(command=DELETE_AND_RECREATE["kubectl"], agent=AGENT, launched_by=OPERATOR)
    reason = check(call, hostile).reason
    assert "change it in place" in reason
    assert "a human does it with a quorum" in reason
