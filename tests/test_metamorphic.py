"""Metamorphic tests of the shell walker: a wrapped or re-spelled command never gets a weaker
verdict than the bare command.

Each base command is run bare and through each transformation (`sudo …`, `bash -c '…'`,
`'k'ubectl …`, `f(){ …; }; f`, `echo <b64> | base64 -d | sh` …) in both modes. Two relations:

- never weaker: verdict(transformed) >= verdict(base), in the order allow < ask < deny;
- benign spellings of a read stay allow: `sudo`, `bash -c`, quoting and the like change nothing
  about what a read-only command does. The spellings that hide code (`base64 -d | sh`) or choose
  the program at run time may ask, by design; they are listed in `NOT_BENIGN`.

A pair that fails because of an analyzer outside the walker is marked `xfail(strict=True)` in
`KNOWN_GAPS` with the reason, so the gap stays visible and a fix shows up as an XPASS.
"""

from __future__ import annotations

import base64
import shlex
from collections.abc import Callable
from functools import cache

import pytest

from interlock.model import Mode, Verdict
from interlock.service import CheckCall, check

# Commands that change or destroy something: ask or deny in both modes.
DESTRUCTIVE = [
    "kubectl --context prod-eu delete ns payments",
    "kubectl delete all --all -n payments",
    "kubectl --context prod delete pods -l app=web",
    'kubectl patch deploy web -n prod -p \'{"spec": {"replicas": 0}}\'',
    "helm uninstall api -n prod --kube-context prod",
    "eksctl delete cluster prod-main",
    "terraform -chdir=envs/prod destroy -auto-approve",
    "terraform destroy -auto-approve",
    "terraform workspace delete -force prod",
    "pulumi destroy --yes -s prod",
    "aws s3 rb s3://prod-logs --force",
    "aws --profile production cloudformation delete-stack --stack-name core",
    "aws rds delete-db-instance --db-instance-identifier scratch --skip-final-snapshot",
    "aws dynamodb delete-table --table-name orders --profile prod",
    "gcloud container clusters delete main --region us-central1 -q",
    "gcloud sql instances delete prod-db --project acme-prod -q",
    "gsutil rm -r gs://prod-backups",
    "az group delete -n app-rg --yes",
    "bq rm -r -f -d acme-prod:analytics",
    "psql -h prod-db -c 'DROP TABLE users'",
    "mysql -h prod-db -e 'DROP DATABASE shop'",
    "dropdb -h prod-db app",
    "mongosh mongodb://prod-mongo/app --eval 'db.users.deleteMany({})'",
    "redis-cli -h prod-cache FLUSHALL",
    "sqlcmd -S tcp:prod-sql,1433 -Q 'DROP TABLE dbo.Users'",
    "git push --force origin main",
    "git reset --hard origin/main",
    "git clean -fdx",
    "gh repo delete acme/app --yes",
    "rm -rf /",
    "rm -rf ~",
    "find / -delete",
    "dd if=/dev/zero of=/dev/sda bs=1M",
    "mkfs -t xfs -f /dev/sdc",
    "chmod -R 777 /",
    "truncate -s 0 /var/lib/mysql/ibdata1",
    "kill -9 -1",
    "systemctl stop sshd",
    "iptables -F",
    "docker system prune -af --volumes",
    "docker volume rm pgdata",
    "docker compose down -v",
    "curl -X DELETE https://api.github.com/repos/acme/app",
    "curl -XDELETE http://es.internal:9200/_all",
    "borg delete ssh://backup@prod-bk/./repo",
    "restic forget --prune --keep-last 1",
    "vault secrets disable secret/",
    "heroku apps:destroy --app shop-prod --confirm shop-prod",
]

# Commands that only read: allow in both modes.
READS = [
    "kubectl get pods -A",
    "kubectl --context prod-eu describe ns payments",
    "kubectl logs -n prod deploy/api --tail 100",
    "helm list -A",
    "helm status api -n prod --kube-context prod",
    "terraform -chdir=envs/prod plan",
    "terraform show",
    "pulumi preview -s prod",
    "aws s3 ls s3://prod-logs",
    "aws ec2 describe-instances --profile production",
    "aws sts get-caller-identity",
    "gcloud compute instances list --project acme-prod",
    "az vm list -g rg",
    "psql -h prod-db -c 'SELECT count(*) FROM users'",
    "mysql -h prod-db -e 'SHOW TABLES' shop",
    "mongosh mongodb://prod-mongo/app --eval 'db.users.countDocuments({})'",
    "redis-cli -h prod-cache INFO",
    "redis-cli -h prod-cache GET session:1",
    "git status",
    "git log --oneline -5",
    "git diff HEAD~1",
    "git fetch origin",
    "gh pr list",
    "gh run view 123",
    "ls -la /etc",
    "cat /etc/hosts",
    "grep -r TODO src",
    "head -n 20 /var/log/syslog",
    "find /var/log -name '*.gz' -mtime +7",
    "du -sh /var/log",
    "df -h",
    "ps aux",
    "uptime",
    "jq . package.json",
    "systemctl status nginx",
    "journalctl -u nginx --since today",
    "docker ps -a",
    "docker logs api --tail 50",
    "curl -s https://api.github.com/repos/acme/app",
    "curl -sI https://example.com",
    "restic snapshots",
    "vault kv get secret/app",
]


# -- how to re-spell a command -------------------------------------------------------------


def words(cmd: str) -> list[str]:
    """Split on unquoted white space, keeping each word's quotes as written."""
    out: list[str] = []
    cur = ""
    quote = ""
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


def dq(text: str) -> str:
    """`text` inside double quotes."""
    for ch in '\\"$`':
        text = text.replace(ch, "\\" + ch)
    return f'"{text}"'


def sq(text: str) -> str:
    return shlex.quote(text)


def with_program(fn: Callable[[str], str]) -> Callable[[str], str]:
    """A transformation of the program's name only."""

    def apply(cmd: str) -> str:
        prog, *rest = words(cmd)
        return " ".join((fn(prog), *rest))

    return apply


def _splice(prog: str, q: str) -> str:
    k = max(1, len(prog) // 2)
    return f"{q}{prog[:k]}{q}{prog[k:]}"


def _ansi(prog: str) -> str:
    return "$'" + "".join(f"\\x{ord(c):02x}" for c in prog) + "'"


def _b64(cmd: str) -> str:
    return f"echo {base64.b64encode(cmd.encode()).decode()} | base64 -d | sh"


def _xargs_last(cmd: str) -> str:
    *head, last = words(cmd)
    if len(head) < 2 or any(ch in last for ch in "'\"$*{}"):
        return f"echo | xargs {cmd}"
    return f"echo {last} | xargs {' '.join(head)}"


def _echo_last(cmd: str) -> str:
    *head, last = words(cmd)
    if not head:
        return f"{cmd} $(echo)"  # an empty unquoted substitution adds no word
    return " ".join((*head, f'"$(echo {last})"'))


def _split(cmd: str) -> tuple[str, str]:
    prog, _, rest = cmd.partition(" ")
    return prog, rest


def _xargs_null(cmd: str) -> str:
    *head, last = words(cmd)
    if len(head) < 2 or any(ch in last for ch in "'\"$*{}"):
        return f"echo | xargs -0 {cmd}"
    return f"printf '%s\\0' {last} | xargs -0 {' '.join(head)}"


def _eval_concat(cmd: str) -> str:
    prog, rest = _split(cmd)
    k = max(1, len(prog) // 2)
    return f'a={sq(prog[:k])}; b={sq(prog[k:])}; eval "$a$b "{sq(rest)}'


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "sudo": lambda c: f"sudo {c}",
    "sudo -u root": lambda c: f"sudo -u root -- {c}",
    "sudo -E -H": lambda c: f"sudo -E -H {c}",
    "doas": lambda c: f"doas {c}",
    "env VAR=1": lambda c: f"env VAR=1 {c}",
    "env -i": lambda c: f"env -i PATH=/usr/bin {c}",
    "nohup": lambda c: f"nohup {c}",
    "nohup &": lambda c: f"nohup {c} > /dev/null 2>&1 &",
    "timeout": lambda c: f"timeout 30 {c}",
    "timeout -s": lambda c: f"timeout -s KILL 5m {c}",
    "nice": lambda c: f"nice -n 10 {c}",
    "ionice": lambda c: f"ionice -c3 {c}",
    "stdbuf": lambda c: f"stdbuf -oL {c}",
    "time": lambda c: f"time {c}",
    "command": lambda c: f"command {c}",
    "builtin": lambda c: f"builtin {c}",
    "exec": lambda c: f"exec {c}",
    "bash -c": lambda c: f"bash -c {sq(c)}",
    "sh -c": lambda c: f"sh -c {dq(c)}",
    "zsh -c": lambda c: f"zsh -c {sq(c)}",
    "bash -lc": lambda c: f"bash -lc {sq(c)}",
    "sudo bash -c": lambda c: f"sudo bash -c {sq(c)}",
    "eval": lambda c: f"eval {sq(c)}",
    "su -c": lambda c: f"su -c {sq(c)} root",
    "ssh": lambda c: f"ssh bastion {sq(c)}",
    "xargs": _xargs_last,
    "watch": lambda c: f"watch -n1 {sq(c)}",
    "flock": lambda c: f"flock /tmp/l {c}",
    "setsid": lambda c: f"setsid {c}",
    "/usr/bin/": with_program(lambda p: f"/usr/bin/{p}"),
    "/usr/local/bin/": with_program(lambda p: f"/usr/local/bin/{p}"),
    "backslash": with_program(lambda p: f"\\{p}"),
    "single-quote splice": with_program(lambda p: _splice(p, "'")),
    "double-quote splice": with_program(lambda p: _splice(p, '"')),
    "ansi-c name": with_program(_ansi),
    "variable": lambda c: "P={}; $P {}".format(*_split(c)),
    "exported variable": lambda c: 'export P={}; "$P" {}'.format(*_split(c)),
    "alias": lambda c: "alias p={}; p {}".format(*_split(c)),
    "echo-substituted name": lambda c: "$(echo {}) {}".format(*_split(c)),
    "which-substituted name": lambda c: "$(which {}) {}".format(*_split(c)),
    "defaulted variable": lambda c: "${{TOOL:-{}}} {}".format(*_split(c)),
    "echo-substituted argument": _echo_last,
    "function": lambda c: f"f() {{ {c}; }}; f",
    "subshell": lambda c: f"( {c} )",
    "group": lambda c: f"{{ {c}; }}",
    "true &&": lambda c: f"true && {c}",
    "false ||": lambda c: f"false || {c}",
    "if": lambda c: f"if true; then {c}; fi",
    "for": lambda c: f"for i in 1; do {c}; done",
    "while": lambda c: f"while true; do {c}; break; done",
    "pipeline": lambda c: f"echo x | {c}",
    "piped out": lambda c: f"{c} | cat",
    "heredoc to bash": lambda c: f"bash <<'EOF'\n{c}\nEOF",
    "here-string to bash": lambda c: f"bash <<< {sq(c)}",
    "echo to sh": lambda c: f"echo {sq(c)} | sh",
    "base64 to sh": _b64,
    "bash -euxo pipefail -c": lambda c: f"bash -euxo pipefail -c {sq(c)}",
    "env bash -c": lambda c: f"/usr/bin/env bash -c {sq(c)}",
    "nohup sh -c &": lambda c: f"nohup sh -c {sq(c)} > /dev/null 2>&1 &",
    "script -qc": lambda c: f"script -qc {sq(c)} /dev/null",
    "xargs -I sh -c": lambda c: f"echo {sq(c)} | xargs -I{{}} sh -c '{{}}'",
    "parallel :::": lambda c: f"parallel ::: {sq(c)}",
    "find -exec": lambda c: f"find . -maxdepth 0 -exec {c} \\;",
    "bash -c echo-substituted": lambda c: f'bash -c "$(echo {sq(c)})"',
    "function with $@": lambda c: f'run() {{ "$@"; }}; run {c}',
    "retry function with shift": lambda c: (
        f'retry() {{ local n=$1; shift; for i in $(seq "$n"); do "$@" && break; done; }}; retry 3 {c}'
    ),
    "function with $1 and shift": lambda c: f'f() {{ local p="$1"; shift; "$p" "$@"; }}; f {c}',
    "array": lambda c: f'cmd=({c}); "${{cmd[@]}}"',
    "array appended": lambda c: 'cmd=({}); cmd+=({}); "${{cmd[@]}}"'.format(*_split(c)),
    "script written then run": lambda c: f"echo {sq(c)} > /tmp/job.sh && bash /tmp/job.sh",
    "heredoc script then ./": lambda c: (
        f"cat > job.sh <<'EOF'\n{c}\nEOF\nchmod +x job.sh; ./job.sh"
    ),
    "ssh host -- cmd": lambda c: (
        "ssh deploy@bastion -- " + " ".join(dq(w) if "'" in w else w for w in words(c))
    ),
    "ssh host -p cmd": lambda c: f"ssh bastion -p 2222 {sq(c)}",
    "mosh --": lambda c: f"mosh deploy@bastion -- {c}",
    "chronic": lambda c: f"chronic {c}",
    "xargs -0": _xargs_null,
    "printf | sh": lambda c: f"printf '%s\\n' {sq(c)} | sh",
    "echo -e | sh": lambda c: "echo -e " + sq("".join(f"\\x{b:02x}" for b in c.encode())) + " | sh",
    "eval concatenated": _eval_concat,
    'sh -c "$@"': lambda c: f"sh -c '\"$@\"' sh {c}",
    "source /dev/stdin": lambda c: f"source /dev/stdin <<< {sq(c)}",
    "eval of decoded substitution": lambda c: (
        f'eval "$(echo {base64.b64encode(c.encode()).decode()} | base64 -d)"'
    ),
    "group piped to sh": lambda c: f"{{ echo {sq(c)}; }} | sh",
    "find -exec sh -c": lambda c: f"find . -maxdepth 0 -exec sh -c {sq(c)} \\;",
    "kubectl exec sh -c": lambda c: f"kubectl exec -i toolbox -- sh -c {sq(c)}",
    "tmux new -d": lambda c: f"tmux new-session -d -s job {sq(c)}",
    "crontab append": lambda c: f"(crontab -l; echo {sq('0 * * * * ' + c)}) | crontab -",
    "make -f - heredoc": lambda c: f"make -f - go <<'EOF'\ngo:\n\t@{c}\nEOF",
    "<(…) argument": lambda c: f"cat <({c})",
    "trailing comment": lambda c: f"{c}  # harmless cleanup",
    "leading assignment": lambda c: f"LANG=C {c}",
    "spaces and tabs": lambda c: " \t" + " \t ".join(words(c)) + " \t",
    "line continuation": lambda c: " \\\n  ".join(words(c)),
}


# Spellings that may make a read ask, by design.
NOT_BENIGN = {
    "base64 to sh": "decoded code asks (`shell.obfuscated-code`)",
    "echo-substituted name": "a program name built by a substitution asks (`shell.dynamic-command`)",
    "script written then run": "writing the script is a write (asks in gateway mode)",
    "heredoc script then ./": "writing the script is a write (asks in gateway mode)",
    "which-substituted name": "a program found at run time asks (`shell.dynamic-command`)",
    "defaulted variable": "a program chosen by a variable asks (`shell.dynamic-command`)",
    "tmux new -d": "a new tmux session is a change (asks in gateway mode)",
    "crontab append": "installing a crontab is a change to the host",
    "make -f - heredoc": "running make is a local build (asks in gateway mode)",
}

# (base, transformation) pairs that fail because of an analyzer outside the walker.
KNOWN_GAPS: dict[tuple[str, str], str] = {}

_ORDER = {Verdict.ALLOW: 0, Verdict.ASK: 1, Verdict.DENY: 2}
_MODES = (Mode.WORKSTATION, Mode.GATEWAY)


@pytest.fixture(scope="module")
def verdict(settings) -> Callable[[str, Mode], Verdict]:
    @cache
    def run(command: str, mode: Mode) -> Verdict:
        return check(CheckCall(command=command, mode=mode), settings).verdict

    return run


def _weaker(base: str, name: str, verdict: Callable[[str, Mode], Verdict]) -> str | None:
    """How the spelling `name` of `base` is weaker than `base`, or None."""
    text = TRANSFORMS[name](base)
    for mode in _MODES:
        bare, spelled = verdict(base, mode), verdict(text, mode)
        if _ORDER[spelled] < _ORDER[bare]:
            return f"{mode.value}: {bare.value} → {spelled.value}: {text!r}"
    return None


def _not_allowed(base: str, name: str, verdict: Callable[[str, Mode], Verdict]) -> str | None:
    text = TRANSFORMS[name](base)
    got = [verdict(text, mode) for mode in _MODES]
    return None if got == [Verdict.ALLOW, Verdict.ALLOW] else f"{[v.value for v in got]}: {text!r}"


@pytest.mark.parametrize("base", DESTRUCTIVE)
def test_destructive_bases_ask_or_deny(base, verdict):
    assert Verdict.ALLOW not in [verdict(base, m) for m in _MODES]


@pytest.mark.parametrize("base", READS)
def test_read_bases_are_allowed(base, verdict):
    assert [verdict(base, m) for m in _MODES] == [Verdict.ALLOW, Verdict.ALLOW]


# One test per spelling, over every base (thousands of pairs stay fast); known gaps run apart.
@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_a_respelled_command_is_never_weaker(name, verdict):
    bases = [b for b in DESTRUCTIVE + READS if (b, name) not in KNOWN_GAPS]
    failures = [f for b in bases if (f := _weaker(b, name, verdict))]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", [n for n in TRANSFORMS if n not in NOT_BENIGN])
def test_a_benign_spelling_of_a_read_stays_allowed(name, verdict):
    bases = [b for b in READS if (b, name) not in KNOWN_GAPS]
    failures = [f for b in bases if (f := _not_allowed(b, name, verdict))]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("base", "name"),
    [
        pytest.param(b, n, marks=pytest.mark.xfail(strict=True, reason=why), id=f"{b} | {n}")
        for (b, n), why in KNOWN_GAPS.items()
    ]
    or [pytest.param("", "", marks=pytest.mark.skip(reason="no known gaps"), id="none")],
)
def test_a_known_gap_is_still_a_gap(base, name, verdict):
    assert _weaker(base, name, verdict) is None
    if base in READS and name not in NOT_BENIGN:
        assert _not_allowed(base, name, verdict) is None
