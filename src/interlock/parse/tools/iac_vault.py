"""HashiCorp Vault and OpenBao: what the generic noun…verb model needs told about them.

`generic.cli` classifies `vault kv delete`, `secrets disable`, `policy write` and the rest; this
module gives it Vault's own words (`operator step-down` only hands leadership over, `raft
snapshot save` reads, `snapshot restore` overwrites the whole cluster's data) and points every
target at the server (`-address`, `VAULT_ADDR`), so a change to a production Vault is one.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target

_VOCAB: dict[str, Effect] = {
    "path-help": Effect.READ,
    "members": Effect.READ,
    "list-peers": Effect.READ,
    "key-status": Effect.READ,
    "usage": Effect.READ,
    "diagnose": Effect.READ,
    "inspect": Effect.READ,
    "save": Effect.READ,  # `raft snapshot save FILE` writes a local file from the cluster
    "lookup": Effect.READ,
    "capabilities": Effect.READ,
    "step-down": Effect.WRITE,
    "rekey": Effect.WRITE,
    "generate-root": Effect.WRITE,
    "restore": Effect.DESTROY,  # the snapshot replaces every secret, policy and token
}
_ADDRESS_FLAGS = ("-address", "--address")


def vault(cmd: Command, flags: dict[str, str]) -> Operation:
    """The operation of a `vault`/`bao` command, its targets scoped to the server it talks to."""
    from interlock.parse.tools.generic import cli

    found = cli(cmd, vocab=_VOCAB)
    if found.action == "restore":
        found = found.with_tags("overwrite")
    if found.effect is Effect.DESTROY and ("--prefix" in flags or flags.get("--mode") == "path"):
        found = found.with_tags("recursive")
    addr = _address(cmd)
    if not addr or found.effect is Effect.READ:
        return found
    targets = [t if t.get("url") else _at(t, addr) for t in found.targets]
    targets = targets or [Target.make("vault", addr, url=addr, host=cmd.host)]
    return replace(found, targets=tuple(targets))


def _address(cmd: Command) -> str | None:
    argv = cmd.argv
    for i, word in enumerate(argv):
        name, eq, value = word.partition("=")
        if name in _ADDRESS_FLAGS:
            return value if eq else (argv[i + 1] if i + 1 < len(argv) else None)
    return cmd.getenv("BAO_ADDR" if cmd.program == "bao" else "VAULT_ADDR")


def _at(t: Target, addr: str) -> Target:
    return Target.make(t.kind, t.name, tier=t.tier, **{**dict(t.scope), "url": addr})
