"""Whole clusters and the kubeconfig: kind, minikube, k3d, eksctl, kubeadm, kubectx, kubens,
k9s and kustomize.

Local clusters (kind, minikube, k3d) are certainly local unless the command runs on a remote
host; eksctl clusters are AWS resources scoped by region and profile.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import parse_args
from interlock.parse.tools.k8s_common import local_target, make_op, read_op, wordset

_LOCAL_TV = wordset(
    """--name -n --kubeconfig --image --config --wait -v --verbosity --retain -p --profile
    --driver --memory --cpus --nodes --kubernetes-version --agents --servers --port
    --api-port --registry-use --output -o --container-runtime --network -c --cluster"""
)
_LOCAL_READ = wordset(
    """get list status ip logs version completion help profile docker-env podman-env
    update-check options"""
)


def analyze_local(cmd: Command) -> list[Operation]:
    """kind, minikube and k3d: clusters in containers or VMs on this machine."""
    a = parse_args(cmd.args, _LOCAL_TV, bundle=True)
    pos = a.pos
    if a.has("-h", "--help") or not pos:
        return [read_op(cmd, "help", what=f"shows {cmd.program} help")]
    kind, verb, rest = "cluster", pos[0], pos[1:]
    if cmd.program == "k3d" and verb in _K3D_NOUNS and rest:
        kind, verb, rest = _K3D_NOUNS[verb], rest[0], rest[1:]
        verb = f"kubeconfig-{verb}" if pos[0] == "kubeconfig" else verb
    if rest[:1] in (["cluster"], ["clusters"]):
        rest = rest[1:]
    if verb in _LOCAL_READ or verb == "kubeconfig-get" or (verb, rest[:1]) == ("export", ["logs"]):
        return [read_op(cmd, verb, what=f"reads {cmd.program} {verb}")]
    named = rest if verb in _NAMED_VERBS else []
    name = _local_name(cmd, kind, a.value("--name", "-n", "-p", "--profile", "-c"), named)
    t = [local_target(cmd, kind, name)]
    if verb in ("delete", "rm"):
        tags = ("all",) if a.has("--all", "-a") else ()
        return [make_op(cmd, "delete", Effect.DESTROY, t, tags, f"deletes local {kind} `{name}`")]
    return [make_op(cmd, verb, Effect.WRITE, t, summary=f"{cmd.program} {verb} `{name}`")]


_K3D_NOUNS = {"cluster": "cluster", "node": "node", "registry": "registry",
              "image": "cluster", "kubeconfig": "cluster"}  # fmt: skip
_NAMED_VERBS = frozenset({"delete", "rm", "create", "start", "stop", "edit", "pause", "unpause"})


def _local_name(cmd: Command, kind: str, flag: str | None, rest: list[str]) -> str:
    default = {"kind": "kind", "minikube": "minikube", "k3d": "k3s-default"}.get(cmd.program, "")
    name = flag or next((w for w in rest if not w.startswith("-")), None) or default
    prefix = {"kind": "kind-", "k3d": "k3d-"}.get(cmd.program, "") if kind == "cluster" else ""
    return name if name.startswith(prefix) else prefix + name


_EKS_TV = wordset(
    """--name -n --cluster -c --region -r --profile -f --config-file --nodes -N --nodes-min
    --nodes-max --timeout --output -o --version --nodegroup --namespace --role-name"""
)
_EKS_READ = frozenset({"get", "info", "version", "completion", "help"})
_EKS_PLANNED = frozenset({"upgrade", "utils", "create", "delete"})


def analyze_eksctl(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _EKS_TV, bundle=True)
    if a.has("-h", "--help") or not a.pos or a.pos[0] in _EKS_READ:
        return [read_op(cmd, a.pos[0] if a.pos else "help", what="reads EKS clusters")]
    verb, what = a.pos[0], (a.pos[1] if len(a.pos) > 1 else "cluster")
    cluster = a.value("--cluster", "-c") if what != "cluster" else None
    name = a.value("--name", "-n") or (a.pos[2] if len(a.pos) > 2 else None)
    name = name or a.value("-f", "--config-file") or "?"
    scope = {"region": a.value("--region", "-r") or cmd.getenv("AWS_REGION")
             or cmd.getenv("AWS_DEFAULT_REGION"), "profile": a.value("--profile")
             or cmd.getenv("AWS_PROFILE"), "cluster": cluster, "host": cmd.host}  # fmt: skip
    kind = {"ng": "nodegroup", "nodegroups": "nodegroup"}.get(what, what)
    t = [Target.make(kind, name, **scope)]
    if verb in ("upgrade", "utils") and not a.has("--approve"):
        return [make_op(cmd, verb, Effect.READ, t, ("dry-run",), f"plans `eksctl {verb} {what}`")]
    if verb == "delete":
        return [make_op(cmd, "delete", Effect.DESTROY, t, summary=f"deletes EKS {kind} `{name}`")]
    if verb == "scale" and a.value("--nodes", "-N") == "0":
        return [
            make_op(cmd, "scale", Effect.DESTROY, t, ("zero",), f"scales {kind} `{name}` to zero")
        ]
    return [make_op(cmd, verb, Effect.WRITE, t, summary=f"eksctl {verb} {what} `{name}`")]


_KUBEADM_READ = frozenset({"version", "completion", "help"})
_KUBEADM_SUB_READ = frozenset({"plan", "diff", "list", "check-expiration", "print", "view", "user"})


def analyze_kubeadm(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, {"--config", "--kubeconfig", "--cri-socket", "--node-name"})
    pos = a.pos
    if a.has("-h", "--help") or not pos or pos[0] in _KUBEADM_READ:
        return [read_op(cmd, "help", what="reads kubeadm information")]
    node = [Target.make("node", a.value("--node-name") or cmd.host or "this-node", host=cmd.host)]
    sub = pos[1] if len(pos) > 1 else ""
    if a.has("--dry-run") or sub in _KUBEADM_SUB_READ or (pos[0], sub) == ("config", "images"):
        effect = Effect.WRITE if pos[-1] == "pull" and not a.has("--dry-run") else Effect.READ
        return [make_op(cmd, pos[0], effect, node, summary=f"kubeadm {' '.join(pos[:3])}")]
    if pos[0] == "reset":
        return [
            make_op(
                cmd, "reset", Effect.DESTROY, node, summary="wipes this node's Kubernetes state"
            )
        ]
    if pos[0] == "token" and sub == "delete":
        return [make_op(cmd, "delete", Effect.DESTROY, node, summary="deletes bootstrap tokens")]
    return [make_op(cmd, pos[0], Effect.WRITE, node, summary=f"kubeadm {' '.join(pos[:2])}")]


def analyze_switcher(cmd: Command) -> list[Operation]:
    """kubectx / kubens: list, switch, rename or delete kubeconfig contexts."""
    args = cmd.args
    if not args or args[0] in ("-c", "--current", "-h", "--help", "-V", "--version"):
        return [read_op(cmd, "list", what="lists contexts or namespaces")]
    what = "context" if cmd.program == "kubectx" else "namespace"
    names = [w for w in args if not w.startswith("-")] or [args[0]]
    t = [local_target(cmd, "kubeconfig", n) for n in names]
    if args[0] in ("-d", "--delete"):
        return [make_op(cmd, "config-delete-context", Effect.DESTROY, t,
                        summary=f"removes {what} `{names[0]}` from the kubeconfig")]  # fmt: skip
    return [
        make_op(cmd, f"switch-{what}", Effect.WRITE, t, summary=f"switches {what} to `{names[0]}`")
    ]


def analyze_k9s(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, {"--context", "-n", "--namespace", "--cluster", "--kubeconfig", "-c",
                              "--command", "-l", "--logLevel", "--user"})  # fmt: skip
    if a.has("--readonly", "-h", "--help") or a.pos[:1] in (["info"], ["version"], ["help"]):
        return [read_op(cmd, "k9s", what="opens k9s read-only")]
    t = Target.make("cluster", a.value("--context") or "current", context=a.value("--context"),
                    namespace=a.value("-n", "--namespace"), host=cmd.host)  # fmt: skip
    return [make_op(cmd, "k9s", Effect.UNKNOWN, [t], summary="opens the interactive k9s console")]


_KUSTOMIZE_READ = frozenset({"build", "cfg", "version", "help", "completion", "docs"})


def analyze_kustomize(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, {"-o", "--output", "--load-restrictor", "--helm-command"})
    verb = a.pos[0] if a.pos else "help"
    if verb in _KUSTOMIZE_READ and not (verb == "cfg" and a.pos[1:2] == ["set"]):
        return [read_op(cmd, verb, what=f"kustomize {verb} (prints manifests)")]
    t = [local_target(cmd, "kustomization", cmd.cwd or ".")]
    if verb in ("edit", "create", "init", "localize", "cfg", "fn"):
        return [make_op(cmd, verb, Effect.WRITE, t, summary=f"edits local kustomization ({verb})")]
    return [make_op(cmd, verb, Effect.UNKNOWN, t, summary=f"runs `kustomize {verb}`")]
