"""Companions of the IaC tools: Ansible's helper CLIs, Infracost and Kamal.

The Ansible helpers (`ansible-inventory`, `-galaxy`, `-vault`, `-lint`, `-doc`, `-config`)
read or change files on this machine only. Infracost reads plans and prices them; posting a
comment or uploading is a write. Kamal deploys containers to the servers of `config/deploy.yml`
(or `-d DESTINATION`); `remove` tears the app and its accessories down, `app exec` runs a
command on every server.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.iac_common import env_hint, op, read, target, unknown

# program → subcommands that change local files (everything else reads)
_ANSIBLE_LOCAL_WRITES: dict[str, frozenset[str]] = {
    "ansible-galaxy": frozenset({"install", "init", "remove", "delete", "import", "setup"}),
    "ansible-vault": frozenset({"encrypt", "decrypt", "create", "edit", "rekey"}),
    "ansible-config": frozenset({"init"}),
}
_ANSIBLE_VALUE = frozenset({"-i", "--inventory", "-l", "--limit", "-t", "--type", "-f",
                            "--format", "-c", "--config", "-p", "--roles-path", "-r",
                            "--role-file", "--output", "--vault-id", "--vault-password-file",
                            "-s", "--server", "--exclude"})  # fmt: skip


def analyze_ansible_helper(cmd: Command) -> list[Operation]:
    args = parse_args(cmd.args, _ANSIBLE_VALUE)
    words = [w for w in args.pos if w not in ("collection", "role")]
    verb = words[0] if words else cmd.program.removeprefix("ansible-")
    writes = _ANSIBLE_LOCAL_WRITES.get(cmd.program, frozenset())
    if cmd.program == "ansible-lint" and args.has("--fix", "--write"):
        writes, verb = frozenset({"fix"}), "fix"
    if (
        cmd.program == "ansible-vault"
        and verb in ("encrypt_string", "decrypt")
        and (args.value("--output") == "-" or verb == "encrypt_string")
    ):
        return [read(cmd, verb)]  # prints to stdout
    if args.has("--help", "-h", "--version") or verb not in writes:
        return [read(cmd, verb)]
    t = target(cmd, "path", words[1] if len(words) > 1 else cmd.program, Tier.LOCAL)
    return [op(cmd, verb, Effect.WRITE, [t], (), f"{cmd.program} {verb} (local files)")]


_INFRACOST_WRITE = frozenset({"comment", "upload", "configure", "auth"})


def analyze_infracost(cmd: Command) -> list[Operation]:
    args = parse_args(cmd.args, {"--path", "-p", "--config-file", "--format", "--out-file"})
    verb = args.pos[0] if args.pos else "help"
    if verb not in _INFRACOST_WRITE or args.has("--dry-run") or args.pos[1:2] == ["get"]:
        return [read(cmd, verb)]
    t = target(cmd, "infracost", " ".join(args.pos[:2]))
    return [op(cmd, verb, Effect.WRITE, [t], (), f"infracost {verb} (posts results)")]


_KAMAL_VALUE = frozenset({"-d", "--destination", "-c", "--config-file", "-r", "--roles",
                          "-h", "--hosts", "-p", "--primary", "--version", "-s", "--skip-push",
                          "-m", "--message", "--lines", "-n", "--since", "-g", "--grep",
                          "--container-id"})  # fmt: skip
_KAMAL_READ = frozenset({"details", "logs", "config", "version", "help", "audit", "containers",
                         "images", "show", "docs", "status", "secrets", "init", "print",
                         "fetch", "extract"})  # fmt: skip
_KAMAL_DESTROY = frozenset({"remove"})
_KAMAL_NOUNS = frozenset({"app", "accessory", "proxy", "traefik", "server", "registry", "lock",
                          "build", "prune", "secrets", "env"})  # fmt: skip


def analyze_kamal(cmd: Command, ctx: Context) -> list[Operation]:
    args = parse_args(cmd.args, _KAMAL_VALUE)
    pos = args.pos
    if args.has("--help") or not pos:
        return [read(cmd, "help")]
    noun = pos[0] if pos[0] in _KAMAL_NOUNS and len(pos) > 1 else ""
    verb = pos[1] if noun else pos[0]
    dest = args.value("-d", "--destination")
    name = (pos[2] if noun == "accessory" and len(pos) > 2 else None) or noun or "app"
    t = target(cmd, "kamal-" + (noun or "app"), name, env=env_hint([dest]) or dest, host=dest)
    if noun == "prune":  # old images and stopped containers; the running release stays
        return [op(cmd, "prune", Effect.WRITE, [t], (), "kamal prunes old images and containers")]
    if verb in _KAMAL_READ or (noun == "lock" and verb == "status"):
        return [read(cmd, f"{noun} {verb}".strip(), [t])]
    if verb == "exec":
        return _kamal_exec(cmd, ctx, args.pos[2:] if noun else args.pos[1:], dest)
    if verb in _KAMAL_DESTROY and noun != "build":
        tags = ["teardown"] if not noun else (["all"] if "all" in pos[2:] else [])
        s = f"kamal {noun} {verb}".replace("  ", " ") + " (stops and deletes containers)"
        return [op(cmd, f"{noun}-{verb}".strip("-"), Effect.DESTROY, [t], tags, s)]
    if verb in ("deploy", "redeploy", "rollback", "setup", "boot", "reboot", "restart", "start",
                "stop", "release", "acquire", "push", "upgrade", "login", "logout", "bootstrap",
                "maintenance", "live", "upload", "create", "deliver"):  # fmt: skip
        return [op(cmd, verb, Effect.WRITE, [t], (), f"kamal {noun} {verb}".replace("  ", " "))]
    return [unknown(cmd, f"{noun} {verb}".strip())]


def _kamal_exec(cmd: Command, ctx: Context, words: list[str], dest: str | None) -> list[Operation]:
    """`kamal app exec [-i] [--reuse] 'CMD'` runs CMD in a container on every server."""
    text = " ".join(words) if len(words) > 1 else (words[0] if words else "")
    if not text or text in ("bash", "sh", "zsh"):
        return [unknown(cmd, "app exec", "interactive")]
    inner = ctx.shell(text, replace(cmd, host=f"kamal:{dest or 'servers'}"))
    return inner or [unknown(cmd, "app exec")]
