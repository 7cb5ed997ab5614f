"""Azure: `az <group …> <verb> [--flags]` and `azcopy`.

The verb is the last word before the first flag. Scope comes from `--subscription`
(`AZURE_SUBSCRIPTION_ID`), `-g/--resource-group` (`AZURE_DEFAULTS_GROUP`) and `-n/--name`.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools.cloud import (
    local_tier,
    make_op,
    path_target,
    verb_effect,
    words,
)

_BOOL = words(
    "--yes -y --no-wait --debug --verbose --only-show-errors --help -h --force --all "
    "--recursive --dryrun --dry-run --no-prompt --overwrite --force-string --auth-mode-login"
)
_GLOBAL = words("--subscription --output -o --query --debug --verbose --only-show-errors")
_LOCAL_GROUPS = words("login logout config configure extension cloud upgrade version bicep")
_READ_ALWAYS = words(
    "get-credentials get-access-token find version show-usage what-if query exists url"
)
_DATA_GROUPS = words("sql cosmosdb postgres mysql mariadb redis synapse kusto storage databricks")
_DATA_KINDS = words(
    "db server flexible-server account database container cluster share table fs directory"
)
# Subcommands whose effect their verb does not tell.
_SPECIAL = {
    "open-port": Effect.WRITE, "message clear": Effect.DESTROY, "subscription cancel": Effect.DESTROY,
    "lock delete": Effect.WRITE,  # removes a safety net (tagged below), deletes no data
    "endpoint purge": Effect.WRITE, "purge-endpoint": Effect.WRITE,  # CDN cache, not data
    "pipelines run": Effect.WRITE,  # queues an Azure DevOps pipeline run
}  # fmt: skip
_SAFETY_FLAGS = words(
    "--enable-delete-retention --enable-container-delete-retention --enable-versioning "
    "--enable-soft-delete --enable-purge-protection --enable-change-feed"
)
_ENV_ROOT = (("group",), ("aks",), ("vnet",), ("stack", "group"), ("stack", "sub"), ("env",))


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if cmd.program == "azcopy":
        return [_azcopy(cmd)]
    path, opts = _parse(cmd.args)
    if not path:
        return [make_op(cmd, "azure", "help", Effect.READ, summary="az help")]
    if path[0] in _LOCAL_GROUPS or path[:2] in (["account", "set"], ["account", "clear"]):
        return [_local(cmd, path)]
    if path[0] == "rest":
        return [_rest(cmd, opts)]
    verb = path[-1]
    effect = Effect.READ if verb in _READ_ALWAYS else verb_effect(verb) or Effect.UNKNOWN
    effect = _SPECIAL.get(" ".join(path[-2:]), _SPECIAL.get(verb, effect))
    if path[0] == "account" and effect is Effect.READ:
        return [_local(cmd, path)]
    if verb == "invoke" and ("run-command" in path or path[:2] == ["aks", "command"]):
        return _run_command(cmd, ctx, path, opts)
    if path[0] == "ssh" or verb in ("ssh", "exec"):
        effect = Effect.UNKNOWN
    effect, tags = _classify(path, opts, effect)
    return [_op(cmd, path, opts, effect, tags)]


def _parse(args: tuple[str, ...]) -> tuple[list[str], dict[str, list[str]]]:
    """The command path and the options; global options may come before or inside the path
    (`az --subscription Prod vm delete …`)."""
    path: list[str] = []
    opts: dict[str, list[str]] = {}
    current: list[str] | None = None
    in_path = True
    for w in args:
        if w.startswith("-") and len(w) > 1:
            name, eq, val = w.partition("=")
            in_path = in_path and name in _GLOBAL
            current = opts.setdefault(name, [])
            if eq:
                current.append(val)
                current = None
            elif name in _BOOL:
                current = None
        elif current is not None:
            current.append(w)
            current = None if in_path else current
        elif in_path:
            path.append(w)
    return path, opts


def _first(opts: dict[str, list[str]], *names: str) -> str | None:
    for n in names:
        if opts.get(n):
            return opts[n][0]
    return None


def _classify(path: list[str], opts: dict, effect: Effect) -> tuple[Effect, set[str]]:
    verb, tags = path[-1], set()
    if "--yes" in opts or "-y" in opts:
        tags.add("auto-approve")
    if (_first(opts, "--mode") or "").lower() == "complete" and verb == "create":
        effect = Effect.DESTROY
        tags |= {"complete-mode", "env-root"}
    if verb == "sync" and (_first(opts, "--delete-destination") or "").lower() in (
        "true",
        "prompt",
    ):
        effect = Effect.DESTROY  # `az storage blob sync --delete-destination true`
    wipes = (_first(opts, "--delete-backup-data") or "").lower() == "true"
    if verb == "disable" and path[:2] == ["backup", "protection"] and wipes:
        effect, tags = Effect.DESTROY, tags | {"backup"}
    if verb in ("what-if", "validate") or "--dry-run" in opts or "--dryrun" in opts:
        return Effect.READ, {"dry-run"} if effect is not Effect.READ else set()
    if effect is Effect.DESTROY:
        tags |= _destroy_tags(path, verb)
    if path[0] in ("ad", "role", "identity") or "role-assignment" in verb:
        tags |= {"iam", "security"}
    text = " ".join(v for vals in opts.values() for v in vals).lower()
    if "nsg" in path or "--allow-blob-public-access" in opts or "public-access" in text:
        tags.add("security")
        if any(m in text for m in ("internet", "0.0.0.0/0", " * ", "true", "blob", "container")):
            tags.add("public")
    return effect, tags | _facts(path, opts, text)


def _facts(path: list[str], opts: dict, text: str) -> set[str]:
    """Remote code, firewalls, safety nets and lifecycle rules."""
    verb, tags = path[-1], set()
    if path[0] == "ssh" or verb in ("ssh", "exec"):
        tags.add("remote-code")
    if "extension" in path and verb == "set" and "commandtoexecute" in text:
        tags.add("remote-code")
    if "policy" in verb or any(p.startswith("firewall") for p in path):
        tags.add("security")
    if verb == "open-port" or (_first(opts, "--default-action") or "").lower() == "allow":
        tags |= {"security", "public"}
    if "flow-log" in path and verb == "delete":
        tags.add("audit")
    ips = (_first(opts, "--start-ip-address"), _first(opts, "--end-ip-address"))
    public_net = (_first(opts, "--public-network-access") or "").lower() == "enabled"
    public_blob = (_first(opts, "--public-access") or "off").lower() != "off"
    if ips == ("0.0.0.0", "255.255.255.255") or public_net or public_blob:
        tags |= {"security", "public"}
    if any((_first(opts, f) or "").lower() == "false" for f in _SAFETY_FLAGS):
        tags.add("protection-off")
    if "lock" in path and verb == "delete":
        tags.add("protection-off")
    if "management-policy" in path and verb in ("create", "update"):
        tags.add("lifecycle")
    if (
        path[0] == "monitor"
        and verb == "delete"
        and ("diagnostic-settings" in path or "log-analytics" in path)
    ):
        tags.add("audit")
    scale = _first(opts, "--instance-count", "--node-count", "--replicas", "--new-capacity")
    if (verb == "scale" and scale == "0") or _first(opts, "--max-replicas") == "0":
        tags.add("scale-to-zero")
    return tags


def _destroy_tags(path: list[str], verb: str) -> set[str]:
    tags: set[str] = set()
    if tuple(path[:-1]) in _ENV_ROOT or path[:2] + path[3:] == ["network", "vnet"]:
        tags.add("env-root")
    if (path[0] == "containerapp" and path[1:2] == ["env"]) or verb == "cancel":
        tags.add("env-root")
    if path[0] in _DATA_GROUPS and path[-2] in _DATA_KINDS | {path[0]}:
        tags.add("database")
    if any(
        w in p for p in path for w in ("backup", "snapshot", "recoverypoint", "recoveryservices")
    ):
        tags.add("backup")
    if verb == "purge":
        tags.add("no-backup")
    if path[0] == "keyvault" and path[1:2] == ["key"]:
        tags.add("crypto-key")
    if verb.endswith("-batch"):
        tags |= {"bulk", "wildcard"}
    return tags


def _op(cmd: Command, path: list[str], opts: dict, effect: Effect, tags: set[str]) -> Operation:
    group = _first(opts, "-g", "--resource-group") or cmd.getenv("AZURE_DEFAULTS_GROUP")
    names = opts.get("--ids") or [_first(opts, "-n", "--name") or ""]
    if path[0] == "group" and not names[0]:
        names = [group or ""]
    if len(names) > 1:
        tags.add("bulk")
    kind = path[-2] if len(path) > 1 else path[0]
    scope = {
        "subscription": _first(opts, "--subscription") or cmd.getenv("AZURE_SUBSCRIPTION_ID"),
        "resource_group": names[0] if path[0] == "group" else group,
        "account": _first(opts, "--account-name"),
        "env": _first(opts, "--target-slot", "--slot") or _param_env(opts),
        "host": cmd.host,
    }
    targets = [Target.make(kind, n, **scope) for n in names]
    where = f" in group {group}" if group and path[0] != "group" else ""
    summary = f"az {' '.join(path)} `{names[0]}`{where}" if names[0] else f"az {' '.join(path)}"
    return make_op(cmd, "azure", path[-1], effect, targets, tags, summary)


def _param_env(opts: dict[str, list[str]]) -> str | None:
    """`az pipelines run --variables ENV=production`, `--parameters environment=prod`."""
    from interlock.parse.tools.generic_ci import param_env

    return param_env(["", *opts.get("--variables", ()), *opts.get("--parameters", ())])


def _local(cmd: Command, path: list[str]) -> Operation:
    verb = path[-1]
    effect = verb_effect(verb) or Effect.WRITE
    if verb in ("version", "find") or path[0] == "account":
        effect = Effect.WRITE if verb in ("set", "clear") else Effect.READ
    tgt = Target.make("az-config", "~/.azure", tier=local_tier(cmd, True), host=cmd.host)
    return make_op(cmd, "azure", verb, effect, [tgt], summary=f"az {' '.join(path)}")


def _rest(cmd: Command, opts: dict) -> Operation:
    method = (_first(opts, "--method", "-m") or "get").lower()
    url = _first(opts, "--url", "--uri", "-u") or ""
    table = {"get": Effect.READ, "head": Effect.READ, "delete": Effect.DESTROY}
    effect = table.get(method, Effect.WRITE)
    tgt = Target.make("url", url, url=url, host=cmd.host)
    path = url.split("?", 1)[0].rstrip("/").lower().split("/")
    root = (
        effect is Effect.DESTROY
        and len(path) > 1
        and path[-2] in ("resourcegroups", "subscriptions")
    )
    tags = {"env-root"} if root else set()
    return make_op(cmd, "azure", method, effect, [tgt], tags, f"az rest {method.upper()} {url}")


def _run_command(cmd: Command, ctx: Context, path: list[str], opts: dict) -> list[Operation]:
    """`az vm run-command invoke --scripts …` and `az aks command invoke --command …`."""
    aks = path[0] == "aks"
    name = _first(opts, "-n", "--name", "--vm-name") or "?"
    tgt = Target.make(
        "cluster" if aks else "vm",
        name,
        resource_group=_first(opts, "-g", "--resource-group"),
        subscription=_first(opts, "--subscription") or cmd.getenv("AZURE_SUBSCRIPTION_ID"),
        host=cmd.host,
    )
    what = "runs a command in cluster" if aks else "runs a script on vm"
    op = make_op(cmd, "azure", "run-command", Effect.UNKNOWN, [tgt], {"remote-code"},
                 f"{what} `{name}`")  # fmt: skip
    scripts = opts.get("--command" if aks else "--scripts", [])
    if not scripts or ctx.depth >= 4:
        return [op]
    sub = replace(cmd, host=name, via=(*cmd.via, f"az {' '.join(path)}"))
    return [op, *(o for s in scripts for o in ctx.shell(s, sub))]


# --- azcopy ------------------------------------------------------------------------------------

_AZCOPY = {
    "list": Effect.READ, "env": Effect.READ, "doc": Effect.READ, "help": Effect.READ,
    "copy": Effect.WRITE, "cp": Effect.WRITE, "make": Effect.WRITE, "sync": Effect.WRITE,
    "remove": Effect.DESTROY, "rm": Effect.DESTROY, "bench": Effect.WRITE,
    "set-properties": Effect.WRITE,
}  # fmt: skip


def _azcopy(cmd: Command) -> Operation:
    path, opts = _parse(cmd.args)
    sub = path[0] if path else "help"
    if sub in ("login", "logout", "jobs", "--version"):
        effect = Effect.READ if path[1:2] in (["list"], ["show"]) else Effect.WRITE
        tgt = Target.make("azcopy-config", sub, tier=local_tier(cmd, True), host=cmd.host)
        return make_op(cmd, "azure", f"azcopy-{sub}", effect, [tgt], summary=f"azcopy {sub}")
    effect = _AZCOPY.get(sub, Effect.UNKNOWN)
    tags = {"recursive"} if "--recursive" in opts else set()
    delete_dest = (_first(opts, "--delete-destination") or "false").lower()
    if sub == "sync" and delete_dest in ("true", "prompt"):
        effect = Effect.DESTROY
    if "--dry-run" in opts and effect is not Effect.READ:
        effect, tags = Effect.READ, {"dry-run"}
    tgt = _blob_target(cmd, path[-1] if len(path) > 1 else "", "recursive" in tags)
    if tgt.kind == "container" and effect is Effect.DESTROY and "recursive" in tags:
        tags.add("all")
    return make_op(cmd, "azure", f"azcopy-{sub}", effect, [tgt], tags, f"azcopy {sub} `{tgt.name}`")


def _blob_target(cmd: Command, url: str, recursive: bool) -> Target:
    if "://" not in url:
        return path_target(cmd, url) if url else Target.make("container", "?")
    host, _, rest = url.split("://", 1)[1].partition("/")
    rest = rest.split("?", 1)[0]
    account = host.split(".", 1)[0]
    blob = rest.partition("/")[2]
    kind = "container" if not blob.strip("*/") else ("prefix" if recursive else "blob")
    return Target.make(kind, f"{account}/{rest}".rstrip("/"), account=account, host=cmd.host)
