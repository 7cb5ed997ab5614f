"""What an HTTP request does, from its method, URL and body.

`request_op(cmd, method, url, body)` answers one operation: GET/HEAD/OPTIONS read, POST/PUT/PATCH
write, DELETE destroys. Well-known APIs sharpen that: a Kubernetes API server path names the
resource kind and namespace; cloud and SaaS control planes are tagged `cloud-api` / `saas-api`;
Elasticsearch `_delete_by_query`, an AWS query API `Action=TerminateInstances`, a POST to
`…/delete` or `…:delete`, or a GraphQL `mutation { deleteRepository … }` destroy. The target
carries the host name so the resolver can tier it (`api.prod.example.com` → prod).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from interlock.model import Command, Effect, Operation, Target
from interlock.parse import lexicon
from interlock.parse.lexicon import words
from interlock.parse.tools import http_api

METHOD_EFFECT = {
    "GET": Effect.READ,
    "HEAD": Effect.READ,
    "OPTIONS": Effect.READ,
    "POST": Effect.WRITE,
    "PUT": Effect.WRITE,
    "PATCH": Effect.WRITE,
    "DELETE": Effect.DESTROY,
    "PURGE": Effect.WRITE,
    "PROPFIND": Effect.READ,
    "MKCOL": Effect.WRITE,
    "COPY": Effect.WRITE,
    "MOVE": Effect.WRITE,
    "LOCK": Effect.WRITE,
    "UNLOCK": Effect.WRITE,
    "REPORT": Effect.READ,
    "SEARCH": Effect.READ,
}
LOOPBACK = words("localhost 127.0.0.1 ::1 0.0.0.0 [::1]")

_CLOUD_SUFFIXES = (
    "amazonaws.com",
    "management.azure.com",
    "googleapis.com",
    "api.digitalocean.com",
    "api.linode.com",
    "api.hetzner.cloud",
    "api.vultr.com",
    "api.cloudflare.com",
    "api.heroku.com",
    "api.fly.io",
    "api.vercel.com",
    "api.netlify.com",
    "api.render.com",
    "api.scaleway.com",
    "api.exoscale.com",
    "cloud.ibm.com",
    "oraclecloud.com",
    "api.upcloud.com",
    "api.civo.com",
    "api.ovh.com",
    "graph.microsoft.com",
)
_SAAS_SUFFIXES = (
    "api.github.com",
    "gitlab.com",
    "api.bitbucket.org",
    "api.stripe.com",
    "api.pagerduty.com",
    "datadoghq.com",
    "datadoghq.eu",
    "slack.com",
    "api.twilio.com",
    "api.sendgrid.com",
    "atlassian.net",
    "api.atlassian.com",
    "api.openai.com",
    "api.anthropic.com",
    "api.mailgun.net",
    "api.opsgenie.com",
    "api.newrelic.com",
    "sentry.io",
    "api.segment.io",
    "api.shopify.com",
    "myshopify.com",
    "api.hubapi.com",
    "api.intercom.io",
    "api.zendesk.com",
    "zendesk.com",
    "api.notion.com",
    "api.linear.app",
    "api.airtable.com",
    "grafana.net",
    "api.honeycomb.io",
    "api.launchdarkly.com",
    "api.auth0.com",
    "auth0.com",
    "okta.com",
    "api.mongodb.com",
    "cloud.mongodb.com",
    "api.supabase.com",
    "supabase.co",
    "api.planetscale.com",
    "console.neon.tech",
    "api.turso.tech",
    "api.upstash.com",
    "hub.docker.com",
    "registry.npmjs.org",
    "app.terraform.io",
    "firebaseio.com",
    "firebasedatabase.app",
    "algolia.net",
    "algolianet.com",
    "pinecone.io",
    "qdrant.io",
    "api.vercel.com",
    "api.cloudflare.com",
    "contentful.com",
    "api.sanity.io",
    "api.bitbucket.org",
    "api.datadoghq.com",
)
_K8S_PATH = re.compile(r"^/(?:api/v1|apis/[^/]+/[^/]+)(?:/(.*))?$")
_GRAPHQL_MUTATION = re.compile(r"mutation\b[^{]*\{\s*(?:\w+\s*:\s*)?(\w+)")
_AWS_ACTION = re.compile(r"(?:^|[?&\s\"'])Action=([A-Za-z]+)")
_ES_PORTS = frozenset({"9200", "9243", "9300"})


@dataclass(slots=True)
class Request:
    method: str
    url: str
    body: str = ""
    tags: set[str] = field(default_factory=set)
    env: str = ""  # `live`/`test` when a credential says which (Stripe `sk_live_…`)


def normalize_url(raw: str) -> str:
    """`example.com/x` → `http://example.com/x`; httpie's `:8080/x` → `http://localhost:8080/x`."""
    if raw.startswith(":"):
        rest = raw[1:]
        return "http://localhost" + (":" + rest if rest[:1].isdigit() else rest)
    if "://" not in raw:
        return "http://" + raw
    return raw


def request_op(cmd: Command, req: Request) -> Operation:
    url = normalize_url(req.url)
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = str(parts.port or "")
    except ValueError:
        parts, host, port = urlsplit("http://invalid/"), "", ""
    method = req.method.upper()
    effect = METHOD_EFFECT.get(method, Effect.UNKNOWN)
    ctx = _Facts(method, effect, method.lower(), "url", url, set(req.tags), {})
    if req.env:
        ctx.scope["env"] = req.env
    path = unquote(parts.path or "/")
    query = parts.query
    _cloud_saas(ctx, host)
    raw = [unquote(x) for x in (parts.path or "/").split("/") if x]
    _known_api(ctx, host, port, path, query, req.body, raw)
    _body_verbs(ctx, path, query, req.body)
    return _operation(cmd, ctx, host, url)


@dataclass(slots=True)
class _Facts:
    method: str
    effect: Effect
    action: str
    kind: str
    name: str
    tags: set[str]
    scope: dict[str, str]


def _cloud_saas(f: _Facts, host: str) -> None:
    if host.endswith(_CLOUD_SUFFIXES):
        f.tags.add("cloud-api")
    elif host.endswith(_SAAS_SUFFIXES):
        f.tags.add("saas-api")


def _known_api(
    f: _Facts, host: str, port: str, path: str, query: str, body: str, raw: list[str]
) -> None:
    segs = [s for s in path.split("/") if s]
    if "docker-socket" in f.tags or port in http_api.DOCKER_PORTS:
        http_api.docker(f, segs)
        return
    if http_api.git_host(f, host, raw):
        return
    m = _K8S_PATH.match(path)
    if m and not host.endswith(_SAAS_SUFFIXES + _CLOUD_SUFFIXES) and http_api.is_k8s(segs):
        _kubernetes(f, m.group(1) or "")
        return
    if host.endswith(("firebaseio.com", "firebasedatabase.app")):
        http_api.firebase(f, path)
    elif segs[:2] == ["rest", "v1"]:
        http_api.postgrest(f, segs, query)
    elif host == "api.github.com" and segs[:1] == ["repos"]:
        http_api.github(f, segs, body)
    elif port in _ES_PORTS or "elastic" in host or "opensearch" in host or path.startswith("/_"):
        _elasticsearch(f, segs, query)
        http_api.es_read(f, segs)
    elif segs[:1] == ["v1"] and (port == "8200" or "vault" in host):
        f.tags.add("vault")
        f.kind, f.name = "secret", "/".join(segs[1:])
        if segs[1:3] == ["sys", "seal"] and f.method in ("POST", "PUT"):
            f.action = "seal"
    elif segs[:2] == ["v1", "kv"]:
        f.tags.add("consul")
        f.kind, f.name = "kv", "/".join(segs[2:])
        if "recurse" in query:
            f.tags.add("recursive")
    elif port == "15672" or (
        segs[:1] == ["api"] and segs[1:2] in (["queues"], ["vhosts"], ["exchanges"])
    ):
        _rabbitmq(f, segs)
    elif port == "5984" and len(segs) == 1:
        f.tags.add("couchdb")
        f.kind, f.name = "database", segs[0]
    elif host == "management.azure.com":
        _azure(f, segs)


def _kubernetes(f: _Facts, rest: str) -> None:
    f.tags.add("kubernetes-api")
    segs = [s for s in rest.split("/") if s]
    if segs[:1] == ["namespaces"] and len(segs) >= 2:
        f.scope["namespace"] = segs[1]
        f.kind, f.name = "namespace", segs[1]
        segs = segs[2:]
    if segs:
        f.kind = _singular(segs[0])
        f.name = segs[1] if len(segs) > 1 else ""
        if len(segs) == 1:
            f.tags.add("all")
    elif f.kind != "namespace":
        f.kind, f.name = "api", rest
    if f.effect is Effect.DESTROY and f.kind == "namespace":
        f.action = "delete-namespace"


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _elasticsearch(f: _Facts, segs: list[str], query: str) -> None:
    f.tags.add("elasticsearch")
    first = segs[0] if segs else ""
    if "_delete_by_query" in segs:
        f.effect, f.action = Effect.DESTROY, "delete-by-query"
    if f.effect is Effect.DESTROY and (first in ("_all", "*") or "*" in first or "," in first):
        f.tags.add("all")
    if first in ("_all", "*") or (first and not first.startswith("_")):
        f.kind, f.name = "index", first
    elif first:
        f.kind, f.name = "endpoint", "/".join(segs[:3])


def _rabbitmq(f: _Facts, segs: list[str]) -> None:
    f.tags.add("rabbitmq")
    if len(segs) >= 2:
        f.kind, f.name = _singular(segs[1]), "/".join(segs[2:])
    if segs[-1:] == ["contents"] and f.effect is Effect.DESTROY:
        f.action = "purge"


def _azure(f: _Facts, segs: list[str]) -> None:
    low = [s.lower() for s in segs]
    if "subscriptions" in low:
        f.scope["subscription"] = segs[low.index("subscriptions") + 1] if len(segs) > 1 else ""
    if "resourcegroups" in low:
        i = low.index("resourcegroups")
        if i + 1 < len(segs):
            f.scope["resource_group"] = segs[i + 1]
            f.kind, f.name = "resource-group", segs[i + 1]
            if len(segs) > i + 2:
                f.kind, f.name = "resource", "/".join(segs[i + 2 :])


def _body_verbs(f: _Facts, path: str, query: str, body: str) -> None:
    """POST `…/delete`, `…:delete`, `?action=delete`, `Action=TerminateInstances`, GraphQL."""
    if f.effect in (Effect.WRITE, Effect.UNKNOWN):
        last = path.rstrip("/").rsplit("/", 1)[-1]
        verb = re.split(r"[:.]", last)[-1] if ":" in last else last
        if "." in last and not _destroys(verb):
            verb = last.rsplit(".", 1)[-1]  # Slack-style `chat.delete`, `files.delete`
        if _destroys(verb):
            f.effect, f.action = Effect.DESTROY, lexicon.verb_of(verb)
        for key, value in parse_qsl(query):
            if key.lower() in ("action", "op", "operation", "method") and _destroys(value):
                f.effect, f.action = Effect.DESTROY, lexicon.verb_of(value)
    m = _AWS_ACTION.search(query) or _AWS_ACTION.search(body)
    if m:
        eff = lexicon.classify(m.group(1))
        f.action = m.group(1).lower()
        if eff is not None:
            f.effect = eff
    m = _GRAPHQL_MUTATION.search(body)
    if m:
        f.tags.add("graphql")
        eff = lexicon.classify(m.group(1))
        f.action = m.group(1).lower()
        f.effect = eff if eff in (Effect.DESTROY, Effect.WRITE) else Effect.WRITE
    elif "query" in body and "{" in body and f.method == "POST" and "graphql" in path:
        f.effect, f.action = Effect.READ, "graphql-query"


def _destroys(word: str) -> bool:
    return lexicon.is_word(word) and lexicon.classify(word) is Effect.DESTROY


def _operation(cmd: Command, f: _Facts, host: str, url: str) -> Operation:
    scope = dict(f.scope)
    loopback = host in LOOPBACK or host.endswith(".localhost")
    if cmd.host:
        scope["host"] = cmd.host  # `ssh db-1 curl localhost:9200`: localhost is db-1
        if not loopback:
            scope["url"] = url
    elif loopback and "kubernetes-api" in f.tags:
        f.tags.add("api-proxy")  # `kubectl proxy` on localhost still reaches a real cluster
    else:
        scope["url"] = url
        scope["host"] = host
    name = f.name if f.kind != "url" else url
    target = Target.make(f.kind, name, **scope)
    what = {
        Effect.READ: "reads",
        Effect.WRITE: "sends a change to",
        Effect.DESTROY: "sends a delete to",
        Effect.UNKNOWN: "sends a request to",
    }[f.effect]
    summary = f"HTTP {f.method} {what} `{url}`"
    return Operation(
        family="http",
        action=f.action,
        effect=f.effect,
        program=cmd.program,
        targets=(target,),
        tags=frozenset(f.tags),
        summary=summary,
        text=cmd.text,
        via=cmd.via,
    )
