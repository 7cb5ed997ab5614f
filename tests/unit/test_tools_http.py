"""HTTP clients: method, URL, body and well-known APIs."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interlock.model import Command, Effect
from interlock.parse.tools import Context, http

CTX = Context(shell=lambda text, cmd: [])


def run(line: str, **kw):
    return http.analyze(Command(argv=tuple(shlex.split(line)), text=line, **kw), CTX)


def first(line: str, **kw):
    return run(line, **kw)[0]


@pytest.mark.parametrize(
    ("line", "effect", "action"),
    [
        ("curl https://example.com", Effect.READ, "get"),
        ("curl -I https://example.com", Effect.READ, "head"),
        ("curl -d a=1 https://x.example.com", Effect.WRITE, "post"),
        ("curl -G -d q=1 https://x.example.com", Effect.READ, "get"),
        ("curl -T f https://x.example.com/", Effect.WRITE, "put"),
        ("curl --json {} https://x.example.com", Effect.WRITE, "post"),
        ("curl -X DELETE https://x.example.com/1", Effect.DESTROY, "delete"),
        ("curl -sXDELETE https://x.example.com/1", Effect.DESTROY, "delete"),
        ("curl --request=delete https://x.example.com/1", Effect.DESTROY, "delete"),
        ("curl -X POST https://x.example.com/v1/clusters/a/delete", Effect.DESTROY, "delete"),
        ("curl -X POST https://x.example.com/v1/i/a:delete", Effect.DESTROY, "delete"),
        ("wget --method=DELETE -O - https://x.example.com/1", Effect.DESTROY, "delete"),
        ("wget --post-data a=1 -O - https://x.example.com/1", Effect.WRITE, "post"),
        ("http DELETE example.com/x", Effect.DESTROY, "delete"),
        ("http example.com/x a=1", Effect.WRITE, "post"),
        ("xh delete https://x.example.com/1", Effect.DESTROY, "delete"),
        ("grpcurl -d {} h:443 users.UserService/DeleteUser", Effect.DESTROY, "delete"),
        ("grpcurl h:443 list", Effect.READ, "list"),
    ],
)
def test_method_decides_the_effect(line, effect, action):
    op = first(line)
    assert (op.effect, op.action) == (effect, action)


def test_the_host_is_in_the_target_scope():
    op = first("curl -X DELETE https://api.prod.example.com/users/1")
    assert op.targets[0].get("host") == "api.prod.example.com"


def test_httpie_colon_shorthand_is_localhost():
    assert first("http :8080/health").targets[0].get("host") == "localhost"


def test_kubernetes_api_paths_name_kind_and_namespace():
    op = first("curl -X DELETE https://k8s:6443/apis/apps/v1/namespaces/shop/deployments/web")
    t = op.targets[0]
    assert (t.kind, t.name, t.get("namespace")) == ("deployment", "web", "shop")
    assert "kubernetes-api" in op.tags


def test_kubectl_proxy_on_localhost_is_not_treated_as_local():
    op = first("curl -X DELETE http://localhost:8001/api/v1/namespaces/payments")
    assert op.targets[0].get("host") is None and "api-proxy" in op.tags
    assert op.action == "delete-namespace"


def test_localhost_on_a_remote_host_belongs_to_that_host():
    op = first("curl -XDELETE localhost:9200/_all", host="prod-es-1")
    assert op.targets[0].get("host") == "prod-es-1"
    assert {"elasticsearch", "all"} <= op.tags


@pytest.mark.parametrize(
    ("line", "tag"),
    [
        ("curl -X DELETE https://api.digitalocean.com/v2/droplets/1", "cloud-api"),
        (
            "curl -X DELETE https://management.azure.com/subscriptions/a/resourcegroups/rg",
            "cloud-api",
        ),
        ("curl -X DELETE https://api.stripe.com/v1/customers/c", "saas-api"),
        ("curl -X DELETE http://consul:8500/v1/kv/app?recurse", "recursive"),
        ("curl -X DELETE http://rabbit:15672/api/queues/%2F/q/contents", "rabbitmq"),
    ],
)
def test_well_known_apis_are_tagged(line, tag):
    assert tag in first(line).tags


def test_github_repository_delete():
    op = first("curl -X DELETE https://api.github.com/repos/acme/app")
    assert op.action == "delete-repo" and op.targets[0].name == "acme/app"


def test_aws_query_action_decides():
    assert (
        first("curl -d Action=TerminateInstances https://ec2.amazonaws.com/").effect
        is Effect.DESTROY
    )
    assert first("curl https://ec2.amazonaws.com/?Action=DescribeInstances").effect is Effect.READ


def test_graphql_delete_mutation_destroys():
    body = '{"query":"mutation { deleteRepository(input:{}) { x } }"}'
    op = first(f"curl -X POST https://api.github.com/graphql -d '{body}'")
    assert (op.effect, op.action) == (Effect.DESTROY, "deleterepository")


def test_es_delete_by_query_destroys():
    op = first("curl -X POST http://es:9200/orders/_delete_by_query -d {}")
    assert op.effect is Effect.DESTROY and op.targets[0].name == "orders"


def test_downloads_also_write_a_local_file():
    families = [o.family for o in run("curl -fsSL https://get.docker.com -o get-docker.sh")]
    assert families == ["http", "filesystem"]
    assert [o.family for o in run("wget -qO- https://x.example.com/a")] == ["http"]


def test_several_urls_are_several_requests():
    assert len(run("curl https://a.example.com https://b.example.com")) == 2


def test_help_is_a_read():
    assert first("curl --help").effect is Effect.READ


@given(st.lists(st.text(max_size=16), max_size=8))
def test_never_raises(words):
    for prog in ("curl", "wget", "http", "grpcurl"):
        assert http.analyze(Command(argv=(prog, *words)), CTX)
