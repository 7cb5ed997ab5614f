"""Git subcommands that delete refs or rewrite and expire history: `branch`, `tag`,
`update-ref`, `reflog`, `gc`, `prune`, `worktree`, `submodule`, `filter-branch`,
`filter-repo`, `lfs`.

Local refs and history get tier local; rules ask where the loss has no other copy
(`branch -D`, `reflog expire --expire=now`, `filter-branch`).
"""

from __future__ import annotations

from interlock.model import Effect, Operation
from interlock.parse.tools.git_common import Call, dyn_tags, is_protected, parse, words, wordset

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

_BRANCH_TAKES = words(
    "-u --set-upstream-to --contains --no-contains --merged --no-merged --points-at --format --sort"
)
_BRANCH_KNOWN = words(
    "--delete --force --move --copy --list --all --remotes --verbose --show-current "
    "--set-upstream-to --unset-upstream --edit-description --track --no-track --merged "
    "--no-merged --contains --no-contains --points-at --format --sort --color --no-color "
    "--column --no-column --quiet --create-reflog --recurse-submodules --ignore-case "
    "--omit-empty --abbrev"
)
_BRANCH_LIST = words(
    "-l --list -a --all -r --remotes -v --verbose --show-current --merged --no-merged "
    "--contains --no-contains --points-at --format"
)
_TAG_TAKES = words(
    "-m --message -F --file -u --local-user --contains --no-contains --merged --no-merged "
    "--points-at --sort --format --cleanup --trailer"
)
_TAG_KNOWN = ("--delete", "--force", "--list", "--verify", "--annotate", "--sign", "--message")
# Expiry values that remove everything at once instead of only old entries.
_NOW = ("now", "all", "0", "sec", "min", "hour")


def _refs_tags(c: Call, names: list[str]) -> set[str]:
    tags = dyn_tags(c, names)
    if any(is_protected(n) for n in names):
        tags.add("protected-branch")
    return tags


def branch(c: Call) -> list[Operation]:
    a = parse(c.args, _BRANCH_TAKES, _BRANCH_KNOWN)
    names = a.pos + a.after_dashdash
    force = a.has("-D", "-f", "--force", "-M", "-C")
    if a.has("-d", "-D", "--delete"):
        return [_delete_branches(c, names, force, a.has("-r", "--remotes"))]
    tags = {"force"} if force else set()
    targets = [c.local("branch", n) for n in names] or [c.local("branch", "HEAD")]
    if a.has("-m", "-M", "--move", "-c", "-C", "--copy"):
        return [c.op("branch", W, targets, tags, "renames or copies a branch")]
    if a.has("-u", "--set-upstream-to", "--unset-upstream", "--edit-description"):
        return [c.op("branch", W, targets, (), "changes branch settings")]
    if not names or a.has(*_BRANCH_LIST):
        return [c.op("branch", R, [c.local()], (), "lists branches")]
    what = "moves" if force else "creates"
    return [c.op("branch", W, targets[:1], tags, f"{what} branch `{names[0]}`")]


def _delete_branches(c: Call, names: list[str], force: bool, remote: bool) -> Operation:
    targets = [c.local("branch", n) for n in names] or [c.local("branch", "(none)")]
    tags = _refs_tags(c, names)
    listed = ", ".join(f"`{n}`" for n in names[:4])
    if remote:
        return c.op("delete-branch", W, targets, tags, f"forgets remote-tracking refs {listed}")
    if force:
        summary = f"force-deletes local branch {listed}, even if unmerged"
        return c.op("delete-branch", D, targets, tags | {"force"}, summary)
    return c.op("delete-branch", W, targets, tags, f"deletes merged local branch {listed}")


def tag(c: Call) -> list[Operation]:
    a = parse(c.args, _TAG_TAKES, _TAG_KNOWN)
    names = a.pos
    targets = [c.local("tag", n) for n in names[:1]] or [c.local("tag", "(tags)")]
    if a.has("-d", "--delete"):
        targets = [c.local("tag", n) for n in names] or targets
        listed = ", ".join(f"`{n}`" for n in names[:4])
        return [c.op("delete-tag", D, targets, dyn_tags(c, names), f"deletes local tag {listed}")]
    if a.has("-v", "--verify"):
        return [c.op("tag", R, targets, (), "verifies a tag signature")]
    if not names or a.has("-l", "--list", "--contains", "--points-at", "--merged", "--no-merged"):
        return [c.op("tag", R, targets, (), "lists tags")]
    tags = {"force"} if a.has("-f", "--force") else set()
    return [c.op("tag", W, targets, tags, f"creates tag `{names[0]}`")]


def update_ref(c: Call) -> list[Operation]:
    a = parse(c.args, ("-m",), ("--stdin", "--no-deref", "--create-reflog"))
    refs = a.pos[:1]
    targets = [c.local("ref", r) for r in refs] or [c.local("ref", "(stdin)")]
    stdin = c.cmd.stdin or ""
    deleting = a.has("-d") or (a.has("--stdin") and "delete " in stdin)
    if deleting:
        tags = _refs_tags(c, [r.removeprefix("refs/heads/") for r in refs])
        return [
            c.op("update-ref", D, targets, tags, f"deletes ref {', '.join(refs) or 'from stdin'}")
        ]
    if a.has("--stdin") and c.cmd.stdin is None:
        return [c.op("update-ref", D, targets, {"dynamic-target"}, "updates refs read from stdin")]
    return [c.op("update-ref", W, targets, {"force"}, f"points ref {', '.join(refs)} elsewhere")]


def _expires_now(values: list[str]) -> bool:
    return any(v.lower().startswith(_NOW) or any(w in v.lower() for w in _NOW[3:]) for v in values)


def reflog(c: Call) -> list[Operation]:
    sub = c.args[0] if c.args and not c.args[0].startswith("-") else "show"
    a = parse(c.args[1:], ("--expire", "--expire-unreachable"))
    target = [c.local("reflog", "(reflog)")]
    if sub == "delete":
        return [c.op("reflog-delete", D, target, (), "deletes reflog entries")]
    if sub != "expire":
        return [c.op("reflog", R, target, (), "shows the reflog")]
    if a.has("-n", "--dry-run"):
        return [c.op("reflog-expire", R, target, {"dry-run"}, "dry-runs reflog expiry")]
    tags = {"all"} if a.has("--all") else set()
    if _expires_now(a.values("--expire", "--expire-unreachable")):
        summary = "expires the reflog now, losing the only way back to dropped commits"
        return [c.op("reflog-expire", D, target, tags, summary)]
    return [c.op("reflog-expire", W, target, tags, "expires old reflog entries")]


def gc(c: Call) -> list[Operation]:
    a = parse(c.args, ())
    prune = a.values("--prune") + [v for k, v in c.config if k in _GC_KEYS]
    target = [c.local("objects", "(repository objects)")]
    if not a.has("--no-prune") and _expires_now(prune):
        summary = "deletes every unreachable commit now (gc --prune=now)"
        return [c.op("gc", D, target, {"all"}, summary)]
    return [c.op("gc", W, target, (), "packs objects and prunes old unreachable ones")]


_GC_KEYS = frozenset({"gc.pruneexpire", "gc.reflogexpire", "gc.reflogexpireunreachable"})


def prune(c: Call) -> list[Operation]:
    a = parse(c.args, ("--expire",))
    target = [c.local("objects", "(repository objects)")]
    if a.has("-n", "--dry-run"):
        return [c.op("prune", R, target, {"dry-run"}, "lists unreachable objects")]
    expire = a.values("--expire")
    if expire and not _expires_now(expire):
        return [c.op("prune", W, target, (), "deletes old unreachable objects")]
    return [c.op("prune", D, target, {"all"}, "deletes every unreachable object")]


def worktree(c: Call) -> list[Operation]:
    sub = c.args[0] if c.args else "list"
    a = parse(c.args[1:], ("-b", "-B", "--reason", "--expire"))
    name = a.pos[0] if a.pos else "(worktree)"
    target = [c.local("worktree", name)]
    if sub == "list":
        return [c.op("worktree", R, target, (), "lists worktrees")]
    if sub == "remove" and a.has("-f", "--force"):
        summary = f"removes worktree `{name}` with its uncommitted changes"
        return [c.op("worktree-remove", D, target, {"force"}, summary)]
    if sub == "prune" and a.has("-n", "--dry-run"):
        return [c.op("worktree", R, target, {"dry-run"}, "lists stale worktrees")]
    action = "worktree-remove" if sub == "remove" else "worktree"
    return [c.op(action, W, target, (), f"worktree {sub} `{name}`")]


def submodule(c: Call) -> list[Operation]:
    rest = list(c.args)
    while rest and rest[0].startswith("-"):
        rest.pop(0)
    sub = rest[0] if rest else "status"
    a = parse(rest[1:], ("-b", "--branch", "--name", "--reference", "--depth", "--jobs", "-j"))
    target = [c.local("submodule", (a.pos or ["(all submodules)"])[0])]
    if sub in ("status", "summary"):
        return [c.op("submodule", R, target, (), "shows submodules")]
    if sub == "foreach":
        script = " ".join(w for w in rest[1:] if w != "--recursive")
        # the command itself is analyzed below; the loop only changes directory
        op = c.op("submodule", R, target, (), "runs a command in every submodule")
        return [op, *c.ctx.shell(script, c.cmd)]
    force = a.has("-f", "--force")
    if sub == "deinit" and force:
        tags = {"force", "all"} if a.has("--all") else {"force"}
        return [
            c.op(
                "submodule-deinit",
                D,
                target,
                tags,
                "removes submodule working trees, with local changes",
            )
        ]
    if sub == "update" and force:
        return [
            c.op(
                "submodule", D, target, {"force"}, "checks out submodules, discarding local changes"
            )
        ]
    action = "submodule-deinit" if sub == "deinit" else "submodule"
    return [c.op(action, W, target, (), f"submodule {sub}")]


_FILTERS = words(
    "--tree-filter --index-filter --env-filter --msg-filter --commit-filter --parent-filter "
    "--tag-name-filter --subdirectory-filter -d --original --state-branch --setup"
)


def filter_branch(c: Call) -> list[Operation]:
    a = parse(c.args, _FILTERS, bundle=False)
    tags = {"history-rewrite"}
    if a.has("-f", "--force"):
        tags.add("force")
    if "--all" in a.after_dashdash or "--all" in a.pos or not (a.pos or a.after_dashdash):
        tags.add("all")
    ops = [c.op("filter-branch", D, [c.local("history", "(history)")], tags, "rewrites history")]
    for flag in ("--tree-filter", "--index-filter", "--env-filter"):
        for script in a.values(flag):
            ops += c.ctx.shell(script, c.cmd)
    return ops


def filter_repo(c: Call) -> list[Operation]:
    a = parse(
        c.args, ("--path", "--path-glob", "--path-regex", "--replace-text", "--source", "--target")
    )
    target = [c.local("history", "(history)")]
    if a.has("--analyze", "--dry-run", "--help", "-h", "--version"):
        return [c.op("filter-repo", R, target, {"dry-run"}, "analyzes history")]
    tags = {"history-rewrite", "all"} | ({"force"} if a.has("--force", "-f") else set())
    return [c.op("filter-repo", D, target, tags, "rewrites the whole history")]


_LFS_READ = wordset(
    "ls-files status env version logs locks fsck pointer ext fetch help track uninstall-check"
)


def lfs(c: Call) -> list[Operation]:
    sub = c.args[0] if c.args else "help"
    a = parse(c.args[1:], ("--include", "-I", "--exclude", "-X", "--remote", "-r"))
    target = [c.local("lfs", "(lfs objects)")]
    if sub in _LFS_READ and not (sub == "track" and a.pos):
        return [c.op("lfs", R, target, (), f"git lfs {sub}")]
    if sub == "prune":
        if a.has("-d", "--dry-run"):
            return [c.op("lfs", R, target, {"dry-run"}, "lists LFS objects prune would delete")]
        return [
            c.op("lfs-prune", D, target, (), "deletes old local LFS objects (pushed copies remain)")
        ]
    if sub == "migrate":
        if a.pos[:1] == ["info"] or a.has("--no-rewrite"):
            return [c.op("lfs", R if a.pos[:1] == ["info"] else W, target, (), "git lfs migrate")]
        tags = {"history-rewrite"} | ({"all"} if a.has("--everything") else set())
        return [c.op("lfs-migrate", D, target, tags, "rewrites history to move files into LFS")]
    if sub in (
        "push",
        "pull",
        "checkout",
        "install",
        "update",
        "untrack",
        "track",
        "lock",
        "unlock",
        "dedup",
    ):
        return [c.op("lfs", W, target, (), f"git lfs {sub}")]
    return [c.op("lfs", U, target, (), f"runs `git lfs {sub}`")]
