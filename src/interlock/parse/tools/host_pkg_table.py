"""The verb tables of the system package managers: verb → (action, effect).

Written from each tool's manual page. The key `""` is the meaning of the bare command.
"""

from __future__ import annotations

from collections.abc import Sequence

from interlock.model import Effect
from interlock.parse.tools.host_common import words

R, W, D = Effect.READ, Effect.WRITE, Effect.DESTROY


def _table(
    read: str, write: str, destroy: str, bare: str | None = None
) -> dict[str, tuple[str, Effect]]:
    out: dict[str, tuple[str, Effect]] = {}
    for text, effect in ((read, R), (write, W), (destroy, D)):
        for w in text.split():
            verb, _, action = w.partition("=")
            out[verb.replace("_", " ")] = (action or verb.replace("_", "-").lstrip("-"), effect)
    if bare is not None:
        out[""] = out[bare]
    return out


_APT = _table(
    "list search show showsrc policy depends rdepends madison changelog moo help pkgnames stats "
    "dump dumpavail showpkg unmet check indextargets showmanual showauto showhold showinstall "
    "showremove showpurge why why-not versions",
    "install reinstall upgrade=upgrade full-upgrade=upgrade dist-upgrade=upgrade "
    "safe-upgrade=upgrade update=refresh build-dep satisfy edit-sources clean autoclean "
    "download source auto manual hold unhold markauto unmarkauto minimize-manual gencaches "
    "forget-new forbid-version",
    "remove=remove purge=remove autoremove=remove autopurge=remove",
)
_DPKG = _table(
    "-l --list -s --status -L --listfiles -S --search -p --print-avail -c --contents -I --info "
    "-f --field -C --audit -V --verify --get-selections --print-architecture "
    "--print-foreign-architectures --compare-versions --yet-to-unpack",
    "-i=install --install=install --unpack=install --configure --triggers-only "
    "--set-selections --update-avail --merge-avail --add-architecture --remove-architecture "
    "-x=extract --extract=extract -X=extract -b=build --build=build -A --record-avail "
    "--clear-avail --forget-old-unavail --clear-selections",
    "-r=remove --remove=remove -P=remove --purge=remove",
)
_DNF = _table(
    "list info search provides whatprovides repolist repoinfo check-update check-upgrade deplist "
    "repoquery updateinfo grouplist groupinfo help version changelog needs-restarting "
    "history_list history_info history_userinstalled group_list group_info group_summary "
    "module_list module_info module_provides alias check history",
    "install=install in=install reinstall localinstall=install groupinstall=install "
    "group_install=install group_upgrade=upgrade update=upgrade upgrade=upgrade up=upgrade "
    "update-minimal=upgrade upgrade-minimal=upgrade downgrade distro-sync=upgrade "
    "distribution-synchronization=upgrade makecache clean module_enable module_install "
    "module_reset module_disable module_switch-to config-manager copr builddep download mark "
    "swap history_undo history_redo history_rollback autoupdate makecache",
    "remove=remove erase=remove rm=remove autoremove=remove groupremove=remove "
    "groupErase=remove group_remove=remove group_erase=remove module_remove=remove",
)
_ZYPPER = _table(
    "search se info if patch-info pattern-info product-info patches pch packages pa patterns pt "
    "products pd what-provides wp repos lr services ls locks ll list-updates lu list-patches lp "
    "patch-check pchk versioncmp vcmp targetos tos licenses needs-rebooting ps help",
    "install=install in=install update=upgrade up=upgrade dist-upgrade=upgrade dup=upgrade "
    "patch=upgrade source-install=install si=install install-new-recommends=install inr=install "
    "verify ve addrepo ar removerepo rr renamerepo nr modifyrepo mr refresh=refresh ref=refresh "
    "clean cc addservice as modifyservice ms removeservice rs refresh-services refs addlock al "
    "removelock rl cleanlocks cl download source-download",
    "remove=remove rm=remove purge-kernels=remove",
)
_PACMAN = _table(
    "query files deptest version search info",
    "sync=install upgrade=install refresh database clean",
    "remove=remove",
)
_APK = _table(
    "info list search policy dot stats verify audit version manifest query help",
    "add=install update=refresh upgrade=upgrade fix cache fetch index mkndx",
    "del=remove",
)
_BREW = _table(
    "list ls info abv search -S outdated deps uses leaves config doctor dr --prefix --cellar "
    "--repository --cache --env home homepage desc commands cat log missing options shellenv "
    "tap-info --version help formulae casks which-formula livecheck audit --repo",
    "install=install reinstall=install upgrade=upgrade update=refresh tap link unlink pin unpin "
    "bundle cleanup edit fetch create untap autoremove",
    "uninstall=remove remove=remove rm=remove",
)
_SNAP = _table(
    "list info find search connections interfaces logs changes change tasks version get "
    "aliases saved warnings model known whoami paths help",
    "install=install refresh=upgrade revert enable disable connect disconnect alias unalias "
    "set unset switch ack login logout download prefer save restore try pack start stop "
    "restart",
    "remove=remove forget=remove",
)
_FLATPAK = _table(
    "list info search remotes remote-ls remote-info history ps documents permissions "
    "permission-show document-info config",
    "install=install update=upgrade upgrade=upgrade override remote-add remote-modify repair "
    "remote-delete mask pin",
    "uninstall=remove remove=remove",
)
_APT_CACHE = _table(
    "search show showpkg showsrc policy depends rdepends madison pkgnames stats dump dumpavail "
    "unmet dotty xvcg",
    "gencaches",
    "",
)

VERBS: dict[str, dict[str, tuple[str, Effect]]] = {
    "apt": _APT, "apt-mark": _APT, "apt-cache": _APT_CACHE, "dpkg": _DPKG, "dnf": _DNF,
    "zypper": _ZYPPER, "pacman": _PACMAN, "apk": _APK, "brew": _BREW, "snap": _SNAP,
    "flatpak": _FLATPAK,
}  # fmt: skip
VERBS["rpm"] = {"query": ("query", R), "install": ("install", W), "remove": ("remove", D)}
VERBS["brew"][""] = ("help", R)
VERBS["snap"][""] = ("help", R)

TV: dict[str, frozenset[str]] = {
    "apt": words(
    "-o --option -c --config-file -t --target-release -a --host-architecture"
),
    "dnf": words(
    "-c --config --installroot --releasever --enablerepo --disablerepo --repo --repoid "
        "-x --exclude --setopt -d --debuglevel -e --errorlevel --color --forcearch "
        "--downloaddir --destdir --comment --advisory --bz --cve --sec-severity"
),
    "zypper": words(
    "-R --root -c --config -C --cache-dir --raw-cache-dir -r --repo -t --type --from"
),
    "apk": words(
    "-X --repository -p --root --arch --cache-dir --keys-dir --repositories-file --wait -t "
    "--virtual"
),
    "dpkg": words(
    "--root --admindir --instdir --log --status-fd --path-include --path-exclude"
),
    "rpm": words(
    "--root --dbpath --define -D --macros --rcfile --qf --queryformat"
),
    "pacman": words(
    "-r --root -b --dbpath --cachedir --config --arch --gpgdir --hookdir --logfile "
    "--assume-installed --overwrite --ignore --ignoregroup"
),
    "flatpak": words(
    "--arch --installation --commit --subpath"
),
}  # fmt: skip

DRY_RUN: dict[str, frozenset[str]] = {
    "apt": words(
    "-s --simulate --just-print --dry-run --recon --no-act"
),
    "dpkg": words(
    "--no-act --dry-run --simulate"
),
    "zypper": words(
    "-D --dry-run"
),
    "pacman": words(
    "-p --print p"
),
    "apk": words(
    "-s --simulate"
),
    "brew": words(
    "-n --dry-run"
),
    "rpm": frozenset({"--test"}),
    "dnf": frozenset({"--assumeno"}),
    "flatpak": frozenset({"--no-deploy"}),
}  # fmt: skip


def pacman_verb(args: Sequence[str]) -> str | None:
    """-S (install; -Ss/-Si/-Sl/-Sg query, -Sc clean), -R remove, -Q query, -U install …"""
    longs = {"--sync": "S", "--remove": "R", "--query": "Q", "--upgrade": "U", "--files": "F",
             "--database": "D", "--deptest": "T", "--version": "V"}  # fmt: skip
    flags = {c for a in args if a.startswith("-") and not a.startswith("--") for c in a[1:]}
    ops = {longs[a] for a in args if a in longs} | (flags & set("SRQUFDTV"))
    if not ops:
        return "sync" if not args else None
    op = sorted(ops)[0] if len(ops) == 1 else ("R" if "R" in ops else sorted(ops)[0])
    if op == "S":
        if flags & set("silg") or "--search" in args or "--info" in args:
            return "search"
        return "clean" if "c" in flags or "--clean" in args else "sync"
    if op == "F":
        return "refresh" if "y" in flags else "files"
    verbs = {
        "R": "remove",
        "Q": "query",
        "U": "upgrade",
        "D": "database",
        "T": "deptest",
        "V": "version",
    }
    return verbs[op]


def rpm_verb(args: Sequence[str]) -> str | None:
    longs = {"--query": "q", "--verify": "q", "--checksig": "q", "--install": "i", "--upgrade": "i",
             "--freshen": "i", "--reinstall": "i", "--import": "i", "--rebuilddb": "i",
             "--initdb": "i", "--setperms": "i", "--setugids": "i", "--restore": "i",
             "--erase": "e", "--eval": "q", "--showrc": "q", "--querytags": "q"}  # fmt: skip
    for a in args:
        if a in longs:
            return {"q": "query", "i": "install", "e": "remove"}[longs[a]]
        if a.startswith("-") and not a.startswith("--") and len(a) > 1:
            ch = a[1]
            if ch in "qVK":
                return "query"
            if ch in "iUF":
                return "install"
            if ch == "e":
                return "remove"
    return None
