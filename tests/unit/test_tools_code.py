"""Interpreters: inline code scanning, modules, scripts and framework commands."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context, code

SEEN: list[str] = []


def _shell(text: str, cmd: Command) -> list[Operation]:
    SEEN.append(text)
    return [Operation(family="stub", action="run", effect=Effect.UNKNOWN, program="sh")]


CTX = Context(shell=_shell)


def run(*argv: str, **kw):
    return code.analyze(Command(argv=argv, text=" ".join(argv), **kw), CTX)


@pytest.mark.parametrize(
    "argv",
    [
        ("python", "-c", "print(1)"),
        ("python3", "-c", "import sys; print(sys.version)"),
        ("python3", "-c", "import json,sys; print(json.load(sys.stdin)['a'])"),
        ("python", "-c", "import os; print(os.getcwd())"),
        ("node", "-e", "console.log(process.version)"),
        ("ruby", "-e", "puts 1+1"),
        ("python", "--version"),
        ("python", "-m", "json.tool", "x.json"),
        ("pwsh", "-c", "Get-ChildItem | Format-Table"),
    ],
)
def test_code_that_only_computes_is_a_read(argv):
    assert [o.effect for o in run(*argv)] == [Effect.READ]


@pytest.mark.parametrize(
    ("argv", "tag"),
    [
        (("python", "-c", "import shutil; shutil.rmtree('/')"), "root-path"),
        (("python", "-c", "import shutil; shutil.rmtree('/etc')"), "system-path"),
        (("node", "-e", "require('fs').rmSync('/', {recursive: true})"), "root-path"),
        (("ruby", "-e", "FileUtils.rm_rf('/usr')"), "system-path"),
        (("python", "-c", "import os; os.remove(os.path.expanduser('~/.x'))"), "in-home"),
        (
            ("python", "-c", "import shutil; from pathlib import Path; shutil.rmtree(Path.home())"),
            "home-path",
        ),
        (("perl", "-MFile::Path=remove_tree", "-e", "remove_tree($ENV{HOME})"), "home-path"),
    ],
)
def test_file_deletion_in_code(argv, tag):
    (op,) = run(*argv)
    assert op.family == "filesystem" and op.effect is Effect.DESTROY
    assert {tag, "inline-code"} <= op.tags


def test_literal_shell_commands_go_back_to_the_walker():
    SEEN.clear()
    run("python3", "-c", "import os; os.system('rm -rf /tmp/x')")
    run("python3", "-c", "import subprocess; subprocess.run(['kubectl', 'delete', 'ns', 'a'])")
    run("ruby", "-e", "puts `ls -la`")
    run("osascript", "-e", 'do shell script "rm -rf ~/x"')
    assert SEEN == ["rm -rf /tmp/x", "kubectl delete ns a", "ls -la", "rm -rf ~/x"]


@pytest.mark.parametrize(
    ("source", "cli"),
    [
        (
            "import boto3; boto3.client('s3').delete_bucket(Bucket='x')",
            "aws s3api delete-bucket --bucket x",
        ),
        (
            "import boto3; boto3.resource('s3').Bucket('x').objects.all().delete()",
            "aws s3 rm s3://x --recursive",
        ),
        (
            "import boto3; boto3.Session(profile_name='prod').client('rds')"
            ".delete_db_instance(DBInstanceIdentifier='db', SkipFinalSnapshot=True)",
            "aws --profile prod rds delete-db-instance --db-instance-identifier db "
            "--skip-final-snapshot",
        ),
        (
            "from kubernetes import client, config; config.load_kube_config(context='prod'); "
            "client.CoreV1Api().delete_namespace('a')",
            "kubectl --context prod delete namespace a",
        ),
        (
            "from kubernetes import client; "
            "client.AppsV1Api().delete_namespaced_deployment('api', 'payments')",
            "kubectl delete deployment api -n payments",
        ),
        ("import redis; redis.Redis().flushall()", "redis-cli flushall"),
        ("import redis; redis.Redis(host='c1').flushdb()", "redis-cli -h c1 flushdb"),
        (
            "import pymongo; pymongo.MongoClient('mongodb://m1').drop_database('app')",
            "mongosh mongodb://m1/app --eval 'db.dropDatabase()'",
        ),
    ],
)
def test_sdk_deletions_are_spelled_as_their_cli_twin(source, cli):
    SEEN.clear()
    ops = run("python", "-c", source)
    assert [cli] == SEEN and all("sdk" in o.tags for o in ops)


def test_aws_sdk_v3_commands_are_spelled_as_the_aws_cli():
    SEEN.clear()
    run(
        "node",
        "-e",
        "const {S3Client, DeleteBucketCommand} = require('@aws-sdk/client-s3'); "
        "new S3Client({profile: 'prod'}).send(new DeleteBucketCommand({Bucket: 'logs'}))",
    )
    assert SEEN == ["aws --profile prod s3api delete-bucket --bucket logs"]


@pytest.mark.parametrize(
    ("source", "name", "scope"),
    [
        (
            "from google.cloud import storage; storage.Client().bucket('logs').delete(force=True)",
            "logs",
            {},
        ),
        (
            "import hvac; hvac.Client(url='https://vault.example.com').secrets.kv.v2"
            ".delete_metadata_and_all_versions('app/db')",
            "app/db",
            {"host": "vault.example.com"},
        ),
    ],
)
def test_other_sdk_deletions_name_their_target(source, name, scope):
    (op,) = run("python", "-c", source)
    (target,) = op.targets
    assert op.effect is Effect.DESTROY and "sdk" in op.tags
    assert target.name == name and scope.items() <= dict(target.scope).items()


@pytest.mark.parametrize(
    "argv",
    [
        ("python", "-c", "import boto3; print(boto3.client('s3').list_objects_v2(Bucket='b'))"),
        ("python", "-c", "import redis; print(redis.Redis(host='h').get('k'))"),
        (
            "node",
            "-e",
            "const {EC2Client, DescribeInstancesCommand}=require('@aws-sdk/client-ec2'); "
            "new EC2Client({}).send(new DescribeInstancesCommand({})).then(console.log)",
        ),
    ],
)
def test_code_that_only_reads_through_an_sdk_is_a_read(argv):
    assert [o.effect for o in run(*argv)] == [Effect.READ]


@pytest.mark.parametrize(
    "argv",
    [
        ("python", "-c", "import boto3; getattr(boto3.client('s3'), 'delete_bucket')(Bucket='b')"),
        ("python", "-c", "import redis; redis.Redis().set('k', 1)"),
    ],
)
def test_sdk_code_with_any_other_call_is_not_a_read(argv):
    assert Effect.READ not in [o.effect for o in run(*argv)]


def test_http_calls_in_code():
    (op,) = run("python", "-c", "import requests; requests.delete('https://api.example.com/1')")
    assert (op.family, op.effect) == ("http", Effect.DESTROY)
    (op,) = run("node", "-e", "fetch('https://x.example.com/1', {method: 'DELETE'})")
    assert op.effect is Effect.DESTROY


def test_sql_in_code_uses_the_sql_classifier():
    (op,) = run("python", "-c", "import sqlite3; sqlite3.connect('a').execute('DROP TABLE users')")
    assert (op.family, op.effect) == ("database", Effect.DESTROY)


@pytest.mark.parametrize(
    "argv",
    [
        ("python", "-c", "exec(__import__('base64').b64decode('eA=='))"),
        ("node", "-e", "eval(atob('eA=='))"),
        ("powershell", "-EncodedCommand", "SQBFAFgA"),
    ],
)
def test_obfuscation_is_flagged(argv):
    assert any("obfuscated" in o.tags for o in run(*argv))


def test_heredoc_code_is_scanned():
    (op,) = run("python3", "-", stdin="import shutil\nshutil.rmtree('/etc')\n")
    assert "system-path" in op.tags


def test_perl_in_place_edit_writes_the_files():
    (op,) = run("perl", "-pi", "-e", "s/a/b/", "config.yml")
    assert op.effect is Effect.WRITE and op.targets[0].name == "config.yml"


@pytest.mark.parametrize(
    ("argv", "effect"),
    [
        (("python", "manage.py", "flush", "--noinput"), Effect.DESTROY),
        (("python", "manage.py", "migrate", "shop", "zero"), Effect.DESTROY),
        (("python", "manage.py", "migrate"), Effect.WRITE),
        (("php", "artisan", "migrate:fresh"), Effect.DESTROY),
        (("python", "script.py"), Effect.UNKNOWN),
        (("node", "server.js"), Effect.UNKNOWN),
        (("deno", "test"), Effect.READ),
        (("bun", "install"), Effect.WRITE),
        (("python", "-m", "http.server"), Effect.WRITE),
    ],
)
def test_scripts_modules_and_subcommands(argv, effect):
    assert run(*argv)[0].effect is effect


def test_remote_script_is_tagged():
    assert "remote-code" in run("deno", "run", "-A", "https://x.example.com/a.ts")[0].tags


def test_powershell_remove_item():
    ops = run("pwsh", "-Command", "Remove-Item -Recurse -Force C:\\Windows")
    assert any(o.effect is Effect.DESTROY and "system-path" in o.tags for o in ops)


@given(
    st.lists(st.text(max_size=24), max_size=6),
    st.sampled_from(["python", "node", "perl", "pwsh", "deno"]),
)
def test_never_raises(words, prog):
    assert code.analyze(Command(argv=(prog, *words)), CTX)


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (("perl", "-e", 'unlink glob "/etc/*"'), "/etc/*"),
        (("php", "-r", 'array_map("unlink", glob("/srv/up/*"));'), "/srv/up/*"),
        (("python", "-c", 'import shutil, pathlib; shutil.rmtree(pathlib.Path("/x"))'), "/x"),
    ],
)
def test_deletes_through_glob_or_path_wrappers_name_the_path(argv, path):
    ops = [o for o in run(*argv) if o.action == "delete"]
    assert [o.targets[0].name for o in ops] == [path]


@pytest.mark.parametrize(
    "code_text",
    [
        "User.destroy_all",
        "Post.where(draft: true).delete_all",
    ],
)
def test_ruby_orm_sweeps_without_parentheses_are_destroys(code_text):
    (op,) = run("ruby", "-e", code_text)
    assert op.effect is Effect.DESTROY and "all" in op.tags


def test_a_js_map_delete_is_not_an_sdk_delete():
    ops = run("node", "-e", "const m = new Map(); m.delete(1)")
    assert all(o.effect is not Effect.DESTROY for o in ops)
