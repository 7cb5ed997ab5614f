"""Path semantics for the filesystem family: where a path points and how much it matters.

`classify(word, cmd)` turns one path word into a `PathInfo`: its normalized name, whether it is
certainly local (a relative path inside the working tree, or under `/tmp`), and tags rules
match on: `root-path`, `system-path` (an OS directory itself or everything in it),
`system-file` (anything inside an OS area), `critical-file` (accounts, sudo, PAM),
`home-path` (a home directory itself or everything in it), `credential-path`, `startup-file`,
`wildcard` (everything in the working directory or its parent), `git-dir`, `dynamic-target`
and `block-device`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.tools import fs_find, fs_places
from interlock.parse.tools.fs_scan import Scan as Scan
from interlock.parse.tools.fs_scan import scan as scan

FAMILY = "filesystem"


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SYSTEM_DIRS = words(
    "/bin /boot /dev /etc /lib /lib32 /lib64 /libx32 /opt /proc /run /sbin /srv /sys /tmp "
    "/usr /var /snap /mnt /media /home /Users /System /Library /Applications /private /cores "
    "/Volumes /nix /efi /root /usr/bin /usr/sbin /usr/lib /usr/lib32 /usr/lib64 /usr/libexec "
    "/usr/share /usr/include /usr/local /usr/local/bin /usr/local/sbin /usr/local/lib "
    "/usr/local/share /usr/src /var/lib /var/log /var/spool /var/mail /var/backups /var/db "
    "/var/run /var/tmp /var/lib/dpkg /var/lib/rpm /etc/ssh /etc/pam.d /etc/sudoers.d "
    "/etc/systemd /etc/init.d /etc/ssl /etc/apt /etc/default /etc/security /boot/efi "
    "/boot/grub /System/Library /private/etc /private/var /private/tmp /nix/store"
)
_SYSTEM_ROOTS = tuple(
    sorted(
        r + "/"
        for r in words(
            "/etc /boot /usr /bin /sbin /lib /lib32 /lib64 /libx32 /sys /proc /System "
            "/Library /var/lib /var/db /var/spool/cron /private/etc /nix/store /efi /dev"
        )
    )
)
_CRITICAL = words(
    "/etc/passwd /etc/shadow /etc/group /etc/gshadow /etc/sudoers /etc/master.passwd "
    "/etc/ld.so.preload /etc/pam.conf /private/etc/sudoers /private/etc/master.passwd "
    "/proc/sysrq-trigger"
)
_CRITICAL_ROOTS = ("/etc/sudoers.d/", "/etc/pam.d/", "/private/etc/pam.d/")
_TMP_DIRS = ("/tmp", "/var/tmp", "/private/tmp", "/dev/shm")
_TMP_ROOTS = tuple(t + "/" for t in _TMP_DIRS)
_CREDENTIALS = tuple(
    sorted(
        words(
            ".ssh .gnupg .aws .kube .azure .docker/config.json .netrc .git-credentials .pgpass "
            ".config/gcloud .password-store .vault-token .npmrc .pypirc .config/gh/hosts.yml"
        )
    )
)
_STARTUP = words(
    ".bashrc .bash_profile .bash_login .bash_logout .profile .zshrc .zprofile .zshenv "
    ".zlogin .cshrc .tcshrc .kshrc .config/fish/config.fish"
)
# where a machine keeps the record of what was done on it (wiping them hides it)
_HISTORY = words(
    ".bash_history .zsh_history .history .sh_history .ash_history .local/share/fish/fish_history "
    ".python_history .psql_history .mysql_history .sqlite_history .node_repl_history .rediscli_history"
)
_AUDIT_ROOTS = ("/var/log/", "/var/audit/", "/private/var/log/", "/var/account/")
_HOME_DATA = words("Documents Desktop Pictures Music Videos Movies Library .config .local")
_HARMLESS_DEV = words(
    "/dev/null /dev/zero /dev/stdout /dev/stderr /dev/stdin /dev/tty /dev/random "
    "/dev/urandom /dev/full /dev/console"
)
_HARMLESS_DEV_ROOTS = ("/dev/fd/", "/dev/pts/", "/dev/tty", "/dev/shm/")
_BLOCK_DEV = re.compile(
    r"^/dev/(?:[shv]d[a-z]|xvd[a-z]|nvme\d|mmcblk\d|r?disk\d|md\d|dm-\d|loop\d|sr\d|zd\d|"
    r"nbd\d|rbd\d|ram\d|bcache\d|mem$|kmem$|port$|root$|[\w.-]+/)"
)
_HOME_ABS = re.compile(r"^(?:/home/[^/]+|/Users/[^/]+|/root)(?=/|$)")
_HOME_VAR = re.compile(r"^(?:\$HOME|\$\{HOME(?::?[?-][^}]*)?\})(?=/|$)")
_MULTI_SLASH = re.compile(r"/{2,}")
_GLOB_ONLY = frozenset("*?[]{},.!^")
_GLOB_CHARS = frozenset("*?[")
_STRIP = str.maketrans("", "", "\"'\\")
PROTECTED = frozenset(
    {
        "root-path",
        "system-path",
        "system-file",
        "critical-file",
        "home-path",
        "credential-path",
        "startup-file",
        "audit-log",
        "block-device",
        "dynamic-target",
        "wildcard",
    }
)


@dataclass(frozen=True, slots=True)
class PathInfo:
    """One path word, understood."""

    name: str
    tags: frozenset[str] = frozenset()
    local: bool = False
    kind: str = "path"
    harmless: bool = False
    glob: bool = False
    base: str = ""

    def target(self, host: str | None) -> Target:
        tier = Tier.LOCAL if self.local and not host else Tier.UNKNOWN
        return Target.make(self.kind, self.name, tier=tier, host=host)

    def retag(self, tags: frozenset[str]) -> PathInfo:
        local = _is_local(self.base, set(tags)) if self.base else self.local
        return replace(self, tags=tags, local=local)


def clean(word: str) -> str:
    """The word without quotes or escapes, with `$HOME` spelled `~`."""
    w = word.translate(_STRIP)
    m = _HOME_VAR.match(w)
    return "~" + w[m.end() :] if m else w


def is_dynamic_text(w: str) -> bool:
    return "$" in w or "`" in w or "<(" in w or "{xargs}" in w


def normalize(p: str) -> str:
    if p.startswith("~"):
        _, _, rest = p.partition("/")
        tail = posixpath.normpath("/" + _MULTI_SLASH.sub("/", rest))
        return "~" if tail == "/" else "~" + tail
    if p.startswith("/"):
        return posixpath.normpath(_MULTI_SLASH.sub("/", p))
    return posixpath.normpath(p) if p else "."


def _all_glob(comp: str) -> bool:
    return bool(comp) and set(comp) <= _GLOB_ONLY and any(c in comp for c in "*?")


def _strip_globs(p: str) -> tuple[str, bool]:
    glob = False
    while p not in ("/", "~", "."):
        head, sep, last = p.rpartition("/")
        if not _all_glob(last):
            break
        glob = True
        if not sep:
            return ".", True
        p = head or "/"
    return p, glob


def _home_rest(p: str) -> str | None:
    """The part of `p` below a home directory ('' for the home itself), None when outside."""
    if p.startswith("~"):
        return p.partition("/")[2]
    m = _HOME_ABS.match(p)
    if m is None:
        return None
    return p[m.end() :].lstrip("/")


def _home_tags(rest: str) -> set[str]:
    tags: set[str] = set()
    if rest == "" or (rest in _HOME_DATA):
        tags.add("home-path")
    if rest in _STARTUP:
        tags.add("startup-file")
    if rest in _HISTORY:
        tags.add("audit-log")
    if any(rest == c or rest.startswith(c + "/") for c in _CREDENTIALS):
        tags.add("credential-path")
    return tags


def _abs_tags(p: str) -> set[str]:
    tags: set[str] = set()
    if p == "/" or (p.startswith("/") and _GLOB_CHARS & set(p.split("/")[1])):
        tags.add("root-path")
    if p in SYSTEM_DIRS:
        tags.add("system-path")
    if p in ("/home", "/Users", "/root"):
        tags.add("home-path")
    if p.startswith(_SYSTEM_ROOTS):
        tags.add("system-file")
    if p in _CRITICAL or p.startswith(_CRITICAL_ROOTS):
        tags.add("critical-file")
    if p.startswith(_AUDIT_ROOTS) and p not in ("/var/log/", "/var/audit/"):
        tags.add("audit-log")
    return tags


def _is_local(p: str, tags: set[str]) -> bool:
    if tags & PROTECTED:
        return False
    if p.startswith(("/", "~")):
        if p.startswith(_TMP_ROOTS) or p in _TMP_DIRS:
            return True
        rest = _home_rest(p)
        return bool(rest) and fs_places.in_build_dir(rest)
    return not (p == ".." or p.startswith("../"))


def _git_tags(p: str) -> set[str]:
    comps = p.split("/")
    if comps[-1] == ".git":
        return {"git-dir"}
    if ".git" in comps:
        nxt = comps[comps.index(".git") + 1 :]
        if nxt and nxt[0] in ("objects", "refs", "logs"):
            return {"git-dir"}
    return set()


def _resolve_cwd(p: str, cwd: str | None) -> tuple[str, bool]:
    if not cwd or p.startswith(("/", "~")):
        return p, False
    c = clean(cwd)
    if is_dynamic_text(c) or c == "-":
        return p, True
    return posixpath.join(c, p), False


def classify(word: str, cmd: Command | None = None) -> PathInfo:
    """Understand one path word of `cmd` (relative paths resolve against `cmd.cwd`)."""
    w = clean(word)
    if is_dynamic_text(w):
        return _dynamic(w)
    joined, cwd_dynamic = _resolve_cwd(w, cmd.cwd if cmd else None)
    p = normalize(joined)
    if p.startswith("/dev/"):
        return _device(p)
    base, glob = _strip_globs(p)
    tags = _classify_base(base, glob)
    if base == "{}" or base.endswith("/{}"):
        # `find ROOT … -exec rm {}`: whatever find matched under ROOT (all of it, unfiltered)
        base = posixpath.dirname(base) or "."
        if cmd is not None and fs_find.exec_unfiltered(cmd):
            tags = _classify_base(base, True) | {"find-exec"}
        else:
            tags = (_classify_base(base, True) - {"wildcard"}) | {"filtered", "find-exec"}
            tags = _find_named(base, cmd, tags)
    if cwd_dynamic:
        tags.add("dynamic-target")
    return PathInfo(p, frozenset(tags), _is_local(base, tags), glob=glob, base=base)


def _find_named(base: str, cmd: Command | None, tags: set[str]) -> set[str]:
    """`find /var/lib -name postgresql -exec rm -rf {} +` reaches `/var/lib/postgresql` itself."""
    name = fs_find.exec_named(cmd) if cmd is not None and base.startswith("/") else None
    data = fs_places.data_tags(posixpath.join(base, name), False) if name else set()
    return (tags - {"filtered"}) | data if data else tags


def _classify_base(base: str, glob: bool) -> set[str]:
    tags = _git_tags(base)
    rest = _home_rest(base)
    if rest is not None:
        tags |= _home_tags(rest)
    if base.startswith("/"):
        tags |= _abs_tags(base) | fs_places.data_tags(base, glob)
        if glob and base in _TMP_DIRS:
            tags = {"wildcard"}
    elif base in (".", "..") or set(base.split("/")) == {".."}:
        tags.add("wildcard")
    return tags


def _dynamic(w: str) -> PathInfo:
    tags = {"dynamic-target"}
    prefix = w.split("$", 1)[0].split("`", 1)[0]
    if prefix.startswith("/") and prefix.rstrip("/"):
        tags |= _abs_tags(normalize(prefix.rstrip("/")) + "/x") - {"critical-file"}
    return PathInfo(w, frozenset(tags))


def _device(p: str) -> PathInfo:
    if p in _HARMLESS_DEV or p.startswith(_HARMLESS_DEV_ROOTS):
        return PathInfo(p, harmless=True, local=p.startswith("/dev/shm/"))
    if _BLOCK_DEV.match(p):
        return PathInfo(p, frozenset({"block-device"}), kind="device")
    return PathInfo(p, frozenset({"system-file"}))


# -- writing into a place ------------------------------------------------------------------

_DIR_TAGS = frozenset({"root-path", "system-path", "home-path"})
_FILE_TAGS = frozenset(
    {"critical-file", "credential-path", "startup-file", "system-file", "audit-log"}
)
_FILE_ONLY_TAGS = _FILE_TAGS - {"system-file"}


def written(info: PathInfo, clobber: bool = True, into: bool = True) -> tuple[PathInfo, Effect]:
    """How writing to `info` counts: a new file inside a known directory is a write (judged by
    where that file lands); replacing an important file (or a device) destroys it."""
    if info.kind == "device":
        return info, Effect.DESTROY
    if into and not info.glob and info.tags & _DIR_TAGS and not info.tags & _FILE_ONLY_TAGS:
        if "root-path" in info.tags:
            return info, Effect.WRITE
        child = classify(info.name.rstrip("/") + "/_")
        return replace(child, name=info.name), Effect.WRITE
    if clobber and info.tags & (_FILE_TAGS | _DIR_TAGS):
        return info, Effect.DESTROY
    return info, Effect.WRITE


# -- building operations -------------------------------------------------------------------

_RANK = {Effect.READ: 0, Effect.WRITE: 1, Effect.UNKNOWN: 2, Effect.DESTROY: 3}


def worst(*effects: Effect) -> Effect:
    return max(effects, key=_RANK.__getitem__, default=Effect.READ)


def op(
    cmd: Command,
    action: str,
    effect: Effect,
    infos: tuple[PathInfo, ...] | list[PathInfo] = (),
    tags: set[str] | frozenset[str] = frozenset(),
    summary: str = "",
) -> Operation:
    all_tags = set(tags)
    for info in infos:
        all_tags |= info.tags
    return Operation(
        family=FAMILY,
        action=action,
        effect=effect,
        program=cmd.program,
        targets=tuple(i.target(cmd.host) for i in infos),
        tags=frozenset(all_tags),
        summary=summary,
        text=cmd.text,
        via=cmd.via,
    )


def read(cmd: Command, summary: str = "", action: str = "read") -> list[Operation]:
    return [op(cmd, action, Effect.READ, summary=summary or f"runs read-only `{cmd.program}`")]


def names(infos: list[PathInfo] | tuple[PathInfo, ...], limit: int = 3) -> str:
    shown = ", ".join(f"`{i.name}`" for i in infos[:limit])
    return shown + (f" and {len(infos) - limit} more" if len(infos) > limit else "")
