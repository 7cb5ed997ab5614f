"""Configuration management: Puppet, Chef (chef-client, knife) and their servers.

`puppet agent -t` and `chef-client` apply the whole catalog or run list to the node they run on
(`--noop` and `--why-run` only report); `--environment production` names where. `knife` edits
the Chef server every node converges from: uploading a cookbook or an environment file changes
what production runs next, `knife node delete` forgets a node, `knife ssh QUERY CMD` runs CMD on
every matching node. `puppet resource TYPE NAME` reads unless given `attribute=value`.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.iac_common import env_hint, op, read, target, unknown

_PUPPET_VALUE = frozenset({
    "--environment", "-E", "--server", "--certname", "--config", "--confdir", "--vardir",
    "--modulepath", "--logdest", "--render-as", "--tags", "--waitforcert", "-w", "--node",
    "--environmentpath", "--section", "--terminus", "--execute", "-e", "--catalog",
})  # fmt: skip
_PUPPET_READ = frozenset({
    "facts", "lookup", "catalog", "config", "parser", "describe", "doc", "help", "epp",
    "status", "report", "strings",
})  # fmt: skip
_PUPPET_APPLY = frozenset({"agent", "apply", "device"})


def analyze_puppet(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _PUPPET_VALUE)
    sub = a.pos[0] if a.pos else "help"
    if a.has("--help", "-h", "--version", "-V") or (a.has("--noop") and sub in _PUPPET_APPLY):
        return [read(cmd, sub, (), *(["dry-run"] if a.has("--noop") else []))]
    if cmd.program == "puppetserver":
        return _puppetserver(cmd, a.pos)
    env = a.value("--environment", "-E")
    if sub in _PUPPET_APPLY:
        t = _node(cmd, a.value("--certname") or cmd.host or "this node", env)
        what = a.pos[1] if sub == "apply" and len(a.pos) > 1 else "its catalog"
        return [op(cmd, sub, Effect.WRITE, [t], (), f"puppet {sub} applies {what} to `{t.name}`")]
    if sub == "resource":
        t = _node(cmd, cmd.host or "this node", env)
        sets = any("=" in w for w in a.pos[2:])
        effect = Effect.WRITE if sets else Effect.READ
        return [op(cmd, "resource", effect, [t], (), f"puppet resource {' '.join(a.pos[1:3])}")]
    if sub in ("node", "cert", "ca", "ssl") and len(a.pos) > 1:
        return _certs(cmd, sub, a.pos[1], a.pos[2:], env)
    if sub == "module":
        verb = a.pos[1] if len(a.pos) > 1 else "list"
        if verb in ("list", "search", "changes"):
            return [read(cmd, f"module {verb}")]
        t = target(cmd, "puppet-module", a.pos[2] if len(a.pos) > 2 else "?", Tier.LOCAL)
        return [op(cmd, f"module-{verb}", Effect.WRITE, [t], (), f"puppet module {verb}")]
    if sub in _PUPPET_READ and (sub != "config" or a.pos[1:2] in ([], ["print"])):
        return [read(cmd, sub)]
    return [unknown(cmd, sub)]


def _node(cmd: Command, name: str, env: str | None) -> Target:
    return target(cmd, "config-node", name, env=env_hint([env]) or env, host=cmd.host)


_CERT_DESTROY = frozenset({"clean", "revoke", "deactivate", "destroy"})


def _certs(cmd: Command, sub: str, verb: str, names: list[str], env: str | None) -> list[Operation]:
    """`puppet node deactivate|clean`, `puppet cert clean`, `puppetserver ca revoke` …"""
    if verb in ("list", "find", "print", "status", "verify", "show", "search"):
        return [read(cmd, f"{sub} {verb}")]
    ts = [target(cmd, "puppet-node", n, env=env_hint([n, env])) for n in names] or [
        target(cmd, "puppet-node", "?")
    ]
    effect = Effect.DESTROY if verb in _CERT_DESTROY else Effect.WRITE
    tags = ["all"] if "--all" in names else []
    return [op(cmd, f"{sub}-{verb}", effect, ts, tags, f"puppet {sub} {verb} {' '.join(names)}")]


def _puppetserver(cmd: Command, pos: list[str]) -> list[Operation]:
    sub = pos[0] if pos else "help"
    if sub == "ca" and len(pos) > 1:
        return _certs(cmd, "ca", pos[1], [w for w in cmd.args[2:] if not w.startswith("-")], None)
    if sub in ("gem", "ruby", "irb") and pos[1:2] not in (["list"], ["query"]):
        return [unknown(cmd, sub)]
    return [read(cmd, sub)]


# ---- Chef ------------------------------------------------------------------------------------

_CHEF_VALUE = frozenset({"-E", "--environment", "-o", "--override-runlist", "-j", "--json-attributes",
                         "-c", "--config", "-N", "--node-name", "-r", "--runlist", "-l",
                         "--log_level", "-L", "--logfile", "-i", "--interval", "-s",
                         "--splay"})  # fmt: skip


def analyze_chef_client(cmd: Command) -> list[Operation]:
    """chef-client, chef-solo, cinc-client: converge this node (`-W`/`--why-run` only report)."""
    a = parse_args(cmd.args, _CHEF_VALUE)
    if a.has("-W", "--why-run", "-h", "--help", "-v", "--version"):
        return [read(cmd, "why-run", (), "dry-run")]
    env = a.value("-E", "--environment")
    t = _node(cmd, a.value("-N", "--node-name") or cmd.host or "this node", env)
    runlist = a.value("-o", "--override-runlist", "-r", "--runlist")
    what = f"run list `{runlist}`" if runlist else "its run list"
    return [op(cmd, "converge", Effect.WRITE, [t], (), f"{cmd.program} converges {what}")]


_KNIFE_VALUE = frozenset({"-E", "--environment", "-s", "--server-url", "-c", "--config",
                          "-u", "--user", "-k", "--key", "-F", "--format", "--profile",
                          "-a", "--attribute", "-x", "--ssh-user", "-i", "--ssh-identity-file",
                          "-p", "--ssh-port", "-C", "--concurrency", "-m", "-r",
                          "--run-list", "-N", "--node-name", "-o", "--cookbook-path",
                          "--secret-file", "-P", "--ssh-password"})  # fmt: skip
_KNIFE_READ = frozenset({"list", "show", "search", "status", "diff", "deps", "ls", "cat",
                         "download", "test", "version", "help", "metadata"})  # fmt: skip
_KNIFE_DESTROY = frozenset({"delete", "rm", "remove", "bulk", "unshare", "purge"})
_KNIFE_NOUN_READ = frozenset({"search", "status", "ssl", "help", "describe", "diff", "ls",
                              "list", "show", "deps", "download"})  # fmt: skip


def analyze_knife(cmd: Command, ctx: Context) -> list[Operation]:
    a = parse_args(cmd.args, _KNIFE_VALUE)
    pos = a.pos
    if a.has("-h", "--help", "-v", "--version") or not pos:
        return [read(cmd, "help")]
    if pos[0] == "ssh" and len(pos) > 2:
        from interlock.parse.tools.generic_remote import remote_shell

        return remote_shell(cmd, ctx, " ".join(pos[2:]), pos[1], "knife ssh")
    if pos[0] in _KNIFE_NOUN_READ:
        return [read(cmd, pos[0])]
    noun, rest = _knife_noun(pos)
    if rest[:1] in (["run_list"], ["run-list"], ["policy"], ["environment"]) and noun == "node":
        rest = ["set", *rest[2:]]  # `node run_list remove N R` edits the node, never deletes it
    verb = rest[0] if rest else "list"
    names = [w for w in rest[1:] if w not in ("file", "from")]
    env = a.value("-E", "--environment")
    hint = env_hint([env, *names, *(rest if noun == "environment" else [])])
    name = names[0] if names else noun
    t = target(cmd, f"chef-{noun}", name, env=hint, url=a.value("-s", "--server-url"))
    if verb in _KNIFE_READ:
        return [read(cmd, f"{noun} {verb}", [t])]
    tags = ["auto-approve"] if a.has("-y", "--yes") else []
    if verb in _KNIFE_DESTROY:
        tags += ["all"] if verb == "bulk" or a.has("-a", "--all") else []
        return [
            op(cmd, f"{noun}-delete", Effect.DESTROY, [t], tags, f"knife deletes {noun} `{name}`")
        ]
    if noun == "exec":
        return [unknown(cmd, "exec", "remote-code")]
    return [op(cmd, f"{noun}-{verb}", Effect.WRITE, [t], tags, f"knife {noun} {verb} `{name}`")]


def _knife_noun(pos: list[str]) -> tuple[str, list[str]]:
    """`data bag delete x` → (`data-bag`, [delete, x]); `node run_list add` → (`node`, …)."""
    if pos[:2] == ["data", "bag"]:
        return "data-bag", pos[2:]
    return pos[0], pos[1:]
