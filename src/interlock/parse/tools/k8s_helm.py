"""helm: releases in a cluster (install, upgrade, rollback, uninstall) and local chart work."""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.k8s_common import (
    DESTRUCTIVE_WORDS,
    Scope,
    as_dry_run,
    dynamic_words,
    is_dry_run,
    local_target,
    make_op,
    merge_dry_run,
    wordset,
)

TAKES_VALUE = wordset(
    """--kube-context -n --namespace --kubeconfig --kube-apiserver --kube-token --kube-as-user
    --kube-as-group --kube-ca-file --kube-tls-server-name --registry-config --repository-cache
    --repository-config --burst-limit --qps -f --values --set --set-string --set-file --set-json
    --set-literal --version --timeout --description --post-renderer --post-renderer-args --repo
    --username --password --ca-file --cert-file --key-file --keyring --name-template -o --output
    --max --history-max --revision --deletion-propagation --cascade --output-dir -d
    --destination --untardir --app-version --key --template --show-only -s --api-versions -a
    --kube-version --labels -l --selector --filter --offset --time-format --max-col-width
    --take-ownership"""
)

_READ = wordset(
    """list ls status get history hist template show inspect search lint version env verify
    completion help diff"""
)
_UNINSTALL = frozenset({"uninstall", "delete", "del", "un"})
_LOCAL_READ = {"repo": {"list", "ls", "update", "up"}, "dependency": {"list", "ls"},
               "dep": {"list", "ls"}, "plugin": {"list", "ls"}}  # fmt: skip
_LOCAL_WRITE = frozenset({"repo", "dependency", "dep", "pull", "fetch", "package", "create",
                          "registry", "plugin"})  # fmt: skip


def analyze(cmd: Command) -> list[Operation]:
    args = list(cmd.args)
    if args[:1] == ["secrets"]:  # helm-secrets wraps the real subcommand
        args = args[1:]
    a = parse_args(merge_dry_run(args), TAKES_VALUE, bundle=True)
    if a.has("-h", "--help") or not a.pos:
        return [make_op(cmd, "help", Effect.READ, (), summary="shows helm help")]
    verb, rest = a.pos[0], a.pos[1:]
    if verb in _READ:
        return [make_op(cmd, verb, Effect.READ, (), summary=f"reads helm ({verb})")]
    if verb in _LOCAL_READ or verb in _LOCAL_WRITE:
        return [_local(cmd, verb, rest)]
    sc = _scope(cmd, a)
    ops = _release(cmd, a, sc, verb, rest)
    if is_dry_run(a.opts):
        return [as_dry_run(op) for op in ops]
    return ops


def _scope(cmd: Command, a: Args) -> Scope:
    return Scope(
        context=a.value("--kube-context") or cmd.getenv("HELM_KUBECONTEXT"),
        cluster=a.value("--kubeconfig") or cmd.getenv("KUBECONFIG"),
        namespace=a.value("-n", "--namespace") or cmd.getenv("HELM_NAMESPACE"),
        url=a.value("--kube-apiserver"),
        host=cmd.host,
    )


def _release(cmd: Command, a: Args, sc: Scope, verb: str, rest: list[str]) -> list[Operation]:
    tags = _tags(cmd, a, rest)
    if verb in _UNINSTALL:
        ts = _targets(sc, rest or ["?"])
        return [make_op(cmd, "uninstall", Effect.DESTROY, ts, tags, f"uninstalls {_names(ts)}")]
    if verb in ("install", "upgrade"):
        generated = a.has("--generate-name", "-g") or (verb == "install" and len(rest) < 2)
        name = "generated" if generated else (rest[0] if rest else "?")
        ts = _targets(sc, [name])
        what = "installs" if verb == "install" else "upgrades"
        return [make_op(cmd, verb, Effect.WRITE, ts, tags, f"{what} {_names(ts)}")]
    if verb in ("rollback", "test"):
        ts = _targets(sc, rest[:1] or ["?"])
        what = "rolls back" if verb == "rollback" else "runs tests of"
        return [make_op(cmd, verb, Effect.WRITE, ts, tags, f"{what} {_names(ts)}")]
    if verb == "push":
        t = Target.make("chart-registry", rest[-1] if rest else "?", url=rest[-1] if rest else None)
        return [make_op(cmd, "push", Effect.WRITE, [t], tags, "pushes a chart to a registry")]
    if DESTRUCTIVE_WORDS.intersection(a.pos):  # a plugin: `helm s3 delete …`, `helm x rm …`
        ts = _targets(sc, rest[-1:] or ["?"])
        return [make_op(cmd, verb, Effect.DESTROY, ts, tags, f"runs a deleting plugin ({verb})")]
    return [make_op(cmd, verb, Effect.UNKNOWN, _targets(sc, ["?"]), tags, f"runs `helm {verb}`")]


def _tags(cmd: Command, a: Args, rest: list[str]) -> set[str]:
    out = set()
    if a.has("--force"):
        out.add("force")
    if any(w in dynamic_words(cmd) for w in rest):
        out.add("dynamic-target")
    return out


def _targets(sc: Scope, names: list[str]) -> list[Target]:
    return [sc.target("helm-release", n) for n in names]


def _names(targets: list[Target]) -> str:
    names = ", ".join(f"`{t.name}`" for t in targets)
    ns = targets[0].get("namespace") if targets else None
    return f"release {names}" + (f" in namespace `{ns}`" if ns else "")


def _local(cmd: Command, verb: str, rest: list[str]) -> Operation:
    """Repositories, dependencies, plugins and chart files on this machine."""
    subbed = verb in _LOCAL_READ or verb == "registry"
    sub = rest[0] if rest and subbed else ""
    action = f"{verb}-{sub}" if sub else verb
    if verb in _LOCAL_READ and (not sub or sub in _LOCAL_READ[verb]):
        return make_op(cmd, action, Effect.READ, (), summary=f"helm {verb} {sub}".strip())
    names = rest[1:] if subbed else rest
    t = local_target(cmd, f"helm-{verb}", names[0] if names else verb)
    return make_op(cmd, action, Effect.WRITE, [t], summary=f"helm {verb} {sub}".strip())
