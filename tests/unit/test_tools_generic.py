"""The generic CLI model, the verb lexicon, build tools and framework commands."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.model import Command, Effect, Tier
from interlock.parse import lexicon
from interlock.parse.tools import Context, generic

CTX = Context(shell=lambda text, cmd: [])


def run(line: str, **kw):
    return generic.analyze(Command(argv=tuple(shlex.split(line)), text=line, **kw), CTX)


@pytest.mark.parametrize(
    ("word", "effect"),
    [
        ("delete", Effect.DESTROY),
        ("delete-cluster", Effect.DESTROY),
        ("drop_table", Effect.DESTROY),
        ("apps:destroy", Effect.DESTROY),
        ("DeleteUser", Effect.DESTROY),
        ("permanent-delete", Effect.DESTROY),
        ("tear-down", Effect.DESTROY),
        ("list-deleted", Effect.READ),
        ("get", Effect.READ),
        ("create", Effect.WRITE),
        ("frobnicate", None),
    ],
)
def test_lexicon_classifies_the_usual_spellings(word, effect):
    assert lexicon.classify(word) is effect


def test_a_later_strong_verb_beats_a_noun_that_is_also_a_verb():
    assert lexicon.pick_verb(["backup", "delete"]) == (1, Effect.DESTROY)
    assert lexicon.pick_verb(["release", "list"]) == (1, Effect.READ)


@pytest.mark.parametrize(
    ("line", "effect", "action", "name"),
    [
        ("velero backup delete nightly --confirm", Effect.DESTROY, "delete", "nightly"),
        ("doctl databases user rm abc bob", Effect.DESTROY, "rm", "abc"),
        ("vault kv destroy -versions=1 secret/app", Effect.DESTROY, "destroy", "secret/app"),
        ("vault secrets disable kv", Effect.DESTROY, "disable", "kv"),
        ("vault token revoke s.123", Effect.DESTROY, "revoke", "s.123"),
        ("nomad job stop -purge web", Effect.DESTROY, "purge", "web"),
        ("heroku apps:destroy myapp", Effect.DESTROY, "destroy", "myapp"),
        ("databricks clusters permanent-delete 123", Effect.DESTROY, "delete", "123"),
        ("mc rb --force play/bucket", Effect.DESTROY, "rb", "play/bucket"),
        ("stripe customers list", Effect.READ, "list", ""),
        ("neonctl branches create x", Effect.WRITE, "create", "x"),
        ("acmectl frobnicate widgets", Effect.UNKNOWN, "run", "frobnicate"),
    ],
)
def test_noun_verb_model(line, effect, action, name):
    (op,) = run(line)
    assert (op.effect, op.action) == (effect, action)
    assert op.targets and op.targets[0].name == name


def test_scope_flags_locate_the_target():
    (op,) = run("mytool --region us-east-1 --profile prod -n shop delete thing")
    scope = dict(op.targets[0].scope)
    assert scope == {"region": "us-east-1", "profile": "prod", "namespace": "shop"}


def test_live_mode_and_env_variables_name_the_environment():
    (op,) = run("stripe customers delete cus_1 --live")
    assert op.targets[0].get("env") == "prod"
    (op,) = run("acmectl teardown x", env=(("ENV", "staging"),))
    assert op.targets[0].get("env") == "staging"


def test_remote_host_is_part_of_the_scope():
    (op,) = run("turso db destroy x", host="bastion-1")
    assert op.targets[0].get("host") == "bastion-1"


@pytest.mark.parametrize(
    "line", ["foo delete --help", "foo help delete", "foo --version", "foo rm -h"]
)
def test_help_is_a_read(line):
    assert run(line)[0].effect is Effect.READ


def test_tags_from_flags():
    (op,) = run("acmectl delete everything --all --force -y --recursive")
    assert {"all", "force", "auto-approve", "recursive"} <= op.tags


def test_dry_run_downgrades_a_destroy():
    (op,) = run("acmectl delete cluster main --dry-run")
    assert op.effect is Effect.READ and "dry-run" in op.tags


def test_a_destroy_flag_makes_a_write_verb_destroy():
    (op,) = run("acmectl sync --delete src dst")
    assert op.effect is Effect.DESTROY


@pytest.mark.parametrize(
    ("line", "effect", "tier"),
    [
        ("make clean", Effect.DESTROY, Tier.LOCAL),
        ("cargo clean", Effect.DESTROY, Tier.LOCAL),
        ("go clean -cache", Effect.DESTROY, Tier.LOCAL),
        ("cargo build --release", Effect.WRITE, Tier.LOCAL),
        ("go test ./...", Effect.READ, Tier.LOCAL),
        ("pytest -x", Effect.READ, Tier.LOCAL),
        ("black --check .", Effect.READ, Tier.LOCAL),
        ("black .", Effect.WRITE, Tier.LOCAL),
        ("ruff check --fix .", Effect.WRITE, Tier.LOCAL),
        ("make deploy-prod", Effect.WRITE, Tier.UNKNOWN),
        ("make destroy", Effect.DESTROY, Tier.UNKNOWN),
        ("cargo run", Effect.UNKNOWN, Tier.UNKNOWN),
    ],
)
def test_build_tools(line, effect, tier):
    op = run(line)[0]
    assert (op.effect, op.targets[0].tier) == (effect, tier)


def test_build_clean_on_a_remote_host_is_not_local():
    (op,) = run("make clean", host="prod-1")
    assert op.targets[0].tier is Tier.UNKNOWN and op.targets[0].get("host") == "prod-1"


def test_mvn_clean_install_is_two_operations():
    assert [o.effect for o in run("mvn clean install")] == [Effect.DESTROY, Effect.WRITE]


@pytest.mark.parametrize(
    ("line", "effect"),
    [
        ("rails db:drop", Effect.DESTROY),
        ("rake db:schema:load", Effect.DESTROY),
        ("rails db:migrate", Effect.WRITE),
        ("alembic downgrade base", Effect.DESTROY),
        ("alembic downgrade -1", Effect.WRITE),
        ("prisma migrate reset --force", Effect.DESTROY),
        ("prisma migrate status", Effect.READ),
        ("knex migrate:rollback --all", Effect.DESTROY),
    ],
)
def test_framework_commands(line, effect):
    op = run(line)[0]
    assert op.effect is effect
    assert "framework" in op.tags


def test_plain_utilities_are_reads():
    assert run("nproc")[0].effect is Effect.READ


@given(st.lists(st.text(max_size=12), max_size=8))
def test_never_raises_and_always_answers(words):
    ops = generic.analyze(Command(argv=("acmectl", *words)), CTX)
    assert ops


@pytest.mark.parametrize(
    ("word", "effect"),
    [("retrieve", Effect.READ), ("gc", Effect.DESTROY), ("debug", Effect.READ)],
)
def test_lexicon_knows_retrieve_gc_and_debug(word, effect):
    assert lexicon.classify(word) is effect


def test_a_noun_that_is_also_a_read_verb_yields_to_a_later_verb():
    (op,) = run("tctl tokens rm abc")
    assert (op.effect, op.action) == (Effect.DESTROY, "rm")
    (op,) = run("vault audit disable file/")
    assert (op.effect, op.action) == (Effect.WRITE, "disable")


@pytest.mark.parametrize(
    "line", ["cf apps", "doppler secrets", "certbot certificates", "gpg --list-keys"]
)
def test_a_bare_plural_noun_or_a_read_flag_verb_lists(line):
    (op,) = run(line)
    assert op.effect is Effect.READ


def test_an_unknown_verb_before_a_plural_noun_stays_unknown():
    (op,) = run("acmectl frobnicate widgets")
    assert op.effect is Effect.UNKNOWN


@pytest.mark.parametrize(
    ("line", "effect", "action"),
    [
        ("dbt run", Effect.WRITE, "run"),
        ("dbt run --full-refresh", Effect.DESTROY, "full-refresh"),
        ("dbt compile", Effect.READ, "compile"),
        ("kcat -P -b k:9092 -t t", Effect.WRITE, "produce"),
        ("kcat -C -b k:9092 -t t", Effect.READ, "consume"),
        ("ssh-keygen -l -f k.pub", Effect.READ, "inspect"),
        ("ssh-keygen -R github.com", Effect.WRITE, "forget-host"),
        ("tailscale down", Effect.WRITE, "down"),
        ("cf curl /v3/apps/x -X DELETE", Effect.DESTROY, "delete"),
    ],
)
def test_tools_the_verb_model_misreads_have_their_own_grammar(line, effect, action):
    (op,) = run(line)
    assert (op.effect, op.action) == (effect, action)


def test_stripe_acts_in_test_mode_unless_live():
    (op,) = run("stripe products delete prod_1")
    assert op.targets[0].get("env") == "test"
    (op,) = run("stripe products delete prod_1 --live")
    assert op.targets[0].get("env") == "prod"


def test_a_framework_env_written_after_the_task_names_the_database():
    (op,) = run("rails db:reset RAILS_ENV=production")
    assert (op.effect, op.targets[0].get("env")) == (Effect.DESTROY, "production")


@pytest.mark.parametrize(
    ("word", "effect"),
    [
        ("user-find", Effect.READ),
        ("vm-list", Effect.READ),
        ("group-add-member", Effect.WRITE),
        ("host-del", Effect.DESTROY),
        ("listsnapshot", Effect.READ),
        ("showrepl", Effect.READ),
        ("listen", None),
        ("build-run-1", None),
        ("release-2024", None),
    ],
)
def test_leading_words_read_noun_first_compounds_but_not_numbered_names(word, effect):
    assert lexicon.classify_lead(word) is effect


def test_a_tool_read_word_yields_to_a_later_plain_verb_that_changes_state():
    vocab = {"secrets": Effect.READ, "query": Effect.READ}
    assert lexicon.pick_verb(["secrets", "delete"], vocab) == (1, Effect.DESTROY)
    assert lexicon.pick_verb(["silence", "query"], vocab) == (1, Effect.READ)


@pytest.mark.parametrize(
    ("line", "effect"),
    [
        ("ldapdelete -x -D cn=admin,dc=acme -w pw uid=bob,dc=acme", Effect.DESTROY),
        ("ldapsearch -x -b dc=acme '(uid=bob)'", Effect.READ),
        ("klist", Effect.READ),
        ("apps:destroy myapp --force", Effect.DESTROY),
        ("virt-df -d web", Effect.READ),
    ],
)
def test_a_program_whose_name_is_the_verb_is_read_by_its_name(line, effect):
    (op,) = run(line)
    assert op.effect is effect


@pytest.mark.parametrize(
    ("line", "effect"),
    [
        ("fastly service-version activate --version latest", Effect.WRITE),
        ("cargo yank --version 1.0.0 acme", Effect.DESTROY),
        ("sometool --version", Effect.READ),
        ("juju status --format=yaml", Effect.READ),
        ("gitlab-runner verify --delete", Effect.DESTROY),
        ("sqlmesh plan --auto-apply", Effect.WRITE),
        ("octodns-sync --config-file=c.yaml", Effect.READ),
        ("octodns-sync --config-file=c.yaml --doit", Effect.WRITE),
        ("telegraf --test --config t.conf", Effect.READ),
    ],
)
def test_flags_that_carry_values_or_change_a_preview_are_read_as_such(line, effect):
    (op,) = run(line)
    assert op.effect is effect


@pytest.mark.parametrize(
    ("line", "effect", "name"),
    [
        ("postsuper -d ALL", Effect.DESTROY, "ALL"),
        ("postqueue -p", Effect.READ, ""),
        ("exim -Mrm 1abc-000", Effect.DESTROY, "1abc-000"),
        ("salt-key -d web1 -y", Effect.DESTROY, "web1"),
        ("crane digest ghcr.io/acme/web:1.0", Effect.READ, "ghcr.io/acme/web:1.0"),
        ("govc snapshot.remove -vm web1 x", Effect.DESTROY, "web1"),
        ("govc vm.info web1", Effect.READ, "web1"),
    ],
)
def test_known_clis_read_their_own_words_and_command_flags(line, effect, name):
    (op,) = run(line)
    assert (op.effect, op.targets[0].name) == (effect, name)


def test_a_fleet_runner_hands_its_command_to_the_shell_on_the_remote_hosts():
    seen: list[tuple[str, str | None]] = []

    def shell(text, cmd):
        seen.append((text, cmd.host))
        return []

    ctx = Context(shell=shell)
    for line in (
        "salt 'web*' cmd.run 'rm -rf /srv'",
        "pssh -h hosts.txt -i 'rm -rf /srv'",
        "clush -w n1 -b 'rm -rf /srv'",
        "knife ssh role:web 'rm -rf /srv'",
        "fab -H web1 -- rm -rf /srv",
        "pct exec 101 -- rm -rf /srv",
    ):
        generic.analyze(Command(argv=tuple(shlex.split(line)), text=line), ctx)
    assert [t for t, _ in seen] == ["rm -rf /srv"] * 6
    assert [h for _, h in seen] == [
        "web*",
        "hosts in hosts.txt",
        "n1",
        "role:web",
        "web1",
        "ct-101",
    ]


@pytest.mark.parametrize(
    ("line", "effect"),
    [
        ("salt '*' test.ping", Effect.READ),
        ("salt '*' state.apply test=True", Effect.READ),
        ("salt '*' state.apply", Effect.WRITE),
        ("salt '*' cmd.script salt://x.sh", Effect.UNKNOWN),
        ("salt-run jobs.list_jobs", Effect.READ),
    ],
)
def test_salt_functions_are_read_through_the_lexicon(line, effect):
    (op,) = run(line)
    assert op.effect is effect


@pytest.mark.parametrize(
    ("line", "effect", "tags"),
    [
        ("hdfs dfs -rm -r -skipTrash /", Effect.DESTROY, {"recursive", "no-backup", "root-path"}),
        ("hadoop fs -ls /user", Effect.READ, set()),
        ("hdfs namenode -format", Effect.DESTROY, {"all"}),
        ("zkCli.sh -server zk:2181 deleteall /", Effect.DESTROY, {"recursive", "root-path", "all"}),
        ("kadmin.local -q 'listprincs'", Effect.READ, set()),
        ("cloud-nuke aws", Effect.DESTROY, {"all", "force"}),
        ("aws-nuke -c c.yml", Effect.READ, {"all", "dry-run"}),
        ("cap production deploy --dry-run", Effect.READ, {"dry-run"}),
    ],
)
def test_admin_shells_read_the_command_inside_their_flags(line, effect, tags):
    (op,) = run(line)
    assert (op.effect, set(op.tags)) == (effect, tags)
