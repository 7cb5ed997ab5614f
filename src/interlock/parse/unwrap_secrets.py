"""Secret-manager runners: a command run with the secrets of an environment the runner names.

`doppler run -c prd -- psql …`, `op run --env-file prod.env -- cmd`, `infisical run --env=prod
-- cmd`, `aws-vault exec prod -- cmd`, `chamber exec prod/app -- cmd`, `sops exec-env
prod.enc.yaml 'cmd'`, `dotenv -e .env.production -- cmd`, `envchain prod cmd` … The command
runs against whatever those secrets point at, so it is judged in that environment: the walker
places its unlocated targets there (`ENV_MARK` entries in `via`, read back by `named_envs`).
The names are kept as written (`prd`, `prod.env`, `.env.production`); resolution decides their
tier like any other environment name.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from interlock.model import Command
from interlock.parse.unwrap_base import Inner, Opaque, Peel, Script, inner_at, via

ENV_MARK = "env:"  # a `via` entry naming the environment a runner gives its command
MAX_NAMES = 4


@dataclass(frozen=True, slots=True)
class Runner:
    """How one runner's command line reads."""

    sub: frozenset[str] = frozenset()  # its subcommands that run a command (empty: none)
    takes: frozenset[str] = frozenset()  # options that take a value
    names: frozenset[str] = frozenset()  # options whose value names the environment
    split: str = ""  # a separator inside those values (`-e prod,staging`)
    positional: int = 0  # words naming the environment before the command (-1: up to `--`)
    script: bool = False  # the command is one shell string (`sops exec-env FILE 'cmd'`)
    script_flags: frozenset[str] = frozenset()  # options whose value is a shell string
    shell_flags: frozenset[str] = frozenset()  # options that make the command a shell string
    assigns: frozenset[str] = frozenset()  # options whose value sets a variable (`-v K=v`)
    not_commands: frozenset[str] = frozenset()  # first words that are subcommands, not programs
    env_vars: tuple[str, ...] = ()  # variables that name the environment when no option does
    sets: tuple[str, ...] = ()  # variables the runner sets to the environment's name


def _w(text: str) -> frozenset[str]:
    return frozenset(text.split())


RUNNERS: dict[str, tuple[Runner, ...]] = {
    "doppler": (
        Runner(
            sub=_w("run"),
            takes=_w(
                "-p --project -c --config --command --token --scope --fallback --mount "
                "--mount-format --mount-template --mount-max-reads --name-transformer "
                "--fallback-passphrase --api-host --dashboard-host --configuration --passphrase"
            ),
            names=_w("-c --config"),
            script_flags=_w("--command"),
            env_vars=("DOPPLER_CONFIG", "DOPPLER_ENVIRONMENT"),
            sets=("DOPPLER_CONFIG",),
            not_commands=_w("clean"),
        ),
    ),
    "infisical": (
        Runner(
            sub=_w("run"),
            takes=_w(
                "--env --path --projectId --token --tags --command --domain --watch-interval "
                "--project-config-dir"
            ),
            names=_w("--env"),
            script_flags=_w("--command"),
            env_vars=("INFISICAL_ENV",),
        ),
    ),
    "op": (
        Runner(
            sub=_w("run"),
            takes=_w("--env-file --environment --account --config --session --encoding --cache"),
            names=_w("--env-file --environment"),
        ),
    ),
    "aws-vault": (
        Runner(
            sub=_w("exec"),
            takes=_w("-d --duration -r --region --prompt -t --mfa-token --ec2-server --backend"),
            positional=1,
            sets=("AWS_VAULT", "AWS_PROFILE"),
        ),
    ),
    "chamber": (Runner(sub=_w("exec"), takes=_w("-b --backend"), positional=-1),),
    "sops": (
        Runner(
            sub=_w("exec-env exec-file"),
            takes=_w("--user --filename --output-type --input-type --config"),
            positional=1,
            script=True,
        ),
    ),
    "dotenv": (
        Runner(  # python-dotenv: `dotenv -f .env.prod run cmd`
            sub=_w("run"),
            takes=_w("-f --file -q --quote -e --export"),
            names=_w("-f --file"),
        ),
        Runner(  # dotenv-cli: `dotenv -e .env.production -c production -- cmd`
            takes=_w("-e -c -v -p"),
            names=_w("-e -c"),
            assigns=_w("-v"),
            not_commands=_w("list get set unset run -p"),  # `-p VAR` prints a variable
        ),
    ),
    "dotenvx": (
        Runner(
            sub=_w("run"),
            takes=_w("-f --env-file -e --env --convention -fk --env-keys-file --log-level"),
            names=_w("-f --env-file --convention"),
            assigns=_w("-e --env"),
        ),
    ),
    "env-cmd": (
        Runner(
            takes=_w("-f --file -e --environments -r --rc-file"),
            names=_w("-f --file -e --environments"),
            split=",",
            shell_flags=_w("--use-shell"),
        ),
    ),
    "envchain": (Runner(positional=1, split=",", not_commands=_w("--set -s --list -l --unset")),),
    "summon": (
        Runner(
            takes=_w("-p --provider -f -D -e --environment --fetch"),
            names=_w("-e --environment"),
        ),
    ),
    "teller": (Runner(sub=_w("run"), takes=_w("-c --config"), names=_w("-c --config")),),
    "saml2aws": (
        Runner(
            sub=_w("exec"),
            takes=_w("-a --idp-account -p --profile --exec-profile --region --session-duration"),
            names=_w("-p --profile --exec-profile -a --idp-account"),
        ),
    ),
    "aws-sso": (
        Runner(
            sub=_w("exec"),
            takes=_w("-p --profile -A --account -R --role -a --arn -S --sso -n --no-region"),
            names=_w("-p --profile -A --account -a --arn"),
        ),
    ),
}


def peel_runner(cmd: Command) -> Peel | None:
    """The command a secret-manager runner runs, marked with the environment it names; None
    when this is not a run (`doppler secrets get`, `envchain --set ns VAR`)."""
    for spec in RUNNERS.get(cmd.program, ()):
        found = _peel(cmd, spec)
        if found is not None:
            return found
    return None


def named_envs(marks: tuple[str, ...]) -> tuple[str, ...]:
    """The environment names runners put in a command's `via` (innermost last)."""
    return tuple(v[len(ENV_MARK) :] for v in marks if v.startswith(ENV_MARK))


def _peel(cmd: Command, spec: Runner) -> Peel | None:
    argv = cmd.argv
    found = _Found(sub="" if spec.sub else cmd.program, left=spec.positional)
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--":
            if not found.sub or found.left > 0:
                return None
            found.dashes, i = True, i + 1
            break
        if a.startswith("-") and len(a) > 1:
            if a in spec.not_commands:
                return None
            i, script = _option(argv, i, spec, found)
            if script is not None and found.sub:
                return Script(script, via(_marked(cmd, spec, found), found.label(cmd)))
            continue
        if not found.sub:
            if a not in spec.sub:
                return None
            found.sub, i = a, i + 1
        elif found.left != 0:
            found.names.append(a)
            found.left, i = max(found.left - 1, -1), i + 1
        else:
            break
    if not found.sub or found.left > 0 or (found.left < 0 and not found.dashes):
        return None
    if i < len(argv) and not found.dashes and argv[i] in spec.not_commands:
        return None
    if not found.names:
        found.names = [v for n in spec.env_vars if (v := cmd.getenv(n) or "")][:1]
    return _command(cmd, i, spec, found)


@dataclass(slots=True)
class _Found:
    """What a runner's words said so far."""

    sub: str  # the subcommand seen (the program itself for a runner without one)
    left: int  # positional names still to read (-1: up to `--`)
    names: list[str] = field(default_factory=list)
    settings: list[tuple[str, str]] = field(default_factory=list)
    dashes: bool = False

    def label(self, cmd: Command) -> str:
        return cmd.program if self.sub == cmd.program else f"{cmd.program} {self.sub}"


def _option(argv: tuple[str, ...], i: int, spec: Runner, found: _Found) -> tuple[int, str | None]:
    """Read the option at `i`: the index after it, and a shell string it gives (`--command`)."""
    key, eq, value = argv[i].partition("=")
    takes = key in spec.takes and not eq and i + 1 < len(argv) and argv[i + 1] != "--"
    if takes:
        value = argv[i + 1]
    if not (eq or takes):
        return i + 1, None
    if key in spec.names:
        found.names.extend(value.split(spec.split) if spec.split else [value])
    if key in spec.assigns and "=" in value:
        name, _, text = value.partition("=")
        found.settings.append((name, text))
    return i + (2 if takes else 1), value if key in spec.script_flags else None


def _command(cmd: Command, i: int, spec: Runner, found: _Found) -> Inner | Script | Opaque:
    marked = _marked(cmd, spec, found)
    shell = spec.script or bool(spec.shell_flags & set(cmd.argv[1:i]))
    if shell and i < len(cmd.argv):
        text = " ".join(cmd.argv[i:])
        dynamic = any(cmd.is_dynamic(k) for k in range(i, len(cmd.argv)))
        return Script(text, via(marked, found.label(cmd)), dynamic=dynamic)
    return inner_at(marked, i, found.label(cmd))


def _marked(cmd: Command, spec: Runner, found: _Found) -> Command:
    """`cmd` carrying the environment names and the variables the runner sets."""
    names = [n for n in found.names if n][:MAX_NAMES]
    env = (*cmd.env, *found.settings, *((v, names[0]) for v in spec.sets if names))
    return replace(cmd, env=env, via=(*cmd.via, *(ENV_MARK + n for n in names)))
