"""Registry pushes, CI/CD runners, Fabric tasks and `find | xargs`, called directly."""

from __future__ import annotations

import shlex

import pytest

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.pipes import found_paths, known_stdout
from interlock.parse.tools import Context
from interlock.parse.tools.generic_ci import analyze as ci
from interlock.parse.tools.generic_ci import fab_tasks
from interlock.parse.tools.host import analyze as host

R, W, D = Effect.READ, Effect.WRITE, Effect.DESTROY


def cmd(text: str) -> Command:
    return Command(argv=tuple(shlex.split(text)), text=text)


def container(text: str) -> Operation:
    return host(cmd(text), Context(shell=lambda t, c: []))[0]


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("find . -name '*.tmp'", "./{}\n"),
        ("find src build/ -type f -name '*.o'", "src/{}\nbuild/{}\n"),
        ("find -name '*.tmp'", "./{}\n"),
        ("find /tmp -mtime +7", "/tmp/{}\n"),
    ],
)
def test_a_narrowed_find_stands_for_paths_under_its_start_paths(text, printed):
    assert found_paths(cmd(text)) == printed
    assert known_stdout(cmd(text)) is None  # only an `xargs` consumer gets the stand-in


@pytest.mark.parametrize(
    "text",
    [
        "find .",  # prints `.` itself: everything under it
        "find /data -type f",  # -type only shapes the walk
        "find . -name '*.log' -printf '/etc/%f\\n'",  # prints paths of its own making
        "find . -name x -exec echo {} ;",
        "find /var/lib -name postgresql",  # the data directory itself
    ],
)
def test_what_a_find_prints_is_unknown_unless_narrowed_and_plain(text):
    assert found_paths(cmd(text)) is None


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("docker push ghcr.io/acme/api:1.4", Tier.UNKNOWN),
        ("docker push localhost:5000/api:dev", Tier.LOCAL),
        ("podman push api oci-archive:/tmp/api.tar", Tier.LOCAL),
        ("skopeo copy docker://a/b:1 docker://registry.acme.com/b:1", Tier.UNKNOWN),
        ("skopeo copy docker://a/b:1 dir:/tmp/b", Tier.LOCAL),
        ("docker buildx build -t ghcr.io/acme/api:1.4 --push .", Tier.UNKNOWN),
        ("docker buildx build -t x/y:1 -o type=registry .", Tier.UNKNOWN),
        ("buildah push app docker://quay.io/acme/app:1", Tier.UNKNOWN),
    ],
)
def test_pushes_name_the_images_and_know_a_local_registry(text, tier):
    op = container(text)
    assert (op.action, op.effect) == ("push", W)
    assert {t.tier for t in op.targets} == {tier}


def test_a_build_without_push_stays_a_local_build():
    op = container("docker buildx build -t api:dev --load .")
    assert op.action == "build" and op.targets[0].tier is Tier.LOCAL


@pytest.mark.parametrize(
    ("text", "action", "effect", "tag"),
    [
        ("docker service scale api=0", "scale", D, "zero"),
        ("docker service update --replicas 0 api", "scale", D, "zero"),
        ("docker service scale api=3", "scale", W, None),
        ("docker node update --availability drain worker-2", "drain", W, None),
        ("docker image prune -a -f", "prune", D, "all"),
    ],
)
def test_swarm_outages_and_sweeping_prunes(text, action, effect, tag):
    op = container(text)
    assert (op.action, op.effect) == (action, effect)
    assert tag is None or tag in op.tags


def test_a_plain_image_prune_is_not_a_sweep():
    assert "all" not in container("docker image prune -f").tags


@pytest.mark.parametrize(
    ("text", "effect", "publish", "local"),
    [
        ("twine upload dist/*", W, True, False),
        ("twine check dist/*", R, False, False),
        ("goreleaser release --clean", W, True, False),
        ("goreleaser release --snapshot --clean", W, False, True),
        ("goreleaser release --skip=publish", W, False, True),
        ("changeset version", W, False, True),
        ("conan remove 'acme/*' -c", D, False, True),
        ("conan remove 'acme/*' -r artifactory -c", D, False, False),
        ("argo terminate my-wf -n prod", W, False, False),
    ],
)
def test_release_tools_publish_or_stay_local(text, effect, publish, local):
    op = ci(cmd(text))
    assert op.effect is effect
    assert ("publish" in op.tags) is publish
    assert all(t.tier is Tier.LOCAL for t in op.targets) is local


@pytest.mark.parametrize(
    ("text", "env"),
    [
        ("drone build promote acme/api 42 production", "production"),
        ("woodpecker-cli deploy acme/api 42 production", "production"),
        ("octo deploy-release --project shop --deployTo Production", "Production"),
        ("codefresh run acme/deploy -b main -v ENV=production", "production"),
        ("tkn pipeline start deploy -p env=production -n ci", "production"),
    ],
)
def test_ci_runs_name_the_environment_they_deploy_to(text, env):
    assert ci(cmd(text)).targets[0].get("env") == env


def test_spin_targets_the_pipeline_it_names():
    op = ci(cmd("spin pipeline execute --application shop --name deploy-prod"))
    assert op.targets[0].name == "deploy-prod"
    assert op.targets[0].get("project") == "shop"


def test_fabric_tasks_run_on_the_hosts_named():
    ops = fab_tasks(cmd("fab -H prod-web-1,prod-web-2 deploy migrate"))
    assert [o.action for o in ops] == ["deploy", "migrate"]
    assert all(o.targets[0].get("host") == "prod-web-1,prod-web-2" for o in ops)
    assert ops[0].effect is W


def test_fabric_listing_reads():
    assert fab_tasks(cmd("fab --list"))[0].effect is R
