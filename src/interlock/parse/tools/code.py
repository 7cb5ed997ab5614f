"""Interpreters: inline code (`python -c`, `node -e`, `perl -e` …), modules and script files.

Inline code is scanned (`code_scan`) for shell-outs, deletions, SDK and HTTP calls, SQL and
obfuscation; each finding becomes an operation, and literal shell commands are handed back to
the shell walker. Code that only computes and prints is a read. A script file is `UNKNOWN`
unless it is a framework management command we know (`manage.py flush`, `artisan db:wipe`).
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.lexicon import words
from interlock.parse.tools import Context, code_ps
from interlock.parse.tools import code_args as args
from interlock.parse.tools import code_scan as scan
from interlock.parse.tools import code_sdk as sdk
from interlock.parse.tools.code_pure import is_pure, sdk_read_only
from interlock.parse.tools.code_sdk_paths import file_writes
from interlock.parse.tools.generic import cli, env_scope, op

# `python -m X`: modules that are really a CLI analyzed elsewhere, or plainly harmless.
_MODULE_CLI = {
    "pip": "pip",
    "pip3": "pip",
    "awscli": "aws",
    "ansible": "ansible",
    "poetry": "poetry",
    "uv": "uv",
    "pytest": "pytest",
    "mypy": "mypy",
    "black": "black",
    "ruff": "ruff",
    "isort": "isort",
    "flake8": "flake8",
    "pylint": "pylint",
    "pyright": "pyright",
    "tox": "tox",
    "nox": "nox",
    "coverage": "coverage",
    "django": "django-admin",
    "alembic": "alembic",
    "twine": "twine",
    "build": "python-build",
    "pipx": "pipx",
}
_READ_MODULES = words(
    "json.tool unittest doctest timeit pydoc site sysconfig platform this antigravity "
    "calendar tokenize tabnanny py_compile compileall pstats cProfile profile trace dis "
    "pickletools ensurepip-help pip._internal.cli.main-help base64 uuid zipfile-list"
)
_LOCAL_MODULES = words(
    "venv virtualenv http.server SimpleHTTPServer ensurepip zipapp webbrowser pyftpdlib"
)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    inv = args.parse(cmd)
    if inv.help:
        return [op(cmd, "help", Effect.READ, [], set(), f"shows `{cmd.program}` help", "code")]
    if inv.code is not None:
        return inline(cmd, ctx, inv.code, inv.lang, inv.inplace_files)
    if inv.module is not None:
        return _module(cmd, ctx, inv.module, inv.rest)
    if inv.sub is not None:
        return [_subcommand(cmd, inv.sub, inv.rest)]
    if inv.script is not None:
        return _script(cmd, ctx, inv.script, inv.rest)
    if cmd.stdin_piped:
        return [
            _op(cmd, "run-stdin", Effect.UNKNOWN, {"remote-code"}, "runs code read from a pipe")
        ]
    return [_op(cmd, "repl", Effect.UNKNOWN, {"interactive"}, f"starts `{cmd.program}`")]


def _op(
    cmd: Command,
    action: str,
    effect: Effect,
    tags: set[str],
    summary: str,
    targets: list[Target] | None = None,
    family: str = "code",
) -> Operation:
    if targets is None:
        targets = [Target.make("host", cmd.host, host=cmd.host)] if cmd.host else []
    return op(cmd, action, effect, targets, tags, summary, family)


def inline(cmd: Command, ctx: Context, code: str, lang: str, files: list[str]) -> list[Operation]:
    """Operations of inline `code` in language `lang` (`py`, `js`, `rb`, `pl` …)."""
    ops: list[Operation] = []
    for text in scan.shell_commands(code, lang) + (
        scan.backtick_commands(code) if lang in ("rb", "pl", "php") else []
    ):
        ops.extend(_shell(cmd, ctx, text))
    done: set[str] = set()
    for method, text in sdk.commands(code):
        ops.extend(o.with_tags("sdk") for o in _shell(cmd, ctx, text))
        done.add(sdk.handled(method))
    hints = sdk.hints(code)
    ops.extend(
        finding_op(cmd, ctx, f, hints)
        for f in _findings(code, lang)
        if not (f.kind == "sdk" and sdk.handled(f.action) in done)
    )
    if lang == "ps":
        ops.extend(code_ps.operations(cmd, ctx, code))
    if lang == "osa" and scan.osa_destroys(code):
        ops.append(_op(cmd, "delete", Effect.DESTROY, set(), "deletes files through AppleScript"))
    if files:
        ops.append(
            _op(
                cmd,
                "edit-in-place",
                Effect.WRITE,
                {"in-place"},
                f"edits {files[0]} in place",
                [_file_target(cmd, p) for p in files[:8]],
                "filesystem",
            )
        )
    if scan.obfuscated(code):
        ops.append(
            _op(
                cmd,
                "eval",
                Effect.UNKNOWN,
                {"obfuscated"},
                "evaluates code built at run time (exec/eval/decode)",
            )
        )
    if ops:
        return [o.with_tags("inline-code") for o in ops]
    if is_pure(code, lang):
        return [_op(cmd, "compute", Effect.READ, set(), "runs inline code that only computes")]
    if sdk_read_only(code):
        return [_op(cmd, "sdk-read", Effect.READ, {"sdk"}, "calls read-only SDK methods")]
    return [
        _op(cmd, "run-code", Effect.UNKNOWN, set(), "runs inline code with effects we cannot see")
    ]


def _findings(code: str, lang: str) -> list[scan.Finding]:
    found = scan.fs_deletes(code) + scan.sdk_calls(code) + scan.http_calls(code)
    found += scan.sql_calls(code) + file_writes(code)
    if not found:
        found += scan.fs_writes(code)
    return found


def _shell(cmd: Command, ctx: Context, text: str) -> list[Operation]:
    if ctx.depth > 12:
        return [_op(cmd, "shell", Effect.UNKNOWN, {"dynamic-target"}, "runs a shell command")]
    try:
        found = ctx.shell(text, cmd)
    except Exception:  # the walker raises on budget; the caller fails closed
        raise
    return [o.with_tags("from-code") for o in found] or [
        _op(cmd, "shell", Effect.UNKNOWN, set(), f"runs `{text[:60]}`")
    ]


def finding_op(
    cmd: Command, ctx: Context, f: scan.Finding, hints: sdk.Hints | None = None
) -> Operation:
    hints = hints or sdk.Hints()
    if f.kind == "http":
        from interlock.parse.tools.http_url import Request, request_op

        found = request_op(cmd, Request(f.extra or "GET", f.name or "unknown.invalid", ""))
        return found.with_tags("from-code")
    if f.kind == "sql":
        return _sql(cmd, f, hints)
    if f.kind == "fs-delete":
        return _delete(cmd, f.name, f.tags)
    if f.kind == "fs-write" and f.name and not cmd.host:
        from interlock.parse.tools.fs import redirect_operation

        found = redirect_operation(f.extra, f.name, cmd)
        if found is not None:
            return found.with_tags("from-code")
    if f.kind == "fs-write":
        return _op(
            cmd,
            "write",
            Effect.WRITE,
            f.tags,
            "writes files from code",
            [_file_target(cmd, "")],
            "filesystem",
        )
    env = env_scope(cmd)
    target = Target.make(
        "resource", f.name or f.action, env=env, host=cmd.host or hints.host, **hints.scope()
    )
    return _op(
        cmd,
        f.action,
        f.effect,
        f.tags | {"sdk"},
        f"calls `{f.action}` through an SDK",
        [target],
        f.family,
    )


def _sql(cmd: Command, f: scan.Finding, hints: sdk.Hints) -> Operation:
    """SQL a piece of code executes, classified by the shared SQL classifier."""
    from interlock.parse.sql import classify_sql, severity

    stmts = classify_sql(f.extra)
    scope = {"env": env_scope(cmd), "host": cmd.host or hints.host, "database": hints.database}
    target = Target.make("database", hints.database or "", **scope)
    if not stmts:
        return _op(cmd, "sql", Effect.UNKNOWN, set(), "runs SQL", [target], "database")
    st = max(stmts, key=lambda s: severity(s.effect))
    targets = [Target.make(st.object_kind or "table", o, **scope) for o in st.objects[:4]] or [
        target
    ]
    return _op(
        cmd,
        st.kind.lower(),
        st.effect,
        set(st.tags) | {"from-code"},
        f"runs SQL `{f.extra[:60]}`",
        targets,
        "database",
    )


def _delete(cmd: Command, path: str, tags: set[str], action: str = "delete") -> Operation:
    """A file deletion, with the path understood the way `rm` understands it."""
    target = _file_target(cmd, path, "dynamic-target" in tags)
    if path and "dynamic-target" not in tags and path[1:3] != ":\\":
        from interlock.parse.tools import fs_paths

        info = fs_paths.classify(path, cmd)
        target = info.target(cmd.host)
        tags = (tags - {"root-path", "system-path", "home-path", "wildcard"}) | set(info.tags)
        tags |= {"in-home"} if path.startswith(("~", "/home/", "/Users/", "/root/")) else set()
    verb = "deletes" if action == "delete" else "overwrites"
    return _op(
        cmd,
        action,
        Effect.DESTROY,
        tags,
        f"{verb} `{path or '?'}` from code",
        [target],
        "filesystem",
    )


def _file_target(cmd: Command, path: str, dynamic: bool = False) -> Target:
    if cmd.host or dynamic:
        return Target.make("path", path, host=cmd.host)
    relative = (
        path and not path.startswith(("/", "~", "$", "\\")) and ".." not in path and ":" not in path
    )
    local = relative or path.startswith("/tmp/")
    return Target.make("path", path, tier=Tier.LOCAL if local else Tier.UNKNOWN)


def _module(cmd: Command, ctx: Context, module: str, rest: list[str]) -> list[Operation]:
    if module in _READ_MODULES:
        return [_op(cmd, module, Effect.READ, set(), f"runs the `{module}` module")]
    if module in _LOCAL_MODULES:
        tgt = [Target.make("directory", ".", tier=Tier.LOCAL)] if not cmd.host else None
        return [_op(cmd, module, Effect.WRITE, set(), f"runs the `{module}` module", tgt)]
    prog = _MODULE_CLI.get(module)
    inner = Command(
        argv=(prog or module, *rest),
        env=cmd.env,
        host=cmd.host,
        via=cmd.via,
        cwd=cmd.cwd,
        text=cmd.text,
        stdin=cmd.stdin,
        stdin_piped=cmd.stdin_piped,
    )
    if prog is not None:
        from interlock.parse.tools import analyzer_for

        try:
            return analyzer_for(prog)(inner, ctx)
        except ImportError:  # that family's analyzer is not installed: a module run changes state
            return [_op(cmd, module, Effect.WRITE, set(), f"runs `{prog}` through `-m`")]
    found = cli(inner, family="code")
    if found.effect is Effect.UNKNOWN and not rest:
        return [_op(cmd, module, Effect.UNKNOWN, set(), f"runs the `{module}` module")]
    return [found]


def _subcommand(cmd: Command, sub: str, rest: list[str]) -> Operation:
    effect = args.SUBCOMMANDS[cmd.program].get(sub, Effect.UNKNOWN)
    if sub == "publish":  # to jsr.io or npm, not this machine; `--dry-run` only packs
        dry = "--dry-run" in rest
        effect, tags = (Effect.READ, {"dry-run"}) if dry else (Effect.WRITE, {"publish"})
        return _op(cmd, sub, effect, tags, f"`{cmd.program} publish` to a package registry")
    tags = (
        {"remote-code"}
        if any(r.startswith(("http://", "https://", "npm:", "jsr:")) for r in rest[:3])
        else set()
    )
    local = effect in (Effect.READ, Effect.WRITE) and not tags
    tgt = [Target.make("directory", ".", tier=Tier.LOCAL)] if local and not cmd.host else None
    return _op(cmd, sub, effect, tags, f"`{cmd.program} {sub}`", tgt)


def _script(cmd: Command, ctx: Context, script: str, rest: list[str]) -> list[Operation]:
    from interlock.parse.tools import generic_frameworks

    base = script.rsplit("/", 1)[-1]
    words = [w for w in rest if not w.startswith("-")]
    flags = {w.split("=", 1)[0] for w in rest if w.startswith("-")}
    if flags & {"--help", "-h"} and len(words) <= 2:
        return [_op(cmd, "help", Effect.READ, set(), f"shows help for `{script}`")]
    if base in generic_frameworks.TABLES:
        found = generic_frameworks.analyze(cmd, ctx, base, rest)
        if found:
            return found
    if cmd.is_dynamic(cmd.argv.index(script)) if script in cmd.argv else False:
        return [
            _op(
                cmd,
                "run-script",
                Effect.UNKNOWN,
                {"dynamic-target"},
                "runs a script chosen at run time",
            )
        ]
    if script.startswith(("http://", "https://")):
        return [
            _op(cmd, "run-script", Effect.UNKNOWN, {"remote-code"}, f"runs remote code `{script}`")
        ]
    return [_op(cmd, "run-script", Effect.UNKNOWN, set(), f"runs the script `{script}`")]
