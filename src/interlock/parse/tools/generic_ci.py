"""Release, registry and CI/CD CLIs read through the verb lexicon, with what it misses.

`twine upload`, `goreleaser release`, `nuget push`, `regctl image copy`, `conan upload`,
`changeset publish`, `flit publish`, `octo push`, `vsce publish`, `pod trunk push` publish to a
registry: a `write` tagged `publish` (`generic.release-publish` asks). `goreleaser release
--snapshot` only builds into `dist/`. CI/CD runners name the environment a run deploys to in their own ways: the last word
of `drone build promote acme/api 42 production`, `octo --deployTo Production`, a
`-v ENV=production` variable, `spin --name deploy-prod`; that becomes the target's `env` scope.
`param_env` gives every CLI the generic model reads the same reading of `-p ENV=production`.
`argo stop`/`terminate` stop a workflow run (a `write`), they do not delete it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.lexicon import words

_R, _W, _D = Effect.READ, Effect.WRITE, Effect.DESTROY
_HELP = words("--help -h --usage")
# Parameter names that say which environment a run acts on: `jenkins-cli build deploy -p
# ENV=production`, `bk build create --env DEPLOY_ENV=prod`, `tkn pipeline start -p tier=prod`.
ENV_PARAM_KEYS = words(
    "env environment stage target_env deploy_env deploy_target deployment_env target tier app_env"
)


def _v(read: str = "", write: str = "", destroy: str = "") -> dict[str, Effect]:
    out = dict.fromkeys(read.split(), _R)
    out.update(dict.fromkeys(write.split(), _W))
    out.update(dict.fromkeys(destroy.split(), _D))
    return out


@dataclass(frozen=True, slots=True)
class _Tool:
    """What one CLI's words and flags mean beyond the lexicon."""

    vocab: Mapping[str, Effect] = field(default_factory=dict)
    publish: frozenset[str] = frozenset()  # words that publish to a registry
    local: frozenset[str] = frozenset()  # words whose writes stay on this machine
    keep_local: frozenset[str] = frozenset()  # flags that keep a publish word local
    env_flags: tuple[str, ...] = ()  # flags naming the environment a run deploys to
    env_last: frozenset[str] = frozenset()  # words whose last argument is the environment
    name_flags: tuple[str, ...] = ()  # flags naming the target (`spin --name`)
    value_flags: frozenset[str] = frozenset()
    scope_flags: Mapping[str, str] = field(default_factory=dict)
    remote_flags: frozenset[str] = frozenset()  # when set, only these reach past this machine


TOOLS: dict[str, _Tool] = {
    "twine": _Tool(
        _v("check"),
        publish=words("upload register"),
        value_flags=words("-r --repository --repository-url -u -p -c --comment --config-file"),
        scope_flags={"--repository-url": "url", "-r": "url", "--repository": "url"},
    ),
    "goreleaser": _Tool(
        _v("check healthcheck changelog jsonschema", "release build init announce"),
        publish=words("release publish"),
        local=words("build init"),
        keep_local=words("--snapshot --skip-publish --skip=publish --prepare --split"),
        value_flags=words("--skip -f --config -p --parallelism --timeout --id"),
    ),
    "nuget": _Tool(
        _v("list search verify help", "restore install pack update add init spec sign"),
        publish=words("push"),
        local=words("restore install pack init spec sign locals"),
        value_flags=words("--Source -s --ApiKey -k --ConfigFile --Timeout --SymbolSource"),
        scope_flags={"--Source": "url", "-s": "url"},
    ),
    "regctl": _Tool(
        _v("digest inspect ratelimit get-file config head version", "mod put copy cp import"),
        publish=words("copy cp mod put import"),
    ),
    "conan": _Tool(
        _v("search list info inspect graph", "install create build export source new"),
        remote_flags=words("-r --remote"),
        publish=words("upload"),
        local=words("install create build export source new"),
        value_flags=words("-r --remote -pr --profile -s --settings -o --options"),
        scope_flags={"-r": "url", "--remote": "url"},
    ),
    "changeset": _Tool(
        _v("status", "version add pre tag"),
        publish=words("publish"),
        local=words("version add pre tag init"),
    ),
    "flit": _Tool(
        _v(write="build install init"), publish=words("publish"), local=words("build install init")
    ),
    "jsr": _Tool(publish=words("publish")),
    "vsce": _Tool(
        _v("ls show verify-pat", "package login logout"),
        publish=words("publish"),
        local=words("package"),
    ),
    "ovsx": _Tool(_v("get verify-pat", "create-namespace login logout"), publish=words("publish")),
    "pod": _Tool(
        _v("search list spec-lint lib-lint env info", "install update init setup deintegrate"),
        publish=words("push"),  # `pod trunk push`, `pod repo push`
        local=words("install update init setup deintegrate"),
    ),
    "anaconda": _Tool(_v("show search whoami", "login logout"), publish=words("upload")),
    "argo": _Tool(
        _v("lint wait watch node", "terminate stop resubmit retry suspend resume submit"),
        value_flags=words("--from -p --parameter -l --selector --output-format --serviceaccount"),
    ),
    "spin": _Tool(
        name_flags=("--name",),
        value_flags=words("--application --pipeline-id --file --parameter"),
        scope_flags={"--application": "project"},
    ),
    "codefresh": _Tool(
        _v(write="terminate restart approve deny"),
        value_flags=words("-b --branch -t --trigger --sha -v --variable --variable-file"),
    ),
    "tkn": _Tool(
        value_flags=words("-p --param -s --serviceaccount -w --workspace -L --last --pod-template"),
    ),
    "travis": _Tool(
        _v(
            "whatsup branches history show requests accounts monitor endpoint report whoami "
            "settings",
            "restart cancel enable disable sync encrypt",
            "unset clear",
        ),
    ),
    "drone": _Tool(_v("last info ls logs queue stats"), env_last=words("promote rollback deploy")),
    "woodpecker-cli": _Tool(env_last=words("deploy promote")),
    "woodpecker": _Tool(env_last=words("deploy promote")),
    "octo": _Tool(
        _v("list-environments list-projects list-releases list-deployments list-machines"),
        publish=words("push"),
        env_flags=("--deployTo", "--deployto", "--to", "--environment"),
        name_flags=("--project",),
        value_flags=words(
            "--deployTo --deployto --to --from --environment --project --version "
            "--server --apiKey --space --channel --package --packageVersion --releaseNumber "
            "--minVersion --maxVersion --tenant --id --basePath --outFolder"
        ),
        scope_flags={"--server": "url", "--space": "workspace"},
    ),
}
PROGRAMS = frozenset(TOOLS)


def analyze(cmd: Command) -> Operation:
    from interlock.parse.tools.generic import _VALUE_FLAGS, cli, scan

    tool = TOOLS[cmd.program]
    parsed = scan(cmd, value_flags=_VALUE_FLAGS | tool.value_flags)
    said = {w for _, w in parsed.pos[:3]}
    if parsed.pos[:1] and parsed.pos[0][1] in tool.local and not _HELP & set(parsed.flags):
        # `changeset version` bumps versions here (the generic reading takes it for `--version`)
        return _local(cli(cmd, vocab=tool.vocab), cmd, _W)
    found = cli(cmd, vocab=tool.vocab)
    if found.effect is _R or found.action == "help":
        return found
    if tool.remote_flags and not set(parsed.flags) & tool.remote_flags:
        return _local(found, cmd)
    if said & tool.publish and found.effect is _W:
        if _kept_local(tool, parsed.flags):
            return _local(found, cmd)
        summary = found.summary.replace("(changes state)", "(publishes to a registry)")
        found = replace(found.with_tags("publish"), summary=summary)
    elif said & tool.local and found.effect is _W:
        return _local(found, cmd)
    scope = {k: parsed.flags[f] for f, k in tool.scope_flags.items() if parsed.flags.get(f)}
    env = _env(tool, parsed.pos, parsed.flags, said)
    if env:
        scope["env"] = env
    name = next((parsed.flags[f] for f in tool.name_flags if parsed.flags.get(f)), None)
    if not scope and name is None:
        return found
    return replace(found, targets=tuple(_retarget(t, name, scope) for t in found.targets))


def _kept_local(tool: _Tool, flags: dict[str, str]) -> bool:
    """`--snapshot`, or `--skip=publish`: a flag (with a value it must name) that stops a
    publishing word short of the registry."""
    for spec in tool.keep_local:
        name, _, value = spec.partition("=")
        if name in flags and (not value or value in flags[name].split(",")):
            return True
    return False


def _env(tool: _Tool, pos: list[tuple[int, str]], flags: dict[str, str], said: set[str]) -> str:
    """The environment a run deploys to: a flag, the last word, or `ENV=production`."""
    for f in tool.env_flags:
        if flags.get(f):
            return flags[f]
    if said & tool.env_last and len(pos) >= 4:
        return pos[-1][1]
    for value in [w for _, w in pos] + list(flags.values()):
        key, eq, val = value.partition("=")
        if eq and val and key.strip().lower() in ENV_PARAM_KEYS:
            return val
    return ""


def param_env(argv: tuple[str, ...] | list[str]) -> str | None:
    """The value of the first `KEY=VALUE` argument (or `--flag=KEY=VALUE`) whose key names an
    environment: the generic model's reading of a run's parameters."""
    for a in argv[1:]:
        if "=" not in a:
            continue
        body = a.partition("=")[2] if a.startswith("-") else a
        key, eq, value = body.partition("=")
        if eq and value and key.strip().lower() in ENV_PARAM_KEYS:
            return value
    return None


def _retarget(t: Target, name: str | None, scope: dict[str, str]) -> Target:
    merged = dict(t.scope) | scope
    return Target.make(t.kind, name if name is not None else t.name, t.tier, **merged)


def _local(found: Operation, cmd: Command, effect: Effect | None = None) -> Operation:
    """A change that only touches this machine (`goreleaser release --snapshot`)."""
    effect = effect or found.effect
    if cmd.host:
        return replace(found, effect=effect)
    targets = tuple(replace(t, tier=Tier.LOCAL) for t in found.targets)
    return replace(found, effect=effect, targets=targets, tags=found.tags - {"publish"})


# ---- Fabric tasks -----------------------------------------------------------------------

_FAB_VALUES = words(
    "-H --hosts -c --collection -f --config -i --identity -S --ssh-config -t --connect-timeout "
    "-r --search-root -R --roles -u --user -p --password -x --exclude-hosts -w -D --list-depth "
    "-F --list-format --prompt-for-passphrase -e --echo-format -T --command-timeout"
)
_FAB_READ = words("-l --list -V --version -h --help -d --display --complete")


def fab_tasks(cmd: Command) -> list[Operation]:
    """`fab -H prod-web-1 deploy`: Fabric tasks run on the hosts `-H` names, judged by the
    task's name (`deploy` writes, `clean` destroys, anything else runs unknown code)."""
    from interlock.parse.tools.generic import op
    from interlock.parse.tools.generic_build import task_category

    hosts, tasks, i = "", [], 1
    while i < len(cmd.argv):
        a = cmd.argv[i]
        if a in _FAB_READ or a.split("=", 1)[0] in ("--list", "--help"):
            return [op(cmd, "list", _R, [], set(), "lists or explains Fabric tasks")]
        if a.startswith("-"):
            name, eq, value = a.partition("=")
            if not eq and name in _FAB_VALUES and i + 1 < len(cmd.argv):
                value, i = cmd.argv[i + 1], i + 1
            if name in ("-H", "--hosts"):
                hosts = value
        elif not cmd.is_dynamic(i):
            tasks.append(a.split(":", 1)[0])
        i += 1
    host = hosts or cmd.host
    where = f" on `{hosts}`" if hosts else ""
    ops = []
    for task in tasks[:8] or ["(default)"]:
        effect = _FAB_EFFECT.get(task_category(task), Effect.UNKNOWN)
        t = Target.make("host" if host else "task", host or task, host=host)
        ops.append(op(cmd, task, effect, [t], set(), f"runs Fabric task `{task}`{where}"))
    return ops


# A Fabric task's name is only a hint: `clean` on a server may remove anything, so it is unknown.
_FAB_EFFECT = {"read": _R, "write": _W, "remote": _W, "publish": _W, "destroy": _D}
