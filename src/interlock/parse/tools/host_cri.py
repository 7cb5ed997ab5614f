"""Node-level container runtimes and image tools: crictl, ctr, buildah, skopeo.

These run on Kubernetes nodes and build hosts, so their objects are never assumed local.
`skopeo delete` deletes an image from a registry.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    CONTAINER,
    dynamic_tags,
    first_positional,
    make_op,
    names,
    target,
    unknown_op,
    wants_help,
    words,
)
from interlock.parse.tools.host_container_remote import push_op

_CRICTL_TV = words("-r --runtime-endpoint -i --image-endpoint -c --config -t --timeout")
_CTR_TV = words("-a --address -n --namespace --timeout --connect-timeout")
_VERB_TV = words("-s --state --label --name --namespace -o --output --timeout -t")

# crictl verb → (action, effect, kind)
_CRICTL: dict[str, tuple[str, Effect, str]] = {
    "rm": ("delete", Effect.DESTROY, "container"), "rmi": ("delete", Effect.DESTROY, "image"),
    "rmp": ("delete", Effect.DESTROY, "pod"), "stop": ("stop", Effect.WRITE, "container"),
    "stopp": ("stop", Effect.WRITE, "pod"), "start": ("start", Effect.WRITE, "container"),
    "create": ("create", Effect.WRITE, "container"), "run": ("run", Effect.WRITE, "container"),
    "runp": ("run", Effect.WRITE, "pod"), "pull": ("pull", Effect.WRITE, "image"),
    "update": ("update", Effect.WRITE, "container"), "exec": ("exec", Effect.WRITE, "container"),
    "attach": ("exec", Effect.WRITE, "container"),
    "checkpoint": ("checkpoint", Effect.WRITE, "container"),
}  # fmt: skip
_CRICTL_READ = words(
    "ps pods images image img inspect inspecti inspectp imagefsinfo logs port stats statsp "
    "info version completion help events metricsp metricdescs"
)
_CTR_OBJ = {
    "containers": "container", "container": "container", "c": "container",
    "images": "image", "image": "image", "i": "image", "tasks": "task", "task": "task",
    "t": "task", "snapshots": "snapshot", "snapshot": "snapshot", "namespaces": "namespace",
    "namespace": "namespace", "ns": "namespace", "content": "content", "leases": "lease",
    "sandboxes": "sandbox", "sandbox": "sandbox", "sb": "sandbox",
}  # fmt: skip
_CTR_READ = words("ls list info check metrics ps export usage tree view fetch-object")
_CTR_DESTROY = frozenset({"rm", "delete", "del", "remove", "prune"})
_COPY_TV = words(
    "--src -s --dest -d --src-creds --dest-creds --src-authfile --dest-authfile --authfile "
    "--creds -f --format --sign-by --sign-passphrase-file --retry-times --retry-delay "
    "--src-cert-dir --dest-cert-dir --cert-dir --encryption-key --decryption-key "
    "--multi-arch --digestfile --src-registry-token --dest-registry-token --compression-format "
    "--compression-level --sign-by-sigstore --sign-by-sigstore-private-key "
    "--additional-tag --image-parallel-copies --override-arch --override-os"
)


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    handler = {"crictl": _crictl, "ctr": _ctr, "buildah": _buildah, "skopeo": _skopeo}
    return [handler.get(cmd.program, _crictl)(cmd)]


def _crictl(cmd: Command) -> Operation:
    g = parse_args(cmd.args, _CRICTL_TV, stop_at_first_positional=True)
    if not g.pos or wants_help(cmd.args):
        return make_op(cmd, CONTAINER, "read", Effect.READ, summary="shows crictl help")
    verb, rest = g.pos[0], g.pos[1:]
    if verb in _CRICTL_READ or (verb == "config" and "--set" not in rest):
        return make_op(cmd, CONTAINER, verb, Effect.READ, summary=f"crictl {verb}")
    spec = _CRICTL.get(verb)
    if spec is None:
        return unknown_op(cmd, CONTAINER, verb)
    action, effect, kind = spec
    a = parse_args(rest, _VERB_TV, bundle=True, stop_at_first_positional=verb == "exec")
    objs = a.pos[:1] if verb == "exec" else a.pos
    return _node_op(cmd, action, effect, kind, objs, a.has("-a", "--all", "--prune"))


def _node_op(
    cmd: Command, action: str, effect: Effect, kind: str, objs: list[str], every: bool
) -> Operation:
    tgts = [target(cmd, kind, n) for n in objs[:20]] or [target(cmd, kind, f"{kind}s")]
    tags = set(dynamic_tags(cmd))
    if every:
        tags.add("all")
    shown = "all" if every and not objs else names(objs)
    return make_op(cmd, CONTAINER, action, effect, tgts, tags, f"{action} {kind} {shown}")


def _ctr(cmd: Command) -> Operation:
    g = parse_args(cmd.args, _CTR_TV, stop_at_first_positional=True)
    if not g.pos or wants_help(cmd.args):
        return make_op(cmd, CONTAINER, "read", Effect.READ, summary="shows ctr help")
    sub, rest = g.pos[0], g.pos[1:]
    if sub in ("version", "info", "plugins", "plugin", "events", "deprecations"):
        return make_op(cmd, CONTAINER, sub, Effect.READ, summary=f"ctr {sub}")
    if sub == "run":
        return make_op(cmd, CONTAINER, "run", Effect.WRITE, summary="runs a container")
    kind = _CTR_OBJ.get(sub)
    verb, vargs = first_positional(rest)
    if kind is None or verb is None:
        return unknown_op(cmd, CONTAINER, sub)
    a = parse_args(vargs, _VERB_TV, bundle=True)
    if verb in _CTR_READ:
        return make_op(cmd, CONTAINER, verb, Effect.READ, summary=f"ctr {sub} {verb}")
    if verb in _CTR_DESTROY:
        return _node_op(cmd, "delete", Effect.DESTROY, kind, a.pos, verb == "prune")
    if kind == "task" and verb == "kill":
        return _node_op(cmd, "kill", Effect.WRITE, kind, a.pos, a.has("-a", "--all"))
    return _node_op(cmd, verb, Effect.WRITE, kind, a.pos[:1], False)


def _buildah(cmd: Command) -> Operation:
    verb, rest = first_positional(cmd.args)
    if verb is None or wants_help(cmd.args):
        return make_op(cmd, CONTAINER, "read", Effect.READ, summary="shows buildah help")
    if verb in ("images", "containers", "inspect", "info", "version", "help", "ps", "ls"):
        return make_op(cmd, CONTAINER, verb, Effect.READ, summary=f"buildah {verb}")
    if verb in ("rm", "rmi", "prune", "delete"):
        kind = "image" if verb == "rmi" else "container"
        pos = [x for x in rest if not x.startswith("-")]
        return _node_op(cmd, "delete", Effect.DESTROY, kind, pos, "-a" in rest or "--all" in rest)
    if verb in ("push", "manifest") and not wants_help(rest):
        pos = parse_args(rest, _COPY_TV, bundle=True).pos
        if verb == "push" or pos[:1] == ["push"]:
            return push_op(cmd, pos[-1:], {}, set())
    return make_op(cmd, CONTAINER, verb, Effect.WRITE, summary=f"buildah {verb}")


def _skopeo(cmd: Command) -> Operation:
    verb, rest = first_positional(cmd.args)
    if verb is None or wants_help(cmd.args):
        return make_op(cmd, CONTAINER, "read", Effect.READ, summary="shows skopeo help")
    pos = [x for x in rest if not x.startswith("-")]
    if verb in ("inspect", "list-tags", "manifest-digest", "standalone-verify", "help"):
        return make_op(cmd, CONTAINER, verb, Effect.READ, summary=f"skopeo {verb}")
    if verb == "delete":
        tgts = [target(cmd, "image", n, url=n.split("/")[2] if n.count("/") >= 2 else None)
                for n in pos[:5]]  # fmt: skip
        summary = f"deletes image {names(pos)} from its registry"
        return make_op(cmd, CONTAINER, "delete", Effect.DESTROY, tgts, dynamic_tags(cmd), summary)
    if verb in ("copy", "sync"):
        a = parse_args(rest, _COPY_TV, bundle=True)
        dest = a.pos[-1:]
        if verb == "sync" and a.value("--dest", "-d") in ("dir", "oci"):
            dest = [f"dir:{dest[0]}" if dest else "dir:."]
        if a.has("--dry-run"):
            return make_op(cmd, CONTAINER, verb, Effect.READ, tags={"dry-run"},
                           summary=f"shows what skopeo {verb} would copy")  # fmt: skip
        return push_op(cmd, dest, {}, set())
    return make_op(cmd, CONTAINER, verb, Effect.WRITE, summary=f"skopeo {verb}")
