"""Settings for the command line, parsed once: rule packs, environment map, inherited env."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, NoReturn, TextIO

from interlock.model import InputError, Mode, Tier

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


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so every front door answers the same way."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


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


def settings_from(ns: argparse.Namespace, environ: dict[str, str] | None = None) -> Any:
    from interlock.policy.packs import load_index
    from interlock.service import Settings

    environ = dict(os.environ) if environ is None else environ
    envmap = _envmap(ns.envmap or environ.get("INTERLOCK_ENVMAP"))
    base_env = tuple((k, environ[k]) for k in INHERITED if environ.get(k))
    index = load_index(tuple(Path(d) for d in ns.rules))
    return Settings(rules=index, envmap=envmap, base_env=base_env)


def default_mode(ns: argparse.Namespace, environ: dict[str, str] | None = None) -> Mode:
    environ = dict(os.environ) if environ is None else environ
    value = ns.mode or environ.get("INTERLOCK_MODE") or Mode.WORKSTATION.value
    try:
        return Mode(value)
    except ValueError:
        raise InputError(
            f"unknown mode `{value}`; use workstation or gateway", "input.mode"
        ) from None


def _envmap(path: str | None) -> Any:
    from interlock.resolve import EMPTY, load_envmap

    candidates = [path] if path else [os.path.expanduser(p) for p in ENVMAP_PATHS]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate):
            import yaml

            try:
                with open(candidate, encoding="utf-8") as fh:
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
