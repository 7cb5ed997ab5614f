"""Code-hosting CLIs: `gh` (GitHub), `glab` (GitLab) and `hub` (legacy GitHub, a git wrapper).

Commands are `<group> <verb> [name] [flags]`: the verb sets the class (`list`/`view` read,
`delete` destroy, the rest write), the group the target kind. `api` calls are classed by
HTTP method and endpoint (`-X DELETE repos/o/r` deletes a repository). A few verbs need a
closer look: `repo archive` (GitHub: freezes the repository; GitLab: downloads it),
`repo edit --visibility public`, `pr merge --admin`, `workflow run -f env=production`.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.git_common import make_op, wordset
from interlock.parse.tools.git_hosting_api import analyze_api

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN
GitAnalyzer = Callable[[Command, Context], list[Operation]]

_TAKES = wordset(
    "-R --repo -X --method -f -F --field --raw-field -H --header -q --jq -t --template --title "
    "-b --body --body-file -B --base --head -l --label -a --assignee -m --milestone -p "
    "--project -L --limit -s --state -A --author -e --env -o --org --hostname --input --preview "
    "-r --ref --json --visibility -n --name -c --codespace --description --homepage --target "
    "--notes --notes-file --tag -g --group --branch -u --user --message --subject "
    "--commit-title --commit-body --match-head-commit --author-email --pattern --dir "
    "--source-branch --target-branch --key --value --scope --environment-scope --variables "
    "--reviewer --workflow"
)
_READ_VERBS = frozenset({
    "list", "ls", "view", "status", "diff", "checks", "search", "browse", "get", "download",
    "watch", "logs", "ports", "verify", "check", "contributors", "lint", "trace", "show",
    "export", "field-list", "item-list", "verify-asset", "compare", "ci-status", "issues",
    "help", "", "artifact", "generate", "ask", "explain", "suggest", "trusted-root", "info",
})  # fmt: skip
_DESTROY_VERBS = wordset("delete remove rm del delete-asset item-delete field-delete purge revoke")
_READ_GROUPS = wordset(
    "search status browse completion help version attestation copilot check-update changelog "
    "ci-status compare duo org user"
)
_KINDS = {
    "repo": "repository", "pr": "pull-request", "mr": "pull-request", "issue": "issue",
    "release": "release", "secret": "secret", "variable": "variable", "var": "variable",
    "workflow": "workflow", "run": "workflow-run", "ci": "workflow-run",
    "pipeline": "workflow-run", "job": "workflow-run", "schedule": "workflow",
    "gist": "gist", "snippet": "gist", "label": "label", "cache": "cache",
    "codespace": "codespace", "ssh-key": "key", "gpg-key": "key", "deploy-key": "key",
    "project": "project", "ruleset": "ruleset", "auth": "credentials", "token": "credentials",
    "autolink": "autolink", "gitignore": "template", "license": "template",
}  # fmt: skip
_NESTED = frozenset({("repo", "deploy-key"), ("repo", "autolink"), ("repo", "gitignore"),
                     ("repo", "license")})  # fmt: skip
_LOCAL_GROUPS = frozenset({"alias", "config", "extension", "ext", "cs", "environment", "env"})
_HUB_OWN = wordset(
    "api delete browse compare ci-status pr issue release create fork pull-request sync gist"
)
_ENV_KEYS = ("env", "stage", "target", "deploy", "workspace", "tier")


def analyze_hosting(cmd: Command, ctx: Context, git: GitAnalyzer) -> list[Operation]:
    a = parse_args(cmd.argv[1:], takes_value=_TAKES)
    if cmd.program == "hub" and (not a.pos or a.pos[0] not in _HUB_OWN):
        return git(cmd, ctx)
    if not a.pos or a.has("--help", "-h", "--version") or a.pos[0] in _READ_GROUPS:
        return [make_op(cmd, "help", R, (), (), f"{cmd.program} {' '.join(a.pos[:2])}".strip())]
    group = a.pos[0]
    if group == "api":
        return analyze_api(cmd, a)
    if cmd.program == "hub":
        return _hub(cmd, a)
    pos = a.pos
    if cmd.program == "glab" and group in ("project", "proj"):
        group = "repo"  # glab's alias for `repo`
    elif len(pos) > 1 and (group, pos[1]) in _NESTED:
        group, pos = pos[1], pos[1:]  # `gh repo deploy-key delete 7`
    return [_verb(cmd, a, group, pos[1] if len(pos) > 1 else "", pos[2:])]


def _target(cmd: Command, a: Args, group: str, rest: list[str]) -> Target:
    repo = a.value("-R", "--repo")
    kind = _KINDS.get(group, group)
    if kind == "repository":
        name = rest[0] if rest else (repo or "(current repository)")
        project = name if "/" in name else repo
        return Target.make(kind, name, project=project, url=a.value("--hostname"), host=cmd.host)
    name = rest[0] if rest else "-"
    return Target.make(
        kind, name, project=repo, env=_env(a, group), url=a.value("--hostname"), host=cmd.host
    )


def _env(a: Args, group: str) -> str | None:
    """`--env production`, or a workflow input such as `-f environment=production`."""
    found = a.value("-e", "--env")
    if group in ("variable", "var"):
        found = a.value("-s", "--scope", "--environment-scope") or found  # glab's environment
    for field in a.values("-f", "-F", "--field", "--raw-field"):
        key, eq, value = field.partition("=")
        if eq and any(k in key.lower() for k in _ENV_KEYS):
            found = value
    return found


def _verb(cmd: Command, a: Args, group: str, verb: str, rest: list[str]) -> Operation:
    t = _target(cmd, a, group, rest)
    label = f"`{t.name}`" if t.name != "-" else ""
    special = _special(cmd, a, group, verb, t)
    if special is not None:
        return special
    if group not in _KINDS and group not in _LOCAL_GROUPS:
        return make_op(cmd, group, U, [t], (), f"runs `{cmd.program} {group}`, an extension")
    if verb in _READ_VERBS:
        return make_op(cmd, verb or "view", R, [t], (), f"{cmd.program} {group} {verb}")
    if verb in _DESTROY_VERBS:
        return make_op(cmd, "delete", D, [t], {"delete"}, f"deletes {t.kind} {label}".strip())
    return make_op(cmd, verb, W, [t], (), f"{cmd.program} {group} {verb} {label}".strip())


def _special(cmd: Command, a: Args, group: str, verb: str, t: Target) -> Operation | None:
    key = (group, verb)
    if key == ("auth", "token"):
        return make_op(cmd, "token", R, [t], {"credentials"}, "prints the CLI's access token")
    if key == ("repo", "archive"):
        if cmd.program == "glab":
            return make_op(cmd, "download", R, [t], (), "downloads a repository archive")
        return make_op(cmd, "archive", W, [t], (), f"archives repository `{t.name}` (read-only)")
    if group == "repo" and verb in ("edit", "update") and _goes_public(a):
        return make_op(cmd, "edit", W, [t], {"visibility-public"}, f"makes `{t.name}` public")
    if group == "repo" and verb == "sync" and a.has("--force"):
        return make_op(cmd, "sync", D, [t], {"force"}, "hard-resets a branch to its upstream")
    if group in ("pr", "mr") and verb == "merge":
        tags = {"admin-override"} if a.has("--admin") else set()
        if a.has("-d", "--delete-branch", "--remove-source-branch"):
            tags.add("delete-branch")
        return make_op(cmd, "merge", W, [t], tags, f"merges {t.kind} `{t.name}`")
    if key in (
        ("workflow", "run"),
        ("ci", "run"),
        ("pipeline", "run"),
        ("schedule", "run"),
        ("ci", "trigger"),
    ):
        return make_op(cmd, "run-workflow", W, [t], (), f"starts workflow `{t.name}`")
    if key in (("extension", "install"), ("extension", "upgrade")):
        return make_op(cmd, "install", W, [t], {"remote-code"}, "installs a CLI extension")
    if key in (("extension", "exec"), ("codespace", "ssh"), ("cs", "ssh")):
        return make_op(cmd, verb, U, [t], (), f"runs `{cmd.program} {group} {verb}`")
    return None


def _goes_public(a: Args) -> bool:
    vis = (a.value("--visibility") or "").lower()
    return vis == "public" or a.has("--public")


def _hub(cmd: Command, a: Args) -> list[Operation]:
    group, rest = a.pos[0], a.pos[1:]
    if group == "delete":
        t = Target.make(
            "repository", rest[0] if rest else "(repository)", project=rest[0] if rest else None
        )
        return [make_op(cmd, "delete", D, [t], {"delete"}, f"deletes repository `{t.name}`")]
    if group in ("browse", "compare", "ci-status"):
        return [make_op(cmd, group, R, (), (), f"hub {group}")]
    if group in ("pr", "issue", "release", "gist"):
        verb = rest[0] if rest else "list"
        return [_verb(cmd, a, group, "view" if verb == "show" else verb, rest[1:])]
    return [
        make_op(
            cmd, group, W, [Target.make("repository", "(current repository)")], (), f"hub {group}"
        )
    ]
