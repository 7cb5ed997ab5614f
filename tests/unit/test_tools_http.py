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


@pytest.mark.parametrize(
    ("line", "action"),
    [
        ("curl -X DELETE https://gitlab.com/api/v4/projects/1", "delete-repo"),
        ("curl -X DELETE https://gitlab.com/api/v4/groups/7", "delete-group"),
        ("curl -X DELETE https://api.bitbucket.org/2.0/repositories/a/b", "delete-repo"),
        ("curl -X DELETE https://git.example.com/api/v1/repos/a/b", "delete-repo"),
    ],
)
def test_git_host_repository_deletes_are_named(line, action):
    assert first(line).action == action


def test_a_live_stripe_key_puts_the_request_in_live_mode():
    op = first("curl -X DELETE https://api.stripe.com/v1/customers/c -u sk_live_x:")
    assert op.targets[0].get("env") == "live"


def test_docker_socket_requests_are_docker_api_calls():
    op = first("curl --unix-socket /var/run/docker.sock -X POST http://localhost/volumes/prune")
    assert (op.effect, op.action, op.targets[0].kind) == (Effect.DESTROY, "prune", "volume")
    assert "docker-api" in op.tags


@pytest.mark.parametrize(
    "line",
    [
        "curl -XPOST http://es:9200/idx/_search -d '{}'",
        "curl -XPOST http://es:9200/_count -d '{}'",
    ],
)
def test_search_endpoints_read_even_through_post(line):
    assert first(line).effect is Effect.READ


def test_prometheus_api_v1_is_not_a_kubernetes_api_server():
    op = first("curl -X POST 'http://prom:9090/api/v1/admin/tsdb/delete_series?match[]=up'")
    assert "kubernetes-api" not in op.tags and op.effect is Effect.DESTROY


def test_postgrest_delete_without_filter_is_every_row():
    assert "no-where" in first("curl -X DELETE https://x.supabase.co/rest/v1/users").tags
    assert "no-where" not in first("curl -X DELETE 'https://x.supabase.co/rest/v1/u?id=eq.1'").tags


def test_slack_style_dotted_method_names_carry_the_verb():
    op = first("curl -X POST https://slack.com/api/chat.delete -d ts=1")
    assert (op.effect, op.action) == (Effect.DESTROY, "delete")
