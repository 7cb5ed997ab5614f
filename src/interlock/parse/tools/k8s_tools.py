"""Deployers and helpers around kubectl: helmfile, kapp, kubecfg, kubeseal and stern.

helmfile and kapp deploy and delete whole sets of releases or objects, so their deletions are
reported as the Helm releases or kapp apps they remove; kubeseal and stern only read.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import parse_args
from interlock.parse.tools.k8s_common import Scope, local_target, make_op, read_op, wordset

_HELMFILE_TV = wordset(
    """-e --environment -f --file -l --selector --kube-context -n --namespace --chart -c
    --state-values-set --state-values-set-string --state-values-file --color --log-level
    --helm-binary -b --kustomize-binary -k --args --set --values --concurrency --output-dir
    --output-dir-template --output-file-template --timeout --context --output -o
    --skip-needs --include-needs --wait-for-jobs --cascade --post-renderer"""
)
_HELMFILE_READ = wordset(
    """diff template lint list status show-dag version completion help build write-values
    cache fetch print-env"""
)
_HELMFILE_LOCAL = frozenset({"deps", "repos", "init"})


def analyze_helmfile(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _HELMFILE_TV, bundle=True)
    verb = a.pos[0] if a.pos else "help"
    if a.has("-h", "--help", "-v", "--version") or verb in _HELMFILE_READ:
        return [read_op(cmd, verb, what=f"helmfile {verb} (reads)")]
    if verb in _HELMFILE_LOCAL:
        t = [local_target(cmd, "helmfile", a.value("-f", "--file") or "helmfile.yaml")]
        return [make_op(cmd, verb, Effect.WRITE, t, summary=f"helmfile {verb} (local files)")]
    env = a.value("-e", "--environment") or cmd.getenv("HELMFILE_ENVIRONMENT")
    sc = Scope(context=a.value("--kube-context"), cluster=cmd.getenv("KUBECONFIG"),
               namespace=a.value("-n", "--namespace"), host=cmd.host)  # fmt: skip
    sel = a.values("-l", "--selector")
    t = _with_env(sc.target("helm-release", ",".join(sel) or "*"), env)
    tags = ("all",) if not sel else ()
    if verb in ("destroy", "delete"):
        s = f"uninstalls every release of the helmfile{_where(env)}"
        return [make_op(cmd, "uninstall", Effect.DESTROY, [t], tags, s)]
    if verb in ("apply", "sync", "charts", "test"):
        return [make_op(cmd, verb, Effect.WRITE, [t], (), f"helmfile {verb}{_where(env)}")]
    return [make_op(cmd, verb, Effect.UNKNOWN, [t], (), f"runs `helmfile {verb}`")]


def _with_env(t: Target, env: str | None) -> Target:
    return Target.make(t.kind, t.name, **{**dict(t.scope), "env": env}) if env else t


def _where(env: str | None) -> str:
    return f" (environment `{env}`)" if env else ""


_KAPP_TV = wordset(
    """-a --app -n --namespace -f --file --kubeconfig --kubeconfig-context --kubeconfig-yaml
    --color --column --filter --filter-kind --filter-name --filter-ns --filter-labels
    --apply-concurrency --wait-timeout --diff-context --logs-container-tag --json
    --new-name -g --group --directory"""
)
_KAPP_READ = wordset("list ls inspect logs version help completion tools website")


def analyze_kapp(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _KAPP_TV, bundle=True)
    pos = a.pos
    if a.has("-h", "--help") or not pos or pos[0] in _KAPP_READ:
        return [read_op(cmd, pos[0] if pos else "help", what="kapp reads")]
    group = pos[0] == "app-group"
    verb = pos[1] if pos[0] in ("app-group", "app-change", "deploy-config") and pos[1:] else pos[0]
    if pos[0] == "app-change" and verb in ("list", "ls"):
        return [read_op(cmd, "app-change-list", what="lists kapp app changes")]
    sc = Scope(context=a.value("--kubeconfig-context"), cluster=a.value("--kubeconfig"),
               namespace=a.value("-n", "--namespace"), host=cmd.host)  # fmt: skip
    name = a.value("-g", "--group") if group else a.value("-a", "--app")
    t = [sc.target("kapp-app-group" if group else "kapp-app", name or "?")]
    if a.has("--diff-run"):
        return [make_op(cmd, verb, Effect.READ, t, ("dry-run",), f"kapp {verb} (diff only)")]
    if verb == "delete":
        return [make_op(cmd, "delete", Effect.DESTROY, t, (), f"deletes kapp app `{name}` and "
                        "every object it owns")]  # fmt: skip
    if verb == "deploy" and a.has("--dangerous-allow-empty-list-of-resources"):
        s = f"deploys kapp app `{name}`, allowed to delete all of its objects"
        return [make_op(cmd, "deploy", Effect.DESTROY, t, ("prune",), s)]
    return [make_op(cmd, verb, Effect.WRITE, t, (), f"kapp {verb} `{name}`")]


_KUBECFG_TV = wordset(
    """--context -n --namespace --kubeconfig --server -s --gc-tag --jpath -J --ext-str -V
    --ext-code --tla-str -A --tla-code --format -o --diff-strategy --reorder --cluster --user
    --alpha --resolve-images --registry"""
)
_KUBECFG_READ = wordset("show diff validate version check eval help completion")


def analyze_kubecfg(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _KUBECFG_TV, bundle=True)
    verb = a.pos[0] if a.pos else "help"
    if a.has("-h", "--help") or verb in _KUBECFG_READ:
        return [read_op(cmd, verb, what=f"kubecfg {verb} (reads)")]
    sc = Scope(context=a.value("--context"), cluster=a.value("--kubeconfig"),
               namespace=a.value("-n", "--namespace"), url=a.value("--server", "-s"),
               host=cmd.host)  # fmt: skip
    t = [sc.target("manifest", f) for f in a.pos[1:]] or [sc.target("manifest", "?")]
    if a.has("--dry-run"):
        return [make_op(cmd, verb, Effect.READ, t, ("dry-run",), f"kubecfg {verb} (dry run)")]
    if verb == "delete":
        return [make_op(cmd, "delete", Effect.DESTROY, t, (), "deletes the objects in the files")]
    if verb == "update" and a.has("--gc-tag"):
        s = "applies the files and deletes tagged objects no longer in them"
        return [make_op(cmd, "apply", Effect.DESTROY, t, ("prune",), s)]
    return [make_op(cmd, verb, Effect.WRITE, t, (), f"kubecfg {verb}")]


def analyze_kubeseal(cmd: Command) -> list[Operation]:
    """kubeseal encrypts stdin to stdout; only `--merge-into FILE` writes a file."""
    a = parse_args(cmd.args, {"--merge-into", "--cert", "--controller-name",
                              "--controller-namespace", "--format", "-o", "--name", "-n",
                              "--namespace", "--scope", "--recovery-private-key", "--context",
                              "--kubeconfig", "--from-file", "-w", "--sealed-secret-file",
                              "--secret-file"})  # fmt: skip
    merge = a.value("--merge-into")
    if merge:
        t = [local_target(cmd, "path", merge)]
        return [make_op(cmd, "seal", Effect.WRITE, t, (), f"merges a sealed secret into `{merge}`")]
    what = "decrypts sealed secrets with a private key" if a.has("--recovery-unseal") else "seals"
    return [read_op(cmd, "seal", what=f"kubeseal {what} (prints the result)")]


def analyze_stern(cmd: Command) -> list[Operation]:
    return [read_op(cmd, "logs", what="tails pod logs")]
