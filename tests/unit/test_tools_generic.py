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
