"""The evasion matrix: core commands from every family, times wrappers and re-spellings.

    .venv/bin/python bench/evasion_matrix.py            # run it, list every weakened verdict
    .venv/bin/python bench/evasion_matrix.py --write    # also regenerate the golden cases

Each core command is checked bare and through each spelling, in both modes, with one
`interlock check --batch` process. One principle judges every pair:

- a spelling never weakens a verdict (allow < ask < deny);
- a benign spelling of a read stays `allow` in both modes; the spellings in `HIDING` (code
  decoded or built at run time, a program chosen at run time, a job scheduled for later, a
  script written to disk) may ask, by design.

`--write` regenerates tests/cases/corpus-evasions.yaml from a fixed sample of the matrix
(every spelling over a rotating handful of core commands), each case pinned to the verdicts
the matrix found; a pair that breaks the principle is never written.
"""

from __future__ import annotations

import argparse
import base64
import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "corpus-evasions.yaml"
ORDER = {"allow": 0, "ask": 1, "deny": 2}
MODES = ("workstation", "gateway")

DANGEROUS = [
    "rm -rf /",
    "rm -rf /srv/data",
    "kubectl --context prod delete ns payments",
    "kubectl delete deploy api -n payments",
    "kubectl --context prod scale deploy api --replicas=0 -n payments",
    "helm --kube-context prod uninstall api -n payments",
    "terraform -chdir=envs/prod destroy -auto-approve",
    "terraform -chdir=envs/prod apply -auto-approve",
    "pulumi destroy --yes -s prod",
    "aws s3 rb s3://prod-data --force",
    "aws s3 rm s3://prod-data --recursive",
    "aws ec2 terminate-instances --instance-ids i-0abc123 --profile prod",
    "aws rds delete-db-instance --db-instance-identifier prod-db --skip-final-snapshot",
    "gcloud projects delete acme-prod",
    "gcloud sql instances delete prod-db --project acme-prod -q",
    "gsutil -m rm -r gs://prod-backups",
    "az group delete -n prod-rg --yes",
    "psql -h prod-db -c 'DROP TABLE users'",
    "mysql -h prod-db -e 'DROP DATABASE shop'",
    "dropdb -h prod-db app",
    "redis-cli -h prod-cache FLUSHALL",
    "mongosh mongodb://prod-mongo/app --eval 'db.dropDatabase()'",
    "git push --force origin main",
    "git reset --hard HEAD~3",
    "git clean -fdx",
    "gh repo delete acme/app --yes",
    "curl -X DELETE https://api.example.com/v1/prod/users/42",
    "docker system prune -af",
    "docker volume rm pgdata",
    "restic -r s3:s3.amazonaws.com/acme-backups/prod forget --prune --keep-last 1",
    "borg delete ssh://backup@prod-bk/./repo",
    "dd if=/dev/zero of=/dev/sda bs=1M",
    "mkfs.ext4 /dev/sdb1",
    "chmod -R 777 /",
    "shred -u /var/lib/postgresql/data/PG_VERSION",
    "truncate -s 0 /var/lib/mysql/ibdata1",
    "systemctl stop postgresql",
    "kill -9 -1",
    "iptables -F",
    "shutdown -h now",
    "userdel -r deploy",
    "crontab -r",
    "vault secrets disable secret/",
    "heroku apps:destroy --app shop-prod --confirm shop-prod",
    "eksctl delete cluster prod-main",
]

READS = [
    "kubectl get pods",
    "kubectl --context prod get pods -n payments",
    "kubectl logs deploy/api -n payments --tail 100",
    "helm list -A",
    "terraform -chdir=envs/prod plan",
    "aws s3 ls",
    "aws s3 ls s3://prod-data",
    "aws ec2 describe-instances --profile prod",
    "gcloud projects list",
    "az vm list -g prod-rg",
    "psql -h prod-db -c 'SELECT count(*) FROM users'",
    "redis-cli -h prod-cache INFO",
    "git log --oneline -5",
    "git status",
    "git diff HEAD~1",
    "gh pr list",
    "curl -s https://api.example.com/v1/health",
    "docker ps -a",
    "restic -r s3:s3.amazonaws.com/acme-backups/prod snapshots",
    "ls -la /var/log",
    "cat /etc/hosts",
    "df -h",
    "ps aux",
    "systemctl status nginx",
]


# -- quoting helpers ---------------------------------------------------------------------


def words(cmd: str) -> list[str]:
    """Split on unquoted white space, keeping each word's quotes as written."""
    out: list[str] = []
    cur, quote = "", ""
    for ch in cmd:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in " \t":
            if cur:
                out.append(cur)
            cur = ""
            continue
        cur += ch
    return [*out, cur] if cur else out


def sq(text: str) -> str:
    return shlex.quote(text)


def dq(text: str) -> str:
    """`text` inside double quotes (for a shell, or a C-like language)."""
    for ch in '\\"$`':
        text = text.replace(ch, "\\" + ch)
    return f'"{text}"'


def lang_sq(text: str) -> str:
    """`text` as a single-quoted string of perl or php."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def c_dq(text: str) -> str:
    """`text` as a double-quoted string of python, js, ruby or awk."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def split(cmd: str) -> tuple[str, str]:
    prog, _, rest = cmd.partition(" ")
    return prog, rest


def with_program(fn: Callable[[str], str]) -> Callable[[str], str]:
    def apply(cmd: str) -> str:
        prog, rest = split(cmd)
        return f"{fn(prog)} {rest}".rstrip()

    return apply


def _splice(prog: str, q: str) -> str:
    k = max(1, len(prog) // 2)
    return f"{q}{prog[:k]}{q}{prog[k:]}"


def _ansi(prog: str) -> str:
    return "$'" + "".join(f"\\x{ord(c):02x}" for c in prog) + "'"


def _xargs(opts: str, slot: str = "") -> Callable[[str], str]:
    """`echo LAST | xargs OPTS HEAD [SLOT]`: the last word comes in through standard input."""

    def apply(cmd: str) -> str:
        *head, last = words(cmd)
        if len(head) < 1 or any(ch in last for ch in "'\"$*{}\\"):
            return f"echo | xargs {opts} {cmd}".replace("  ", " ")
        feed = f"printf '%s\\0' {last}" if "-0" in opts else f"echo {last}"
        tail = f" {slot}" if slot else ""
        return f"{feed} | xargs {opts} {' '.join(head)}{tail}".replace("  ", " ")

    return apply


def _ifs(cmd: str) -> str:
    """`IFS=,; x=rm,-rf,/; $x`: the words come from splitting a variable."""
    if "'" in cmd or "," in cmd:
        return f"IFS=,; {cmd}"
    return f"IFS=,; x={','.join(words(cmd))}; $x"


def _eval_concat(cmd: str) -> str:
    prog, rest = split(cmd)
    k = max(1, len(prog) // 2)
    return f'a={sq(prog[:k])}; b={sq(prog[k:])}; eval "$a$b "{sq(rest)}'


# -- the spellings -----------------------------------------------------------------------

SPELLINGS: dict[str, Callable[[str], str]] = {
    # privilege and environment
    "sudo": lambda c: f"sudo {c}",
    "sudo -u root --": lambda c: f"sudo -u root -- {c}",
    "sudo -E": lambda c: f"sudo -E {c}",
    "sudo -n -H": lambda c: f"sudo -n -H {c}",
    "doas": lambda c: f"doas {c}",
    "run0": lambda c: f"run0 {c}",
    "env VAR=": lambda c: f"env DEBUG=1 {c}",
    "env -i": lambda c: f"env -i PATH=/usr/bin:/bin {c}",
    "env -u": lambda c: f"env -u HOME {c}",
    "leading assignment": lambda c: f"LANG=C {c}",
    # process control
    "nohup": lambda c: f"nohup {c}",
    "nohup &": lambda c: f"nohup {c} > /dev/null 2>&1 &",
    "timeout": lambda c: f"timeout 30 {c}",
    "timeout -k -s": lambda c: f"timeout -k 5 -s KILL 60 {c}",
    "nice": lambda c: f"nice -n 10 {c}",
    "ionice": lambda c: f"ionice -c3 {c}",
    "stdbuf": lambda c: f"stdbuf -oL {c}",
    "time": lambda c: f"time {c}",
    "command": lambda c: f"command {c}",
    "builtin": lambda c: f"builtin {c}",
    "exec": lambda c: f"exec {c}",
    "chronic": lambda c: f"chronic {c}",
    "unbuffer": lambda c: f"unbuffer {c}",
    "setsid": lambda c: f"setsid {c}",
    "chroot": lambda c: f"chroot / {c}",
    "systemd-run": lambda c: f"systemd-run --scope -p MemoryMax=1G {c}",
    "nsenter": lambda c: f"nsenter -t 1 -m -u -n -i {c}",
    "flock": lambda c: f"flock /tmp/deploy.lock {c}",
    "flock -c": lambda c: f"flock -n /tmp/deploy.lock -c {sq(c)}",
    "watch": lambda c: f"watch -n 5 {sq(c)}",
    "script -c": lambda c: f"script -qc {sq(c)} /dev/null",
    # fed arguments
    "xargs": _xargs(""),
    "xargs -0": _xargs("-0"),
    "xargs -I": _xargs("-I{}", "{}"),
    "xargs -n1": _xargs("-n1"),
    "parallel :::": lambda c: f"parallel ::: {sq(c)}",
    "find -exec": lambda c: f"find . -maxdepth 0 -exec {c} \\;",
    # elsewhere
    "ssh host 'cmd'": lambda c: f"ssh bastion {sq(c)}",
    "ssh host -- cmd": lambda c: (
        "ssh deploy@bastion -- "
        + " ".join(
            dq(w) if "'" in w else w
            for w in words(c)  # ssh joins its words; keep the quotes
        )
    ),
    "ssh -t": lambda c: f"ssh -t -p 2222 bastion {sq(c)}",
    "docker exec sh -c": lambda c: f"docker exec -it tools sh -c {sq(c)}",
    "docker run sh -c": lambda c: f"docker run --rm -v /:/host alpine sh -c {sq(c)}",
    "kubectl exec sh -c": lambda c: f"kubectl exec -it toolbox -- sh -c {sq(c)}",
    # nested shells
    "bash -c": lambda c: f"bash -c {sq(c)}",
    "sh -c": lambda c: f"sh -c {dq(c)}",
    "zsh -c": lambda c: f"zsh -c {sq(c)}",
    "dash -c": lambda c: f"dash -c {sq(c)}",
    "busybox sh -c": lambda c: f"busybox sh -c {sq(c)}",
    "bash -lc": lambda c: f"bash -lc {sq(c)}",
    "bash <<<": lambda c: f"bash <<< {sq(c)}",
    "heredoc to bash": lambda c: f"bash <<'EOF'\n{c}\nEOF",
    "heredoc to sh -s": lambda c: f"sh -s <<EOF\nset -e\n{c}\nEOF",
    "eval": lambda c: f"eval {sq(c)}",
    "eval concatenated": _eval_concat,
    "source <(echo)": lambda c: f"source <(echo {sq(c)})",
    # re-spelled program names
    "$(echo prog)": lambda c: "$(echo {}) {}".format(*split(c)),
    "backticks": lambda c: "`echo {}` {}".format(*split(c)),
    "${x:-prog}": lambda c: "${{x:-{}}} {}".format(*split(c)),
    "ansi-c name": with_program(_ansi),
    "r''m": with_program(lambda p: _splice(p, "'")),
    '"r"m': with_program(lambda p: _splice(p, '"')),
    "backslash": with_program(lambda p: f"\\{p}"),
    "/usr/bin/": with_program(lambda p: f"/usr/bin/{p}"),
    "./node_modules/.bin/": with_program(lambda p: f"./node_modules/.bin/{p}"),
    "alias": lambda c: "alias p={}; p {}".format(*split(c)),
    "function": lambda c: f"f() {{ {c}; }}; f",
    # other languages
    "python -c os.system": lambda c: f"python3 -c {sq(f'import os; os.system({c_dq(c)})')}",
    "python -c subprocess": lambda c: (
        f"python -c {sq(f'import subprocess; subprocess.run({c_dq(c)}, shell=True)')}"
    ),
    "perl -e system": lambda c: f"perl -e {sq(f'system({lang_sq(c)})')}",
    "node -e execSync": lambda c: (
        "node -e " + sq('require("child_process").execSync(' + c_dq(c) + ")")
    ),
    "ruby -e system": lambda c: f"ruby -e {sq(f'system {c_dq(c)}')}",
    "php -r system": lambda c: f"php -r {sq(f'system({lang_sq(c)});')}",
    "awk BEGIN system": lambda c: f"awk {sq('BEGIN{system(' + c_dq(c) + ')}')}",
    # encoded and piped code
    "base64 -d | sh": lambda c: f"echo {base64.b64encode(c.encode()).decode()} | base64 -d | sh",
    "xxd -r -p | bash": lambda c: f"echo {c.encode().hex()} | xxd -r -p | bash",
    "printf | sh": lambda c: f"printf '%s\\n' {sq(c)} | sh",
    "echo | sh": lambda c: f"echo {sq(c)} | sh",
    # later
    "at now": lambda c: f"echo {sq(c)} | at now",
    "crontab -": lambda c: f"echo {sq('* * * * * ' + c)} | crontab -",
    "crontab -l append": lambda c: f"(crontab -l; echo {sq('*/5 * * * * ' + c)}) | crontab -",
    "trap EXIT": lambda c: f"trap {sq(c)} EXIT",
    "make -f -": lambda c: f"printf 'go:\\n\\t%s\\n' {sq(c)} | make -f - go",
    "make -f - heredoc": lambda c: f"make -f - <<'EOF'\ngo:\n\t@{c}\nEOF",
    "npx -c": lambda c: f"npx -c {sq(c)}",
    # run by terminals, later, or by other tools
    "tmux new -d": lambda c: f"tmux new-session -d -s job {sq(c)}",
    "tmux send-keys": lambda c: f"tmux send-keys -t job {sq(c)} Enter",
    "screen -dmS": lambda c: f"screen -dmS job sh -c {sq(c)}",
    "xterm -e": lambda c: f"xterm -e {c}",
    "expect spawn": lambda c: "expect -c " + sq("spawn sh -c {" + c + "}; expect eof"),
    "mosh --": lambda c: f"mosh deploy@bastion -- {c}",
    "at heredoc": lambda c: f"at now + 1 minute <<'EOF'\n{c}\nEOF",
    "vim -c :!": lambda c: f"vim -c {sq(':!' + c)} -c q",
    "sed e": lambda c: f"echo | sed {sq('e ' + c)}",
    "tar checkpoint-action": lambda c: (
        f"tar -cf /dev/null /etc/hostname --checkpoint=1 --checkpoint-action=exec={sq(c)}"
    ),
    "git -c alias": lambda c: f"git -c alias.x={sq('!' + c)} x",
    "perl backticks": lambda c: f"perl -e {sq('print `' + c + '`')}",
    "python heredoc": lambda c: (
        f"python3 - <<'EOF'\nimport subprocess\nsubprocess.run({c_dq(c)}, shell=True)\nEOF"
    ),
    # stacked and positional
    "sudo timeout env nice": lambda c: f"sudo -E timeout 60 env X=1 nice -n 5 {c}",
    "ssh sudo bash -c": lambda c: f"ssh bastion {sq('sudo bash -c ' + sq(c))}",
    "docker exec": lambda c: f"docker exec -i tools {c}",
    "kubectl exec --": lambda c: f"kubectl exec -i toolbox -- {c}",
    "kubectl run --": lambda c: f"kubectl run tmp --rm -i --image=toolbox -- sh -c {sq(c)}",
    'bash -c "$@"': lambda c: f"bash -c '\"$@\"' _ {c}",
    "source /dev/stdin": lambda c: f"source /dev/stdin <<< {sq(c)}",
    "env -S": lambda c: f"env -S {sq(c)}",
    "xargs -I sh -c": lambda c: f"echo {sq(c)} | xargs -I{{}} sh -c '{{}}'",
    "find -exec sh -c": lambda c: f"find . -maxdepth 0 -exec sh -c {sq(c)} \\;",
    "coproc": lambda c: f"coproc {c}",
    "(exec)": lambda c: f"(exec {c})",
    "! negation": lambda c: f"! {c}",
    "until": lambda c: f"until {c}; do sleep 1; done",
    "<(…) argument": lambda c: f"cat <({c})",
    ">(…) target": lambda c: f"echo y > >({c})",
    "eval --": lambda c: f"eval -- {sq(c)}",
    "trap -- EXIT": lambda c: f"trap -- {sq(c)} EXIT",
    "sudo -s <<<": lambda c: f"sudo -s <<< {sq(c)}",
    "su -c": lambda c: f"su - root -c {sq(c)}",
    "runuser -c": lambda c: f"runuser -l app -c {sq(c)}",
    "nix-shell --run": lambda c: f"nix-shell -p jq --run {sq(c)}",
    "nix shell -c": lambda c: f"nix shell nixpkgs#jq -c {c}",
    "doppler --command": lambda c: f"doppler run --command {sq(c)}",
    "dotenv --": lambda c: f"dotenv -e .env -- {c}",
    "env $(cat .env)": lambda c: f"env $(cat .env | xargs) {c}",
    "oc rsh": lambda c: f"oc rsh toolbox {c}",
    "ssh ProxyCommand": lambda c: f"ssh -o ProxyCommand='ssh -W %h:%p jump' bastion {sq(c)}",
    "bash -c $(cat heredoc)": lambda c: f"bash -c \"$(cat <<'EOF'\n{c}\nEOF\n)\"",
    # words built by the shell
    "variable": lambda c: "p={}; $p {}".format(*split(c)),
    "array": lambda c: f'cmd=({c}); "${{cmd[@]}}"',
    "IFS split": lambda c: _ifs(c),
    "${IFS} spaces": lambda c: c if "'" in c else c.replace(" ", "${IFS}"),
    "brace words": lambda c: c if "'" in c else "{" + ",".join(words(c)) + "}",
    "echo -e | sh": lambda c: "echo -e " + sq("".join(f"\\x{b:02x}" for b in c.encode())) + " | sh",
    'eval "$(… | base64 -d)"': lambda c: (
        f'eval "$(echo {base64.b64encode(c.encode()).decode()} | base64 -d)"'
    ),
    "$(printf) name": lambda c: "$(printf %s {}) {}".format(*split(c)),
    # shell syntax
    "cd &&": lambda c: f"cd /tmp && {c}",
    "; chain": lambda c: f"echo start; {c}; echo done",
    "newline": lambda c: f"echo start\n{c}",
    "||": lambda c: f"false || {c}",
    "| pipe in": lambda c: f"echo y | {c}",
    "| pipe out": lambda c: f"{c} 2>&1 | tee /tmp/out.log",
    "& background": lambda c: f"{c} &",
    "{ group; }": lambda c: f"{{ {c}; }}",
    "( subshell )": lambda c: f"( {c} )",
    "if": lambda c: f"if true; then {c}; fi",
    "while": lambda c: f"while true; do {c}; break; done",
    "case": lambda c: f"case $1 in *) {c} ;; esac",
    "for": lambda c: f"for i in 1 2; do {c}; done",
    "$(…) argument": lambda c: f"echo $({c})",
}

# Spellings that may make a read ask, by design: code decoded, built or chosen at run time,
# or run later, or written to disk first.
HIDING = {
    "$(echo prog)": "a program named by a substitution asks (`shell.dynamic-command`)",
    "backticks": "a program named by a substitution asks (`shell.dynamic-command`)",
    "${x:-prog}": "a program chosen by a variable asks (`shell.dynamic-command`)",
    "base64 -d | sh": "decoded code asks (`shell.obfuscated-code`)",
    "xxd -r -p | bash": "decoded code asks (`shell.obfuscated-code`)",
    "at now": "a job scheduled for later is a change to the host",
    "crontab -": "installing a crontab is a change to the host",
    "crontab -l append": "installing a crontab is a change to the host",
    "docker run sh -c": "starting a container with the host's root mounted is a change",
    "| pipe out": "`tee` writes a file (asks in gateway mode)",
    "kubectl run --": "starting a pod is a change",
    "$(printf) name": "a program named by a substitution asks (`shell.dynamic-command`)",
    "at heredoc": "a job scheduled for later is a change to the host",
    "tmux new -d": "a new tmux session is a change (asks in gateway mode)",
    "tmux send-keys": "typing into a tmux session is a change (asks in gateway mode)",
    "xterm -e": "an unknown program (asks in gateway mode)",
    "expect spawn": "an unknown program (asks in gateway mode)",
    "vim -c :!": "an editor can write files (asks in gateway mode)",
    "tar checkpoint-action": "`tar -c` writes an archive (asks in gateway mode)",
    "git -c alias": "an unknown git subcommand (asks in gateway mode)",
    "perl backticks": "inline code with a shell-out asks in gateway mode",
    "python heredoc": "inline code with a shell-out asks in gateway mode",
    "env $(cat .env)": "the word from `.env` might be the program (`shell.dynamic-command`)",
    "sed e": "`sed e` runs shell code from an edit script; the spelling asks by rule",
    "screen -dmS": "a new screen session is a change (asks in gateway mode)",
    "make -f -": "running make is a local build (asks in gateway mode)",
    "make -f - heredoc": "running make is a local build (asks in gateway mode)",
}


def matrix() -> list[tuple[str, str, str]]:
    """(core command, spelling name, spelled text) for every pair, the bare command first."""
    rows = []
    for base in DANGEROUS + READS:
        rows.append((base, "bare", base))
        rows.extend((base, name, fn(base)) for name, fn in SPELLINGS.items())
    return rows


def run_batch(texts: list[str]) -> dict[tuple[int, str], dict[str, object]]:
    """Verdicts of every text in both modes, through one `interlock check --batch`."""
    lines = [
        json.dumps({"id": f"{i}:{mode}", "command": t, "mode": mode})
        for i, t in enumerate(texts)
        for mode in MODES
    ]
    exe = ROOT / ".venv" / "bin" / "interlock"
    out = subprocess.run(
        [str(exe), "check", "--batch", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    ).stdout
    found = {}
    for line in out.splitlines():
        row = json.loads(line)
        i, mode = row["id"].split(":", 1)
        found[(int(i), mode)] = row
    return found


def judge(rows: list[tuple[str, str, str]], got: dict) -> list[str]:
    """Every pair that breaks the principle, as one line each."""
    bare = {base: i for i, (base, name, _) in enumerate(rows) if name == "bare"}
    problems = []
    for i, (base, name, text) in enumerate(rows):
        if name == "bare":
            continue
        for mode in MODES:
            b = got[(bare[base], mode)]["verdict"]
            s = got[(i, mode)]["verdict"]
            if ORDER[s] < ORDER[b]:
                problems.append(f"WEAKER  {mode:11} {b}->{s}  [{name}] {text!r}")
            elif base in READS and name not in HIDING and s != "allow":
                rules = ",".join(got[(i, mode)]["rules"])
                problems.append(f"NOISY   {mode:11} {s} ({rules})  [{name}] {text!r}")
    return problems


def sample(rows: list[tuple[str, str, str]]) -> list[int]:
    """A fixed sample: every bare command, and each spelling over a rotating handful."""
    names = list(SPELLINGS)
    picked = [i for i, (_, name, _) in enumerate(rows) if name == "bare"]
    index = {(base, name): i for i, (base, name, _) in enumerate(rows)}
    for k, name in enumerate(names):
        for j in range(3):
            picked.append(index[(DANGEROUS[(k * 3 + j) % len(DANGEROUS)], name)])
        for j in range(2):
            picked.append(index[(READS[(k * 2 + j) % len(READS)], name)])
    return sorted(set(picked))


def to_yaml(rows: list[tuple[str, str, str]], got: dict, picked: list[int]) -> str:
    import yaml

    bare = {base: i for i, (base, name, _) in enumerate(rows) if name == "bare"}
    cases = []
    for i in picked:
        base, name, text = rows[i]
        case: dict[str, object] = {
            "note": f"{'read' if base in READS else 'danger'} [{name}] {base}",
            "command": text,
        }
        for mode in MODES:
            case[mode] = got[(i, mode)]["verdict"]
        kept = set(got[(i, "workstation")]["rules"]) | set(got[(i, "gateway")]["rules"])
        core = set(got[(bare[base], "workstation")]["rules"]) | set(
            got[(bare[base], "gateway")]["rules"]
        )
        # the bare command's own rules still fire (the mode defaults are pinned by the verdicts)
        pinned = sorted(r for r in core & kept if not r.startswith("default."))
        if pinned:
            case["rules"] = pinned
        cases.append(case)
    head = (
        "# Generated by bench/evasion_matrix.py --write; edit the script, not this file.\n"
        "# Core commands from every family, bare and through wrappers and re-spellings: a\n"
        "# spelling never weakens a verdict, and a benign spelling of a read stays allowed.\n"
    )
    return head + yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=1000)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true", help="regenerate the golden cases")
    ap.add_argument("--only", help="only spellings whose name contains this")
    ns = ap.parse_args(argv)
    rows = matrix()
    if ns.only:
        rows = [r for r in rows if r[1] == "bare" or ns.only in r[1]]
    got = run_batch([t for _, _, t in rows])
    problems = judge(rows, got)
    print("\n".join(problems))
    print(f"{len(rows)} commands x {len(MODES)} modes; {len(problems)} problems", file=sys.stderr)
    if ns.write:
        picked = sample(rows)
        bad = {rows[i][2] for i in range(len(rows)) if any(rows[i][2] in p for p in problems)}
        picked = [i for i in picked if rows[i][2] not in bad]
        CASES.write_text(to_yaml(rows, got, picked), "utf-8")
        print(f"wrote {len(picked)} cases to {CASES.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
