"""`gh api`, `glab api`, `hub api`: a raw HTTP call, classed by method and endpoint.

GET reads; DELETE destroys; POST/PUT/PATCH write. Without `-X`, a call with `-f/-F` fields
or `--input` is a POST (as the CLIs do). The endpoint names the target: `repos/o/r` is a
repository, `repos/o/r/git/refs/heads/main` a protected branch, `…/branches/x/protection`
a branch protection. GraphQL calls write only when the query is a `mutation`.
"""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args
from interlock.parse.tools.git_common import is_protected, make_op

_FIELDS = ("-f", "-F", "--field", "--raw-field")
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_MUTATION = re.compile(r"\bmutation\b", re.IGNORECASE)
_DESTRUCTIVE_MUTATION = re.compile(
    r"\b(delete|remove|archive|revoke|destroy|purge)\w*\s*\(", re.IGNORECASE
)
_GH_KINDS = {
    "releases": "release", "secrets": "secret", "variables": "variable", "hooks": "webhook",
    "keys": "key", "collaborators": "collaborator", "environments": "environment",
    "actions": "actions", "pulls": "pull-request", "issues": "issue", "rulesets": "ruleset",
    "deployments": "deployment", "tags": "tag", "members": "collaborator",
    "memberships": "collaborator", "invitations": "collaborator",
    "outside_collaborators": "collaborator", "deploy_keys": "key",
}  # fmt: skip


def analyze_api(cmd: Command, a: Args) -> list[Operation]:
    endpoint = a.pos[1] if len(a.pos) > 1 else ""
    fields = a.values(*_FIELDS)
    given = a.value("-X", "--method")
    method = (given or ("POST" if fields or a.has("--input") else "GET")).upper()
    path = endpoint.split("?", 1)[0].strip("/")
    host = a.value("--hostname")
    if path == "graphql":
        return [_graphql(cmd, fields, host)]
    return [_rest(cmd, method, path, fields, host)]


def _graphql(cmd: Command, fields: list[str], host: str | None) -> Operation:
    query = next((f.partition("=")[2] for f in fields if f.startswith("query=")), "")
    target = Target.make("api", "graphql", url=host, host=cmd.host)
    if query.startswith("@"):
        return make_op(
            cmd, "graphql", Effect.UNKNOWN, [target], (), "runs a GraphQL query from a file"
        )
    if not _MUTATION.search(query):
        return make_op(cmd, "graphql", Effect.READ, [target], (), "runs a GraphQL query")
    if _DESTRUCTIVE_MUTATION.search(query):
        return make_op(
            cmd, "delete", Effect.DESTROY, [target], {"delete"}, "runs a deleting GraphQL mutation"
        )
    return make_op(cmd, "graphql", Effect.WRITE, [target], (), "runs a GraphQL mutation")


def _rest(cmd: Command, method: str, path: str, fields: list[str], host: str | None) -> Operation:
    target, tags = _resource(path.split("/"), path, host, cmd.host)
    where = f"{method} {path or '/'}"
    if method in _READ_METHODS:
        return make_op(cmd, "api-get", Effect.READ, [target], tags, f"reads `{where}`")
    if method == "DELETE":
        return make_op(
            cmd, "delete", Effect.DESTROY, [target], tags | {"delete"}, f"deletes via `{where}`"
        )
    values = {f.partition("=")[0].lower(): f.partition("=")[2].lower() for f in fields}
    if path.endswith("/dispatches"):  # `gh workflow run` through the API: the same inputs
        env = next((v for k, v in values.items() if "env" in k or "stage" in k), None)
        target = Target.make(target.kind, target.name, **dict(target.scope), env=env)
        return make_op(cmd, "run-workflow", Effect.WRITE, [target], tags, f"dispatches `{where}`")
    if target.kind == "branch" and values.get("force") == "true":
        summary = f"force-updates branch `{target.name}` via the API"
        return make_op(cmd, "push", Effect.DESTROY, [target], tags | {"force"}, summary)
    if target.kind == "repository" and (
        values.get("visibility") == "public" or values.get("private") == "false"
    ):
        tags = tags | {"visibility-public"}
    return make_op(cmd, "api-" + method.lower(), Effect.WRITE, [target], tags, f"changes `{where}`")


def _resource(
    segs: list[str], path: str, url: str | None, host: str | None
) -> tuple[Target, set[str]]:
    if len(segs) >= 3 and segs[0] == "repos":
        return _github(f"{segs[1]}/{segs[2]}", segs[3:], url, host)
    if len(segs) >= 2 and segs[0] == "projects":
        return _gitlab(segs[1].replace("%2F", "/").replace("%2f", "/"), segs[2:], url, host)
    if len(segs) >= 2 and segs[0] in ("orgs", "groups"):
        kind = "organization" if len(segs) == 2 else _GH_KINDS.get(segs[2], segs[2])
        return Target.make(kind, segs[1], url=url, host=host), set()
    return Target.make("api", path or "/", url=url, host=host), set()


def _github(
    repo: str, tail: list[str], url: str | None, host: str | None
) -> tuple[Target, set[str]]:
    if not tail:
        return Target.make("repository", repo, project=repo, url=url, host=host), set()
    if tail[:3] == ["git", "refs", "heads"] and len(tail) > 3:
        return _branch("/".join(tail[3:]), repo, url, host, set())
    if tail[:3] == ["git", "refs", "tags"] and len(tail) > 3:
        return Target.make("tag", "/".join(tail[3:]), project=repo, url=url, host=host), set()
    if tail[0] == "branches" and len(tail) > 1 and "protection" in tail[2:]:
        return _protection(tail[1], repo, url, host)
    if tail[0] == "branches" and len(tail) > 1:
        return _branch(tail[1], repo, url, host, set())
    kind = next((_GH_KINDS[s] for s in reversed(tail) if s in _GH_KINDS), "api")
    return Target.make(kind, "/".join(tail), project=repo, url=url, host=host), set()


def _gitlab(
    project: str, tail: list[str], url: str | None, host: str | None
) -> tuple[Target, set[str]]:
    if not tail:
        return Target.make("repository", project, project=project, url=url, host=host), set()
    if tail[:2] == ["repository", "branches"] and len(tail) > 2:
        return _branch("/".join(tail[2:]), project, url, host, set())
    if tail[0] == "protected_branches" and len(tail) > 1:
        return _protection(tail[1], project, url, host)
    kind = next((_GH_KINDS[s] for s in reversed(tail) if s in _GH_KINDS), "api")
    return Target.make(kind, "/".join(tail), project=project, url=url, host=host), set()


def _branch(
    name: str, repo: str, url: str | None, host: str | None, tags: set[str]
) -> tuple[Target, set[str]]:
    name = name.replace("%2F", "/").replace("%2f", "/")
    if is_protected(name):
        tags = tags | {"protected-branch"}
    return Target.make("branch", name, project=repo, branch=name, url=url, host=host), tags


def _protection(name: str, repo: str, url: str | None, host: str | None) -> tuple[Target, set[str]]:
    """The protection settings of a branch (not the branch itself)."""
    return Target.make("branch-protection", name, project=repo, url=url, host=host), {
        "branch-protection"
    }
