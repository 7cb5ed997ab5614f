"""Pieces the infrastructure-as-code analyzers share.

Go-style flag splitting (Terraform, Nomad and Consul accept `-flag`, `--flag`, `-flag=value`,
`-flag value` and `-flag=false`), environment hints read from names (`envs/prod`,
`ue2-prod`, `prod.tfvars`), and the one way an `iac` operation is built.
"""

from __future__ import annotations

import os.path
import re
import shlex
from collections.abc import Iterable

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args

FAMILY = "iac"

_SPLIT = re.compile(r"[^a-z0-9]+")
_TRAILING_DIGITS = re.compile(r"\d+$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Rank of each environment word; a higher rank wins when a name holds several.
# `live` ranks lowest: Terragrunt repositories call their root `live/` or `infrastructure-live/`
# and put every environment under it, so it only means prod when nothing else is named.
_ENV_RANK: dict[str, int] = {
    "live": 0,
    "dev": 1, "develop": 1, "development": 1, "test": 1, "testing": 1, "sandbox": 1,
    "sbx": 1, "demo": 1, "devel": 1, "tst": 1, "playground": 1, "scratch": 1, "lab": 1,
    "nonprod": 2, "nonproduction": 2,
    "staging": 3, "stage": 3, "stg": 3, "preprod": 3, "uat": 3, "qa": 3, "preproduction": 3,
    "perf": 3, "canary": 3,
    "prod": 4, "prd": 4, "production": 4,
}  # fmt: skip

_FALSE = frozenset({"false", "0", "f", "no"})
_TRUTHY_ENV = frozenset({"1", "true", "yes", "y"})


def env_hint(names: Iterable[str | None]) -> str | None:
    """The most important environment word found in `names` (`envs/prod-eu` → `prod`)."""
    best, rank = None, -1
    for name in names:
        for word in _words(name):
            r = _ENV_RANK.get(word, -1)
            if r > rank:
                best, rank = word, r
    return best


def _words(name: str | None) -> list[str]:
    if not name:
        return []
    low = (
        _CAMEL.sub("-", name).lower().replace("non-prod", "nonprod").replace("non_prod", "nonprod")
    )
    return [_TRAILING_DIGITS.sub("", w) for w in _SPLIT.split(low) if w]


def go_flags(args: Iterable[str], takes_value: frozenset[str], stop: bool = False) -> Args:
    """Split Go `flag`-style arguments; `--x` is read as `-x`.

    Flags after positionals still count (the cautious reading) unless `stop` is set: then
    everything from the first positional on is positional (a command to run)."""
    out = Args()
    words = list(args)
    i, n = 0, len(words)
    while i < n:
        a = words[i]
        i += 1
        if a == "--":
            out.after_dashdash = words[i:]
            break
        if len(a) < 2 or a[0] != "-" or (stop and out.pos):
            out.pos.append(a)
            continue
        name, eq, val = ("-" + a.lstrip("-")).partition("=")
        if not eq and name in takes_value and i < n:
            val = words[i]
            i += 1
        out.opts.setdefault(name, []).append(val)
    return out


def flag_on(args: Args, *names: str) -> bool:
    """True when a boolean flag is given and not set to false (`-auto-approve=false`)."""
    for name in names:
        vals = args.opts.get(name)
        if vals and vals[-1].lower() not in _FALSE:
            return True
    return False


def env_true(cmd: Command, *names: str) -> bool:
    return any((cmd.getenv(n) or "").lower() in _TRUTHY_ENV for n in names)


def fed_yes(cmd: Command) -> bool:
    """The command's prompts are answered by its input (`echo yes | terraform apply`)."""
    if cmd.stdin is not None:
        return any(w in ("y", "yes") for w in cmd.stdin.lower().split())
    return cmd.stdin_piped


def cloud_scope(cmd: Command) -> dict[str, str | None]:
    """The cloud account a run uses from its environment (`AWS_PROFILE=prod`, `aws-vault exec
    prod --`, `GOOGLE_PROJECT`): providers act there whatever the directory is called."""
    return {
        "profile": cmd.getenv("AWS_PROFILE") or cmd.getenv("AWS_VAULT"),
        "project": cmd.getenv("GOOGLE_PROJECT") or cmd.getenv("GOOGLE_CLOUD_PROJECT")
        or cmd.getenv("CLOUDSDK_CORE_PROJECT"),
    }  # fmt: skip


def join_dir(cwd: str | None, sub: str | None) -> str | None:
    """`sub` as seen from `cwd` (both optional), normalized; None when neither is known."""
    if not sub:
        return cwd
    if not cwd or sub.startswith("/"):
        return os.path.normpath(sub)
    return os.path.normpath(os.path.join(cwd, sub))


def is_dynamic_word(word: str) -> bool:
    return "$" in word or "`" in word


def split_words(text: str | None) -> list[str]:
    """Shell-split `text` (an env var holding arguments); never raises."""
    if not text:
        return []
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def target(
    cmd: Command, kind: str, name: str, tier: Tier = Tier.UNKNOWN, **scope: str | None
) -> Target:
    """A target; when the command runs on another host the host is always part of its scope."""
    if cmd.host:
        scope["host"] = cmd.host
        tier = Tier.UNKNOWN
    return Target.make(kind, name, tier=tier, **scope)


def op(
    cmd: Command,
    action: str,
    effect: Effect,
    targets: Iterable[Target] = (),
    tags: Iterable[str] = (),
    summary: str = "",
) -> Operation:
    return Operation.of(cmd, FAMILY, action, effect, targets, tags, summary)


def unknown(cmd: Command, what: str, *tags: str) -> Operation:
    """An operation we cannot classify: runs code or a subcommand we do not know."""
    return op(cmd, what or "run", Effect.UNKNOWN, (), tags, f"runs `{cmd.program} {what}`".strip())


def read(cmd: Command, what: str, targets: Iterable[Target] = (), *tags: str) -> Operation:
    return op(cmd, what, Effect.READ, targets, tags, f"reads ({cmd.program} {what})")
