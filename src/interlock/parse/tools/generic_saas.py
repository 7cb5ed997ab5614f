"""Third-party CLIs whose grammar the noun…verb model reads wrong.

`dbt run --full-refresh` drops and rebuilds tables; `cf apps` lists (a bare plural noun);
`stripe` acts in test mode unless `--live`; `gpg --list-keys` and `ssh-keygen -l` put the verb in a
flag; `kcat -P` produces while `kcat -C` consumes; `tailscale down` only disconnects this machine.
`analyze(cmd)` answers an operation for the programs it knows, or None to let the generic model
decide. `flag_verb(flags)` and `plural_listing(words)` are the generic model's fallbacks when no
subcommand word names a verb.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse import lexicon
from interlock.parse.lexicon import words

_D, _W, _R, _U = Effect.DESTROY, Effect.WRITE, Effect.READ, Effect.UNKNOWN

_DBT = {
    "run": _W,
    "build": _W,
    "seed": _W,
    "snapshot": _W,
    "clone": _W,
    "retry": _W,
    "deps": _W,
    "init": _W,
    "clean": _D,
    "run-operation": _U,
    "ls": _R,
    "list": _R,
    "compile": _R,
    "parse": _R,
    "test": _R,
    "debug": _R,
    "show": _R,
    "docs": _R,
    "source": _R,
}
_CF_READ = words(
    "apps app services service target orgs org spaces space routes route domains buildpacks "
    "events env marketplace stacks stack quotas quota security-groups security-group "
    "feature-flags feature-flag service-keys service-key tasks logs get-health-check "
    "ssh-enabled space-users org-users running-environment-variable-group api version "
    "staging-environment-variable-group space-ssh-allowed router-groups service-brokers "
    "service-access plugins repo-plugins curl-get"
)
_TAILSCALE_READ = words(
    "status ip netcheck ping whois version bugreport metrics dns licenses exit-node drive"
)
_SSH_KEYGEN_READ = frozenset("lFyBLQDH")
# `stripe open` and `status` read; `trigger`, `fixtures` and `resend` create
# objects or send webhooks.
_STRIPE = {
    **dict.fromkeys(words("open status"), _R),
    **dict.fromkeys(words("trigger fixtures resend"), _W),
}
_DBT_TARGET = ("--target", "-t")


def analyze(cmd: Command, pos: list[tuple[int, str]], flags: dict[str, str]) -> Operation | None:
    handler = _HANDLERS.get(cmd.program)
    return handler(cmd, [w for _, w in pos], flags) if handler else None


def _op(
    cmd: Command,
    action: str,
    effect: Effect,
    target: Target | None,
    tags: set[str],
    summary: str,
) -> Operation:
    from interlock.parse.tools.generic import op

    return op(cmd, action, effect, [target] if target else [], tags, summary)


def _local(cmd: Command, kind: str, name: str) -> Target:
    if cmd.host:
        return Target.make(kind, name, host=cmd.host)
    return Target.make(kind, name, tier=Tier.LOCAL)


def _dbt(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    sub = pos[0] if pos else ""
    effect = _DBT.get(sub)
    if effect is None:
        return None
    env = next((flags[f] for f in _DBT_TARGET if flags.get(f)), None)
    tags: set[str] = set()
    action = sub
    if sub in ("run", "build", "seed") and "--full-refresh" in flags:
        effect, action, tags = _D, "full-refresh", {"rebuild"}
    if sub == "run-operation" and len(pos) > 1:
        effect = lexicon.classify(pos[1]) or _U
        action = pos[1]
    if sub == "clean":
        return _op(cmd, "clean", _D, _local(cmd, "directory", "target"), tags, "`dbt clean`")
    if effect is _R:
        target = _local(cmd, "directory", ".")
        return _op(cmd, sub, _R, target, tags, f"`dbt {sub}` reads the project")
    target = Target.make("warehouse", env or "default", env=env, host=cmd.host)
    what = "drops and rebuilds the models" if effect is _D else "builds models in the warehouse"
    return _op(cmd, action, effect, target, tags, f"`dbt {sub}` {what}")


def _cf(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    sub = pos[0] if pos else ""
    if sub == "curl" and len(pos) > 1:
        from interlock.parse.tools.http_url import Request, request_op

        method = (flags.get("-X") or "GET").upper()
        found = request_op(cmd, Request(method, "cf.api.invalid" + pos[1], flags.get("-d", "")))
        return found.with_tags("cf-curl")
    if sub == "target" and flags.keys() & {"-o", "-s", "--org", "--space"}:
        return _op(cmd, "target", _W, _local(cmd, "config", "cf"), set(), "`cf target` switches")
    if sub in _CF_READ:
        name = pos[1] if len(pos) > 1 else ""
        return _op(cmd, sub, _R, Target.make("app", name) if name else None, set(), f"`cf {sub}`")
    return None


def _tailscale(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    sub = pos[0] if pos else "status"
    if sub in _TAILSCALE_READ or (sub in ("serve", "funnel") and pos[1:2] == ["status"]):
        return _op(cmd, sub, _R, None, set(), f"`tailscale {sub}` reads")
    target = _local(cmd, "network", "tailnet")
    return _op(cmd, sub, _W, target, set(), f"`tailscale {sub}` changes this machine's link")


def _stripe(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    from interlock.parse.tools.generic import cli

    key = flags.get("--api-key") or cmd.getenv("STRIPE_API_KEY") or ""
    env = "live" if "--live" in flags or "_live_" in key else "test"
    return cli(replace(cmd, env=(*cmd.env, ("ENV", env))), vocab=_STRIPE)


_CERTBOT = {
    **dict.fromkeys(words("certificates show_account plugins"), _R),
    **dict.fromkeys(words("delete revoke unregister"), _D),
}


def _certbot(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    """`certbot renew|certonly|--nginx` obtains certificates and edits this host's web server;
    `delete`/`revoke` take a certificate away. What it names is a certificate, not an
    environment: the `live` in `/etc/letsencrypt/live/x/cert.pem` is no production tier."""
    sub = pos[0] if pos else "run"
    effect = _CERTBOT.get(sub, _W)
    tags = {"dry-run"} if "--dry-run" in flags else set()
    if tags:
        effect = _R
    path = flags.get("--cert-path", "")
    name = flags.get("--cert-name") or flags.get("-d") or flags.get("--domains") or ""
    name = name or (path.split("/live/", 1)[1].split("/", 1)[0] if "/live/" in path else path)
    target = Target.make("certificate", name.split(",", 1)[0] or "certbot", host=cmd.host)
    return _op(cmd, sub, effect, target, tags, f"`certbot {sub}` `{target.name}`")


_HASURA = {
    **dict.fromkeys(words("status diff export inconsistency ic list"), _R),
}


def _hasura(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    """`hasura migrate apply --down all` rolls every migration back: the schema is dropped."""
    from interlock.parse.tools.generic import _VALUE_FLAGS, cli

    found = cli(cmd, vocab=_HASURA, value_flags=_VALUE_FLAGS | VALUE_FLAGS)
    if pos[:2] == ["migrate", "apply"] and flags.get("--down") == "all":
        summary = "`hasura migrate apply --down all` rolls back every migration"
        return replace(found, effect=_D, tags=found.tags | {"all"}, summary=summary)
    return found


def _newrelic(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    """`newrelic nerdgraph query 'mutation { … }'` changes state although `query` reads."""
    from interlock.parse.tools.generic import cli

    found = cli(cmd)
    text = pos[2].lstrip() if pos[:2] == ["nerdgraph", "query"] and len(pos) > 2 else ""
    if text.startswith("mutation"):
        effect = _D if "delete" in text.lower() else _W
        return replace(found, effect=effect, action="mutation", summary="a NerdGraph mutation")
    return found


def _ssh_keygen(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    shorts = {f[1] for f in flags if len(f) == 2}
    if shorts & _SSH_KEYGEN_READ and not shorts & {"R", "p", "s", "t"}:
        return _op(cmd, "inspect", _R, None, set(), "`ssh-keygen` reads a key or known_hosts")
    if "R" in shorts:
        target = Target.make("file", "~/.ssh/known_hosts", host=cmd.host)
        return _op(cmd, "forget-host", _W, target, set(), "removes a host from known_hosts")
    path = flags.get("-f") or "~/.ssh/id_*"
    target = Target.make("file", path, host=cmd.host)
    return _op(cmd, "keygen", _W, target, set(), f"writes the key `{path}`")


def _kcat(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    broker = flags.get("-b", "")
    target = Target.make("topic", flags.get("-t", ""), url=broker, host=cmd.host)
    if "-P" in flags:
        return _op(cmd, "produce", _W, target, set(), "produces messages to Kafka")
    return _op(cmd, "consume", _R, target, set(), "reads Kafka metadata or messages")


def _rpk(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    from interlock.parse.tools.db_queue import rpk  # Redpanda: the Kafka family's words

    return rpk(cmd)[0]


def _vault(cmd: Command, pos: list[str], flags: dict[str, str]) -> Operation | None:
    from interlock.parse.tools.iac_vault import vault  # Vault's words and server address

    return vault(cmd, flags)


_HANDLERS: dict[str, Callable[[Command, list[str], dict[str, str]], Operation | None]] = {
    "dbt": _dbt,
    "cf": _cf,
    "cf7": _cf,
    "cf8": _cf,
    "tailscale": _tailscale,
    "stripe": _stripe,
    "ssh-keygen": _ssh_keygen,
    "certbot": _certbot,
    "hasura": _hasura,
    "newrelic": _newrelic,
    "kcat": _kcat,
    "kafkacat": _kcat,
    "rpk": _rpk,
    "vault": _vault,
    "bao": _vault,
}
PROGRAMS = frozenset(_HANDLERS)
VALUE_FLAGS = words(
    "-t -b -f -X -d -o -s --target --api-key --mode --cert-name --cert-path --domains --reason "
    "-m --email -w --webroot-path --key-path --down --up --database-name"
)
_FLAG_SKIP = words("--output --format --config --log-level --version --help --filter --query")


def flag_verb(flags: dict[str, str]) -> Effect | None:
    """The effect a CLI whose command is a flag names (`gpg --list-keys`, `--verify`): WRITE when
    any boolean long flag is a strong write verb, READ when every such verb reads."""
    found: set[Effect] = set()
    for key, value in flags.items():
        if not key.startswith("--") or value or key in _FLAG_SKIP:
            continue
        word = key[2:]
        first = lexicon.parts(word)[:1]
        if not first or lexicon.is_weak(first[0]):
            continue
        eff = lexicon.classify(word)
        if eff in (_R, _W) and lexicon.classify(first[0]) is eff:
            found.add(eff)
    if _W in found:
        return _W
    return _R if found else None


def plural_listing(lead: list[str], positionals: int) -> bool:
    """`cf apps`, `doppler secrets`, `pulsar-admin namespaces policies`: plural nouns with no
    verb list (at most one name may follow them)."""
    if not 1 <= len(lead) <= 2 or positionals > len(lead) + 1:
        return False
    return all(_plural(w.lower()) for w in lead) and all(lexicon.classify(w) is None for w in lead)


def _plural(word: str) -> bool:
    return word.endswith("s") and not word.endswith(("ss", "is", "us")) and len(word) > 3
