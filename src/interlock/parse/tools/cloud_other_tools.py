"""The per-tool tables for `cloud_other`: which flags take values, which give scope, and the
subcommands whose effect the verb alone does not tell (`pg:reset`, `db reset`, `apps destroy`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from interlock.model import Effect
from interlock.parse.tools.cloud import words

D, W, R, U = Effect.DESTROY, Effect.WRITE, Effect.READ, Effect.UNKNOWN
LOCAL = "local"  # a pseudo-tag: the target is this machine's config or dev server
_LOCAL = LOCAL
COLON_VERBS = words(
    "create destroy run restart rollback login logout deploy init link unlink use build dev "
    "serve open-tunnel promote"
)
PSEUDO = frozenset((LOCAL, "sql", "inner", "scale", "api", "d1", "db", "roa", "production"))


@dataclass(frozen=True, slots=True)
class Tool:
    values: frozenset[str] = frozenset()
    scope: tuple[tuple[str, str], ...] = ()  # (flag, scope key)
    env: tuple[tuple[str, str], ...] = ()  # (variable, scope key)
    names: tuple[str, ...] = ()  # flags that name the target (`-a/--app`)
    colon: bool = False
    special: dict[str, tuple[Effect, str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    remote: tuple[str, ...] = ()  # flags holding a command run on the remote machine
    noun_reads: bool = False  # a path of nouns with no verb lists or shows (`ibmcloud is vpcs`)
    verb_groups: frozenset[str] = frozenset()  # namespaces where that does not hold (`ks`)


_COMMON = words("--format --output -o --config --profile --region --context --token -t")
_HEROKU = Tool(
    values=words("-a --app -r --remote -c --command --confirm -t --team -s --size -e --env"),
    names=("-a", "--app"),
    env=(("HEROKU_APP", "app"),),
    colon=True,
    special={
        "apps:destroy": (D, "env-root"), "destroy": (D, "env-root"),
        "pg:reset": (D, "database"), "pg:copy": (D, "database"),
        "pg:backups:restore": (D, "database"), "pg:backups:delete": (D, "backup"),
        "addons:destroy": (D, "database"), "pg:killall": (W, ""), "pg:kill": (W, ""),
        "run": (U, "remote-code"), "run:detached": (U, "remote-code"),
        "run:inside": (U, "remote-code"),
        "pg:psql": (U, "sql"), "redis:cli": (U, ""), "ps:exec": (U, "remote-code"),
        "login": (W, _LOCAL), "logout": (W, _LOCAL), "git:remote": (W, _LOCAL),
        "local": (U, _LOCAL), "access:remove": (W, "security"), "ps:scale": (W, "scale"),
        "pg:backups": (R, ""), "pg:backups:capture": (W, ""), "pg:backups:schedule": (W, ""),
        "pg:backups:unschedule": (W, "protection-off"), "pg:backups:cancel": (W, ""),
        "pg:backups:download": (R, ""), "pg:backups:url": (R, ""), "pg:push": (D, "database"),
        "pg:pull": (W, _LOCAL), "maintenance:on": (W, ""), "maintenance:off": (W, ""),
        "pg:diagnose": (R, ""), "pg:outliers": (R, ""), "pg:locks": (R, ""), "pg:ps": (R, ""),
        "pg:blocking": (R, ""), "pg:bloat": (R, ""), "pg:credentials": (R, ""),
        "pg:credentials:url": (R, ""), "pg:settings": (R, ""), "redis:info": (R, ""),
        "spaces:destroy": (D, "env-root"), "pipelines:destroy": (D, ""),
        "config:unset": (D, ""), "config:remove": (D, ""),
        "pipelines:promote": (W, "production"),  # promotes the slug to the next stage
    },
)  # fmt: skip
_FLY = Tool(
    values=words("-a --app -c --config -r --region -i --image -C --command -s --select -o --org"),
    names=("-a", "--app"),
    scope=(("-c", "env"), ("--config", "env")),  # `-c fly.production.toml`
    env=(("FLY_APP", "app"),),
    special={
        "apps destroy": (D, "env-root"), "destroy": (D, "env-root"),
        "volumes destroy": (D, "database"), "volume destroy": (D, "database"),
        "vol destroy": (D, "database"), "volumes delete": (D, "database"),
        "ssh console": (U, "remote-code"), "ssh sftp": (W, ""), "postgres connect": (U, "sql"),
        "pg connect": (U, "sql"), "proxy": (U, _LOCAL), "scale count": (W, "scale"),
        "auth login": (W, _LOCAL), "launch": (W, ""), "console": (U, "remote-code"),
        "machine exec": (U, "remote-code"), "machines exec": (U, "remote-code"),
        "postgres db delete": (D, "database"), "pg db delete": (D, "database"),
        "mpg destroy": (D, "database"), "postgres destroy": (D, "database"),
        "secrets unset": (D, ""), "secrets import": (W, ""), "ips release": (D, ""),
    },
    remote=("-C", "--command"),
)  # fmt: skip
_VERCEL = Tool(
    values=words("--scope --token -t --cwd -e --env -b --build-env -m --meta --target -A"),
    scope=(("--scope", "context"), ("--target", "env")),
    special={
        "rm": (D, ""), "remove": (D, ""), "project rm": (D, "env-root"),
        "project remove": (D, "env-root"), "projects rm": (D, "env-root"),
        "env rm": (D, ""), "env pull": (W, _LOCAL), "pull": (W, _LOCAL), "dev": (W, _LOCAL),
        "build": (W, _LOCAL), "link": (W, _LOCAL), "login": (W, _LOCAL), "logout": (W, _LOCAL),
        "deploy": (W, ""), "redeploy": (W, ""), "promote": (W, "production"),
        "rollback": (W, "production"), "rolling-release": (W, "production"),
    },
)  # fmt: skip
_NETLIFY = Tool(
    values=words("--site -s --dir -d --auth --context --filter -m --message --alias"),
    scope=(("--site", "app"), ("--context", "env")),
    colon=True,
    special={
        "sites:delete": (D, "env-root"), "env:unset": (D, ""), "dev": (W, _LOCAL),
        "build": (W, _LOCAL), "link": (W, _LOCAL), "unlink": (W, _LOCAL),
        "login": (W, _LOCAL), "init": (W, _LOCAL), "serve": (W, _LOCAL), "api": (U, "api"),
        "functions:invoke": (W, ""), "watch": (R, ""),
    },
)  # fmt: skip
_RAILWAY = Tool(
    values=words("-e --environment -s --service -p --project"),
    scope=(("-e", "env"), ("--environment", "env"), ("-p", "project"), ("--project", "project")),
    names=("-s", "--service"),
    special={
        "up": (W, ""), "down": (D, ""), "delete": (D, "env-root"), "run": (U, "inner"),
        "shell": (U, _LOCAL), "connect": (U, "sql"), "volume delete": (D, "database"),
        "link": (W, _LOCAL), "login": (W, _LOCAL), "init": (W, _LOCAL), "unlink": (W, _LOCAL),
        "environment": (W, _LOCAL), "variables": (R, ""), "service": (W, _LOCAL),
        "environment delete": (D, "env-root"), "environment new": (W, ""),
        "variables set": (W, ""), "variables delete": (D, ""), "ssh": (U, "remote-code"),
    },
)  # fmt: skip
_WRANGLER = Tool(
    values=words("--env -e --command --file --config -c --name --binding --namespace-id"),
    scope=(("--env", "env"), ("-e", "env")),
    names=("--name",),
    special={
        "delete": (D, "env-root"), "d1 execute": (U, "sql"), "d1 delete": (D, "database"),
        "d1 time-travel restore": (D, "database"), "kv namespace delete": (D, "database"),
        "kv:namespace delete": (D, "database"), "r2 bucket delete": (D, "database"),
        "kv bulk delete": (D, "bulk"), "kv:bulk delete": (D, "bulk"),
        "pages project delete": (D, "env-root"), "tail": (R, ""), "dev": (W, _LOCAL),
        "login": (W, _LOCAL), "logout": (W, _LOCAL), "types": (W, _LOCAL), "init": (W, _LOCAL),
        "d1 migrations apply": (W, "d1"), "publish": (W, ""), "deploy": (W, ""),
    },
)  # fmt: skip
_FIREBASE = Tool(
    values=words("-P --project --only --except -m --message --token --instance"),
    scope=(("-P", "project"), ("--project", "project")),
    env=(("FIREBASE_PROJECT", "project"), ("GCLOUD_PROJECT", "project")),
    colon=True,
    special={
        "database:remove": (D, "database"), "database:set": (D, "database"),
        "firestore:delete": (D, "database"), "firestore:databases:delete": (D, "database"),
        "use": (W, _LOCAL), "login": (W, _LOCAL), "logout": (W, _LOCAL), "init": (W, _LOCAL),
        "emulators:start": (W, _LOCAL), "emulators:exec": (U, _LOCAL), "serve": (W, _LOCAL),
        "auth:export": (R, ""), "projects:delete": (D, "env-root"),
        "hosting:disable": (W, "scale-to-zero"), "deploy": (W, ""), "firestore:indexes": (R, ""),
        "database:instances:list": (R, ""), "functions:shell": (U, _LOCAL),
        "apps:sdkconfig": (R, ""), "functions:config:get": (R, ""),
        "functions:secrets:access": (R, ""), "remoteconfig:get": (R, ""),
    },
)  # fmt: skip
_SUPABASE = Tool(
    values=words("--project-ref --db-url -p --password --workdir -o --output --schema -s"),
    scope=(("--project-ref", "project"), ("--db-url", "url")),
    special={
        "db reset": (D, "database"), "stop": (W, _LOCAL), "start": (W, _LOCAL),
        "projects delete": (D, "env-root"), "branches delete": (D, "env-root"),
        "link": (W, _LOCAL), "login": (W, _LOCAL), "init": (W, _LOCAL), "db push": (W, "db"),
        "db dump": (R, ""), "db pull": (W, _LOCAL), "gen types": (R, ""), "db diff": (R, ""),
        "migration new": (W, _LOCAL), "migration up": (W, "db"), "secrets unset": (D, ""),
        "projects api-keys": (R, ""),
    },
)  # fmt: skip
_DOCTL = Tool(
    values=_COMMON | words("--access-token -t --region --size --image --tag-name"),
    scope=(("--context", "context"),),
    env=(("DIGITALOCEAN_CONTEXT", "context"),),
    aliases={"rm": "delete", "d": "delete", "g": "get", "ls": "list", "c": "create"},
    special={
        "kubernetes cluster delete": (D, "env-root"), "k8s cluster delete": (D, "env-root"),
        "databases delete": (D, "database"), "databases db delete": (D, "database"),
        "apps delete": (D, "env-root"), "projects delete": (D, "env-root"),
        "compute ssh": (U, "remote-code"), "compute snapshot delete": (D, "backup"),
        "auth init": (W, _LOCAL), "auth switch": (W, _LOCAL),
        "kubernetes cluster kubeconfig save": (W, _LOCAL),
        "k8s cluster kubeconfig save": (W, _LOCAL), "kubernetes cluster kubeconfig show": (R, ""),
        "compute droplet-action rebuild": (D, ""), "compute volume-action detach": (W, ""),
        "databases resize": (W, ""), "registry garbage-collection start": (D, ""),
        "databases connection": (R, ""), "databases backups": (R, ""),
    },
    remote=("--ssh-command",),
)  # fmt: skip
_OPENSTACK = Tool(
    values=words(
        "--os-cloud --os-project-name --os-region-name -f --format -c --column --remote-ip "
        "--dst-port --protocol --image --flavor --network --key-name --size --type --project "
        "--user --domain --description --property --remote-group --ethertype --subnet "
        "--security-group --snapshot --volume --availability-zone --os-auth-url --os-username"
    ),
    scope=(("--os-cloud", "context"), ("--os-project-name", "project"),
           ("--os-region-name", "region")),
    env=(("OS_CLOUD", "context"), ("OS_PROJECT_NAME", "project")),
    aliases={"remove": "detach", "unset": "set"},
    special={"stack delete": (D, "env-root"), "project delete": (D, "env-root"),
             "volume snapshot delete": (D, "backup"), "volume backup delete": (D, "backup"),
             "database instance delete": (D, "database"), "server ssh": (U, "remote-code"),
             "token issue": (R, ""), "token revoke": (W, "")},
)  # fmt: skip
_PLAIN = Tool(
    values=_COMMON | words("--region --zone --project -p --project-id --compartment-id"),
    scope=(("--context", "context"), ("--profile", "profile"), ("--region", "region"),
           ("--project", "project")),
    special={"lke cluster-delete": (D, "env-root"), "ks cluster rm": (D, "env-root"),
             "kubernetes remove": (D, "env-root"), "kubernetes delete": (D, "env-root"),
             "target": (W, _LOCAL), "login": (W, _LOCAL), "config": (W, _LOCAL),
             "configure": (W, _LOCAL), "server ssh": (U, "remote-code"),
             "context use": (W, _LOCAL), "context create": (W, _LOCAL),
             "context delete": (W, _LOCAL), "context list": (R, ""), "context active": (R, ""),
             "setup": (W, _LOCAL), "session": (W, _LOCAL), "init": (W, _LOCAL),
             "ssh": (U, "remote-code"), "kubeconfig": (W, _LOCAL),
             "ks cluster config": (W, _LOCAL), "cs cluster-config": (W, _LOCAL),
             "server metrics": (R, ""), "load-balancer metrics": (R, "")},
)  # fmt: skip
_IBMCLOUD = replace(
    _PLAIN,
    values=_PLAIN.values | words("-g -r --cluster --bucket --name --instance-id"),
    scope=(*_PLAIN.scope, ("-g", "resource_group"), ("-r", "region")),
    names=("--cluster", "--bucket", "--name"),
    noun_reads=True,
    verb_groups=words("ks cs sl"),  # `ibmcloud ks worker reload` is a verb we do not know
    special={**_PLAIN.special, "cf restage": (W, ""), "cf ssh": (U, "remote-code"),
             "ce app logs": (R, ""), "cf env": (R, ""), "cf logs": (R, "")},
)  # fmt: skip
_RENDER = replace(
    _PLAIN,
    special={**_PLAIN.special, "workspace": (W, _LOCAL), "psql": (U, "sql"),
             "restart": (W, "")},
)  # fmt: skip
_HCLOUD = replace(_PLAIN, env=(("HCLOUD_CONTEXT", "context"),))
_OCI = replace(_PLAIN, env=(("OCI_CLI_PROFILE", "profile"),))
_SCW = replace(
    _PLAIN,
    values=_PLAIN.values | {"-p"},
    scope=(*_PLAIN.scope, ("-p", "profile")),
    env=(("SCW_PROFILE", "profile"),),
)
TOOLS = {
    "heroku": _HEROKU, "fly": _FLY, "flyctl": _FLY, "vercel": _VERCEL, "netlify": _NETLIFY,
    "railway": _RAILWAY, "wrangler": _WRANGLER, "firebase": _FIREBASE, "supabase": _SUPABASE,
    "doctl": _DOCTL, "openstack": _OPENSTACK, "ibmcloud": _IBMCLOUD, "render": _RENDER,
    "hcloud": _HCLOUD, "oci": _OCI, "scw": _SCW,
}  # fmt: skip
