"""The host and container analyzers, called directly: family, action, effect, tags, targets."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.tools import Context
from interlock.parse.tools._registry import PROGRAMS
from interlock.parse.tools.host import analyze
from interlock.parse.tools.host_pkg import is_critical
from interlock.parse.tools.host_system import is_critical as is_critical_service

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN


def run(text: str, host: str | None = None, **env: str) -> list[Operation]:
    cmd = Command(argv=tuple(shlex.split(text)), env=tuple(env.items()), host=host, text=text)
    return analyze(cmd, Context(shell=lambda t, c: []))


def one(text: str, host: str | None = None, **env: str) -> Operation:
    return run(text, host, **env)[0]


@pytest.mark.parametrize(
    ("text", "family", "action", "effect"),
    [
        ("docker ps -a", "container", "ls", R),
        ("docker image ls", "container", "ls", R),
        ("docker system df", "container", "df", R),
        ("docker compose logs -f", "container", "logs", R),
        ("docker --help", "container", "read", R),
        ("docker run --rm alpine true", "container", "run", W),
        ("docker exec -it web bash", "container", "exec", W),
        ("docker rm -f web", "container", "delete", D),
        ("docker system prune -af", "container", "prune", D),
        ("podman system reset -f", "container", "reset", D),
        ("docker compose down", "container", "delete", D),
        ("docker-compose up -d", "container", "up", W),
        ("crictl rmi --prune", "container", "delete", D),
        ("ctr -n k8s.io images ls", "container", "ls", R),
        ("systemctl status nginx", "host", "status", R),
        ("systemctl stop nginx", "host", "stop", W),
        ("systemctl clean --what=state myapp", "host", "clean", D),
        ("service nginx status", "host", "status", R),
        ("shutdown -c", "host", "cancel", W),
        ("kill -0 42", "host", "probe", R),
        ("crontab -r", "host", "remove", D),
        ("iptables -nvL", "host", "list", R),
        ("iptables -F", "host", "flush", D),
        ("nft list ruleset", "host", "list", R),
        ("ufw --force reset", "host", "reset", D),
        ("apt-get install -y curl", "host", "install", W),
        ("apt-get -s remove nginx", "host", "remove", R),
        ("dpkg -r nginx", "host", "remove", D),
        ("rpm -qa", "host", "query", R),
        ("pacman -Rns firefox", "host", "remove", D),
        ("pacman -Ss vim", "host", "search", R),
        ("brew uninstall jq", "host", "remove", D),
        ("pip uninstall -y requests", "host", "remove", W),
        ("npm run build", "host", "run", U),
        ("npm unpublish pkg@1.0.0", "host", "unpublish", D),
        ("npm publish --dry-run", "host", "publish", R),
        ("userdel -r alice", "host", "delete", D),
        ("visudo -c", "host", "check", R),
        ("sysctl -w vm.swappiness=10", "host", "set", W),
        ("journalctl --vacuum-size=10M", "host", "vacuum", D),
        ("ip -br a", "host", "show", R),
        ("virsh undefine web01", "host", "undefine", D),
        ("multipass delete dev", "host", "delete", W),
    ],
)
def test_each_command_gets_its_family_action_and_effect(text, family, action, effect):
    op = one(text)
    assert (op.family, op.action, op.effect) == (family, action, effect)


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("docker run --privileged alpine", {"privileged"}),
        ("docker run -v /:/host alpine", {"privileged", "root-path"}),
        ("docker run -itv /var/run/docker.sock:/s docker", {"privileged"}),
        ("docker run --mount type=bind,src=/etc,dst=/e alpine", {"privileged"}),
        ("docker run --cap-add=SYS_ADMIN alpine", {"privileged"}),
        ("docker system prune -a --volumes", {"all", "volumes"}),
        ("systemctl stop sshd", {"critical-service"}),
        ("systemctl disable --now docker.service", {"critical-service"}),
        ("systemctl stop 'ssh*'", {"critical-service", "wildcard"}),
        ("reboot", {"power"}),
        ("init 0", {"power"}),
        ("kill -9 1", {"pid-1", "force"}),
        ("kill -1 -1", {"all-processes"}),
        ("kill -s KILL -- -1", {"all-processes", "force"}),
        ("pkill -9 postgres", {"by-name", "force", "critical-process"}),
        ("pkill -u bob", {"by-name", "all"}),
        ("iptables -P INPUT DROP", {"network-cut"}),
        ("iptables -A INPUT -j DROP", {"network-cut"}),
        ("ufw enable", {"network-cut"}),
        ("ip link set dev eth0 down", {"network-cut"}),
        ("ifconfig eth0 down", {"network-cut"}),
        ("apt-get purge -y libc6", {"critical-package", "auto-approve"}),
        ("rpm -e --nodeps systemd", {"critical-package", "force"}),
        ("passwd -d root", {"root-account"}),
        ("usermod -G wheel alice", {"replace-groups"}),
        ("deluser bob sudo", {"admin-group"}),
    ],
)
def test_risky_shapes_carry_their_tags(text, tags):
    assert tags <= one(text).tags


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("docker run --rm -v ./src:/src alpine", "privileged"),
        ("docker run --privileged=false alpine", "privileged"),
        ("systemctl restart sshd", "critical-service"),
        ("iptables -P FORWARD DROP", "network-cut"),
        ("iptables -A INPUT -p tcp --dport 8080 -j DROP", "network-cut"),
        ("ip route flush cache", "network-cut"),
        ("pkill -f 'next dev'", "force"),
        ("apt remove libc6-dev", "critical-package"),
        ("apt remove linux-image-5.15.0-50-generic", "critical-package"),
        ("passwd root", "root-account"),
        ("usermod -aG docker alice", "admin-group"),
    ],
)
def test_ordinary_shapes_do_not_carry_risky_tags(text, absent):
    assert absent not in one(text).tags


def test_a_local_engine_marks_its_objects_local():
    assert one("docker rm -f web").targets[0].tier is Tier.LOCAL


def test_a_remote_engine_flag_scopes_the_host_and_leaves_the_tier_open():
    t = one("docker -H ssh://deploy@prod-host:22 rm -f web").targets[0]
    assert (t.get("host"), t.tier) == ("prod-host", Tier.UNKNOWN)


def test_docker_host_and_context_variables_scope_the_engine():
    assert one("docker rm web", DOCKER_HOST="tcp://prod-1:2376").targets[0].get("host") == "prod-1"
    assert one("docker rm web", DOCKER_CONTEXT="staging").targets[0].get("context") == "staging"
    assert (
        one("docker rm web", DOCKER_HOST="unix:///var/run/docker.sock").targets[0].tier
        is Tier.LOCAL
    )


def test_a_local_context_name_stays_local():
    assert one("docker --context desktop-linux rm web").targets[0].tier is Tier.LOCAL


def test_a_command_on_a_remote_host_never_keeps_a_local_tier():
    t = one("docker rm -f web", host="prod-web-1").targets[0]
    assert (t.get("host"), t.tier) == ("prod-web-1", Tier.UNKNOWN)


def test_systemctl_host_flag_scopes_the_service():
    assert one("systemctl -H admin@prod-1 stop nginx").targets[0].get("host") == "prod-1"


def test_virsh_connect_uri_scopes_the_vm():
    assert (
        one("virsh -c qemu+ssh://root@kvm-2/system undefine db").targets[0].get("host") == "kvm-2"
    )


def test_lxc_remote_prefix_scopes_the_instance():
    t = one("lxc delete prod:web").targets[0]
    assert (t.name, t.get("host")) == ("web", "prod")


def test_compose_down_v_reports_a_volume_target():
    kinds = {t.kind for t in one("docker compose -p shop down -v").targets}
    assert kinds == {"compose-project", "volume"}


def test_inner_commands_go_back_to_the_shell_with_the_machine_as_host():
    seen: list[tuple[str, str | None]] = []

    def shell(text: str, cmd: Command) -> list[Operation]:
        seen.append((text, cmd.host))
        return []

    for line in (
        "lxc exec web -- rm -rf /srv",
        "docker compose exec db psql",
        "docker run alpine ls /",
    ):
        analyze(Command(argv=tuple(shlex.split(line)), text=line), Context(shell=shell))
    assert seen == [("rm -rf /srv", "web"), ("psql", "project-db"), ("ls /", "container:alpine")]


@pytest.mark.parametrize("pkg", ["libc6", "libc6:amd64", "systemd", "openssh-server", "sudo",
                                 "glibc-2.34-60.el9", "kernel", "linux-image-*"])  # fmt: skip
def test_critical_packages_are_recognised(pkg):
    assert is_critical(pkg)


@pytest.mark.parametrize(
    "pkg", ["nginx", "libc6-dev", "python3-pip", "kernel-devel", "sudo-ldap.deb"]
)
def test_ordinary_packages_are_not_critical(pkg):
    assert not is_critical(pkg)


def test_critical_services_ignore_suffixes_and_instances():
    assert is_critical_service("sshd.service")
    assert is_critical_service("postgresql@14-main")
    assert not is_critical_service("myapp.service")


def test_every_registered_program_answers_at_least_one_operation():
    for prog in PROGRAMS["host"]:
        for args in ((), ("--help",), ("rm", "-rf", "x"), ("-",)):
            ops = run(shlex.join((prog, *args)))
            assert ops and all(isinstance(op, Operation) for op in ops), prog


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PROGRAMS["host"]),
    st.lists(st.text(alphabet="-abcdefhrsvxALFPSR019=:/*@ ", max_size=8), max_size=6),
)
def test_no_input_crashes_an_analyzer(prog, args):
    cmd = Command(argv=(prog, *args), text=" ".join((prog, *args)))
    ops = analyze(cmd, Context(shell=lambda t, c: []))
    assert ops


@pytest.mark.parametrize(
    ("text", "action", "effect"),
    [
        ("yarn application -list", "list", R),
        ("yarn logs -applicationId application_1_0001", "logs", R),
        ("yarn application -kill application_1_0001", "kill", W),
        ("yarn app -destroy svc", "delete", D),
        ("yarn node index.js", "run", U),
        ("yarn logs", "run", U),
    ],
)
def test_hadoop_yarn_is_told_apart_from_node_yarn_by_its_single_dash_flags(
    text: str, action: str, effect: Effect
) -> None:
    op = one(text)
    assert (op.action, op.effect) == (action, effect)


def test_fuser_kills_only_with_k() -> None:
    assert one("fuser -v /data").effect is R
    assert one("fuser -km /data").action == "kill"


def test_killall5_signals_every_process() -> None:
    assert "all-processes" in one("killall5 -9").tags


def test_an_empty_crontab_is_a_removal() -> None:
    assert one("crontab /dev/null").effect is D
