"""Git subcommands that can throw away uncommitted work in the working tree: `reset`, `clean`,
`checkout`, `switch`, `restore`, `stash`, `rm`, `checkout-index`.

Discarding changes across the whole tree is tagged `all`; rules ask for those even though the
target is local, because uncommitted work has no other copy.
"""

from __future__ import annotations

from interlock.model import Effect, Operation
from interlock.parse.tools.git_common import WHOLE_TREE, Call, dyn_tags, parse, whole_tree, words

R, W, D = Effect.READ, Effect.WRITE, Effect.DESTROY

_RESET_KNOWN = words(
    "--hard --soft --mixed --merge --keep --quiet --patch --recurse-submodules "
    "--no-recurse-submodules --pathspec-from-file --intent-to-add"
)
_CLEAN_KNOWN = ("--dry-run", "--force", "--interactive", "--quiet", "--exclude")
_CO_TAKES = ("-b", "-B", "--orphan", "--conflict", "--pathspec-from-file")
_CO_KNOWN = words(
    "--force --ours --theirs --merge --patch --detach --orphan --track --no-track --quiet "
    "--progress --no-progress --overwrite-ignore --recurse-submodules --pathspec-from-file "
    "--conflict --guess --no-guess --ignore-other-worktrees --overlay --no-overlay "
    "--ignore-skip-worktree-bits"
)
_SWITCH_TAKES = ("-c", "-C", "--create", "--force-create", "--orphan", "--conflict")
_SWITCH_KNOWN = words(
    "--create --force-create --force --discard-changes --detach --orphan --merge --conflict "
    "--guess --no-guess --track --no-track --quiet --progress --recurse-submodules "
    "--ignore-other-worktrees"
)
_RESTORE_TAKES = ("-s", "--source", "--pathspec-from-file", "--conflict")
_RESTORE_KNOWN = words(
    "--source --staged --worktree --patch --ours --theirs --merge --conflict --overlay "
    "--no-overlay --quiet --progress --recurse-submodules --pathspec-from-file "
    "--ignore-unmerged --ignore-skip-worktree-bits"
)
_RM_KNOWN = ("--force", "--cached", "--dry-run", "--quiet", "--ignore-unmatch", "--sparse")


def reset(c: Call) -> list[Operation]:
    a = parse(c.args, ("--pathspec-from-file",), _RESET_KNOWN)
    to = a.pos[0] if a.pos else "HEAD"
    if a.has("--hard"):
        summary = f"discards every uncommitted change in `{c.workdir}` (reset --hard to `{to}`)"
        return [c.op("reset", D, [c.local()], {"all"} | dyn_tags(c, a.pos), summary)]
    mode = next((m for m in ("--soft", "--merge", "--keep") if a.has(m)), "--mixed")
    return [c.op("reset", W, [c.local()], (), f"moves HEAD to `{to}` ({mode[2:]}), keeping files")]


def clean(c: Call) -> list[Operation]:
    a = parse(c.args, ("-e", "--exclude"), _CLEAN_KNOWN)
    paths = a.pos + a.after_dashdash
    targets = c.paths(paths)
    if a.has("-n", "--dry-run"):
        return [c.op("clean", R, targets, {"dry-run"}, "lists untracked files clean would delete")]
    tags = {"force"} if a.has("-f", "--force") else set()
    if a.has("-d"):
        tags.add("recursive")
    if a.has("-x", "-X"):
        tags.add("ignored-files")
    if not paths or whole_tree(paths):
        tags.add("all")
    what = "untracked files" + (" and directories" if "recursive" in tags else "")
    extra = " including ignored ones (.env, build output)" if a.has("-x") else ""
    where = ", ".join(f"`{p}`" for p in paths) or f"`{c.workdir}`"
    return [
        c.op("clean", D, targets, tags | dyn_tags(c, paths), f"deletes {what}{extra} in {where}")
    ]


def _looks_path(word: str) -> bool:
    return (
        word in WHOLE_TREE
        or word.startswith(("./", "../", "/", ":/", ":("))
        or any(ch in word for ch in "*?[")
    )


def checkout(c: Call) -> list[Operation]:
    a = parse(c.args, _CO_TAKES, _CO_KNOWN)
    force = a.has("-f", "--force")
    creating = a.has("-b", "-B", "--orphan")
    paths = list(a.after_dashdash)
    if not paths and not creating and a.pos:
        if _looks_path(a.pos[0]):
            paths = list(a.pos)
        elif len(a.pos) > 1:
            paths = a.pos[1:]
    if a.has("--pathspec-from-file"):
        paths.append(a.value("--pathspec-from-file") or "(pathspec file)")
    if paths:
        return [_discard(c, "checkout", paths, a.has("-p", "--patch"), force)]
    if force:
        tags = {"force", "all"}
        return [
            c.op(
                "checkout",
                D,
                [c.local()],
                tags,
                "switches branch, discarding every uncommitted change",
            )
        ]
    name = next(iter(a.values("-b", "-B", "--orphan")), None) or (a.pos[0] if a.pos else "")
    tags = {"force"} if a.has("-B") else set()
    return [c.op("checkout", W, [c.local("branch", name or "HEAD")], tags, f"switches to `{name}`")]


def _discard(c: Call, action: str, paths: list[str], patch: bool, force: bool) -> Operation:
    tags = {"all"} if whole_tree(paths) else set()
    if force:
        tags.add("force")
    tags |= dyn_tags(c, paths)
    where = ", ".join(f"`{p}`" for p in paths[:3])
    if patch:
        return c.op(
            action, W, c.paths(paths), tags | {"interactive"}, f"interactively reverts {where}"
        )
    return c.op(action, D, c.paths(paths), tags, f"discards uncommitted changes in {where}")


def switch(c: Call) -> list[Operation]:
    a = parse(c.args, _SWITCH_TAKES, _SWITCH_KNOWN)
    name = next(iter(a.values("-c", "-C", "--create", "--force-create", "--orphan")), None)
    name = name or (a.pos[0] if a.pos else "")
    if a.has("-f", "--force", "--discard-changes"):
        summary = f"switches to `{name}`, discarding every uncommitted change"
        return [c.op("switch", D, [c.local()], {"force", "all"}, summary)]
    tags = {"force"} if a.has("-C", "--force-create") else set()
    return [c.op("switch", W, [c.local("branch", name or "HEAD")], tags, f"switches to `{name}`")]


def restore(c: Call) -> list[Operation]:
    a = parse(c.args, _RESTORE_TAKES, _RESTORE_KNOWN)
    paths = a.pos + a.after_dashdash
    if a.has("--pathspec-from-file"):
        paths.append(a.value("--pathspec-from-file") or "(pathspec file)")
    staged, worktree = a.has("-S", "--staged"), a.has("-W", "--worktree")
    if staged and not worktree:
        return [c.op("restore", W, c.paths(paths), (), "unstages changes, keeping the files")]
    return [_discard(c, "restore", paths or ["."], a.has("-p", "--patch"), False)]


def stash(c: Call) -> list[Operation]:
    args = list(c.args)
    sub = args.pop(0) if args and not args[0].startswith("-") else "push"
    a = parse(args, ("-m", "--message", "--pathspec-from-file"))
    ref = a.pos[0] if a.pos else "stash@{0}"
    target = [c.local("stash", ref)]
    if sub in ("list", "show"):
        return [c.op("stash", R, target, (), f"shows stash `{ref}`")]
    if sub == "drop":
        return [c.op("stash-drop", D, target, dyn_tags(c, a.pos), f"drops stash `{ref}`")]
    if sub == "clear":
        return [
            c.op(
                "stash-clear", D, [c.local("stash", "(all stashes)")], {"all"}, "drops every stash"
            )
        ]
    return [c.op("stash", W, target, (), f"stash {sub}")]


def rm(c: Call) -> list[Operation]:
    a = parse(c.args, ("--pathspec-from-file",), _RM_KNOWN)
    paths = a.pos + a.after_dashdash
    targets = c.paths(paths)
    if a.has("-n", "--dry-run"):
        return [c.op("rm", R, targets, {"dry-run"}, "lists files git rm would remove")]
    tags = {"recursive"} if a.has("-r") else set()
    if whole_tree(paths):
        tags.add("all")
    tags |= dyn_tags(c, paths)
    if a.has("--cached"):
        return [c.op("rm", W, targets, tags, "stops tracking files, keeping them on disk")]
    if a.has("-f", "--force"):
        summary = "removes tracked files, discarding their uncommitted changes"
        return [c.op("rm", D, targets, tags | {"force"}, summary)]
    return [c.op("rm", W, targets, tags, "removes tracked files (recoverable from HEAD)")]


def checkout_index(c: Call) -> list[Operation]:
    a = parse(c.args, ("--prefix", "--stage"), ("--force", "--all", "--index", "--quiet"))
    paths = a.pos + a.after_dashdash
    everything = a.has("-a", "--all")
    if not a.has("-f", "--force"):
        return [c.op("checkout-index", W, c.paths(paths), (), "writes files from the index")]
    tags = {"force", "all"} if everything else {"force"}
    return [
        c.op(
            "checkout-index",
            D,
            c.paths(paths),
            tags,
            "overwrites working-tree files from the index",
        )
    ]
