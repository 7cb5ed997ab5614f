"""Terragrunt and Atmos: wrappers that run a Terraform subcommand on one unit or many.

Terragrunt spells a bulk run four ways (`run-all destroy`, `destroy-all`, `run --all destroy`,
`destroy --all`, `stack run destroy`); each is tagged `bulk`. Its own flags are the
`--terragrunt-*` ones (before 0.73) or plain double-dash names (after); single-dash flags
belong to Terraform. Atmos names a component and a stack: `atmos terraform destroy vpc -s ue2-prod`.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools.iac_common import (
    env_hint,
    env_true,
    flag_on,
    go_flags,
    is_dynamic_word,
    op,
    read,
    split_words,
    target,
    unknown,
)
from interlock.parse.tools.iac_terraform import TF_VALUE_FLAGS, Root, terraform_root, tf_ops

# Terragrunt's own flags that take a value, without the `--terragrunt-` prefix.
_TG_VALUE = frozenset({
    "working-dir", "config", "source", "iam-role", "iam-assume-role", "include-dir",
    "exclude-dir", "queue-include-dir", "queue-exclude-dir", "parallelism", "download-dir",
    "tfpath", "tf-path", "log-level", "log-format", "source-map", "iam-assume-role-session-name",
    "iam-role-session-name", "modules-that-include", "units-that-include", "hclfmt-file",
    "json-out", "json-out-dir", "out-dir", "filter", "feature", "experiment",
    "provider-cache-dir", "auth-provider-cmd", "iam-assume-role-duration", "strict-control",
    "queue-include-units-reading",
    "hclfmt-exclude-dir", "provider-cache-hostname", "provider-cache-port", "provider-cache-token",
})  # fmt: skip
# Terragrunt's own boolean flags that matter; every other `--terragrunt-*` is boolean and ignored.
_TG_BOOL = frozenset({
    "all", "graph", "non-interactive", "include-external-dependencies", "ignore-dependency-errors",
    "queue-ignore-errors", "queue-include-external", "no-auto-init", "source-update", "debug",
    "strict-include", "queue-strict-include", "ignore-external-dependencies",
    "queue-exclude-external", "no-color", "provider-cache", "backend-bootstrap", "inputs-debug",
    "disable-bucket-update", "tf-forward-stdout", "no-auto-retry", "no-auto-approve",
})  # fmt: skip
_TG_BULK_SUFFIX = "-all"
_TG_READ = frozenset({
    "hclfmt", "hcl", "render-json", "render", "graph-dependencies", "validate-inputs",
    "output-module-groups", "terragrunt-info", "info", "find", "list", "dag", "catalog",
    "scaffold", "aws-provider-patch", "version", "help",
})  # fmt: skip


def analyze_terragrunt(cmd: Command, ctx: Context) -> list[Operation]:
    words = list(cmd.args)
    if "--" in words:
        cut = words.index("--")
        words, passthru = words[:cut], words[cut + 1 :]
    else:
        passthru = []
    tf_words, tg = _split_tg(words)
    wd = (
        tg.get("working-dir")
        or cmd.getenv("TG_WORKING_DIR")
        or cmd.getenv("TERRAGRUNT_WORKING_DIR")
    )
    root = terraform_root(cmd, wd)
    root = root.with_hints(*(v for k, v in tg.items() if k.endswith("include-dir")))
    bulk = "all" in tg or "graph" in tg
    verb, rest = _take_verb(tf_words + passthru)
    if verb is None:
        return [read(cmd, "help")]
    if verb == "exec":
        return _exec(cmd, ctx, rest)
    if verb in ("run-all", "run") or (verb == "stack" and rest[:1] == ["run"]):
        bulk = bulk or verb != "run"
        rest = rest[1:] if verb == "stack" else rest
        verb, rest = _take_verb(rest)
        if verb is None:
            return [unknown(cmd, "run")]
    elif verb.endswith(_TG_BULK_SUFFIX) and verb != "run-all":
        verb, bulk = verb[: -len(_TG_BULK_SUFFIX)], True
    return _tg_ops(cmd, verb, rest, root, bulk, "non-interactive" in tg or _tg_nonint(cmd))


def _tg_nonint(cmd: Command) -> bool:
    return env_true(cmd, "TG_NON_INTERACTIVE", "TERRAGRUNT_NON_INTERACTIVE")


def _tg_ops(
    cmd: Command, verb: str, rest: list[str], root: Root, bulk: bool, nonint: bool
) -> list[Operation]:
    if verb == "backend":
        return _backend(cmd, rest, root, bulk)
    if verb in _TG_READ or (verb == "stack" and rest[:1] != ["run"]):
        return [read(cmd, verb, [root.make(cmd)])]
    if is_dynamic_word(verb):
        return [unknown(cmd, verb, "dynamic-target")]
    rest = (
        rest
        + split_words(cmd.getenv("TF_CLI_ARGS"))
        + split_words(cmd.getenv(f"TF_CLI_ARGS_{verb}"))
    )
    ops = tf_ops(cmd, verb, rest, root)
    extra = (["bulk"] if bulk else []) + (["auto-approve"] if nonint else [])
    return [o.with_tags(*extra) if o.effect is not Effect.READ else o for o in ops]


def _split_tg(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """Separate Terragrunt's own double-dash flags from what goes to Terraform."""
    tf_words: list[str] = []
    tg: dict[str, str] = {}
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        name, eq, val = w.partition("=")
        key = name[2:].removeprefix("terragrunt-") if name.startswith("--") else ""
        if key in _TG_VALUE:
            if not eq and i < len(words):
                val, i = words[i], i + 1
            tg[key] = val
        elif key in _TG_BOOL or name.startswith("--terragrunt-"):
            tg[key] = val or "true"
        else:
            tf_words.append(w)
    return tf_words, tg


def _take_verb(words: list[str]) -> tuple[str | None, list[str]]:
    """The first positional word and the words without it."""
    for i, w in enumerate(words):
        if not w.startswith("-"):
            return w, words[:i] + words[i + 1 :]
    return None, words


def _exec(cmd: Command, ctx: Context, rest: list[str]) -> list[Operation]:
    words = [w for w in rest if w != "--"]
    ops = ctx.shell(" ".join(words), cmd) if words else []
    return ops or [unknown(cmd, "exec")]


def _backend(cmd: Command, rest: list[str], root: Root, bulk: bool) -> list[Operation]:
    verb = next((w for w in rest if not w.startswith("-")), "")
    tags = ["bulk"] if bulk else []
    t = root.make(cmd, "terraform-state")
    if verb == "delete":
        tags += ["state-surgery", "teardown"]
        return [
            op(
                cmd,
                "backend-delete",
                Effect.DESTROY,
                [t],
                tags,
                "deletes the Terraform state backend",
            )
        ]
    if verb in ("bootstrap", "migrate"):
        tags += ["state-surgery"] if verb == "migrate" else []
        return [op(cmd, f"backend-{verb}", Effect.WRITE, [t], tags, f"{verb}s the state backend")]
    return [read(cmd, f"backend {verb}".strip(), [t])]


# ---- Atmos ---------------------------------------------------------------------------------

_ATMOS_VALUE = frozenset({
    "-s", "-stack", "-planfile", "-components", "-query", "-identity", "-base-path", "-config",
    "-config-path", "-ref", "-sha", "-repo-path", "-logs-level", "-logs-file",
    "-redirect-stderr", "-file", "-f", "-from-plan",
})  # fmt: skip
_ATMOS_BOOL = frozenset({
    "-all", "-affected", "-dry-run", "-skip-init", "-process-templates", "-process-functions",
    "-upload-status", "-include-dependents",
})  # fmt: skip
_ATMOS_READ = frozenset({
    "describe", "list", "validate", "version", "docs", "help", "completion", "support", "atlantis",
    "vendor", "aws", "about", "pro", "auth",
})  # fmt: skip
_ATMOS_LOCAL = {"clean": Effect.WRITE, "generate": Effect.READ, "plan-diff": Effect.READ,
                "varfile": Effect.READ, "backend": Effect.READ}  # fmt: skip
_HELMFILE = {"apply": Effect.WRITE, "sync": Effect.WRITE, "deps": Effect.READ,
             "destroy": Effect.DESTROY, "delete": Effect.DESTROY}  # fmt: skip


def analyze_atmos(cmd: Command, ctx: Context) -> list[Operation]:
    words = list(cmd.args)
    tool = next((w for w in words if not w.startswith("-")), None)
    if tool is None or tool in _ATMOS_READ:
        return [read(cmd, tool or "help")]
    rest = words[words.index(tool) + 1 :]
    if tool in ("terraform", "tf", "tofu"):
        return _atmos_terraform(cmd, rest)
    if tool == "helmfile":
        return _atmos_helmfile(cmd, rest)
    if tool == "workflow":
        head, flags, _ = _atmos_split(rest)
        hints = (
            flags.get("-s") or flags.get("-stack"),
            flags.get("-f") or flags.get("-file"),
            *head,
        )
        t = target(cmd, "atmos-workflow", head[0] if head else "(workflow)", env=env_hint(hints))
        return [op(cmd, "workflow", Effect.UNKNOWN, [t], (), f"runs atmos workflow `{t.name}`")]
    return [unknown(cmd, tool)]


def _atmos_split(rest: list[str]) -> tuple[list[str], dict[str, str], list[str]]:
    """(sub and component, atmos flags, words for Terraform)."""
    head: list[str] = []
    flags: dict[str, str] = {}
    tf: list[str] = []
    i = 0
    while i < len(rest):
        w = rest[i]
        i += 1
        if w == "--":
            tf += rest[i:]
            break
        name, eq, val = ("-" + w.lstrip("-")).partition("=") if w.startswith("-") else (w, "", "")
        if name in _ATMOS_VALUE:
            if not eq and i < len(rest):
                val, i = rest[i], i + 1
            flags[name] = val
        elif name in _ATMOS_BOOL:
            flags[name] = val or "true"
        elif w.startswith("-"):
            tf.append(w)
            if not eq and name in TF_VALUE_FLAGS and i < len(rest):
                tf.append(rest[i])
                i += 1
        elif len(head) < 2:
            head.append(w)
        else:
            tf.append(w)
    return head, flags, tf


def _atmos_root(cmd: Command, head: list[str], flags: dict[str, str]) -> tuple[Root, bool]:
    stack = flags.get("-s") or flags.get("-stack")
    bulk = any(k in flags for k in ("-all", "-affected", "-components", "-query"))
    component = head[1] if len(head) > 1 else ("(all components)" if bulk else "(component)")
    root = Root(
        kind="atmos-component",
        name=component,
        scope=(("stack", stack),) if stack else (),
        hints=(stack,) if stack else (),
    )
    return root, bulk


def _atmos_terraform(cmd: Command, rest: list[str]) -> list[Operation]:
    head, flags, tf = _atmos_split(rest)
    if not head:
        return [read(cmd, "terraform")]
    root, bulk = _atmos_root(cmd, head, flags)
    sub = head[0]
    if flag_on(go_flags([f"{k}={v}" for k, v in flags.items()], frozenset()), "-dry-run"):
        return [read(cmd, sub, [root.make(cmd)], "dry-run")]
    if sub in _ATMOS_LOCAL:
        t = target(cmd, "atmos-component", root.name, Tier.LOCAL)
        return [op(cmd, sub, _ATMOS_LOCAL[sub], [t], (), f"atmos terraform {sub} (local files)")]
    if sub == "shell":
        return [
            op(cmd, "shell", Effect.UNKNOWN, [root.make(cmd)], (), "opens a shell for a component")
        ]
    if sub == "deploy":
        sub, tf = "apply", [*tf, "-auto-approve"]
    if sub == "apply" and "-from-plan" in flags:
        tf.append("-auto-approve")
    ops = tf_ops(cmd, sub, tf, root)
    return [o.with_tags("bulk") if bulk and o.effect is not Effect.READ else o for o in ops]


def _atmos_helmfile(cmd: Command, rest: list[str]) -> list[Operation]:
    head, flags, _ = _atmos_split(rest)
    root, bulk = _atmos_root(cmd, head, flags)
    sub = head[0] if head else "help"
    effect = _HELMFILE.get(
        sub,
        Effect.READ if sub in ("diff", "template", "lint", "list", "status") else Effect.UNKNOWN,
    )
    t = root.make(cmd)
    tags = ["bulk"] if bulk else []
    if effect is Effect.DESTROY:
        tags.append("teardown")
    stack = env_hint(root.hints) or ""
    summary = f"helmfile {sub} of `{root.name}` in stack `{dict(root.scope).get('stack', '?')}`"
    return [
        op(cmd, f"helmfile-{sub}", effect, [t], tags, summary + (f" ({stack})" if stack else ""))
    ]
