"""System package managers: apt, apt-get, apt-cache, apt-mark, aptitude, dpkg, yum, dnf,
microdnf, rpm, zypper, pacman (yay, paru), apk, brew, snap, flatpak.

Removing packages is a `destroy` (action `remove`); removing one the machine cannot boot, log
in or manage packages without (libc, systemd, the kernel, sudo, openssh-server, the package
manager itself) adds `critical-package`. Installing and upgrading are writes; queries are reads.
A simulation flag makes any of them a read tagged `dry-run`.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    dynamic_tags,
    first_positional,
    make_op,
    names,
    read_op,
    short_flags,
    target,
    unknown_op,
    wants_help,
    words,
)
from interlock.parse.tools.host_pkg_table import DRY_RUN, TV, VERBS, pacman_verb, rpm_verb

_CRITICAL = words(
    "libc6 libc-bin glibc glibc-common musl systemd systemd-sysv init sudo openssh-server "
    "openssh openssh-sshd ssh dpkg apt rpm yum dnf pacman apk-tools coreutils bash login "
    "passwd shadow shadow-utils util-linux base busybox libssl3 openssl-libs e2fsprogs mount "
    "grub grub2 grub-pc grub-efi-amd64 grub2-efi-x64 shim-signed python3 python3-minimal "
    "libpam0g pam libpam-modules iproute2 netplan.io  "
    "ifupdown network-manager networkmanager zlib1g libsystemd0 libselinux1 tzdata "
    "ca-certificates filesystem base-files"
)
_QUERY_ONLY = frozenset({"dpkg-query", "rpmquery", "apt-rdepends", "apt-show-versions"})
_BREW_READ_OPTS = frozenset(
    {"--prefix", "--cellar", "--repository", "--repo", "--cache", "--env", "--caskroom", "--config"}
)
_KERNELS = frozenset({"kernel", "kernel-core", "linux", "linux-lts", "linux-zen", "linux-hardened",
                      "linux-image", "linux-image-generic", "linux-image-amd64"})  # fmt: skip


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if wants_help(cmd.args) or cmd.program in _QUERY_ONLY:
        return [read_op(cmd, HOST, summary=f"queries packages with {cmd.program}")]
    prog = {"apt-get": "apt", "aptitude": "apt", "microdnf": "dnf", "yum": "dnf", "yay": "pacman",
            "paru": "pacman"}.get(cmd.program, cmd.program)  # fmt: skip
    a = parse_args(cmd.args, TV.get(prog, ()), bundle=prog not in ("dpkg", "rpm", "pacman"))
    if prog == "dpkg":
        verb = next((f for f in a.opts if f in VERBS["dpkg"]), None)
        return [_op(cmd, prog, verb, a.pos, set(a.opts))]
    if prog == "rpm":
        return [_op(cmd, prog, rpm_verb(cmd.args), a.pos, set(a.opts))]
    if prog == "pacman":
        return [
            _op(
                cmd,
                prog,
                pacman_verb(cmd.args),
                [x for x in cmd.args if not x.startswith("-")],
                short_flags(cmd.args) | set(a.opts),
            )
        ]
    verb, _ = first_positional(a.pos)
    pkgs = a.pos[1:]
    if prog == "brew":
        verb, pkgs = _brew_verb(verb, pkgs, set(a.opts))
    if prog in ("brew", "snap", "flatpak") and verb in ("services", "service"):
        return [_service(cmd, pkgs)]
    if prog in ("dnf", "zypper") and verb in ("group", "groups", "module", "history") and pkgs:
        verb, pkgs = f"{verb} {pkgs[0]}", pkgs[1:]
    if prog == "apk" and verb is None and a.has("--version", "-V"):
        verb = "version"
    return [_op(cmd, prog, verb, pkgs, set(a.opts))]


def _brew_verb(verb: str | None, pkgs: list[str], opts: set[str]) -> tuple[str | None, list[str]]:
    """`brew --prefix openssl`, `brew cask list` (old spelling), `brew bundle check`, `brew tap`."""
    if opts & _BREW_READ_OPTS:
        return "--prefix", pkgs
    if verb == "cask" and pkgs:
        return pkgs[0], pkgs[1:]
    if (verb == "bundle" and pkgs[:1] in (["check"], ["list"])) or (verb == "tap" and not pkgs):
        return "list", pkgs
    return verb, pkgs


def _op(cmd: Command, prog: str, verb: str | None, pkgs: list[str], flags: set[str]) -> Operation:
    table = VERBS.get(prog, {})
    if verb is None and prog == "apt-mark":
        verb = "showmanual"
    spec = table.get(verb or "") if verb else table.get("")
    if spec is None:
        return unknown_op(cmd, HOST, verb or "")
    action, effect = spec
    if effect is not Effect.READ and flags & DRY_RUN.get(prog, frozenset()):
        return make_op(
            cmd, HOST, action, Effect.READ, tags={"dry-run"}, summary=f"simulates {action}"
        )
    if effect is Effect.READ:
        return read_op(cmd, HOST, action, f"{prog} {verb or action} {names(pkgs)}".strip())
    return _change(cmd, action, effect, pkgs, flags)


def _change(
    cmd: Command, action: str, effect: Effect, pkgs: list[str], flags: set[str]
) -> Operation:
    tags = set(dynamic_tags(cmd))
    if flags & {
        "-y",
        "--yes",
        "--assume-yes",
        "--noconfirm",
        "--non-interactive",
        "-n",
        "--force-yes",
    }:
        tags.add("auto-approve")
    if any(f.startswith("--force") for f in flags) or "--nodeps" in flags or "d" in flags:
        tags.add("force")
    if effect is Effect.DESTROY:
        if any(is_critical(p) for p in pkgs):
            tags.add("critical-package")
        if any(p in ("*", ".*") for p in pkgs):
            tags.add("all")
    shown = names(pkgs) or "packages"
    tgts = [target(cmd, "package", _base(p)) for p in pkgs[:20]]
    tgts = tgts or [target(cmd, "package", "packages")]
    verb = {"remove": "removes", "install": "installs", "upgrade": "upgrades"}.get(action, action)
    return make_op(cmd, HOST, action, effect, tgts, tags, f"{verb} {shown} with {cmd.program}")


def _base(pkg: str) -> str:
    """`libc6:amd64=2.35` → `libc6`."""
    for sep in ("=", ":", "<", ">"):
        pkg = pkg.split(sep, 1)[0]
    return pkg.lower().strip("'\"")


def is_critical(pkg: str) -> bool:
    base = _base(pkg).rstrip("*").rstrip(".")
    if base.endswith(".rpm") or base.endswith(".deb"):
        return False
    if base in _CRITICAL or base in _KERNELS or _base(pkg).startswith("linux-image-*"):
        return True
    # an rpm-style `name-version` of a critical package (not an old kernel being cleaned up)
    for ver in ("-0", "-1", "-2", "-3", "-4", "-5", "-6", "-7", "-8", "-9"):
        if ver in base and base.split(ver, 1)[0] in _CRITICAL:
            return True
    return False


def _service(cmd: Command, rest: list[str]) -> Operation:
    """`brew services stop postgresql`, `snap stop`."""
    verb = rest[0] if rest else "list"
    svcs = rest[1:]
    if verb in ("list", "info", "ls"):
        return read_op(cmd, HOST, "status", "lists services")
    tgts = [target(cmd, "service", s) for s in svcs[:10]]
    return make_op(cmd, HOST, verb, Effect.WRITE, tgts, summary=f"{verb} service {names(svcs)}")
