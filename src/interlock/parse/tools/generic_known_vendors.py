"""Vendor and SaaS CLIs, and daemons whose command is a flag, for `generic_known`'s table.

A SaaS CLI often names where it acts with a flag of its own: `doppler -c prd` picks the config
(the environment), `sf --target-org prod` the Salesforce org, `databricks -p prod` the profile,
`amtool --alertmanager.url` the server. Its own words fix what the lexicon reads wrong:
`sentry-cli debug-files upload` uploads, `ldcli flags toggle-off` changes a flag (the `kill-switch`
after it is a name), `pscale deploy-request list` lists. Daemons answer a check flag:
`nginx -t`, `sshd -t`, `apachectl configtest` only read their configuration.
"""

from __future__ import annotations

from interlock.model import Effect
from interlock.parse.lexicon import words
from interlock.parse.tools.generic_known_spec import Known
from interlock.parse.tools.generic_known_spec import vocab as _v

_R, _W, _D = Effect.READ, Effect.WRITE, Effect.DESTROY

_SF_VALUES = words(
    "--sobject -s --record-id -i --file -f --query -q --values --metadata -m --source-dir -d "
    "--job-id --manifest -x --tests --test-level -l --wait -w --alias -a --where --external-id"
)
_SF_SCOPE = dict.fromkeys(
    ("--target-org", "-o", "-u", "--targetusername", "--target-dev-hub", "--targetdevhubusername"),
    "account",
)
_SF = Known(
    _v("report validate preview display export test", "import resume cancel quick"),
    value_flags=_SF_VALUES,
    scope_flags=_SF_SCOPE,
    env_vars=("SF_TARGET_ORG", "SFDX_DEFAULTUSERNAME"),
)
_APACHE = Known(
    _v("configtest status fullstatus", "start stop restart graceful graceful-stop"),
    flags={**dict.fromkeys(("-t", "-S", "-M", "-V", "-v", "-l", "-L"), _R), "-k": _W},
    default=_W,
    local=True,
    value_flags=words("-f -d -C -c -D -k -e -E"),
)
_NGINX = Known(
    flags={**dict.fromkeys(("-t", "-T", "-V", "-v", "-?"), _R), "-s": _W},
    default=_W,
    local=True,
    value_flags=words("-c -g -p -e -s"),
)

VENDORS: dict[str, Known] = {
    "sentry-cli": Known(
        _v(
            "check print-sources propose-version",
            "upload upload-dif upload-dsym upload-proguard upload-sourcemaps inject "
            "bundle-sources bundle-jvm set-commits finalize archive",
        ),
        scope_flags={"-o": "account", "--org": "account", "-p": "project", "--project": "project"},
    ),
    "okta": Known(_v("config logs")),
    "op": Known(
        _v("read", "inject signin"),
        value_flags=words("--fields --format --category --title --tags --session --out-file"),
        scope_flags={"--vault": "workspace"},
    ),
    "airflow": Known(
        _v(
            "next-execution list-runs list-jobs list-import-errors states-for-dag-run state "
            "details report get-value show-dependencies list-mappings lookup render failed-deps "
            "cheat-sheet export-archived check-migrations",
            "clear backfill reserialize",
            "drop-archived",
        )
        | {"test": Effect.UNKNOWN}  # `dags test` runs every task, for real, unrecorded
    ),
    "temporal": Known(_v("stack result trace")),
    "grafana-cli": Known(_v(write="reset-admin-password encrypt-datasource-passwords"), local=True),
    "amtool": Known(
        _v("query show check-config routes", "add expire import update"),
        value_flags=words("--comment -c --duration -d --author -a --expires --output -o"),
        scope_flags={"--alertmanager.url": "url"},
    ),
    "step": Known(_v("roots root inspect verify fingerprint lint health federation")),
    "ldcli": Known(
        _v(write="toggle-on toggle-off"),
        value_flags=words("--flag --data --member-id --segment-key"),
    ),
    "pscale": Known(_v("list diff show schema lint")),
    "neonctl": Known(_v("connection-string cs me")),
    "neon": Known(_v("connection-string cs me")),
    "doppler": Known(
        _v("me open"),
        scope_flags={"-c": "env", "--config": "env", "-p": "project", "--project": "project"},
        env_vars=("DOPPLER_CONFIG", "DOPPLER_ENVIRONMENT"),
    ),
    "databricks": Known(
        _v("summary validate"),
        scope_flags={"-t": "env", "--target": "env", "-p": "profile", "--profile": "profile"},
        env_vars=("DATABRICKS_CONFIG_PROFILE", "DATABRICKS_BUNDLE_TARGET"),
    ),
    "sf": _SF,
    "sfdx": _SF,
    "nginx": _NGINX,
    "openresty": _NGINX,
    "angie": _NGINX,
    "sshd": Known(
        flags=dict.fromkeys(("-t", "-T", "-V"), _R),
        default=_W,
        local=True,
        value_flags=words("-f -o -C -E -h -p -c -g -k"),
    ),
    "apachectl": _APACHE,
    "apache2ctl": _APACHE,
    "httpd": _APACHE,
    "haproxy": Known(
        flags=dict.fromkeys(("-c", "-v", "-vv"), _R),
        default=_W,
        local=True,
        value_flags=words("-f -p -sf -st -L -C"),
    ),
    "varnishd": Known(
        flags=dict.fromkeys(("-C", "-V"), _R),
        default=_W,
        local=True,
        value_flags=words("-f -a -b -s -T -n -p -P -S"),
    ),
    "php-fpm": Known(
        flags=dict.fromkeys(("-t", "-tt", "-v", "-i", "-m"), _R), default=_W, local=True
    ),
}
for _name in "named-checkconf named-checkzone unbound-checkconf nsd-checkconf".split():
    VENDORS[_name] = Known(default=_R, local=True)
for _name in "kill-port killport fkill fkill-cli".split():
    VENDORS[_name] = Known(default=_W, local=True)  # stops a process of this machine
