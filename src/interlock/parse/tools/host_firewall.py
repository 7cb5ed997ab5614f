"""Firewalls: iptables/ip6tables (and -save/-restore), nft, ufw, firewall-cmd.

Flushing or resetting a rule set is `destroy` (action `flush`/`reset`); turning the firewall
off is action `disable`. A change that can drop the operator's own traffic (a default DROP
policy on INPUT/OUTPUT, an unconditional DROP rule, `ufw enable`, panic mode, denying ssh) is
tagged `network-cut`.
"""

from __future__ import annotations

from itertools import pairwise

from interlock.model import Command, Effect, Operation
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    HOST,
    first_positional,
    make_op,
    read_op,
    target,
    unknown_op,
    wants_help,
    words,
)

_IPT_READ = frozenset("LSC")
_IPT_MATCH = words(
    "-s --source --src -d --destination --dst -p --protocol -m --match --dport --sport "
    "--dports --sports -i --in-interface -o --out-interface --ctstate --state --uid-owner"
)
_UFW_READ = frozenset({"status", "show", "version", "help"})
_FIREWALLD_READ = ("--list", "--get", "--query", "--info", "--state", "--zone", "--permanent",
                   "--check-config", "--version")  # fmt: skip
_SSH_WORDS = frozenset({"22", "ssh", "openssh", "22/tcp", "OpenSSH"})


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if wants_help(cmd.args):
        return [read_op(cmd, HOST, summary=f"shows {cmd.program} help")]
    prog = cmd.program
    if prog in ("iptables", "ip6tables"):
        return [_iptables(cmd)]
    if prog.endswith("-save"):
        return [read_op(cmd, HOST, "list", "prints the firewall rules")]
    if prog.endswith("-restore"):
        return [_fw(cmd, "restore", Effect.WRITE, set(), "replaces the firewall rules")]
    handler = {"nft": _nft, "ufw": _ufw, "firewall-cmd": _firewalld}.get(prog)
    return [handler(cmd)] if handler else [unknown_op(cmd, HOST)]


def _fw(cmd: Command, action: str, effect: Effect, tags: set[str], summary: str) -> Operation:
    engine = {"ip6tables": "iptables", "firewall-cmd": "firewalld", "nft": "nftables"}
    name = engine.get(cmd.program, cmd.program.split("-", 1)[0])
    t = [target(cmd, "firewall", name)]
    return make_op(cmd, HOST, action, effect, t, tags, summary)


def _iptables(cmd: Command) -> Operation:
    args = list(cmd.args)
    cmds = _ipt_commands(args)
    if not cmds or cmds <= _IPT_READ:
        return read_op(cmd, HOST, "list", "lists firewall rules")
    chain = _after(args, ("-A", "-I", "-P", "-F", "-X", "--append", "--insert", "--policy",
                          "--flush", "--delete-chain"))  # fmt: skip
    if cmds & {"F", "X"}:
        what = f"chain `{chain}`" if chain else "every chain"
        return _fw(cmd, "flush", Effect.DESTROY, set(), f"flushes firewall rules of {what}")
    if "P" in cmds:
        policy = _after(args, ("-P", "--policy"), 2) or ""
        tags = (
            {"network-cut"}
            if chain in ("INPUT", "OUTPUT") and policy in ("DROP", "REJECT")
            else set()
        )
        return _fw(
            cmd, "policy", Effect.WRITE, tags, f"sets the default policy of `{chain}` to {policy}"
        )
    if cmds & {"A", "I"}:
        jump = _after(args, ("-j", "--jump"))
        cut = chain in ("INPUT", "OUTPUT") and jump in ("DROP", "REJECT")
        matched = any(a.partition("=")[0] in _IPT_MATCH for a in args)
        cut = cut and (not matched or _ipt_ssh(args))
        return _fw(
            cmd,
            "add-rule",
            Effect.WRITE,
            {"network-cut"} if cut else set(),
            f"adds a rule to `{chain}`",
        )
    if "D" in cmds:
        return _fw(cmd, "delete-rule", Effect.WRITE, set(), "deletes a firewall rule")
    return _fw(cmd, "change", Effect.WRITE, set(), "changes firewall rules")


def _ipt_ssh(args: list[str]) -> bool:
    """A rule that matches the ssh port (`--dport 22`, `--dports 22,80`)."""
    ports = {p for f in ("--dport", "--dports", "--destination-port") for p in _values(args, f)}
    return any(set(p.split(",")) & _SSH_WORDS for p in ports)


def _values(args: list[str], flag: str) -> list[str]:
    return [args[i + 1] for i, a in enumerate(args[:-1]) if a == flag]


def _ipt_commands(args: list[str]) -> set[str]:
    longs = {"--append": "A", "--check": "C", "--delete": "D", "--insert": "I", "--replace": "R",
             "--list": "L", "--list-rules": "S", "--flush": "F", "--zero": "Z", "--new-chain": "N",
             "--delete-chain": "X", "--policy": "P", "--rename-chain": "E"}  # fmt: skip
    out: set[str] = set()
    for a in args:
        if a.startswith("--"):
            if a in longs:
                out.add(longs[a])
        elif a.startswith("-") and len(a) > 1:
            out.update(ch for ch in a[1:] if ch in "ACDIRLSFZNXPE")
    return out


def _after(args: list[str], flags: tuple[str, ...], nth: int = 1) -> str | None:
    """The `nth` word after the first of `flags` (also found as the last letter of a bundle)."""
    letters = {f[1] for f in flags if len(f) == 2}
    for i, a in enumerate(args):
        bundled = a.startswith("-") and not a.startswith("--") and a[-1:] in letters
        if a in flags or bundled:
            j = i + nth
            if j < len(args) and not args[j].startswith("-"):
                return args[j]
    return None


def _nft(cmd: Command) -> Operation:
    args = [
        a for a in cmd.args if a not in ("-a", "-n", "-s", "-j", "-e", "-t", "-T", "-S", "-N", "-y")
    ]
    if "-c" in args or "--check" in args:
        return read_op(cmd, HOST, "check", "checks a ruleset")
    if "-f" in args or "--file" in args:
        return _fw(cmd, "load", Effect.WRITE, set(), "loads a ruleset file")
    words = " ".join(args).replace(";", " ").split()
    verb = words[0] if words else "list"
    obj = " ".join(words[1:3])
    if verb in ("list", "describe", "monitor", "--version", "-v"):
        return read_op(cmd, HOST, "list", f"lists nftables {obj}".strip())
    if verb == "flush" or (verb in ("delete", "destroy") and words[1:2] in (["table"], ["chain"])):
        return _fw(
            cmd,
            "flush",
            Effect.DESTROY,
            set(),
            f"{'flushes' if verb == 'flush' else 'deletes'} nftables {obj or 'ruleset'}",
        )
    tags = {"network-cut"} if verb in ("add", "insert", "create") and _nft_cuts(words) else set()
    return _fw(cmd, verb, Effect.WRITE, tags, f"nft {verb} {obj}")


def _nft_cuts(words: list[str]) -> bool:
    """`add rule … tcp dport 22 drop`, `add rule inet filter input drop`, or an input chain
    with `policy drop`: inbound traffic (and the ssh session) stops."""
    verdict = bool({"drop", "reject"} & set(words))
    if words[1:2] == ["chain"]:
        return "policy" in words and verdict and "input" in words
    if words[1:2] != ["rule"] or not verdict:
        return False
    ssh = any(w == "dport" and nxt.strip("{},") in _SSH_WORDS for w, nxt in pairwise(words))
    # `add rule [family] table chain drop`: nothing narrows the match
    return ssh or (words[-1] in ("drop", "reject") and len(words) <= 6 and "input" in words)


def _ufw(cmd: Command) -> Operation:
    args = [a for a in cmd.args if a not in ("--force", "-f")]
    if "--dry-run" in args:
        return make_op(cmd, HOST, "change", Effect.READ, tags={"dry-run"}, summary="ufw dry run")
    verb, rest = first_positional(args)
    if verb is None or verb in _UFW_READ or (verb == "app" and rest[:1] in (["list"], ["info"])):
        return read_op(cmd, HOST, "list", "shows firewall status")
    if verb == "reset":
        return _fw(cmd, "reset", Effect.DESTROY, set(), "resets the firewall, deleting every rule")
    if verb == "disable":
        return _fw(cmd, "disable", Effect.WRITE, set(), "turns the firewall off")
    if verb == "enable":
        return _fw(
            cmd, "enable", Effect.WRITE, {"network-cut"}, "turns the firewall on (may cut ssh)"
        )
    cut = (verb == "default" and rest[:1] in (["deny"], ["reject"]) and "outgoing" not in rest) or (
        verb in ("deny", "reject", "delete") and bool(set(rest) & _SSH_WORDS)
    )
    return _fw(cmd, verb, Effect.WRITE, {"network-cut"} if cut else set(), f"ufw {' '.join(args)}")


def _firewalld(cmd: Command) -> Operation:
    flags = {a.partition("=")[0] for a in cmd.args if a.startswith("--")}
    vals = " ".join(a.partition("=")[2] for a in cmd.args if "=" in a)
    if not flags or all(f.startswith(_FIREWALLD_READ) for f in flags):
        return read_op(cmd, HOST, "list", "reads firewalld state")
    if "--panic-on" in flags:
        return _fw(cmd, "panic", Effect.WRITE, {"network-cut"}, "drops all network traffic")
    ssh_gone = "--remove-service" in flags and "ssh" in vals
    if ssh_gone or ("--set-default-zone" in flags and "drop" in vals):
        return _fw(cmd, "change", Effect.WRITE, {"network-cut"}, "removes ssh from the firewall")
    if flags & {"--delete-zone", "--delete-service", "--delete-policy", "--delete-ipset"}:
        return _fw(cmd, "delete", Effect.DESTROY, set(), "deletes firewalld objects")
    return _fw(cmd, "change", Effect.WRITE, set(), "changes firewalld rules")
