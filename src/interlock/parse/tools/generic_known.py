"""Known third-party CLIs whose words the verb lexicon misreads, as one table.

Each entry says what a tool's own words mean (`crane digest` reads, `qm delsnapshot` destroys,
`govc vm.destroy` puts the verb after a dot), which flags are the command (`postsuper -d`,
`exim -Mrm`, `nix-env -q`), what the tool does when no word or flag says (`octodns-sync` only
previews without `--doit`), and whether what it touches is this machine (`kdestroy`, `mkcert`).
`analyze(cmd)` answers an operation for a program in the table, or None.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.lexicon import words
from interlock.parse.tools.generic_known_spec import Known
from interlock.parse.tools.generic_known_spec import vocab as _v
from interlock.parse.tools.generic_known_vendors import VENDORS

_R, _W, _D, _U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN
_RANK = {_R: 0, _U: 1, _W: 2, _D: 3}


_LDAP_VALUES = words("-D -w -y -H -h -p -b -f -s -a -l -z -o -O -Y -R -U -X -e -E -M -P -T -S")
_LDAP_SCOPE = {"-H": "url", "-h": "host"}
_VIRT_VALUES = words("-d --domain -a --add -c --connect --format")

TABLE: dict[str, Known] = {
    "crane": Known(
        _v(
            "manifest digest config catalog ls validate blob version",
            "copy cp tag push append mutate rebase flatten pull export",
            "delete",
        ),
        local_words=words("pull export"),
    ),
    "oras": Known(
        _v("discover tags fetch fetch-config resolve", "pull", destroy="delete"),
        local_words=words("pull"),
    ),
    "cosign": Known(
        _v("triangulate tree verify verify-attestation verify-blob download", destroy="clean")
    ),
    "promtool": Known(_v("query check test tsdb-analyze tsdb-list debug")),
    "thanos": Known(_v("ls inspect verify web", "rewrite mark replicate", "retention cleanup")),
    "snyk": Known(_v(write="monitor")),
    "logcli": Known(_v("query series labels stats volume volume_range instant-query")),
    "jf": Known(
        _v(
            "s search dl download ping audit scan bs build-scan",
            "u upload mv cp",
            "del build-discard bdi",
        )
    ),
    "jfrog": Known(
        _v("s search dl download ping audit scan", "u upload mv cp", "del build-discard")
    ),
    "pact-broker": Known(
        _v("can-i-deploy describe-version describe-pacticipant list-environments")
    ),
    "openssl": Known(flags={"-out": _W, "-keyout": _W}, default=_R, local=True),
    "sops": Known(
        _v("decrypt filestatus exec-env exec-file", "encrypt edit set updatekeys rotate", "unset"),
        flags={
            **dict.fromkeys(("-d", "--decrypt", "-e", "--encrypt", "--extract"), _R),
            **dict.fromkeys(("-i", "--in-place", "--output", "-r", "--rotate", "-s"), _W),
        },
        local=True,
    ),
    "age": Known(
        flags={"-d": _R, "--decrypt": _R, "-e": _R, "--encrypt": _R, "-o": _W, "--output": _W},
        default=_R,
        local=True,
    ),
    "swaks": Known(flags={"--quit-after": _R, "-q": _R}, default=_W),
    "steamcmd": Known(flags={"+app_update": _W, "+workshop_download_item": _W}, default=_R),
    "dvc": Known(_v("dag params metrics plots exp-show")),
    "nessie": Known(flags={"-d": _D, "--delete": _D, "-l": _R, "--list": _R}),
    "ipfs": Known(_v("id ls cat get refs stats peers", destroy="gc")),
    "buck2": Known(_v("targets query cquery aquery audit uquery")),
    "buf": Known(_v("breaking lint ls-files ls-modules", "format generate push")),
    "berglas": Known(_v("access list")),
    "cfssl": Known(_v("certinfo print-defaults version info scan selfsign-check")),
    "fastlane": Known(_v("action actions lanes list env docs search_plugins")),
    "adb": Known(_v("logcat devices get-state get-serialno bugreport version")),
    "qm": Known(
        _v("config pending showcmd status list listsnapshot", "unlock", "rollback delsnapshot")
    ),
    "pct": Known(_v("config pending list status df", "enter", "rollback delsnapshot")),
    "pvecm": Known(_v("status nodes expected qdevice-status", destroy="delnode")),
    "pvesm": Known(_v("status list", destroy="free remove")),
    "govc": Known(_v(write="power-vm"), dotted=True),
    "VBoxManage": Known(_v("showvminfo showmediuminfo list guestproperty-get metrics")),
    "vboxmanage": Known(_v("showvminfo showmediuminfo list guestproperty-get metrics")),
    "sqlmesh": Known(
        _v("table_diff table-diff info render dag fetchdf evaluate", "run", "invalidate janitor")
    ),
    "cypress": Known(_v("run verify info version")),
    "playwright": Known(_v("test show-report", "install")),
    "circleci": Known(_v("process validate diagnostic")),
    "octodns-sync": Known(default=_R),
    "octodns-validate": Known(default=_R),
    "semantic-release": Known(default=_W),
    "release-it": Known(default=_W),
    "act": Known(
        flags={"-l": _R, "--list": _R, "-n": _R, "--dryrun": _R, "-g": _R, "--graph": _R},
        default=_W,
        local=True,
    ),
    "ncu": Known(flags={"-u": _W, "--upgrade": _W}, default=_R, local=True),
    "npm-check-updates": Known(flags={"-u": _W, "--upgrade": _W}, default=_R, local=True),
    "mkcert": Known(
        flags={"-CAROOT": _R, "-install": _W, "-uninstall": _D}, default=_W, local=True
    ),
    "chef-client": Known(flags={"-W": _R, "--why-run": _R}, default=_W),
    "postqueue": Known(flags={"-p": _R, "-j": _R, "-f": _W, "-i": _W, "-s": _W}),
    "postsuper": Known(
        flags={"-d": _D, "-p": _D, "-h": _W, "-H": _W, "-r": _W, "-s": _W, "-S": _W},
        value_flags=words("-c"),
    ),
    "exim": Known(
        flags={
            **dict.fromkeys(("-bp", "-bpc", "-bpr", "-bpu", "-bt", "-bV", "-Mvh", "-Mvl"), _R),
            **dict.fromkeys(("-Mvb", "-bP", "-bh", "-bv"), _R),
            **dict.fromkeys(("-q", "-qf", "-qff", "-M", "-Mf", "-Mt", "-Mar", "-Mes"), _W),
            **dict.fromkeys(("-Mrm", "-Mg"), _D),
        },
    ),
    "nix-env": Known(
        flags={
            **dict.fromkeys(("-q", "--query", "--list-generations"), _R),
            **dict.fromkeys(("-i", "--install", "-u", "--upgrade", "--rollback"), _W),
            **dict.fromkeys(("-e", "--uninstall", "--delete-generations"), _D),
        },
        local=True,
    ),
    "nix-store": Known(
        flags={
            **dict.fromkeys(("-q", "--query", "--verify", "--dump", "--read-log", "-l"), _R),
            **dict.fromkeys(("-r", "--realise", "--add", "--import", "--optimise"), _W),
            **dict.fromkeys(("--delete", "--gc"), _D),
        },
        local=True,
    ),
    "kdestroy": Known(default=_D, local=True),
    "salt-key": Known(
        flags={
            **dict.fromkeys(("-L", "-l", "--list", "--list-all", "-p", "-P", "-f", "-F"), _R),
            **dict.fromkeys(("--print", "--print-all", "--finger", "--finger-all"), _R),
            **dict.fromkeys(("-a", "-A", "--accept", "--accept-all", "-r", "-R"), _W),
            **dict.fromkeys(("--reject", "--reject-all", "--include-all"), _W),
            **dict.fromkeys(("-d", "-D", "--delete", "--delete-all"), _D),
        },
        default=_R,
        value_flags=words("-a -r -d -p -f -l --accept --reject --delete --print --finger"),
    ),
    "salt-run": Known(dotted=True),
    "klist": Known(default=_R),
    "kinit": Known(default=_W, local=True),
    "mailq": Known(default=_R),
    "gamedig": Known(default=_R),
    "ldapsearch": Known(default=_R, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapwhoami": Known(default=_R, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapcompare": Known(default=_R, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapdelete": Known(default=_D, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapmodify": Known(default=_W, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapadd": Known(default=_W, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldappasswd": Known(default=_W, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapmodrdn": Known(default=_W, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "ldapexop": Known(default=_W, value_flags=_LDAP_VALUES, scope_flags=_LDAP_SCOPE),
    "doveadm": Known(_v("user who stats search fetch mailbox-list mailbox-status quota-get")),
    "elastic-agent": Known(_v("status inspect diagnostics")),
    "virt-sysprep": Known(default=_D, value_flags=_VIRT_VALUES),
    "virt-format": Known(default=_D, value_flags=_VIRT_VALUES),
    "jenkins-cli": Known(_v(write="groovy groovysh")),
    "juju": Known(
        _v(
            "status config actions show-unit show-application show-machine show-model "
            "controllers clouds models machines debug-log show-status-log offers spaces storage "
            "credentials regions whoami version show-controller show-action show-task",
        ),
        kv_write=words("config model-config controller-config"),
    ),
    "puppet": Known(_v("resource facts lookup catalog"), kv_write=words("resource")),
    "nix": Known(
        _v("metadata why-depends path-info eval show-derivation log show info search flake-info")
    ),
    "lerna": Known(_v("changed diff ls list info")),
    "sky": Known(
        _v("queue cost-report status show-gpus check logs", "launch exec start stop", "down")
    ),
    "pm2": Known(_v("monit jlist prettylist show describe info logs ls list status env report")),
    "ipfs-cluster-ctl": Known(_v("peers status pin-ls")),
    "cue": Known(_v("eval vet def export")),
    "infisical": Known(_v("user secrets export")),
    "spark-submit": Known(flags={"--status": _R, "--kill": _W}, default=_W),
    "samba-tool": Known(_v("listmembers showrepl show list query info dbcheck testparm")),
    "cfssl-certinfo": Known(default=_R),
    "pveversion": Known(default=_R),
    "supervisorctl": Known(_v("avail status tail pid version")),
    "pants": Known(_v("peek list filedeps dependencies dependents roots paths count-loc")),
    "earthly": Known(_v("doc ls")),
    "gitleaks": Known(_v("protect detect dir git stdin")),
    "danger": Known(_v("pr local")),
}
for _name in (
    "virt-df virt-ls virt-cat virt-filesystems virt-inspector virt-log virt-tail virt-diff "
    "virt-host-validate virt-what virt-top virt-alignment-scan virt-xml-validate virt-win-reg"
).split():
    TABLE[_name] = Known(default=_R, value_flags=_VIRT_VALUES)
for _name in (
    "grype syft trufflehog osv-scanner lighthouse ab wrk hey siege httpstat knip madge "
    "size-limit jsonschema renovate-config-validator depcheck gamedig vegeta-report"
).split():
    TABLE[_name] = Known(default=_R)
for _name in "virt-edit virt-copy-in virt-customize virt-rescue virt-resize virt-sparsify".split():
    TABLE[_name] = Known(default=_W, value_flags=_VIRT_VALUES)

TABLE.update(VENDORS)
PROGRAMS = frozenset(TABLE)


def analyze(cmd: Command) -> Operation | None:
    from interlock.parse.tools.generic import (
        _VALUE_FLAGS,
        applies,
        cli,
        is_help,
        op,
        scan,
        scope_of,
        tags_of,
    )

    spec = TABLE.get(cmd.program)
    if spec is None:
        return None
    parsed = scan(cmd, value_flags=_VALUE_FLAGS | spec.value_flags | frozenset(spec.scope_flags))
    if is_help(cmd, parsed):
        return None
    flagged = _by_flags(cmd, spec)
    if flagged is None and spec.vocab and parsed.pos:
        vocab = spec.vocab
        if spec.kv_write and any("=" in w for _, w in parsed.pos[1:]):
            vocab = {**vocab, **dict.fromkeys(spec.kv_write, _W)}  # `juju config app k=v`
        values = _VALUE_FLAGS | spec.value_flags | frozenset(spec.scope_flags)
        called = _with_env(_undotted(cmd) if spec.dotted else cmd, spec.env_vars)
        found = cli(called, vocab=vocab, value_flags=values, scopes=spec.scope_flags)
        if found.action in spec.local_words:
            return _local_write(cmd, found, [w for _, w in parsed.pos])
        return _localize(cmd, found) if spec.local else found
    if flagged is None and spec.dotted and parsed.pos:
        return cli(_undotted(cmd))
    effect, action = flagged or (spec.default, cmd.program)
    if effect is None:
        return None
    if flagged is None and effect is _R and applies(parsed.flags):
        effect = _W  # `octodns-sync --doit`
    if "dry-run" in tags_of(parsed.flags):
        effect = _R
    name = parsed.flags.get(_long(action)) or next((w for _, w in parsed.pos), "")
    tags = {"all"} if name in ("ALL", "all", "*") or action in _ALL_FLAGS else set()
    if spec.local and not cmd.host:
        target = Target.make("resource", name or cmd.program, tier=Tier.LOCAL)
    else:
        scope = scope_of(cmd, parsed.flags)
        scope |= {k: parsed.flags[f] for f, k in spec.scope_flags.items() if parsed.flags.get(f)}
        target = Target.make("resource", name, **scope)
    what = f" `{name}`" if name else ""
    summary = f"`{cmd.program} {action}`{what} ({_WORDS[effect]})".replace(
        f"`{cmd.program} {cmd.program}`", f"`{cmd.program}`"
    )
    verb = _FLAG_ACTION[effect] if action[:1] in "-+" else action
    return op(cmd, verb, effect, [target], tags, summary)


_FLAG_ACTION = {_R: "read", _W: "change", _D: "delete", _U: "run"}
_ALL_FLAGS = words("-D --delete-all -A --accept-all --all")


def _long(flag: str) -> str:
    from interlock.parse.tools.generic import norm_flag

    return norm_flag(flag)[0]


_WORDS = {_R: "reads", _W: "changes state", _D: "destroys", _U: "unknown effect"}


def _by_flags(cmd: Command, spec: Known) -> tuple[Effect, str] | None:
    """The strongest effect a command-flag names, and that flag."""
    best: tuple[Effect, str] | None = None
    for arg in cmd.argv[1:]:
        if arg == "--":
            break
        eff = spec.flags.get(arg.split("=", 1)[0])
        if eff is not None and (best is None or _RANK[eff] > _RANK[best[0]]):
            best = (eff, arg.split("=", 1)[0])
    return best


def _with_env(cmd: Command, names: tuple[str, ...]) -> Command:
    """`DOPPLER_CONFIG=prd doppler …`: the tool's own variable names the environment."""
    value = next((v for n in names if (v := cmd.getenv(n))), None)
    return replace(cmd, env=(*cmd.env, ("ENV", value))) if value else cmd


def _undotted(cmd: Command) -> Command:
    """`govc snapshot.remove x` → `govc remove-snapshot x`: the verb after the dot comes first,
    as the lexicon reads it."""
    argv = tuple(
        "-".join(reversed(a.split("."))) if i == 1 and "." in a and "/" not in a else a
        for i, a in enumerate(cmd.argv)
    )
    return replace(cmd, argv=argv)


def _local_write(cmd: Command, found: Operation, pos: list[str]) -> Operation:
    """`crane pull IMG x.tar` writes a file here (a local write, as `docker save -o`); `crane
    export IMG` or `crane export IMG -` prints the filesystem instead."""
    if found.action == "export" and (len(pos) < 3 or pos[-1] == "-"):
        return replace(found, effect=_R, summary=f"`{cmd.program} export` prints an image")
    return _localize(cmd, found)


def _localize(cmd: Command, found: Operation) -> Operation:
    if cmd.host:
        return found
    targets = tuple(replace(t, tier=Tier.LOCAL) for t in found.targets)
    return replace(found, targets=targets)
