"""`docker run`/`create` flags: which take a value, and which hand the container the host.

A container is `privileged` when it can reach the host as root: `--privileged`, host PID or
user namespaces, powerful capabilities, disabled confinement, a device, or a bind mount of the
host's root, system directories or the engine socket.
"""

from __future__ import annotations

from interlock.parse.args import Args
from interlock.parse.tools.host_common import words

RUN_TV = words(
    "-e --env -v --volume -p --publish --name -w --workdir -u --user --network --net --mount "
    "--entrypoint -l --label --env-file -h --hostname --memory -m --cpus --cap-add --cap-drop "
    "--device --restart --log-driver --log-opt --platform --pull --add-host --dns --dns-search "
    "--dns-option --security-opt --ulimit --tmpfs --pid --ipc --uts --userns --cgroupns --gpus "
    "--shm-size --stop-signal --stop-timeout --health-cmd --health-interval --health-retries "
    "--health-timeout --health-start-period --expose --link --volumes-from --label-file "
    "--cidfile --runtime --isolation --ip --ip6 --mac-address --network-alias --cpu-shares -c "
    "--cpuset-cpus --cpuset-mems --memory-swap --memory-reservation --group-add --annotation "
    "-a --attach --detach-keys --domainname --sysctl --storage-opt --oom-score-adj "
    "--pids-limit --blkio-weight --cgroup-parent --pod --secret --arch --os --variant "
    "--uidmap --gidmap --subuidname --subgidname --hostuser --requires --sdnotify "
    "--seccomp-policy --timeout --tz --umask --personality --preserve-fds --retry "
    "--retry-delay --init-path --device-cgroup-rule --cpu-period --cpu-quota --cpu-rt-period "
    "--cpu-rt-runtime --kernel-memory --memory-swappiness --log-level --image-volume "
    "--chrootdirs --passwd-entry --group-entry --rdt-class --cgroup-conf --cgroups "
    "--decryption-key --env-merge --hosts-file --network-cmd-path --pidfile"
)
_HOST_PATHS = frozenset(
    {"/", "/etc", "/root", "/boot", "/dev", "/proc", "/sys", "/var", "/var/run",
     "/var/run/docker.sock", "/run/docker.sock", "/var/lib/docker", "/run",
     "/run/containerd/containerd.sock", "/run/podman/podman.sock", "/usr", "/bin", "/sbin",
     "/lib", "/home", "/var/lib/kubelet", "/etc/kubernetes"}
)  # fmt: skip
_CAPS = frozenset({"ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "DAC_READ_SEARCH",
                   "SYS_BOOT", "NET_ADMIN", "BPF"})  # fmt: skip


def run_tags(a: Args) -> set[str]:
    """`privileged` (plus `root-path` for a mount of `/`) when the container can reach the host."""
    tags: set[str] = set()
    priv = a.opts.get("--privileged")
    if priv is not None and priv[-1].lower() not in ("false", "0"):
        tags.add("privileged")
    if any(v == "host" for v in a.values("--pid", "--userns", "--uts", "--ipc", "--cgroupns")):
        tags.add("privileged")
    caps = {c.upper().removeprefix("CAP_") for v in a.values("--cap-add") for c in v.split(",")}
    if caps & _CAPS:
        tags.add("privileged")
    if a.values("--device"):
        tags.add("privileged")
    if any("unconfined" in v or "disable" in v for v in a.values("--security-opt")):
        tags.add("privileged")
    for src in _mount_sources(a):
        norm = src.rstrip("/") or "/"
        if norm in _HOST_PATHS:
            tags.add("privileged")
            if norm == "/":
                tags.add("root-path")
    return tags


def _mount_sources(a: Args) -> list[str]:
    out = [v.split(":", 1)[0] for v in a.values("-v", "--volume") if v.startswith("/")]
    for spec in a.values("--mount"):
        fields = dict(p.partition("=")[::2] for p in spec.split(","))
        src = fields.get("source") or fields.get("src") or ""
        if src.startswith("/"):
            out.append(src)
    return out
