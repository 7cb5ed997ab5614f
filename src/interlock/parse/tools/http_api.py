"""Well-known HTTP APIs whose paths say more than the method does.

Git hosts (`DELETE /api/v4/projects/1` deletes a GitLab project), the Docker Engine API over its
socket, PostgREST/Supabase (`DELETE /rest/v1/users` without a filter deletes every row), Firebase
Realtime Database (`DELETE /.json` deletes the whole database), Elasticsearch endpoints that read
through a POST (`_search`, `_count`), and Stripe secret keys that say live or test mode. Each
function refines the facts `http_url.request_op` gathered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interlock.model import Effect
from interlock.parse.lexicon import words

if TYPE_CHECKING:
    from interlock.parse.tools.http_url import _Facts

ES_READS = words(
    "_search _msearch _count _mget _validate _explain _field_caps _analyze _termvectors "
    "_mtermvectors _sql _eql _async_search _knn_search _rank_eval _render _terms_enum "
    "_search_shards _pit _mvt _query _ppl"
)
DOCKER_PORTS = frozenset({"2375", "2376"})
_DOCKER_KINDS = {"containers": "container", "volumes": "volume", "images": "image"}
_DOCKER_KINDS |= {"networks": "network", "secrets": "secret", "services": "service"}
_DOCKER_KINDS |= {"plugins": "plugin", "configs": "config", "nodes": "node", "build": "cache"}
_POSTGREST_FILTER = (
    "eq.",
    "neq.",
    "gt.",
    "gte.",
    "lt.",
    "lte.",
    "like.",
    "ilike.",
    "in.",
    "is.",
    "cs.",
    "cd.",
    "fts.",
    "not.",
)


# a repository made public, as a JSON body or as httpie items (`private:=false`)
_PUBLIC = ('"private":false', '"visibility":"public"', "private:=false", "visibility=public")
_K8S_CORE = words(
    "namespaces pods services nodes secrets configmaps persistentvolumes persistentvolumeclaims "
    "serviceaccounts endpoints events replicationcontrollers resourcequotas limitranges "
    "componentstatuses bindings podtemplates"
)


def is_k8s(segs: list[str]) -> bool:
    """`/api/v1/namespaces/…` is a Kubernetes API server; `/api/v1/query` (Prometheus) is not."""
    if segs[:1] == ["apis"]:
        return True
    return len(segs) < 3 or segs[2] in _K8S_CORE


def git_host(f: _Facts, host: str, segs: list[str]) -> bool:
    """GitLab `/api/v4/projects/:id`, `/groups/:id`; Bitbucket `/2.0/repositories/:ws/:repo`;
    Gitea/Forgejo `/api/v1/repos/:owner/:repo`. True when the path was one of those."""
    if segs[:3] in (["api", "v4", "projects"], ["api", "v4", "groups"]) and len(segs) >= 4:
        kind = "repository" if segs[2] == "projects" else "group"
        f.kind, f.name = kind, segs[3]
        if len(segs) == 4 and f.effect is Effect.DESTROY:
            f.action = "delete-repo" if kind == "repository" else "delete-group"
        _git_ref(f, segs)
        return True
    repo_path = segs[:2] == ["2.0", "repositories"] or segs[:3] == ["api", "v1", "repos"]
    if repo_path and len(segs) >= 4 and ("bitbucket" in host or segs[0] == "api"):
        base = 2 if segs[0] == "2.0" else 3
        f.kind, f.name = "repository", "/".join(segs[base : base + 2])
        if len(segs) == base + 2 and f.effect is Effect.DESTROY:
            f.action = "delete-repo"
        _git_ref(f, segs)
        return True
    return False


def github(f: _Facts, segs: list[str], body: str) -> None:
    f.kind, f.name = "repository", "/".join(segs[1:3])
    if len(segs) == 3 and f.effect is Effect.DESTROY:
        f.action = "delete-repo"
    _git_ref(f, segs)
    flat = body.replace(" ", "").lower()
    if f.kind == "branch" and f.method == "PATCH" and '"force":true' in flat:
        f.effect, f.action = Effect.DESTROY, "force-update-ref"
    public = any(p in flat for p in _PUBLIC)
    if len(segs) == 3 and f.method == "PATCH" and public:
        f.action = "make-public"  # `gh repo edit --visibility public` spelled as raw HTTP
        f.tags.add("visibility-public")


def _git_ref(f: _Facts, segs: list[str]) -> None:
    """`…/git/refs/heads/main`, `…/repository/branches/main`: the branch is the target."""
    for marker in ("heads", "branches"):
        if marker in segs[3:]:
            i = segs.index(marker, 3)
            branch = "/".join(segs[i + 1 :])
            if branch:
                f.kind, f.name = "branch", branch
                f.scope["branch"] = branch
            return
    if "refs" in segs:
        f.kind, f.name = "ref", "/".join(segs[segs.index("refs") + 1 :])


def docker(f: _Facts, segs: list[str]) -> None:
    """Docker Engine API: `DELETE /containers/web?force=true`, `POST /volumes/prune`."""
    f.tags.add("docker-api")
    if segs and segs[0].startswith("v1."):
        segs = segs[1:]
    kind = _DOCKER_KINDS.get(segs[0] if segs else "")
    if kind is None:
        return
    f.kind, f.name = kind, segs[1] if len(segs) > 1 else ""
    if f.name == "prune" and f.method == "POST":
        f.effect, f.action, f.name = Effect.DESTROY, "prune", ""
        f.tags.add("all")
    elif f.effect is Effect.DESTROY:
        f.action = f"delete-{kind}"


def postgrest(f: _Facts, segs: list[str], query: str) -> None:
    """`DELETE /rest/v1/users` without a column filter deletes every row of the table."""
    f.tags.add("postgrest")
    f.kind, f.name = "table", segs[2] if len(segs) > 2 else ""
    filtered = any(v.startswith(_POSTGREST_FILTER) for v in _query_values(query))
    if not filtered and (f.effect is Effect.DESTROY or f.method == "PATCH"):
        f.tags.add("no-where")


def firebase(f: _Facts, path: str) -> None:
    """Realtime Database: `DELETE /.json` (or `PUT` over it) replaces the whole database."""
    f.tags.add("firebase")
    f.kind, f.name = "path", path
    if path.rstrip("/") in ("/.json", "", "/") and f.effect in (Effect.DESTROY, Effect.WRITE):
        f.tags.add("all")
        if f.method == "PUT":
            f.effect, f.action = Effect.DESTROY, "overwrite"


def es_read(f: _Facts, segs: list[str]) -> None:
    """`POST /idx/_search`, `POST /_count`: a query sent as a body, not a change."""
    if f.method == "POST" and any(s in ES_READS for s in segs):
        f.effect, f.action = Effect.READ, "search"


def secret_key_env(values: list[str]) -> str:
    """`-u sk_live_…:` or `Authorization: Bearer sk_live_…` says live; `sk_test_` test."""
    text = " ".join(values)
    if "sk_live_" in text or "rk_live_" in text:
        return "live"
    if "sk_test_" in text or "rk_test_" in text:
        return "test"
    return ""


def _query_values(query: str) -> list[str]:
    from urllib.parse import parse_qsl

    return [v for _, v in parse_qsl(query, keep_blank_values=True)]
