"""`git push`: which remote refs a push updates, forces or deletes.

Each refspec becomes one operation on a `branch` (or `tag`) target whose scope carries
`remote` and `branch`, so the resolver can rank `main` as prod and rules can tell a force-push
to a feature branch from one to `main`. Forcing comes from `--force`/`-f`, a `+refspec`, or
`--force-with-lease` (softer: tagged `force-with-lease`, effect write); deletion from
`--delete`/`-d` or a `:branch` refspec.
"""

from __future__ import annotations

from dataclasses import dataclass

from interlock.model import Effect, Operation, Target
from interlock.parse.tools.git_common import Call, is_protected, parse, words

_TAKES = ("--repo", "--receive-pack", "--exec", "-o", "--push-option")
_KNOWN = words(
    "--all --branches --mirror --tags --follow-tags --delete --prune --dry-run --porcelain "
    "--force --force-with-lease --no-force-with-lease --force-if-includes "
    "--no-force-if-includes --repo --set-upstream --atomic --no-verify --verify --thin "
    "--no-thin --quiet --verbose --progress --recurse-submodules --signed --push-option "
    "--receive-pack --exec --ipv4 --ipv6 --no-signed --no-atomic"
)
_CURRENT = ("HEAD", "@", "")
_QUIET_REMOTES = frozenset({"origin", "upstream"})


@dataclass(frozen=True, slots=True)
class Ref:
    """The destination of one refspec."""

    name: str  # short name; "" when it is the current branch
    kind: str  # branch | tag
    plus: bool = False
    delete: bool = False
    wildcard: bool = False
    dynamic: bool = False


def analyze_push(call: Call) -> list[Operation]:
    a = parse(call.args, _TAKES, _KNOWN)
    pos = a.pos + a.after_dashdash
    remote = pos[0] if pos else a.value("--repo")
    flags = _flags(a.opts)
    specs = _join_tag_words(pos[1:])
    refs = [_ref(s, "delete" in flags, call.dynamic_arg(s)) for s in specs]
    scope = _scope(call, remote)
    if not refs:
        return [_bulk(call, flags, scope, remote)]
    return [_one(call, flags, scope, remote, r) for r in refs]


def _flags(opts: dict[str, list[str]]) -> set[str]:
    flags: set[str] = set()
    table = {
        "-f": "force",
        "--force": "force",
        "--force-with-lease": "force-with-lease",
        "-d": "delete",
        "--delete": "delete",
        "--mirror": "mirror",
        "--prune": "prune",
        "--all": "all-branches",
        "--branches": "all-branches",
        "--tags": "tags",
        "-n": "dry-run",
        "--dry-run": "dry-run",
    }
    for opt, flag in table.items():
        if opt in opts:
            flags.add(flag)
    if "--no-force-with-lease" in opts:
        flags.discard("force-with-lease")
    return flags


def _join_tag_words(words: list[str]) -> list[str]:
    """`tag v1.0` is a refspec for `refs/tags/v1.0`."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if words[i] == "tag" and i + 1 < len(words):
            out.append("refs/tags/" + words[i + 1])
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def _ref(spec: str, delete_flag: bool, dynamic: bool) -> Ref:
    plus = spec.startswith("+")
    body = spec[1:] if plus else spec
    delete = delete_flag
    if not delete_flag and ":" in body:
        src, dst = body.split(":", 1)
        delete = src == "" and dst != ""
        dst = dst or src
    else:
        dst = body
    if dst == "":
        return Ref("", "branch", plus, delete, wildcard=True, dynamic=dynamic)
    kind, name = _kind(dst)
    if name in _CURRENT:
        name = ""
    return Ref(name, kind, plus, delete, wildcard="*" in name, dynamic=dynamic)


def _kind(dst: str) -> tuple[str, str]:
    if dst.startswith("refs/tags/"):
        return "tag", dst[len("refs/tags/") :]
    if dst.startswith("refs/heads/"):
        return "branch", dst[len("refs/heads/") :]
    if len(dst) > 1 and dst[0] in "vV" and dst[1].isdigit() and "." in dst:
        return "tag", dst
    return "branch", dst


def _scope(call: Call, remote: str | None) -> dict[str, str | None]:
    scope: dict[str, str | None] = {"host": call.cmd.host}
    if not remote:
        return scope
    if "://" in remote or (":" in remote and "@" in remote) or remote.startswith(("/", ".")):
        scope["url"] = remote
        return scope
    scope["remote"] = remote
    if remote not in _QUIET_REMOTES and not call.dynamic_arg(remote):
        scope["env"] = remote  # a remote named `production` or `staging` deploys there
    return scope


def _effect(tags: set[str]) -> Effect:
    if "dry-run" in tags:
        return Effect.READ
    if tags & {"force", "delete", "mirror", "prune"}:
        return Effect.DESTROY
    return Effect.WRITE


def _one(
    call: Call, flags: set[str], scope: dict[str, str | None], remote: str | None, r: Ref
) -> Operation:
    tags = set(flags) - {"all-branches", "mirror"}
    if r.plus:
        tags.add("force")
    if "force" in tags:
        tags.discard("force-with-lease")
    if r.delete:
        tags.add("delete")
    if r.wildcard:
        tags |= {"all", "all-branches"}
    if r.dynamic:
        tags.add("dynamic-target")
    if r.kind == "branch" and r.name and is_protected(r.name):
        tags.add("protected-branch")
    if r.name:
        branch = r.name if r.kind == "branch" and not r.wildcard else None
        target = Target.make(r.kind, r.name, branch=branch, **scope)
    else:
        target = Target.make("branch", "(current branch)", **scope)
    effect = _effect(tags)
    return call.op("push", effect, [target], tags, _summary(tags, r.kind, r.name, remote))


def _bulk(
    call: Call, flags: set[str], scope: dict[str, str | None], remote: str | None
) -> Operation:
    tags = set(flags)
    if "force" in tags:
        tags.discard("force-with-lease")
    if "mirror" in tags:
        tags.add("all")
        target = Target.make("remote", remote or "(default remote)", **scope)
        name = "every ref"
    elif "all-branches" in tags:
        tags.add("all")
        target = Target.make("branch", "(all branches)", **scope)
        name = "every branch"
    elif "tags" in tags:
        target = Target.make("tag", "(all tags)", **scope)
        name = "every tag"
    else:
        target = Target.make("branch", "(current branch)", **scope)
        name = ""
    kind = "tag" if "tags" in tags and "all-branches" not in tags else "branch"
    return call.op("push", _effect(tags), [target], tags, _summary(tags, kind, name, remote))


def _summary(tags: set[str], kind: str, name: str, remote: str | None) -> str:
    where = f" on `{remote}`" if remote else ""
    what = f"`{name}`" if name and not name.startswith("every") else (name or "the current branch")
    if "dry-run" in tags:
        return f"dry-runs a push of {what}{where}"
    if "mirror" in tags:
        return f"mirrors every local ref{where}, overwriting and deleting remote refs"
    if "delete" in tags:
        return f"deletes remote {kind} {what}{where}"
    if "force" in tags:
        return f"force-pushes {what}{where}"
    if "force-with-lease" in tags:
        return f"force-pushes {what}{where} (with lease)"
    if "prune" in tags:
        return f"pushes {what}{where} and deletes remote branches missing locally"
    return f"pushes {what}{where}"
