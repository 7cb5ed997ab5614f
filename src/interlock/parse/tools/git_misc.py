"""Git subcommands whose class depends on a flag or a sub-verb: `config`, `remote`, `fetch`,
`commit`, `rebase`, `bisect`, `apply`, `archive`, `clone` … and the plain read/write tables.
"""

from __future__ import annotations

from interlock.model import Effect, Operation, Target
from interlock.parse.tools.git_common import Call, parse, words, wordset

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

READ_SUBS = wordset(
    "status log diff show blame annotate shortlog describe grep ls-files ls-tree ls-remote "
    "rev-parse rev-list cat-file show-ref show-branch for-each-ref name-rev merge-base "
    "whatchanged count-objects fsck verify-commit verify-tag verify-pack check-ignore "
    "check-attr check-ref-format check-mailmap var help version range-diff cherry diff-tree "
    "diff-files diff-index get-tar-commit-id request-pull difftool fast-export merge-tree "
    "show-index stripspace patch-id column interpret-trailers fsck-objects"
)
WRITE_SUBS = wordset(
    "add merge cherry-pick revert pull mv init am maintenance repack prune-packed pack-refs "
    "update-index read-tree write-tree commit-tree mktree mktag send-email svn p4 daemon "
    "instaweb gui citool mergetool merge-file fast-import unpack-objects index-pack "
    "pack-objects update-server-info replace flow absorb subtree bugreport diagnose annex crypt "
    "secret sparse-checkout rerere notes bundle symbolic-ref mailinfo mailsplit quiltimport "
    "credential for-each-repo town machete"
)
# Sub-verbs that only read, for subcommands that mix reading and writing.
_READ_VERBS = {
    "notes": frozenset({"list", "show", "get-ref", ""}),
    "bundle": frozenset({"verify", "list-heads"}),
    "sparse-checkout": frozenset({"list", "check-rules"}),
    "rerere": frozenset({"status", "diff", "remaining"}),
    "replace": frozenset({"-l", "--list", ""}),
    "bisect": frozenset({"log", "view", "visualize", "terms", "help"}),
    "credential": frozenset({"fill", "capability"}),
    "symbolic-ref": frozenset({""}),
}  # fmt: skip
CONFIG_TAKES = ("-f", "--file", "--blob", "--type", "--default", "--comment", "--value")
_CONFIG_READ = words(
    "--get --get-all --get-regexp --get-urlmatch -l --list --get-color --get-colorbool "
    "--show-origin --show-scope --name-only"
)
_CONFIG_WRITE = words(
    "--unset --unset-all --add --replace-all --rename-section --remove-section -e --edit"
)


def plain(c: Call, effect: Effect) -> list[Operation]:
    return [c.op(c.sub, effect, [c.local()], (), f"git {c.sub}")]


def by_verb(c: Call) -> list[Operation]:
    """Subcommands such as `notes list` / `notes add`: read for the listed verbs, else write."""
    verb = c.args[0] if c.args else ""
    if c.sub == "symbolic-ref" and len([x for x in c.args if not x.startswith("-")]) <= 1:
        verb = "" if "-d" not in c.args and "--delete" not in c.args else "delete"
    if c.sub == "replace" and not [x for x in c.args if not x.startswith("-")]:
        verb = ""
    if verb in _READ_VERBS.get(c.sub, frozenset()):
        tags = {"credentials"} if c.sub == "credential" else set()
        return [c.op(c.sub, R, [c.local()], tags, f"git {c.sub} {verb}".strip())]
    if c.sub == "bisect" and verb == "run":
        op = c.op("bisect", U, [c.local()], (), "runs a command at each bisect step")
        return [op, *c.ctx.shell(" ".join(c.args[1:]), c.cmd)]
    return [c.op(c.sub, W, [c.local()], (), f"git {c.sub} {verb}".strip())]


def config(c: Call) -> list[Operation]:
    a = parse(c.args, CONFIG_TAKES, bundle=False)
    scope = next((s for s in ("--system", "--global", "--worktree") if a.has(s)), "--local")
    target = [c.local("config", (a.pos or ["(config)"])[0])]
    tags = {scope[2:] + "-config"}
    verb = a.pos[0] if a.pos else ""
    if verb in ("get", "list") or (a.has(*_CONFIG_READ) and not a.has(*_CONFIG_WRITE)):
        return [c.op("config", R, target, tags, "reads git config")]
    if verb in ("set", "unset", "rename-section", "remove-section", "edit") or a.has(
        *_CONFIG_WRITE
    ):
        return [c.op("config", W, target, tags, f"changes {scope[2:]} git config")]
    if len(a.pos) <= 1:
        return [c.op("config", R, target, tags, "reads git config")]
    return [c.op("config", W, target, tags, f"sets `{a.pos[0]}` in {scope[2:]} git config")]


def remote(c: Call) -> list[Operation]:
    a = parse(c.args, ("-t", "-m", "--push"), bundle=False)
    verb = a.pos[0] if a.pos else ""
    name = a.pos[1] if len(a.pos) > 1 else "(remotes)"
    target = [Target.make("remote", name, remote=name if len(a.pos) > 1 else None, host=c.cmd.host)]
    if verb in ("", "show", "get-url", "update", "prune"):
        return [c.op("remote", R, target, (), f"git remote {verb or 'list'}")]
    return [c.op("remote", W, [c.local("remote", name)], (), f"git remote {verb} `{name}`")]


_FETCH_TAKES = words(
    "--depth --deepen --shallow-since --shallow-exclude -j --jobs -o --server-option "
    "--negotiation-tip --refmap --upload-pack"
)
_COMMIT_TAKES = words(
    "-m --message -F --file -C -c --reuse-message --reedit-message --fixup --squash --author "
    "--date -t --template --cleanup --trailer --pathspec-from-file"
)
_CLONE_TAKES = words(
    "-o --origin -b --branch -u --upload-pack --reference --depth -c --config "
    "--separate-git-dir -j --jobs --template --filter --shallow-since --shallow-exclude"
)


def fetch(c: Call) -> list[Operation]:
    a = parse(c.args, _FETCH_TAKES)
    dsts = [s.split(":", 1)[1] for s in a.pos[1:] if ":" in s]
    local = [d for d in dsts if d and not d.startswith("refs/remotes/")]
    if local:
        return [c.op("fetch", W, [c.local("branch", local[0])], (), "fetches into a local branch")]
    return [c.op("fetch", R, [c.local()], (), "fetches from a remote (local refs untouched)")]


def commit(c: Call) -> list[Operation]:
    a = parse(c.args, _COMMIT_TAKES)
    tags = set()
    if a.has("--amend"):
        tags.add("amend")
    if a.has("-n", "--no-verify"):
        tags.add("no-verify")
    if a.has("--dry-run"):
        return [c.op("commit", R, [c.local()], tags | {"dry-run"}, "dry-runs a commit")]
    what = "amends the last commit" if "amend" in tags else "records a commit"
    return [c.op("commit", W, [c.local()], tags, what)]


def rebase(c: Call) -> list[Operation]:
    a = parse(c.args, ("-x", "--exec", "--onto", "-s", "--strategy", "-X", "--strategy-option"))
    ops = [c.op("rebase", W, [c.local()], {"history-rewrite-local"}, "rebases the current branch")]
    for script in a.values("-x", "--exec"):
        ops += c.ctx.shell(script, c.cmd)
    return ops


def apply(c: Call) -> list[Operation]:
    a = parse(c.args, ("-p", "-C", "--directory", "--exclude", "--include", "--whitespace"))
    if a.has("--check", "--stat", "--numstat", "--summary") and not a.has("--apply", "--index"):
        return [c.op("apply", R, [c.local()], (), "checks a patch")]
    return [c.op("apply", W, [c.local()], (), "applies a patch")]


def archive(c: Call) -> list[Operation]:
    a = parse(c.args, ("-o", "--output", "--format", "--prefix", "--remote"))
    if a.has("-o", "--output"):
        return [c.op("archive", W, [c.local()], (), "writes an archive file")]
    return [c.op("archive", R, [c.local()], (), "streams an archive to stdout")]


def format_patch(c: Call) -> list[Operation]:
    if "--stdout" in c.args:
        return [c.op("format-patch", R, [c.local()], (), "prints patches")]
    return [c.op("format-patch", W, [c.local()], (), "writes patch files")]


def clone(c: Call) -> list[Operation]:
    a = parse(c.args, _CLONE_TAKES)
    source = a.pos[0].rstrip("/").rsplit("/", 1)[-1] if a.pos else ""
    dest = a.pos[1] if len(a.pos) > 1 else source
    dest = dest.removesuffix(".git") or "(clone)"
    tags = {"remote-code"} if a.has("-u", "--upload-pack") else set()
    return [c.op("clone", W, [c.local("worktree", dest)], tags, f"clones into `{dest}`")]
