"""The cloud analyzers, called directly: effects, actions, tags and targets for each provider."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools.cloud import analyze, sql_effect, verb_effect
from interlock.parse.tools.cloud_aws import op_effect, op_kind


def run(text: str, **env: str) -> list[Operation]:
    cmd = Command(argv=tuple(shlex.split(text)), env=tuple(env.items()), text=text)
    return analyze(cmd, Context(shell=lambda t, c: []))


def one(text: str, **env: str) -> Operation:
    return run(text, **env)[0]


@pytest.mark.parametrize(
    ("op", "effect"),
    [
        ("describe-instances", Effect.READ),
        ("list-buckets", Effect.READ),
        ("batch-get-item", Effect.READ),
        ("get-caller-identity", Effect.READ),
        ("delete-db-instance", Effect.DESTROY),
        ("terminate-instances", Effect.DESTROY),
        ("batch-delete-image", Effect.DESTROY),
        ("admin-delete-user", Effect.DESTROY),
        ("schedule-key-deletion", Effect.DESTROY),
        ("stop-instances", Effect.WRITE),
        ("remove-tags-from-resource", Effect.WRITE),
        ("create-stack", Effect.WRITE),
        ("invoke", Effect.WRITE),
    ],
)
def test_aws_operations_are_classified_by_their_name(op: str, effect: Effect) -> None:
    assert op_effect(op) is effect


def test_aws_kind_is_the_singular_noun_after_the_verb() -> None:
    assert op_kind("ec2", "terminate-instances") == "instance"
    assert op_kind("rds", "delete-db-instance") == "db-instance"
    assert op_kind("ecr", "batch-delete-image") == "image"
    assert op_kind("lambda", "invoke") == "lambda"


def test_profile_region_and_ids_become_target_scope() -> None:
    op = one(
        "aws --profile=prod-admin --region us-east-1 rds delete-db-instance "
        "--db-instance-identifier main --skip-final-snapshot"
    )
    assert (op.effect, op.action) == (Effect.DESTROY, "delete-db-instance")
    assert {"no-backup", "database"} <= op.tags
    t = op.targets[0]
    assert (t.kind, t.name, t.get("profile"), t.get("region")) == (
        "db-instance",
        "main",
        "prod-admin",
        "us-east-1",
    )


def test_profile_comes_from_the_environment() -> None:
    op = one("aws ec2 terminate-instances --instance-ids i-1 i-2", AWS_PROFILE="prod")
    assert [t.name for t in op.targets] == ["i-1", "i-2"]
    assert op.targets[0].get("profile") == "prod"
    assert "bulk" in op.tags


def test_account_is_read_from_an_arn() -> None:
    op = one("aws kms schedule-key-deletion --key-id arn:aws:kms:eu-west-1:123456789012:key/k")
    assert op.targets[0].get("account") == "123456789012"
    assert op.targets[0].get("region") == "eu-west-1"
    assert "crypto-key" in op.tags


def test_dry_run_turns_a_mutation_into_a_read() -> None:
    op = one("aws ec2 terminate-instances --instance-ids i-1 --dry-run")
    assert op.effect is Effect.READ and "dry-run" in op.tags


def test_a_localhost_endpoint_is_local() -> None:
    op = one("aws --endpoint-url http://localhost:4566 s3 rb s3://b --force")
    assert op.targets[0].tier is Tier.LOCAL
    assert {"force", "recursive", "all"} <= op.tags


def test_awslocal_is_local() -> None:
    assert one("awslocal dynamodb delete-table --table-name t").targets[0].tier is Tier.LOCAL


@pytest.mark.parametrize(
    ("text", "effect", "kind", "tags"),
    [
        ("aws s3 ls", Effect.READ, "bucket", set()),
        ("aws s3 rm s3://b/k", Effect.DESTROY, "object", set()),
        ("aws s3 rm s3://b/p --recursive", Effect.DESTROY, "prefix", {"recursive"}),
        ("aws s3 rm s3://b --recursive", Effect.DESTROY, "bucket", {"recursive", "all"}),
        ("aws s3 sync ./d s3://b --delete", Effect.DESTROY, "bucket", set()),
        ("aws s3 sync ./d s3://b", Effect.WRITE, "bucket", set()),
        ("aws s3 cp f s3://b/f", Effect.WRITE, "object", set()),
        ("aws s3 rm s3://b/p --recursive --dryrun", Effect.READ, "prefix", {"dry-run"}),
    ],
)
def test_aws_s3_high_level_commands(text: str, effect: Effect, kind: str, tags: set[str]) -> None:
    op = one(text)
    assert (op.effect, op.targets[0].kind) == (effect, kind)
    assert tags <= op.tags


def test_env_root_and_iam_and_public_tags() -> None:
    assert "env-root" in one("aws cloudformation delete-stack --stack-name s").tags
    assert "env-root" in one("aws ec2 delete-vpc --vpc-id vpc-1").tags
    assert "iam" in one("aws iam attach-role-policy --role-name r --policy-arn arn:x").tags
    assert "public" in one("aws s3api put-bucket-acl --bucket b --acl public-read").tags
    assert "audit" in one("aws cloudtrail stop-logging --name t").tags
    assert "scale-to-zero" in one("aws ecs update-service --service s --desired-count 0").tags


def test_route53_batches_are_read_for_deletes() -> None:
    base = "aws route53 change-resource-record-sets --hosted-zone-id Z --change-batch "
    delete = one(base + """'{"Changes":[{"Action":"DELETE"}]}'""")
    upsert = one(base + """'{"Changes":[{"Action":"UPSERT"}]}'""")
    assert (delete.effect, upsert.effect) == (Effect.DESTROY, Effect.WRITE)


def test_ssm_send_command_hands_its_commands_to_the_shell_walker() -> None:
    seen: list[tuple[str, str | None]] = []

    def shell(text: str, cmd: Command) -> list[Operation]:
        seen.append((text, cmd.host))
        return []

    text = (
        """aws ssm send-command --instance-ids i-1 --parameters 'commands=["rm -rf /x","uptime"]'"""
    )
    cmd = Command(argv=tuple(shlex.split(text)), text=text)
    ops = analyze(cmd, Context(shell=shell))
    assert ops[0].effect is Effect.UNKNOWN and "remote-code" in ops[0].tags
    assert seen == [("rm -rf /x", "aws-ssm:i-1"), ("uptime", "aws-ssm:i-1")]


def test_sql_payloads_are_classified() -> None:
    assert (
        one("aws rds-data execute-statement --resource-arn a --sql 'DROP TABLE t'").effect
        is Effect.DESTROY
    )
    assert (
        one("aws rds-data execute-statement --resource-arn a --sql 'SELECT 1'").effect
        is Effect.READ
    )


def test_sql_keyword_scan_ignores_strings_and_comments() -> None:
    assert sql_effect("SELECT 'DROP TABLE x' -- DELETE\n")[0] is Effect.READ
    effect, tags = sql_effect("DELETE FROM t")
    assert effect is Effect.DESTROY and "no-where" in tags
    assert sql_effect("insert into t values (1)")[0] is Effect.WRITE


@pytest.mark.parametrize(
    ("word", "effect"),
    [
        ("list", Effect.READ),
        ("get-credentials", Effect.READ),
        ("delete", Effect.DESTROY),
        ("service-instance-delete", Effect.DESTROY),
        ("bulk-delete", Effect.DESTROY),
        ("remove-iam-policy-binding", Effect.WRITE),
        ("add-iam-policy-binding", Effect.WRITE),
        ("ssh", Effect.UNKNOWN),
        ("frobnicate", None),
    ],
)
def test_verb_lexicon(word: str, effect: Effect | None) -> None:
    assert verb_effect(word) is effect


def test_gcloud_reads_project_and_env_root() -> None:
    op = one("gcloud --project=acme-prod container clusters delete main --region us-central1 -q")
    assert (op.effect, op.targets[0].kind, op.targets[0].name) == (
        Effect.DESTROY,
        "cluster",
        "main",
    )
    assert op.targets[0].get("project") == "acme-prod"
    assert {"env-root", "auto-approve"} <= op.tags


def test_gcloud_release_track_and_local_config() -> None:
    assert one("gcloud beta run services list").effect is Effect.READ
    cfg = one("gcloud config set project p")
    assert cfg.effect is Effect.WRITE and cfg.targets[0].tier is Tier.LOCAL


def test_gsutil_and_bq() -> None:
    rm = one("gsutil -m rm -r gs://assets")
    assert rm.effect is Effect.DESTROY and {"recursive", "all"} <= rm.tags
    assert one("gsutil rsync -d -r ./s gs://w").effect is Effect.DESTROY
    bq = one("bq rm -r -f -d proj:ds")
    assert (bq.targets[0].kind, bq.targets[0].get("project")) == ("dataset", "proj")
    assert one("bq query --use_legacy_sql=false 'TRUNCATE TABLE ds.t'").effect is Effect.DESTROY
    assert one("bq query 'SELECT 1'").effect is Effect.READ


def test_az_group_delete_scope_and_complete_mode() -> None:
    op = one("az group delete -n prod-rg --yes --subscription s1")
    assert op.targets[0].get("resource_group") == "prod-rg"
    assert op.targets[0].get("subscription") == "s1"
    assert {"env-root", "auto-approve"} <= op.tags
    dep = one("az deployment group create -g rg --template-file t.json --mode Complete")
    assert dep.effect is Effect.DESTROY and "complete-mode" in dep.tags


def test_az_rest_method_decides() -> None:
    assert one("az rest --method delete --url https://x").effect is Effect.DESTROY
    assert one("az rest --url https://x").effect is Effect.READ


@pytest.mark.parametrize(
    ("text", "effect", "tag"),
    [
        ("heroku apps:destroy -a shop --confirm shop", Effect.DESTROY, "env-root"),
        ("heroku pg:reset DATABASE -a shop", Effect.DESTROY, "database"),
        ("heroku config -a shop", Effect.READ, None),
        ("fly apps destroy api -y", Effect.DESTROY, "env-root"),
        ("doctl compute droplet rm web -f", Effect.DESTROY, "auto-approve"),
        ("vercel rm site --yes", Effect.DESTROY, None),
        ("firebase firestore:delete --all-collections", Effect.DESTROY, "all"),
        ("supabase db reset --linked", Effect.DESTROY, "database"),
        ("wrangler d1 execute DB --remote --command 'DROP TABLE t'", Effect.DESTROY, "database"),
        ("rclone sync ./a remote:b", Effect.DESTROY, None),
        ("rclone sync ./a remote:b --dry-run", Effect.READ, "dry-run"),
        ("s3cmd sync ./a s3://b --delete-removed", Effect.DESTROY, None),
        ("mc rb --force myminio/b", Effect.DESTROY, "all"),
        ("openstack stack delete app", Effect.DESTROY, "env-root"),
        ("aliyun ecs DeleteInstance --InstanceId i-1", Effect.DESTROY, None),
        ("aliyun ecs DescribeInstances", Effect.READ, None),
    ],
)
def test_other_providers(text: str, effect: Effect, tag: str | None) -> None:
    op = one(text)
    assert op.effect is effect
    assert tag is None or tag in op.tags


def test_local_supabase_reset_and_d1_are_local() -> None:
    assert one("supabase db reset").targets[0].tier is Tier.LOCAL
    assert one("wrangler d1 execute DB --command 'DROP TABLE t'").targets[0].tier is Tier.LOCAL


def test_remote_host_is_never_marked_local() -> None:
    cmd = Command(
        argv=("awslocal", "s3", "rb", "s3://b"), host="prod-1", text="awslocal s3 rb s3://b"
    )
    op = analyze(cmd, Context(shell=lambda t, c: []))[0]
    assert op.targets[0].tier is Tier.UNKNOWN and op.targets[0].get("host") == "prod-1"


def test_bare_mc_is_midnight_commander_not_minio() -> None:
    assert one("mc").effect is Effect.UNKNOWN


@given(
    st.lists(st.text(max_size=12), max_size=8),
    st.sampled_from(
        [
            "aws",
            "gcloud",
            "gsutil",
            "bq",
            "az",
            "azcopy",
            "heroku",
            "rclone",
            "mc",
            "doctl",
            "wrangler",
        ]
    ),
)
def test_no_input_crashes_an_analyzer(words: list[str], program: str) -> None:
    ops = analyze(Command(argv=(program, *words), text=""), Context(shell=lambda t, c: []))
    assert ops and all(isinstance(o, Operation) for o in ops)


@pytest.mark.parametrize(
    ("word", "effect"),
    [
        ("load-balancer", None),
        ("access-key", None),
        ("project-info", None),
        ("open-port", None),
        ("power-off", Effect.WRITE),
        ("deallocate", Effect.WRITE),
        ("search-all-resources", Effect.READ),
        ("cluster-delete", Effect.DESTROY),
        ("exists", Effect.READ),
    ],
)
def test_hyphenated_group_names_are_not_mistaken_for_verbs(
    word: str, effect: Effect | None
) -> None:
    assert verb_effect(word) is effect


@pytest.mark.parametrize(
    "text",
    [
        "aws rds modify-db-instance --db-instance-identifier m --no-deletion-protection",
        "aws rds modify-db-instance --db-instance-identifier m --backup-retention-period 0",
        "aws s3api put-bucket-versioning --bucket b --versioning-configuration Status=Suspended",
        "aws ec2 modify-instance-attribute --instance-id i-1 --no-disable-api-termination",
        "gcloud sql instances patch main --no-backup",
        "az lock delete -n lock -g rg",
    ],
)
def test_switching_a_safety_net_off_is_tagged(text: str) -> None:
    assert "protection-off" in one(text).tags


def test_a_global_option_before_the_az_command_keeps_the_command_path() -> None:
    op = one("az --subscription Prod vm delete -g rg -n vm1 --yes")
    assert (op.action, op.effect) == ("delete", Effect.DESTROY)
    assert op.targets[0].get("subscription") == "Prod"


def test_a_local_config_switch_drops_the_context_it_names() -> None:
    op = one("hcloud context use prod")
    assert op.targets[0].tier is Tier.LOCAL
    assert op.targets[0].get("context") is None


def test_copying_an_object_to_stdout_is_a_read() -> None:
    assert one("aws s3 cp s3://b/k -").effect is Effect.READ
    assert one("gsutil cp gs://b/k -").effect is Effect.READ
