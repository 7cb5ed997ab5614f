"""The `host` family's entry point: containers, services, power, processes, firewalls,
packages, accounts, kernel, network links and virtual machines.

Each group of programs has its own module (`host_*.py`), imported on first use. Operations come
out in two families: `container` (docker, podman, nerdctl, compose, crictl, ctr, buildah,
skopeo) and `host` (everything else). An analyzer that trips on odd input answers an `unknown`
operation rather than raising.
"""

from __future__ import annotations

import importlib

from interlock.model import Command, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import CONTAINER, HOST, unknown_op

_MODULES: dict[str, tuple[str, ...]] = {
    "host_container": ("docker", "podman", "nerdctl"),
    "host_compose": ("docker-compose", "podman-compose"),
    "host_cri": ("crictl", "ctr", "buildah", "skopeo"),
    "host_system": ("systemctl", "service", "rc-service", "shutdown", "reboot", "halt",
                    "poweroff", "init", "telinit", "kexec"),
    "host_proc": ("kill", "killall", "pkill", "crontab", "killall5", "fuser", "renice", "at",
                  "atq", "atrm", "batch"),
    "host_firewall": ("iptables", "ip6tables", "iptables-save", "ip6tables-save",
                      "iptables-restore", "ip6tables-restore", "nft", "ufw", "firewall-cmd"),
    "host_net": ("ip", "ifconfig", "route", "nmcli", "ifdown", "ifup"),
    "host_pkg": ("apt", "apt-get", "apt-cache", "apt-mark", "aptitude", "dpkg", "yum", "dnf",
                 "microdnf", "rpm", "zypper", "pacman", "yay", "paru", "apk", "brew", "snap",
                 "flatpak", "dpkg-query", "rpmquery", "apt-rdepends",
                 "apt-show-versions"),
    "host_pkg_lang": ("pip", "pip3", "pipx", "gem", "npm", "yarn", "pnpm"),
    "host_users": ("userdel", "groupdel", "deluser", "delgroup", "passwd", "usermod", "useradd",
                   "adduser", "groupadd", "addgroup", "gpasswd", "chpasswd", "chage", "visudo"),
    "host_kernel": ("sysctl", "modprobe", "rmmod", "insmod", "journalctl", "dmesg",
                    "hostnamectl", "timedatectl", "swapon", "loginctl", "launchctl",
                    "update-rc.d", "chkconfig", "rc-update", "modinfo", "lsmod", "depmod", "runlevel",
                    "systemd-cgls", "systemd-cgtop"),
    "host_vm": ("vagrant", "virsh", "multipass", "lxc", "incus", "limactl"),
}  # fmt: skip
_ROUTE = {prog: mod for mod, progs in _MODULES.items() for prog in progs}
_CONTAINER_MODULES = frozenset({"host_container", "host_compose", "host_cri"})


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    mod = _ROUTE.get(cmd.program)
    if mod is None:
        return [unknown_op(cmd, HOST)]
    family = CONTAINER if mod in _CONTAINER_MODULES else HOST
    try:
        ops = importlib.import_module(f"interlock.parse.tools.{mod}").analyze(cmd, ctx)
    except (IndexError, KeyError, ValueError, AttributeError, TypeError):
        # INVARIANT: odd input never escapes as an exception; it becomes an unknown operation.
        return [unknown_op(cmd, family)]
    return ops or [unknown_op(cmd, family)]
