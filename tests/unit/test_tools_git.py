"""The git family analyzer (git, gh, glab, hub), called directly on `Command` values."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools.git import analyze
from interlock.parse.tools.git_common import expand_long, is_protected, short_ref

CTX = Context(shell=lambda text, c: [])
R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN


def ops_of(text: str, ctx: Context = CTX, **kw: object) -> list[Operation]:
    return analyze(Command(argv=tuple(shlex.split(text)), text=text, **kw), ctx)  # type: ignore[arg-type]


def run(text: str, **kw: object) -> Operation:
    ops = ops_of(text, **kw)
    assert len(ops) == 1, ops
    return ops[0]


# --- helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["main", "master", "trunk", "production", "prod", "develop", "release/2.4", "release-1.0",
     "refs/heads/main", "Main", "releases/v3"],
)  # fmt: skip
def test_protected_branch_names_are_recognised(name):
    assert is_protected(name)


@pytest.mark.parametrize(
    "name", ["feature/main-menu", "mainline-x", "fix-prod-bug", "dev", "gh-pages"]
)
def test_ordinary_branch_names_are_not_protected(name):
    assert not is_protected(name)


def test_short_ref_strips_refs_heads():
    assert short_ref("refs/heads/release/1.2") == "release/1.2"


def test_unambiguous_long_option_abbreviations_expand_like_git_does():
    known = ("--force", "--force-with-lease", "--mirror", "--delete")
    expanded = expand_long({"--mirr": [""], "--del": [""]}, known)
    assert expanded == {"--mirror": [""], "--delete": [""]}
    assert "--forc" in expand_long({"--forc": [""]}, known)  # ambiguous: left alone


# --- reads -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["git status", "git log --oneline -5", "git diff --cached", "git branch -a", "git branch",
     "git remote -v", "git config --get user.name", "git config user.name", "git stash list",
     "git tag -l", "git reflog", "git fetch --prune", "git clean -n", "git --version",
     "git -C /srv/app --no-pager log", "git -c color.ui=never status", "git push --help",
     "git commit -h", "git", "git worktree list", "git submodule", "git lfs ls-files",
     "git notes list", "git bundle verify x.bundle", "git bisect log", "git archive HEAD",
     "git --git-dir=/srv/.git --work-tree /srv status"],
)  # fmt: skip
def test_read_only_commands_are_reads(text):
    assert all(op.effect is R for op in ops_of(text))


@pytest.mark.parametrize(
    "text",
    ["git mergetool --tool-help", "git difftool --tool-help", "git submodule foreach git status",
     "gh repo deploy-key list", "gh repo autolink list", "glab project view grp/app"],
)  # fmt: skip
def test_listing_helpers_and_nested_groups_are_reads(text):
    assert all(op.effect is R for op in ops_of(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [("gh repo deploy-key delete 1 --yes", "key"), ("glab project delete grp/app", "repository")],
)
def test_nested_hosting_deletes_are_destroy_of_the_right_kind(text, kind):
    op = run(text)
    assert op.effect is D and op.targets[0].kind == kind


def test_local_targets_are_tier_local_with_the_working_directory():
    op = run("git -C /srv/app status")
    assert op.targets[0].tier is Tier.LOCAL
    assert op.targets[0].name == "/srv/app"


def test_a_remote_host_goes_into_scope_instead_of_a_local_tier():
    op = run("git reset --hard", host="prod-web-1")
    assert op.targets[0].tier is Tier.UNKNOWN
    assert op.targets[0].get("host") == "prod-web-1"


# --- push ------------------------------------------------------------------------------------


def test_plain_push_writes_the_remote_branch_with_branch_and_remote_scope():
    op = run("git push origin feature/login")
    assert (op.action, op.effect) == ("push", W)
    t = op.targets[0]
    assert (t.kind, t.name, t.get("branch"), t.get("remote")) == (
        "branch", "feature/login", "feature/login", "origin",
    )  # fmt: skip
    assert "protected-branch" not in op.tags


@pytest.mark.parametrize(
    "text",
    ["git push --force origin main", "git push -f origin master", "git push origin +main",
     "git -C repo push -f origin main", "git push origin HEAD:main --force",
     "git push origin +HEAD:refs/heads/production", "git push -uf origin main",
     "git push origin refs/heads/main:refs/heads/main -f", "git push --mirr=x origin main -f"],
)  # fmt: skip
def test_force_pushes_to_protected_branches_are_destroy_with_both_tags(text):
    op = run(text)
    assert op.effect is D
    assert {"force", "protected-branch"} <= op.tags


def test_force_with_lease_is_a_softer_write():
    op = run("git push --force-with-lease origin main")
    assert op.effect is W
    assert "force-with-lease" in op.tags and "force" not in op.tags


def test_force_overrides_lease():
    assert "force" in run("git push --force-with-lease --force origin x").tags


def test_no_force_with_lease_cancels_the_lease():
    assert run("git push --force-with-lease --no-force-with-lease origin x").effect is W


def test_push_without_a_refspec_targets_the_current_branch():
    op = run("git push --force")
    assert op.targets[0].name == "(current branch)"
    assert op.targets[0].get("branch") is None
    assert op.effect is D


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [("git push origin --delete feature/old", "feature/old", "branch"),
     ("git push origin :main", "main", "branch"),
     ("git push -d origin v1.2.0", "v1.2.0", "tag"),
     ("git push origin --delete tag v1.0", "v1.0", "tag"),
     ("git push origin :refs/tags/v2", "v2", "tag")],
)  # fmt: skip
def test_remote_deletes_are_destroy_and_name_the_ref(text, name, kind):
    op = run(text)
    assert op.effect is D and "delete" in op.tags
    assert (op.targets[0].name, op.targets[0].kind) == (name, kind)


def test_each_refspec_is_its_own_operation():
    ops = ops_of("git push origin +feature main")
    assert [("force" in o.tags, "protected-branch" in o.tags) for o in ops] == [
        (True, False),
        (False, True),
    ]


def test_mirror_all_tags_and_prune_are_bulk_pushes():
    assert {"mirror", "all"} <= run("git push --mirror backup").tags
    assert {"all-branches", "force"} <= run("git push --all -f origin").tags
    tags_op = run("git push --tags --force origin")
    assert "tags" in tags_op.tags and "all-branches" not in tags_op.tags
    assert run("git push --prune origin 'refs/heads/*:refs/heads/*'").effect is D


def test_dry_run_push_is_a_read():
    op = run("git push -n --force origin main")
    assert op.effect is R and "dry-run" in op.tags


def test_a_url_remote_goes_into_url_scope_and_a_named_remote_into_env():
    assert run("git push git@github.com:acme/api.git main").targets[0].get("url")
    assert run("git push production main").targets[0].get("env") == "production"
    assert run("git push origin main").targets[0].get("env") is None


def test_a_dynamic_branch_is_tagged():
    cmd = Command(argv=("git", "push", "-f", "origin", "$B"), dynamic=frozenset({4}), text="")
    assert "dynamic-target" in analyze(cmd, CTX)[0].tags


# --- working tree and refs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action", "effect", "all_tree"),
    [("git reset --hard", "reset", D, True),
     ("git reset --har origin/main", "reset", D, True),
     ("git reset --soft HEAD~1", "reset", W, False),
     ("git reset HEAD file", "reset", W, False),
     ("git clean -fdx", "clean", D, True),
     ("git clean -fd build/", "clean", D, False),
     ("git clean -nd", "clean", R, False),
     ("git checkout .", "checkout", D, True),
     ("git checkout -- .", "checkout", D, True),
     ("git checkout HEAD -- src/a.py", "checkout", D, False),
     ("git checkout -f", "checkout", D, True),
     ("git checkout main", "checkout", W, False),
     ("git checkout -b x origin/main", "checkout", W, False),
     ("git switch --discard-changes main", "switch", D, True),
     ("git restore .", "restore", D, True),
     ("git restore -SW .", "restore", D, True),
     ("git restore --staged .", "restore", W, False),
     ("git restore -p src", "restore", W, False),
     ("git rm -rf .", "rm", D, True),
     ("git rm -r --cached build", "rm", W, False),
     ("git checkout-index -a -f", "checkout-index", D, True)],
)  # fmt: skip
def test_working_tree_commands(text, action, effect, all_tree):
    op = run(text)
    assert (op.action, op.effect, "all" in op.tags) == (action, effect, all_tree)


@pytest.mark.parametrize(
    ("text", "action", "effect"),
    [("git stash", "stash", W), ("git stash pop", "stash", W), ("git stash drop", "stash-drop", D),
     ("git stash clear", "stash-clear", D), ("git branch -d x", "delete-branch", W),
     ("git branch -D x", "delete-branch", D), ("git branch --delete --force x", "delete-branch", D),
     ("git branch -dr origin/x", "delete-branch", W), ("git branch new", "branch", W),
     ("git tag -d v1", "delete-tag", D), ("git tag v2", "tag", W),
     ("git update-ref -d refs/heads/x", "update-ref", D),
     ("git reflog expire --expire=now --all", "reflog-expire", D),
     ("git reflog expire --expire=90.days.ago", "reflog-expire", W),
     ("git gc", "gc", W), ("git gc --prune=now", "gc", D),
     ("git -c gc.pruneExpire=now gc", "gc", D),
     ("git prune", "prune", D), ("git prune -n", "prune", R),
     ("git worktree remove --force ../x", "worktree-remove", D),
     ("git worktree remove ../x", "worktree-remove", W),
     ("git submodule deinit -f --all", "submodule-deinit", D),
     ("git submodule deinit lib", "submodule-deinit", W),
     ("git filter-branch --index-filter 'git rm --cached x' -- --all", "filter-branch", D),
     ("git filter-repo --path x --invert-paths", "filter-repo", D),
     ("git filter-repo --analyze", "filter-repo", R),
     ("git lfs prune", "lfs-prune", D), ("git lfs migrate import --everything", "lfs-migrate", D),
     ("git-lfs ls-files", "lfs", R), ("git-filter-repo --force", "filter-repo", D)],
)  # fmt: skip
def test_ref_history_and_stash_commands(text, action, effect):
    op = ops_of(text)[0]
    assert (op.action, op.effect) == (action, effect)


def test_update_ref_stdin_with_a_delete_line_destroys():
    op = run("git update-ref --stdin", stdin="delete refs/heads/main\n")
    assert op.effect is D


def test_branch_delete_of_main_is_tagged_protected():
    assert "protected-branch" in run("git branch -D main").tags


@pytest.mark.parametrize(
    ("text", "effect"),
    [("git commit --amend --no-edit", W), ("git rebase -i HEAD~3", W), ("git pull", W),
     ("git config --global user.email a@b", W), ("git config --unset core.editor", W),
     ("git remote remove upstream", W), ("git remote prune origin", R), ("git clone u", W),
     ("git apply --check p.diff", R), ("git apply p.diff", W), ("git format-patch -1", W),
     ("git archive -o x.zip HEAD", W), ("git fetch origin main:main", W),
     ("git frobnicate", U), ("git co main", W), ("git st", R)],
)  # fmt: skip
def test_other_subcommands(text, effect):
    assert ops_of(text)[0].effect is effect


def test_amend_is_tagged():
    assert "amend" in run("git commit --amend").tags


# --- code git would run ----------------------------------------------------------------------


def recorder() -> tuple[Context, list[str]]:
    seen: list[str] = []

    def shell(text: str, cmd: Command) -> list[Operation]:
        seen.append(text)
        return []

    return Context(shell=shell), seen


@pytest.mark.parametrize(
    ("text", "script"),
    [("git -c core.pager='rm -rf ~' log", "rm -rf ~"),
     ("git -c alias.nuke='!git reset --hard' nuke", "git reset --hard"),
     ("git submodule foreach 'git clean -fdx'", "git clean -fdx"),
     ("git rebase -x 'make test' HEAD~3", "make test"),
     ("git bisect run ./check.sh arg", "./check.sh arg"),
     ("git filter-branch --tree-filter 'rm -f secret' HEAD", "rm -f secret")],
)  # fmt: skip
def test_embedded_shell_commands_are_handed_to_the_walker(text, script):
    ctx, seen = recorder()
    ops_of(text, ctx)
    assert script in seen


def test_benign_pagers_and_ssh_commands_are_not_analyzed():
    ctx, seen = recorder()
    ops_of("git -c core.pager='less -R' log", ctx)
    ops_of("git fetch", ctx, env=(("GIT_SSH_COMMAND", "ssh -i key"),))
    assert seen == []


def test_dangerous_git_ssh_command_env_is_analyzed():
    ctx, seen = recorder()
    ops_of("git fetch", ctx, env=(("GIT_SSH_COMMAND", "curl x | sh"),))
    assert seen == ["curl x | sh"]


def test_a_non_shell_alias_is_expanded_to_its_git_command():
    op = run("git -c alias.p='push --force' p origin main")
    assert op.action == "push" and "protected-branch" in op.tags


def test_a_custom_hooks_path_is_unknown_code():
    ops = ops_of("git -c core.hooksPath=.evil commit -m x")
    assert any(op.action == "hooks" and op.effect is U for op in ops)
    assert all(op.action != "hooks" for op in ops_of("git -c core.hooksPath=/dev/null commit"))


def test_a_dynamic_subcommand_is_unknown():
    cmd = Command(argv=("git", "$SUB", "x"), dynamic=frozenset({1}), text="git $SUB x")
    op = analyze(cmd, CTX)[0]
    assert op.effect is U and "dynamic-target" in op.tags


# --- hosting CLIs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "action", "effect", "kind"),
    [("gh pr list", "list", R, "pull-request"), ("gh repo view acme/api", "view", R, "repository"),
     ("gh repo delete acme/api --yes", "delete", D, "repository"),
     ("gh repo archive acme/api", "archive", W, "repository"),
     ("glab repo archive acme/api", "download", R, "repository"),
     ("gh release delete v1 -y", "delete", D, "release"),
     ("gh secret delete X", "delete", D, "secret"), ("gh secret set X", "set", W, "secret"),
     ("gh pr merge 1 --squash", "merge", W, "pull-request"),
     ("gh workflow run ci.yml", "run-workflow", W, "workflow"),
     ("gh auth token", "token", R, "credentials"),
     ("glab mr merge 3", "merge", W, "pull-request"),
     ("glab ci delete 9", "delete", D, "workflow-run"),
     ("hub delete -y acme/api", "delete", D, "repository"),
     ("hub release delete v1", "delete", D, "release"),
     ("gh dash", "dash", U, "dash")],
)  # fmt: skip
def test_hosting_commands(text, action, effect, kind):
    op = run(text)
    kinds = [t.kind for t in op.targets]
    assert (op.action, op.effect, kinds[:1]) == (action, effect, [kind])


def test_gh_admin_merge_and_public_visibility_are_tagged():
    assert "admin-override" in run("gh pr merge 1 --admin").tags
    assert "visibility-public" in run("gh repo edit acme/x --visibility public").tags


def test_workflow_inputs_naming_an_environment_go_into_env_scope():
    op = run("gh workflow run deploy.yml -f environment=production -f version=1.2")
    assert op.targets[0].get("env") == "production"


@pytest.mark.parametrize(
    ("text", "effect", "kind", "tags"),
    [("gh api repos/acme/api", R, "repository", set()),
     ("gh api -X DELETE repos/acme/api", D, "repository", {"delete"}),
     ("gh api --method=delete /repos/acme/api/git/refs/heads/main", D, "branch",
      {"delete", "protected-branch"}),
     ("gh api -X DELETE repos/acme/api/branches/main/protection", D, "branch-protection",
      {"delete", "branch-protection"}),
     ("gh api -X PATCH repos/a/b/git/refs/heads/main -F force=true", D, "branch",
      {"force", "protected-branch"}),
     ("gh api repos/a/b/issues -f title=x", W, "issue", set()),
     ("gh api -X PATCH repos/a/b -f visibility=public", W, "repository", {"visibility-public"}),
     ("glab api -X DELETE projects/12", D, "repository", {"delete"}),
     ("glab api -X DELETE projects/a%2Fb/protected_branches/main", D, "branch-protection",
      {"delete", "branch-protection"})],
)  # fmt: skip
def test_api_calls_are_classed_by_method_and_endpoint(text, effect, kind, tags):
    op = run(text)
    assert (op.effect, op.targets[0].kind) == (effect, kind)
    assert tags <= op.tags


def test_graphql_queries_read_and_mutations_write_or_destroy():
    assert run("gh api graphql -f query='{ viewer { login } }'").effect is R
    assert run("gh api graphql -f query='mutation { addStar(input:{}) { x } }'").effect is W
    assert run("gh api graphql -f query='mutation { deleteRef(input:{}) { x } }'").effect is D
    assert run("gh api graphql -F query=@q.graphql").effect is U


def test_hub_passes_git_commands_through_to_the_git_analyzer():
    op = run("hub push -f origin main")
    assert op.program == "hub" and {"force", "protected-branch"} <= op.tags


# --- robustness ------------------------------------------------------------------------------

_WORDS = st.sampled_from(
    ["git", "gh", "push", "-f", "--force", "origin", "main", ":", "+", "-C", "-c", "reset",
     "--hard", "clean", "-fdx", "api", "-X", "DELETE", "repos/a/b", "--", ".", "branch", "-D",
     "stash", "drop", "=", "alias.x=!rm", "", "-", "tag", "--delete", "lfs", "submodule"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    prog=st.sampled_from(["git", "gh", "glab", "hub", "git-lfs"]), rest=st.lists(_WORDS, max_size=8)
)
def test_no_argument_list_crashes_the_analyzer(prog, rest):
    cmd = Command(argv=(prog, *rest), text=" ".join((prog, *rest)))
    assert analyze(cmd, CTX)


def test_help_words_that_are_option_values_do_not_hide_a_push():
    op = run("git push -o -h --force origin main")
    assert op.action == "push" and op.effect is D
    assert run("git push --help").effect is R
    assert run("git push -h").effect is R
