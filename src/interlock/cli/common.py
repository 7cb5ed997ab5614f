"""Settings for the command line, parsed once: rule packs, environment map, inherited env.

Start-up matters here (a hook runs `interlock check` for every command an agent proposes):
`argparse` (with the `shutil`, `gettext` and `locale` it pulls in) and `pathlib` are not
imported on the common path. `parse_known` reads a plain `interlock check` line; anything it
does not recognise goes to the argparse parser, which owns help and error messages.
"""

from __future__ import annotations

import os
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from interlock.model import InputError, Mode, Tier

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

# variables whose values decide where a command lands; read from the caller's environment
INHERITED = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "KUBECONFIG",
    "TF_WORKSPACE",
    "PGHOST",
    "PGDATABASE",
    "PGSERVICE",
    "MYSQL_HOST",
    "CLOUDSDK_CORE_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "AZURE_SUBSCRIPTION_ID",
    "DOCKER_HOST",
    "DOCKER_CONTEXT",
    "DATABASE_URL",
    "REDIS_URL",
    "MONGODB_URI",
    "PULUMI_STACK",
    "VAULT_ADDR",
    "NOMAD_ADDR",
    "CONSUL_HTTP_ADDR",
    "HELM_KUBECONTEXT",
)
ENVMAP_PATHS = (".interlock/environments.yaml", "~/.config/interlock/environments.yaml")


class UsageError(Exception):
    pass


def _parser_class() -> type[argparse.ArgumentParser]:
    import argparse

    class Parser(argparse.ArgumentParser):
        """argparse that raises instead of exiting, so every front door answers the same way."""

        def error(self, message: str) -> NoReturn:
            raise UsageError(message)

    return Parser


if TYPE_CHECKING:
    Parser = _parser_class()
else:

    def __getattr__(name: str) -> Any:
        # `Parser` subclasses argparse's parser; it is built on first use so that importing
        # this module does not import argparse
        if name == "Parser":
            globals()["Parser"] = cls = _parser_class()
            return cls
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MODES = frozenset(m.value for m in Mode)
TIERS = frozenset(t.value for t in Tier if t is not Tier.UNKNOWN)
# options every command takes: name -> (takes a value, repeatable, allowed values or None)
COMMON_OPTIONS: dict[str, tuple[bool, bool, frozenset[str] | None]] = {
    "--mode": (True, False, MODES),
    "--env": (True, False, TIERS),
    "--envmap": (True, False, None),
    "--rules": (True, True, None),
    "--policy": (True, False, None),
    "--inventory": (True, False, None),
    "--agent": (True, False, None),
}
POLICY_DIR = ".interlock/policy"


def parse_known(
    argv: Sequence[str], options: dict[str, tuple[bool, bool, frozenset[str] | None]]
) -> SimpleNamespace | None:
    """The namespace argparse would give for a plain line, or None to let argparse decide.

    Plain: exact option names (`--x v` or `--x=v`) first, then `--` and the command, or command
    words none of which starts with `-`. Abbreviations, help, bad values and anything else
    answer None.
    """
    ns = SimpleNamespace(
        **{
            name[2:]: ([] if repeat else (None if takes else False))
            for name, (takes, repeat, _c) in options.items()
        },
        command=[],
    )
    i, n = 0, len(argv)
    while i < n:
        word = argv[i]
        if word == "--":
            ns.command = list(argv[i + 1 :])
            return ns
        if not word.startswith("-") or word == "-":
            rest = argv[i:]
            if any(w.startswith("-") for w in rest):
                return None
            ns.command = list(rest)
            return ns
        name, eq, value = word.partition("=")
        spec = options.get(name)
        if spec is None:
            return None
        takes, repeat, choices = spec
        if not takes:
            if eq:
                return None
            setattr(ns, name[2:], True)
            i += 1
            continue
        if not eq:
            if i + 1 >= n:
                return None
            value = argv[i + 1]
            if value.startswith("-") and value != "-":
                return None
            i += 1
        if choices is not None and value not in choices:
            return None
        if repeat:
            getattr(ns, name[2:]).append(value)
        else:
            setattr(ns, name[2:], value)
        i += 1
    return ns


def add_common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--mode",
        choices=[m.value for m in Mode],
        default=None,
        help="workstation (default; a coding agent's machine) or gateway (in front of production)",
    )
    p.add_argument(
        "--env",
        choices=[t.value for t in Tier if t is not Tier.UNKNOWN],
        default=None,
        help="treat every target as this tier",
    )
    p.add_argument(
        "--envmap",
        default=None,
        help="environment map YAML (default: $INTERLOCK_ENVMAP, "
        ".interlock/environments.yaml, ~/.config/interlock/environments.yaml)",
    )
    p.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="a directory of extra rule packs (*.yaml); repeatable",
    )
    p.add_argument(
        "--policy",
        default=None,
        metavar="DIR",
        help="policy directory (policy.yaml, invariants.yaml; default: $INTERLOCK_POLICY, "
        ".interlock/policy)",
    )
    p.add_argument(
        "--inventory",
        default=None,
        metavar="SNAPSHOT",
        help="an inventory snapshot (`interlock inventory collect`): state changes are simulated "
        "on it and policy sees the blast radius (default: $INTERLOCK_INVENTORY)",
    )
    p.add_argument(
        "--agent",
        default=None,
        metavar="ID",
        help="the acting agent's principal, e.g. agent:deploy-bot (default: $INTERLOCK_AGENT)",
    )


def settings_from(ns: Any, environ: dict[str, str] | None = None, cwd: str | None = None) -> Any:
    """Settings for `ns` and `environ`; relative paths are found from `cwd` (default: this
    process's working directory; the resident daemon passes its client's)."""
    from interlock.policy.packs import load_index
    from interlock.service import Settings

    environ = dict(os.environ) if environ is None else environ
    envmap = _envmap(ns.envmap or environ.get("INTERLOCK_ENVMAP"), cwd)
    base_env = tuple((k, environ[k]) for k in INHERITED if environ.get(k))
    index = load_index(tuple(_at(cwd, d) for d in ns.rules))
    policy_dir = getattr(ns, "policy", None) or environ.get("INTERLOCK_POLICY")
    policy = load_policy_dir(policy_dir, cwd)
    state = _state_edges(environ)
    from interlock.store import data_dir

    protected = tuple(p for p in (policy_dir, data_dir(environ)) if p)
    inventory = getattr(ns, "inventory", None) or environ.get("INTERLOCK_INVENTORY")
    return Settings(
        rules=index,
        envmap=envmap,
        base_env=base_env,
        policy=policy,
        protected_paths=protected,
        inventory=inventory_loader(inventory, cwd),
        **state,
    )


def inventory_loader(path: str | None, cwd: str | None = None) -> Any:
    """A loader of the snapshot at `path` that reads and verifies it once, the first time a
    check changes state (reads never pay for it); None without a path. A named file that does
    not exist is an error now, never a silently skipped simulation."""
    if not path:
        return None
    full = _at(cwd, path)
    if not os.path.isfile(full):
        raise InputError(f"inventory snapshot `{path}` does not exist", "input.inventory")
    loaded: list[Any] = []

    def load() -> Any:
        if not loaded:
            from interlock.impact.model import snapshot_from_json

            try:
                with open(full, encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                why = getattr(exc, "strerror", None) or "not UTF-8 text"
                raise InputError(
                    f"cannot read inventory snapshot `{path}`: {why}", "input.inventory"
                ) from None
            loaded.append(snapshot_from_json(text))
        return loaded[0]

    return load


def agent_id(ns: Any, environ: dict[str, str] | None = None) -> str | None:
    """The acting agent: `--agent`, else `$INTERLOCK_AGENT`; it must look like `agent:…`."""
    environ = dict(os.environ) if environ is None else environ
    value = getattr(ns, "agent", None) or environ.get("INTERLOCK_AGENT") or None
    if value is not None and not value.startswith("agent:"):
        raise InputError(
            f"agent `{value}` must be a principal like `agent:deploy-bot`", "input.agent"
        )
    return value


def _at(cwd: str | None, path: str) -> str:
    """`path` as seen from `cwd` (None: this process's working directory)."""
    return path if cwd is None else os.path.join(cwd, path)


def load_policy_dir(path: str | None, cwd: str | None = None) -> Any:
    """The policy in `path` (or `.interlock/policy` when it exists); the empty policy when none.
    A named directory that does not exist is an error, never a silent empty policy."""
    from interlock.policy.policyset import EMPTY_POLICY

    directory = path or (POLICY_DIR if os.path.isdir(_at(cwd, POLICY_DIR)) else None)
    if directory is None:
        return EMPTY_POLICY
    if not os.path.isdir(_at(cwd, directory)):
        raise InputError(f"policy directory `{directory}` does not exist", "input.policy")
    from interlock.policy.policyfile import load_policy

    def read(name: str) -> str | None:
        full = os.path.join(_at(cwd, directory), name)
        if not os.path.isfile(full):
            return None
        with open(full, encoding="utf-8") as fh:
            return fh.read()

    text = read("policy.yaml")
    if text is None:
        raise InputError(f"policy directory `{directory}` has no policy.yaml", "input.policy")
    approved = read("invariants.approved")
    invariants = read("invariants.yaml")
    # The override check parses every invariant example (~120 ms in a fresh process); a policy
    # whose exact text already passed it is not checked again. Invariants are enforced at
    # decision time either way: this only skips a load-time error report.
    from interlock.policy.policyfile import policy_digest

    marker = _checked_marker(policy_digest(text, invariants))
    checked = marker is not None and os.path.isfile(marker)
    policy = load_policy(
        text, invariants, approved.strip() if approved else None, check_overrides=not checked
    )
    if not checked and marker is not None:
        _touch(marker)
    return policy


def _checked_marker(digest: str) -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "interlock", "policy-checked-" + digest.rsplit(":", 1)[-1][:32])


def _touch(path: str) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8"):
            pass
    except OSError:
        pass  # no cache is only slower


def _state_edges(environ: dict[str, str]) -> dict[str, Any]:
    """Kill switches (read on every check, one small file) and the volume-limit history (opened
    only when a destructive proposal needs it)."""
    from interlock.store import data_dir, read_kill_switches

    directory = data_dir(environ)

    def kill_switches() -> Any:
        return read_kill_switches(directory)

    def history(agent: str, now: Any, window: int) -> Any:
        from interlock.store import open_state

        with open_state(environ) as state:
            return state.history(agent, now, window)

    def record(agent: str, count: int, targets: Any, now: Any) -> None:
        from interlock.store import open_state

        with open_state(environ) as state:
            state.record(agent, count, targets, now)

    return {"kill_switches": kill_switches, "history": history, "record": record}


def default_mode(ns: Any, environ: dict[str, str] | None = None) -> Mode:
    environ = dict(os.environ) if environ is None else environ
    value = ns.mode or environ.get("INTERLOCK_MODE") or Mode.WORKSTATION.value
    try:
        return Mode(value)
    except ValueError:
        raise InputError(
            f"unknown mode `{value}`; use workstation or gateway", "input.mode"
        ) from None


def _envmap(path: str | None, cwd: str | None = None) -> Any:
    from interlock.resolve import EMPTY, load_envmap

    candidates = [path] if path else [os.path.expanduser(p) for p in ENVMAP_PATHS]
    for candidate in candidates:
        if candidate and os.path.isfile(_at(cwd, candidate)):
            import yaml

            try:
                with open(_at(cwd, candidate), encoding="utf-8") as fh:
                    data = yaml.safe_load(fh)
            except yaml.YAMLError as exc:
                raise InputError(
                    f"environment map `{candidate}` is not valid YAML: {str(exc).splitlines()[0]}",
                    "input.envmap",
                ) from None
            return load_envmap(data)
        if path:
            raise InputError(f"environment map `{path}` does not exist", "input.envmap")
    return EMPTY


def print_error(stream: TextIO, code: str, message: str) -> None:
    print(f"deny  {code}: {message}", file=stream)
