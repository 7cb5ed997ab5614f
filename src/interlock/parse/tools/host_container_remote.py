"""What a container command does beyond this machine: pushes to a registry, swarm outages.

An image pushed to a registry is published: whoever pulls the tag gets it, and a moved tag
(`latest`, `1.4`) changes what deployments run. Pushes are action `push` on `image` targets;
a push to a registry on this machine (`localhost:5000/…`) or into a local archive
(`oci-archive:/tmp/x.tar`, `dir:…`) is `local`. `buildx build --push`, `-o type=registry`,
`bake --push` and `imagetools create` push as well.

Swarm: `service scale api=0` or `service update --replicas 0` stops a service (a `destroy`
tagged `zero`, like `kubectl scale --replicas=0`); `node update --availability drain` evicts
every task from a node (action `drain`).
"""

from __future__ import annotations

from collections.abc import Sequence

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.host_common import CONTAINER, make_op, names, target, words

# Transports that write to this machine rather than to a registry (skopeo, podman, buildah).
_LOCAL_TRANSPORTS = (
    "oci:", "oci-archive:", "dir:", "docker-archive:", "docker-daemon:", "containers-storage:",
)  # fmt: skip
_LOCAL_REGISTRIES = ("localhost", "127.0.0.1", "[::1]", "host.docker.internal", "kind-registry")
_BUILD_TV = words(
    "-t --tag -f --file -o --output --platform --build-arg --target --cache-from --cache-to "
    "--secret --ssh --label --builder --progress --iidfile --metadata-file --network "
    "--provenance --sbom --attest --annotation --build-context --allow --shm-size --ulimit "
    "--set --call"
)


def is_local_ref(ref: str) -> bool:
    """`localhost:5000/api`, `oci-archive:/tmp/api.tar`: a destination on this machine."""
    if ref.startswith(_LOCAL_TRANSPORTS):
        return True
    ref = ref.removeprefix("docker://")
    head = ref.split("/", 1)[0] if "/" in ref else ""
    return head.split(":", 1)[0] in _LOCAL_REGISTRIES


def push_targets(cmd: Command, refs: Sequence[str], scope: dict[str, str]) -> list[Target]:
    return [
        target(cmd, "image", r, Tier.LOCAL if is_local_ref(r) else Tier.UNKNOWN, **scope)
        for r in refs[:5]
    ] or [target(cmd, "image", "images", Tier.UNKNOWN, **scope)]


def push_op(cmd: Command, refs: Sequence[str], scope: dict[str, str], tags: set[str]) -> Operation:
    summary = f"pushes {names(refs) or 'images'} to a registry"
    return make_op(cmd, CONTAINER, "push", Effect.WRITE, push_targets(cmd, refs, scope), tags,
                   summary)  # fmt: skip


def build_push(
    cmd: Command, verb: str, vargs: list[str], scope: dict[str, str]
) -> Operation | None:
    """`buildx build --push -t x .`, `build -o type=registry`, `bake --push`,
    `imagetools create -t x src`: the push those builds end with (None when they do not)."""
    a = parse_args(vargs, _BUILD_TV, bundle=True)
    if a.has("--dry-run", "--print", "--check"):
        return None
    outputs = [*a.values("-o", "--output"), *a.values("--set")]
    pushes = a.has("--push") or any("type=registry" in o or "push=true" in o for o in outputs if o)
    if verb == "imagetools":  # `imagetools create` pushes the manifest list it makes
        pushes = True
    if not pushes:
        return None
    refs = a.values("-t", "--tag")
    if verb == "bake" and not refs:
        refs = [f"bake targets {' '.join(a.pos)}".strip()]
    return push_op(cmd, refs, scope, set())


def swarm_op(
    cmd: Command, obj: str, verb: str, a: Args, tgts: list[Target], where: str
) -> Operation | None:
    """A swarm change the generic write path would undersell: scaling to zero, draining."""
    if obj == "service" and verb in ("scale", "update"):
        zero = [p.split("=", 1)[0] for p in a.pos if p.endswith("=0") and verb == "scale"]
        if verb == "update" and a.value("--replicas") == "0":
            zero = a.pos[-1:]
        if zero:
            t = [x for x in tgts if x.name.split("=", 1)[0] in zero] or tgts
            summary = f"scales service {names(zero)} to zero{where}"
            return make_op(cmd, CONTAINER, "scale", Effect.DESTROY, t, {"zero"}, summary)
    if obj == "node" and verb == "update":
        availability = a.value("--availability") or ""
        if availability in ("drain", "pause"):
            t = [x for x in tgts if x.name != availability] or tgts
            summary = f"{availability}s node {names([x.name for x in t])}{where}"
            return make_op(cmd, CONTAINER, "drain", Effect.WRITE, t, set(), summary)
    return None
