"""The fallback analyzer: any CLI nobody wrote a pack for.

Most CLIs read `tool [global flags] noun… verb [args]`. The leading subcommand words are looked
up in the verb lexicon (`interlock.parse.lexicon`); the first positional after the verb is the
target, and the usual scope flags (`--env`, `--profile`, `--region`, `--namespace` …) locate it.
`--help`/`--version` anywhere make the command a read. An unknown verb is an `UNKNOWN` effect.
Build tools, test runners and formatters (`make clean`, `cargo build`, `pytest`) are answered by
`generic_build`; plain read-only utilities (`nproc`, `bat`, `fd`) are reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from interlock.model import Command, Effect, Operation, Target
from interlock.parse import lexicon
from interlock.parse.lexicon import words
from interlock.parse.tools import Context
from interlock.parse.tools.generic_words import destination, lead_words

# Flags (normalized to `--name` / `-x`) that take a value, and the scope key they set.
SCOPE_FLAGS: dict[str, str] = {
    "--env": "env",
    "--environment": "env",
    "--stage": "env",
    "-e": "env",
    "--profile": "profile",
    "--context": "context",
    "--kube-context": "context",
    "--cluster": "cluster",
    "--project": "project",
    "--project-id": "project",
    "--region": "region",
    "--account": "account",
    "--account-id": "account",
    "--namespace": "namespace",
    "-n": "namespace",
    "--host": "host",
    "--url": "url",
    "--endpoint": "url",
    "--server": "url",
    "--address": "url",
    "--api-url": "url",
    "--workspace": "workspace",
    "--org": "account",
    "--organization": "account",
    "--app": "project",
    "-a": "project",
    "--database": "database",
    "--db": "database",
    "--dataset": "database",
    "--subscription": "subscription",
    "--resource-group": "resource_group",
    "--stack": "stack",
    "--site": "project",
    "--space": "workspace",
    "--tenant": "account",
    "--zone": "region",
    "--location": "region",
    "--team": "account",
}
_VALUE_FLAGS = frozenset(SCOPE_FLAGS) | words(
    "-o --output --format --config --config-file --log-level --token --api-key --name "
    "--id --file --filename --key --version-id --versions --timeout --limit --query "
    "--filter --label --tag --user --username --password --secret --ca-cert --cert "
    "--client-cert --client-key --kubeconfig --credentials --auth --method -p --port"
)
_ENV_FLAGS = {"--live": "prod", "--prod": "prod", "--production": "prod", "--staging": "staging"}
ENV_VARS = (
    "ENV",
    "ENVIRONMENT",
    "STAGE",
    "APP_ENV",
    "DEPLOY_ENV",
    "RAILS_ENV",
    "RACK_ENV",
    "MIX_ENV",
    "FLASK_ENV",
    "TARGET_ENV",
)

_TAG_FLAGS: dict[str, str] = {
    "--force": "force",
    "-f": "force",
    "--purge": "force",
    "--hard": "force",
    "--yes": "auto-approve",
    "-y": "auto-approve",
    "--confirm": "auto-approve",
    "--auto-approve": "auto-approve",
    "--no-confirm": "auto-approve",
    "--assume-yes": "auto-approve",
    "--non-interactive": "auto-approve",
    "--skip-confirmation": "auto-approve",
    "--all": "all",
    "-A": "all",
    "--everything": "all",
    "--recursive": "recursive",
    "-r": "recursive",
    "-R": "recursive",
    "--recurse": "recursive",
    "--cascade": "recursive",
    "--dry-run": "dry-run",
    "--dryrun": "dry-run",
    "--dry_run": "dry-run",
    "--dry": "dry-run",
    "--why-run": "dry-run",
    "--what-if": "dry-run",
    "--whatif": "dry-run",
    "--noop": "dry-run",
    "--simulate": "dry-run",
    "--plan": "dry-run",
    "--preview": "dry-run",
    "--no-backup": "no-backup",
    "--skip-backup": "no-backup",
    "--skip-final-snapshot": "no-backup",
}
_HELP_FLAGS = words("--help -help --usage -?")
# Version flags print and exit only where no subcommand precedes them: `tool deploy --version 2`
# passes a value, `tool -V` prints.
_VERSION_FLAGS = words("--version -V -version")
_HELP_WORDS = frozenset({"help", "version", "--help"})
# `--delete`, `--drop-all`: a destroy verb spelled as a flag.
_DESTROY_FLAG_SKIP = words(
    "--rm --delete-after --delete-before --remove-orphans --clear-screen --clean-output "
    "--reset-color --clean"
)
# Destroy flags that override even a reading verb (`gitlab-runner verify --delete`).
_READ_DESTROY_FLAGS = words("--delete --purge --prune --destroy --wipe --drop")
# Flags that turn a preview into the real thing.
APPLY_FLAGS = words("--auto-apply --apply --execute --doit --no-dry-run")


@dataclass(slots=True)
class Parsed:
    pos: list[tuple[int, str]] = field(default_factory=list)  # (argv index, word)
    flags: dict[str, str] = field(default_factory=dict)


def norm_flag(token: str) -> tuple[str, str | None]:
    """`-recurse` and `--recurse` → `--recurse`; `--x=1` → (`--x`, `1`)."""
    body, eq, val = token.lstrip("-").partition("=")
    name = ("-" + body) if len(body) == 1 else ("--" + body)
    return name, (val if eq else None)


def scan(cmd: Command, start: int = 1, value_flags: frozenset[str] = _VALUE_FLAGS) -> Parsed:
    """Split argv[start:] into positionals (with their argv index) and normalized flags."""
    out = Parsed()
    argv, i, n = cmd.argv, start, len(cmd.argv)
    while i < n:
        a = argv[i]
        if a == "--":
            out.pos.extend((j, argv[j]) for j in range(i + 1, n))
            break
        if len(a) < 2 or a[0] != "-" or a[1].isdigit():
            out.pos.append((i, a))
            i += 1
            continue
        name, val = norm_flag(a)
        takes = name in value_flags or (name == "--version" and out.pos)
        if val is None and takes and i + 1 < n and not argv[i + 1].startswith("-"):
            val = argv[i + 1]
            i += 1
        if name == "-n" and val is not None and lexicon.classify(val) is not None:
            out.pos.append((i, val))  # `tool -n delete x`: -n was a boolean
            val = ""
        _set_flag(out, a, name, val)
        i += 1
    return out


def _set_flag(out: Parsed, raw: str, name: str, val: str | None) -> None:
    body = raw.lstrip("-").split("=", 1)[0]
    if raw.startswith("-") and not raw.startswith("--") and 1 < len(body) <= 3 and body.isalpha():
        for ch in body:  # bundled short flags: `-rf`
            out.flags.setdefault("-" + ch, "")
        if f"--{body}" not in _TAG_FLAGS and f"--{body}" not in SCOPE_FLAGS:
            return
    out.flags[name] = val or ""


def env_scope(
    cmd: Command, flags: dict[str, str] | None = None, params: bool = False
) -> str | None:
    """A generic environment name from flags (`--env prod`, `--live`), with `params` from a
    run's parameters (`-p ENV=production`), or from variables (`ENV=prod tool …`)."""
    for key, value in (flags or {}).items():
        if key in _ENV_FLAGS:
            return _ENV_FLAGS[key]
        if SCOPE_FLAGS.get(key) == "env" and value and "=" not in value:
            return value
    if params:
        from interlock.parse.tools.generic_ci import param_env

        if found := param_env(cmd.argv):
            return found
    for var in ENV_VARS:
        value = cmd.getenv(var)
        if value:
            return value
    return None


def scope_of(cmd: Command, flags: dict[str, str]) -> dict[str, str]:
    scope: dict[str, str] = {}
    for key, value in flags.items():
        skey = SCOPE_FLAGS.get(key)
        if skey and value and skey != "env":
            scope.setdefault(skey, value)
    env = env_scope(cmd, flags, params=True)
    if env:
        scope["env"] = env
    if cmd.host:
        scope["host"] = cmd.host
    return scope


def tags_of(flags: dict[str, str]) -> set[str]:
    return {_TAG_FLAGS[k] for k in flags if k in _TAG_FLAGS}


def is_help(cmd: Command, parsed: Parsed) -> bool:
    if any(f in _HELP_FLAGS for f in parsed.flags):
        return True
    if not parsed.pos and any(parsed.flags.get(f) == "" for f in _VERSION_FLAGS):
        return True
    if parsed.pos and parsed.pos[0][1] in _HELP_WORDS:
        return True
    last = cmd.argv[-1] if len(cmd.argv) > 1 else ""
    return last in ("-h", "help") and len(parsed.pos) <= 4


def _destroy_flag(flags: dict[str, str]) -> str | None:
    for key, value in flags.items():
        if not key.startswith("--") or key in _DESTROY_FLAG_SKIP or value:
            continue  # `--format json` names an output format
        word = key[2:]
        if lexicon.classify(word) is Effect.DESTROY and lexicon.parts(word)[0] in lexicon.DESTROY:
            return lexicon.verb_of(word)
    return None


def applies(flags: dict[str, str]) -> bool:
    """A flag that turns a preview into the real thing is given (`plan --auto-apply`)."""
    return any(flags.get(f) == "" for f in APPLY_FLAGS)


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses") or w.endswith("xes"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "is", "us")) and len(w) > 3:
        return w[:-1]
    return w


def _kind(nouns: list[str], verb_word: str) -> str:
    rest = [p for p in lexicon.parts(verb_word) if lexicon.classify(p) is None]
    rest = [p for p in rest if p not in ("force", "hard", "permanent", "bulk", "all")]
    if rest:
        return _singular("-".join(rest))
    return _singular(nouns[-1]) if nouns else "resource"


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    from interlock.parse.tools import (
        generic_build,
        generic_build_tables,
        generic_data,
        generic_frameworks,
        generic_known,
        generic_remote,
        generic_saas,
    )

    prog = cmd.program
    if prog in generic_build_tables.READ_ONLY:
        return [op(cmd, "run", Effect.READ, [], set(), f"runs `{prog}`")]
    if prog in generic_data.PROGRAMS:
        data = generic_data.analyze(cmd, ctx)
        if data:
            return data
    if prog in generic_remote.PROGRAMS:
        remote = generic_remote.analyze(cmd, ctx)
        if remote:
            return remote
    if prog in generic_known.PROGRAMS:
        known = generic_known.analyze(cmd)
        if known is not None:
            return [known]
    if prog in generic_frameworks.TOOLS:
        found = generic_frameworks.analyze(cmd, ctx)
        if found:
            return found
    if prog in generic_build.TOOLS:
        return generic_build.analyze(cmd, ctx)
    if prog in generic_saas.PROGRAMS:
        parsed = scan(cmd, value_flags=_VALUE_FLAGS | generic_saas.VALUE_FLAGS)
        if not is_help(cmd, parsed):
            answer = generic_saas.analyze(cmd, parsed.pos, parsed.flags)
            if answer is not None:
                return [answer]
    return [cli(cmd)]


def cli(
    cmd: Command,
    start: int = 1,
    family: str = "generic",
    vocab: Mapping[str, Effect] | None = None,
    value_flags: frozenset[str] = _VALUE_FLAGS,
    scopes: Mapping[str, str] | None = None,
) -> Operation:
    """Classify `cmd` with the noun…verb model (also used by other analyzers). `vocab` holds a
    tool's own words (`crane digest` reads) and wins over the lexicon; `scopes` maps a tool's own
    flags to the scope key their value sets (`doppler -c prd` → env)."""
    parsed = scan(cmd, start, value_flags)
    scope = scope_of(cmd, parsed.flags)
    for flag, key in (scopes or {}).items():
        if parsed.flags.get(flag):
            scope[key] = parsed.flags[flag]
    tags = tags_of(parsed.flags)
    prog = cmd.program
    if is_help(cmd, parsed):
        return op(cmd, "help", Effect.READ, [], set(), f"shows help for `{prog}`", family)
    lead = lead_words([(i, w) for i, w in parsed.pos[:5] if not cmd.is_dynamic(i)], vocab)
    picked = lexicon.pick_verb([w for _, w in lead], vocab)
    if picked is None:
        from interlock.parse.tools.generic_verbless import verbless

        return verbless(cmd, parsed, scope, tags, family, [w for _, w in lead])
    k, effect = picked
    vidx, vword = lead[k]
    verb = lexicon.verb_of(vword)
    nouns = [w for _, w in lead[:k]]
    after = [(i, w) for i, w in parsed.pos if i > vidx]
    if nouns and (nouns[-1].lower(), verb) in lexicon.DESTROY_PHRASES:
        effect = Effect.DESTROY
    flag_verb = _destroy_flag(parsed.flags)
    if flag_verb and (effect is not Effect.READ or f"--{flag_verb}" in _READ_DESTROY_FLAGS):
        effect, verb = Effect.DESTROY, flag_verb
    if effect is Effect.READ and applies(parsed.flags):
        effect = Effect.WRITE  # `plan --auto-apply`, `reset … --execute`
    after = destination(verb, after)  # `import data.ndjson production` writes `production`
    target = _target(cmd, after, parsed.flags, _kind(nouns, vword), scope, tags)
    if "dry-run" in tags and effect in (Effect.WRITE, Effect.DESTROY):
        effect = Effect.READ
    phrase = " ".join([*nouns, vword])
    what = f" `{target.name}`" if target.name else ""
    summary = f"`{prog} {phrase}`{what} ({_WORDS[effect]})"
    return op(cmd, verb, effect, [target], tags, summary, family)


_WORDS = {
    Effect.READ: "reads",
    Effect.WRITE: "changes state",
    Effect.DESTROY: "destroys",
    Effect.UNKNOWN: "unknown effect",
}


def _target(
    cmd: Command,
    after: list[tuple[int, str]],
    flags: dict[str, str],
    kind: str,
    scope: dict[str, str],
    tags: set[str],
) -> Target:
    name = ""
    for i, w in after:
        name = w
        if cmd.is_dynamic(i):
            tags.add("dynamic-target")
        break
    if not name:
        name = flags.get("--name") or flags.get("--id") or ""
    if name in ("*", "all", "_all") or name.endswith("/*"):
        tags.add("all")
    if "*" in name:
        tags.add("wildcard")
    return Target.make(kind, name, **scope)


def op(
    cmd: Command,
    action: str,
    effect: Effect,
    targets: list[Target],
    tags: set[str],
    summary: str,
    family: str = "generic",
) -> Operation:
    return Operation.of(cmd, family, action, effect, targets, tags, summary)
