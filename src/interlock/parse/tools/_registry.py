"""Which module analyzes which program. One line per family; the generic model takes the rest.

Keep this module free of imports: it is read on every check.
"""

from __future__ import annotations

PROGRAMS: dict[str, tuple[str, ...]] = {
    "fs": (
        "rm", "rmdir", "unlink", "shred", "dd", "wipefs", "fdisk", "sfdisk", "cfdisk", "parted",
        "sgdisk", "gdisk", "truncate", "chmod", "chown", "chgrp", "chattr", "mv", "cp", "ln", "srm",
        "wipe", "blkdiscard", "mkswap", "rsync", "tee", "install", "mkdir", "touch", "tar", "unzip",
        "sed", "perl-rename", "rename", "losetup", "lvremove", "vgremove", "pvremove", "zpool",
        "zfs", "btrfs", "mount", "umount", "swapoff", "cryptsetup", "ls", "cat", "head", "tail",
        "less", "more", "grep", "rg", "find", "stat", "du", "df", "wc", "file", "tree", "pwd",
        "echo", "printf", "sort", "uniq", "cut", "awk", "diff", "which", "whoami", "id", "date",
        "uname", "hostname", "true", "false", "test", "[", "cd", "basename", "dirname", "realpath",
        "readlink", "sleep", "jq", "yq", "md5sum", "sha256sum", "xxd", "od", "hexdump", "strings",
        "column", "tr", "fold", "nl", "paste", "comm", "join", "seq", "yes", "env", "printenv",
        "export", "set", "unset", "alias", "source", ".", "type", "hash", "history", "clear",
        "exit", "return", "read", "wait", "fg", "bg", "jobs", "ps", "top", "htop", "free", "uptime",
        "lsblk", "blkid", "mount", "man", "help", "tldr", "zcat", "gzip", "gunzip", "bzip2", "xz",
        "zip", "7z", "base64", "lsof", "netstat", "ss", "ping", "dig", "nslookup", "host",
        "traceroute", "nc", "gtar", "bsdtar", "7za", "7zz", "bunzip2", "unxz", "zstd", "unzstd",
        "lz4", "pigz", "trash", "trash-put", "rmtrash", "fallocate", "badblocks", "mdadm", "nvme",
        "hdparm", "diskutil", "newfs", "setfacl", "getfacl", "lsattr", "split", "csplit", "gawk",
        "mawk", "nawk", "gsed", "prename", "ncat", "netcat", "fd", "fdfind", "egrep", "fgrep", "ag",
        "ack", "bat", "batcat", "eza", "exa", "lsd", "tac", "cmp", "sha1sum", "sha512sum", "b2sum",
        "cksum", "shasum", "zless", "zgrep", "bzcat", "xzcat", "zstdcat", "zipinfo", "locate",
        "whereis", "mktemp", "sync", "shuf", "rev", "findmnt", "lvs", "vgs", "pvs", "lvdisplay",
        "vgdisplay", "pvdisplay", "dmesg",
    ) + tuple(f"mkfs.{fs}" for fs in ("ext2", "ext3", "ext4", "xfs", "btrfs", "vfat", "fat", "ntfs", "exfat", "f2fs")) + ("mkfs", "mke2fs", "mkdosfs", "mkntfs"),
    "host": (
        "docker", "podman", "nerdctl", "docker-compose", "podman-compose", "systemctl", "service",
        "shutdown", "reboot", "halt", "poweroff", "init", "telinit", "kill", "killall", "pkill",
        "iptables", "ip6tables", "nft", "ufw", "firewall-cmd", "crontab", "apt", "apt-get", "dpkg",
        "yum", "dnf", "rpm", "zypper", "pacman", "apk", "brew", "snap", "pip", "pip3", "npm",
        "yarn", "pnpm", "userdel", "groupdel", "deluser", "passwd", "usermod", "useradd", "visudo",
        "sysctl", "modprobe", "rmmod", "insmod", "journalctl", "launchctl", "ip", "ifconfig",
        "route", "hostnamectl", "timedatectl", "swapon", "nerdctl", "crictl", "ctr", "vagrant",
        "virsh", "multipass", "lxc", "incus", "apt-cache", "apt-mark", "aptitude", "microdnf",
        "yay", "paru", "flatpak", "pipx", "gem", "delgroup", "adduser", "groupadd", "addgroup",
        "gpasswd", "chpasswd", "chage", "iptables-save", "ip6tables-save", "iptables-restore",
        "ip6tables-restore", "nmcli", "ifdown", "ifup", "rc-service", "update-rc.d", "chkconfig",
        "rc-update", "loginctl", "kexec", "buildah", "skopeo", "limactl",
    ),
    "git": ("git", "gh", "glab", "hub", "git-lfs", "git-filter-repo"),
    "kubernetes": ("kubectl", "oc", "helm", "kustomize", "k9s", "kubectx", "kubens", "k", "kind", "minikube", "k3d", "eksctl", "argocd", "flux", "istioctl", "linkerd", "velero", "kubeadm", "skaffold", "tilt"),
    "iac": (
        "terraform", "tofu", "terragrunt", "atmos", "pulumi", "cdk", "cdktf", "terraform-docs",
        "tflint", "terramate", "serverless", "sls", "sst", "sam", "copilot", "ansible",
        "ansible-playbook", "ansible-pull", "packer", "nomad", "consul",
    ),
    "cloud": (
        "aws", "gcloud", "gsutil", "bq", "az", "doctl", "linode-cli", "hcloud", "oci", "ibmcloud",
        "scw", "vultr-cli", "exo", "flyctl", "fly", "heroku", "vercel", "netlify", "railway",
        "render", "wrangler", "firebase", "supabase", "s3cmd", "rclone", "azcopy", "aliyun",
        "upcloud", "civo", "ovhcloud", "openstack", "swift", "awslocal", "s5cmd", "mc", "upctl",
    ),
    "db": (
        "psql", "mysql", "mariadb", "sqlite3", "mongosh", "mongo", "redis-cli", "cqlsh", "dropdb",
        "createdb", "pg_restore", "pg_dump", "pg_dumpall", "mysqldump", "mysqladmin", "mongodump",
        "mongorestore", "clickhouse-client", "clickhouse", "sqlcmd", "duckdb", "influx", "etcdctl",
        "cockroach", "dropuser", "createuser", "pg_ctl", "pg_ctlcluster", "pgcli", "mycli",
        "litecli", "valkey-cli", "keydb-cli", "memcached-tool", "snowsql", "usql", "sqlplus",
        "bq-sql", "trino", "presto", "spanner-cli", "cockroachdb", "surreal", "neo4j",
        "cypher-shell", "arangosh", "rethinkdb", "nats", "kafka-topics", "kafka-topics.sh",
        "rabbitmqctl", "rabbitmqadmin", "kafka-consumer-groups", "kafka-consumer-groups.sh",
        "consul-kv", "mongoimport", "mongoexport", "redis-benchmark", "mysqlimport", "pg_upgrade",
        "psql-prod",
    ),
    "http": ("curl", "wget", "http", "https", "httpie", "xh", "xhs", "curlie", "grpcurl", "websocat"),
    "code": ("python", "python3", "python2", "node", "nodejs", "deno", "bun", "ruby", "perl", "php", "lua", "Rscript", "osascript", "pwsh", "powershell", "irb", "ipython", "groovy", "julia", "tclsh"),
}

_INDEX: dict[str, str] = {prog: mod for mod, progs in PROGRAMS.items() for prog in progs}


def module_for(program: str) -> str:
    """The analyzer module for `program` (`generic` when no family claims it)."""
    mod = _INDEX.get(program)
    if mod is not None:
        return mod
    if program.startswith("python") or program.startswith("pypy"):
        return "code"
    if program.startswith("mkfs"):
        return "fs"
    return "generic"
