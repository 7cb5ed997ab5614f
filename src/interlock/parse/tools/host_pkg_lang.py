"""Language package managers: pip/pip3, pipx, gem, npm, yarn, pnpm.

Installing or removing a project's dependencies is a local `write` (it can be reinstalled).
Publishing to a registry is action `publish` (`unpublish` is a `destroy`); changing a published
package's tags, owners or deprecation is a remote `write`. Project scripts (`npm run build`,
`yarn test`, `pnpm dlx`) run code we cannot see: `unknown`.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    make_op,
    names,
    read_op,
    target,
    unknown_op,
    wants_help,
    words,
)

_PIP_TV = words(
    "--python --log --proxy --retries --timeout --exists-action --trusted-host --cert "
    "--client-cert --cache-dir --use-feature --use-deprecated -i --index-url --extra-index-url "
    "-r --requirement -c --constraint -e --editable -t --target --prefix --root --src "
    "--platform --python-version --implementation --abi --upgrade-strategy --progress-bar "
    "--no-binary --only-binary -f --find-links --config-settings --report --global-option "
    "-d --dest --format"
)
_PIP_READ = words("list freeze show check search help debug inspect index hash completion")
_GEM_READ = words("env specification spec which info outdated dependency dep stale lock")
_GEM_CHANGE = {
    "owner": words("-a --add -r --remove"),
    "sources": words("-a --add -r --remove -c --clear-all -u --update"),
    "cert": words("-a --add -r --remove -b --build -s --sign -C --certificate -K --private-key"),
}
_PIP_WRITE = frozenset({"install", "download", "wheel", "uninstall"})
_NPM_TV = words(
    "--prefix --registry --cache --userconfig --globalconfig -w --workspace --loglevel --tag "
    "--otp --access --scope -C --dir --filter -F --cwd --reporter"
)
_N = "install i in ins inst add ci clean-install ic install-clean it install-test cit " \
     "install-ci-test update up upgrade udpate uninstall un unlink remove rm r link ln " \
     "dedupe ddp prune rebuild rb cache init create innit pack shrinkwrap pkg edit star unstar " \
     "store " \
     "login adduser logout set import fetch patch patch-commit setup autoclean env deploy " \
     "version"  # fmt: skip
_NPM_WRITE = words(_N)
_NPM_READ = words(
    "ls list la ll view v info show outdated search s se find get whoami ping doctor help "
    "help-search bin prefix root explain why fund query docs home bugs repo completion sbom "
    "diff stars licenses versions dir store-path audit"
)
_NPM_REMOTE = frozenset({"publish", "unpublish", "deprecate", "undeprecate", "dist-tag",
                         "dist-tags", "owner", "author", "access", "team", "org", "token",
                         "hook", "profile", "tag"})  # fmt: skip
_NPM_CODE = words(
    "run run-script rum urn test t tst start stop restart exec x dlx explore "
                      "node workspace workspaces"
)  # fmt: skip
_REMOTE_READ = frozenset({"ls", "list", "get", "info"})


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if wants_help(cmd.args) or (cmd.args[:1] in (("-v",), ("-V",), ("--version",))):
        return [read_op(cmd, HOST, summary=f"shows {cmd.program} help")]
    if cmd.program in ("pip", "pip3", "pipx", "gem"):
        return [_pip(cmd)]
    return [_npm(cmd)]


def _pip(cmd: Command) -> Operation:
    a = parse_args(cmd.args, _PIP_TV, bundle=True)
    verb = a.pos[0] if a.pos else ""
    pkgs = a.pos[1:] + a.values("-r", "--requirement", "-e", "--editable")
    if (
        verb in _PIP_READ
        or verb in ("", "environment", "contents", "query")
        or (
            verb in ("config", "cache")
            and pkgs[:1] in (["list"], ["get"], ["dir"], ["info"], ["debug"], [])
        )
    ):
        return read_op(cmd, HOST, verb or "help", f"{cmd.program} {verb}".strip())
    if cmd.program == "gem" and _gem_read(verb, a.opts):
        return read_op(cmd, HOST, verb, f"gem {verb} {names(pkgs)}".strip())
    if a.has("--dry-run"):
        return make_op(cmd, HOST, verb, Effect.READ, tags={"dry-run"}, summary=f"simulates {verb}")
    if verb == "run":  # pipx run
        return unknown_op(cmd, HOST, "run")
    if verb in ("publish", "push"):  # gem push
        return _publish(cmd, "publish", pkgs)
    if verb == "yank":  # gem yank
        return _publish(cmd, "unpublish", pkgs)
    action = "remove" if verb in ("uninstall", "remove") else verb
    tgts = [target(cmd, "package", p) for p in pkgs[:20]]
    return make_op(
        cmd, HOST, action, Effect.WRITE, tgts, summary=f"{cmd.program} {verb} {names(pkgs)}"
    )


def _gem_read(verb: str, opts: dict[str, list[str]]) -> bool:
    """`gem spec rails`, `gem owner rails`, `gem sources` (no add/remove flags)."""
    if verb in _GEM_READ:
        return True
    changes = _GEM_CHANGE.get(verb)
    return changes is not None and not (set(opts) & changes)


def _publish(cmd: Command, action: str, pkgs: list[str], remote: str | None = None) -> Operation:
    pkgs = pkgs[:1]
    tgts = [target(cmd, "package", p, url=remote) for p in pkgs]
    tgts = tgts or [target(cmd, "package", "this package", url=remote)]
    effect = Effect.DESTROY if action == "unpublish" else Effect.WRITE
    tags = {"force"} if ("--force" in cmd.args or "-f" in cmd.args) else set()
    what = {"publish": "publishes", "unpublish": "unpublishes"}.get(action, f"changes ({action})")
    return make_op(
        cmd,
        HOST,
        action,
        effect,
        tgts,
        tags,
        summary=f"{what} {names(pkgs) or 'the package'} on a registry",
    )


def _npm(cmd: Command) -> Operation:
    a = parse_args(cmd.args, _NPM_TV, bundle=False, stop_at_first_positional=True)
    prog = cmd.program
    if not a.pos:
        if prog == "yarn":
            return make_op(cmd, HOST, "install", Effect.WRITE, summary="installs dependencies")
        return read_op(cmd, HOST, "help", f"shows {prog} help")
    verb, rest = a.pos[0], a.pos[1:]
    if prog == "yarn" and _is_hadoop(verb, list(cmd.args)):
        from interlock.parse.tools import host_hadoop

        return host_hadoop.analyze(cmd, verb, list(cmd.args[cmd.args.index(verb) + 1 :]))
    if prog == "yarn" and verb == "npm" and rest:
        verb, rest = rest[0], rest[1:]
    if prog in ("yarn", "pnpm") and verb == "global" and rest:
        verb, rest = rest[0], rest[1:]
    dry = "--dry-run" in rest
    registry = a.value("--registry")
    pkgs = [x for x in rest if not x.startswith("-")]
    if verb in ("publish", "unpublish", "deprecate"):
        if dry:
            return make_op(
                cmd, HOST, verb, Effect.READ, tags={"dry-run"}, summary=f"simulates {verb}"
            )
        return _publish(cmd, verb, pkgs, registry)
    if verb in _NPM_REMOTE:
        if not pkgs or pkgs[0] in _REMOTE_READ:
            return read_op(cmd, HOST, verb, f"{prog} {verb} {' '.join(pkgs[:2])}".strip())
        return _publish(cmd, verb, pkgs[1:2], registry)
    if verb == "audit" and ("fix" in rest or "--fix" in rest):
        return make_op(
            cmd, HOST, "audit-fix", Effect.WRITE, summary="updates vulnerable dependencies"
        )
    if verb in ("config", "c") or (
        verb == "cache" and pkgs[:1] in (["ls"], ["list"], ["dir"], ["verify"])
    ):
        if not pkgs or pkgs[0] in ("get", "list", "ls", "dir", "verify"):
            return read_op(cmd, HOST, verb, f"{prog} {verb} {' '.join(pkgs[:1])}".strip())
        return make_op(
            cmd, HOST, "config", Effect.WRITE, summary=f"{prog} {verb} {' '.join(pkgs[:2])}"
        )
    if (
        verb in _NPM_READ
        or (verb == "version" and not pkgs)
        or (verb == "workspaces" and pkgs[:1] in (["list"], ["info"]))
        or (verb == "pkg" and pkgs[:1] == ["get"])
        or (verb == "store" and pkgs[:1] in (["path"], ["status"]))
    ):
        return read_op(cmd, HOST, verb, f"{prog} {verb} {names(pkgs)}".strip())
    if verb in _NPM_WRITE:
        return _npm_write(cmd, verb, pkgs, dry)
    if prog == "npm" and verb not in _NPM_CODE:
        return unknown_op(cmd, HOST, verb)
    script = pkgs[0] if verb in ("run", "run-script", "rum", "urn") and pkgs else verb
    return make_op(cmd, HOST, "run", Effect.UNKNOWN, [target(cmd, "script", script)],
                   summary=f"runs project script `{script}` with {prog}")  # fmt: skip


def _is_hadoop(verb: str, args: list[str]) -> bool:
    from interlock.parse.tools.host_hadoop import is_hadoop

    return verb in args and is_hadoop(verb, args[args.index(verb) + 1 :])


def _npm_write(cmd: Command, verb: str, pkgs: list[str], dry: bool) -> Operation:
    action = "remove" if verb in ("uninstall", "un", "remove", "rm", "r", "unlink") else verb
    if verb in ("i", "in", "ins", "inst", "add", "ci", "clean-install", "ic", "install-clean"):
        action = "install"
    if dry:
        return make_op(
            cmd, HOST, action, Effect.READ, tags={"dry-run"}, summary=f"simulates {action}"
        )
    tgts = [target(cmd, "package", p) for p in pkgs[:20]]
    return make_op(
        cmd, HOST, action, Effect.WRITE, tgts, summary=f"{cmd.program} {verb} {names(pkgs)}".strip()
    )
