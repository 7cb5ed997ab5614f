"""Tables for `generic_build`: each build tool's subcommands by what they do, the flat test
runners, linters and formatters, and the words task names are made of."""

from __future__ import annotations

from interlock.parse.lexicon import words

_R, _W, _D, _U, _X = "read", "write", "clean", "unknown", "remote"
_Y = "destroy"  # takes something published away from a registry: `cargo yank`, `nuget delete`
_P = "publish"  # publishes to a package or image registry: `cargo publish`, `mvn deploy`
_SUBCOMMANDS: dict[str, dict[str, str]] = {}


def _table(
    prog: str,
    read: str = "",
    write: str = "",
    clean: str = "",
    unknown: str = "",
    remote: str = "",
    unpublish: str = "",
    publish: str = "",
) -> None:
    t = _SUBCOMMANDS.setdefault(prog, {})
    pairs = (
        (_R, read), (_W, write), (_D, clean), (_U, unknown), (_X, remote), (_Y, unpublish),
        (_P, publish),
    )  # fmt: skip
    for cat, names in pairs:
        t.update(dict.fromkeys(names.split(), cat))


_table(
    "cargo",
    read="check c clippy test t bench tree metadata search verify-project version "
    "locate-project pkgid read-manifest audit outdated deny nextest expand doc help",
    write="build b fetch generate-lockfile package vendor fix fmt add remove rm new init "
    "update tarpaulin",
    clean="clean",
    unknown="run r script",
    remote="install uninstall login logout",
    unpublish="yank",
    publish="publish owner",  # `cargo owner --add` changes who may publish
)
_table(
    "go",
    read="vet test list doc version help bug env mod-graph mod-why mod-verify",
    write="build fmt generate get mod work fix tool",
    clean="clean",
    unknown="run",
    remote="install",
)
_table(
    "dotnet",
    read="test list --info --list-sdks --list-runtimes sln-list nuget-list",
    write="build restore publish pack format new add remove sln tool msbuild watch workload",
    clean="clean",
    unknown="run exec",
    remote="ef",
    unpublish="nuget-delete",
    publish="nuget-push",
)
_table(
    "bazel",
    read="test query cquery aquery info version help coverage mod",
    write="build fetch sync",
    clean="clean expunge shutdown",
    unknown="run",
)
_table(
    "bazelisk",
    read="test query cquery aquery info version help coverage",
    write="build fetch sync",
    clean="clean expunge shutdown",
    unknown="run",
)
_table(
    "uv",
    read="tree version help pip-list pip-show pip-freeze pip-check python-list tool-list cache-dir",
    write="sync add remove lock venv init pip-install pip-sync "
    "pip-uninstall pip-compile python-install export build",
    clean="cache-clean cache-prune python-uninstall",
    unknown="run",
    remote="tool-install self-update",
    publish="publish",
)
_table(
    "poetry",
    read="show check env-info env-list version search about help config-list",
    write="install add remove update lock build init new env-use config",
    clean="cache-clear env-remove",
    unknown="run shell",
    remote="self-update",
    publish="publish",
)
_table(
    "pipenv",
    read="graph check requirements --venv --where --py scripts",
    write="install uninstall lock sync update upgrade",
    clean="clean --rm",
    unknown="run shell",
)
_table(
    "pdm",
    read="list show info search config",
    write="install add remove update lock sync init build export",
    clean="cache-clear",
    unknown="run",
    publish="publish",
)
_table(
    "hatch",
    read="version status env-show dep-show",
    write="build new env-create",
    clean="clean env-prune env-remove",
    unknown="run shell test fmt",
    publish="publish",
)
_table(
    "rustup",
    read="show check which doc help --version toolchain-list target-list component-list",
    write="update install default toolchain-install target-add component-add override-set",
    clean="toolchain-uninstall toolchain-remove target-remove "
    "component-remove self-uninstall uninstall",
)
_table(
    "pre-commit",
    read="validate-config validate-manifest help",
    write="run install install-hooks autoupdate migrate-config try-repo init-templatedir",
    clean="clean gc uninstall",
)
_table("ruff", read="check help version rule config linter analyze", write="format", clean="clean")
_table(
    "mix",
    read="test format-check deps.tree help compile-check hex.info hex.search hex.outdated "
    "hex.audit ecto.migrations",
    write="compile deps.get "
    "deps.update format deps.compile ecto.migrate ecto.create ecto.gen.migration phx.gen",
    clean="clean deps.clean",
    unknown="run phx.server",
    remote="hex.owner hex.user",
    publish="hex.publish",
    unpublish="hex.retire",
)
_table(
    "composer",
    read="show outdated validate check-platform-reqs audit licenses depends why search info",
    write="install update require remove dump-autoload create-project init",
    clean="clear-cache clearcache",
    unknown="run-script run exec",
)
_table(
    "gem",
    read="list search info query contents which specification environment outdated help",
    write="install update build",
    remote="push yank owner signin",
    clean="cleanup uninstall",
)
_table(
    "bundle",
    read="list show outdated check info doctor platform help",
    write="install update add remove lock package config binstubs cache",
    clean="clean",
    unknown="exec console open",
)
_table(
    "flutter",
    read="test analyze doctor devices --version emulators",
    write="build pub create upgrade format gen-l10n",
    clean="clean",
    unknown="run drive attach",
    publish="pub-publish",
)
_table(
    "dart",
    read="analyze test info doctor --version pub-outdated pub-deps",
    write="format fix create pub compile doc",
    unknown="run",
    publish="pub-publish",
)
_table("swift", read="test --version", write="build package", unknown="run")
_table("cmake", read="--version --help --system-information", write="-S -B --build --install")
_table(
    "conda",
    read="list info search env-list config-show",
    write="install create update upgrade env-create activate deactivate",
    clean="remove uninstall env-remove clean",
    unknown="run",
)
_table(
    "pipx",
    read="list environment",
    write="install upgrade upgrade-all inject reinstall ensurepath",
    clean="uninstall uninstall-all",
    unknown="run",
)
_table(
    "pyenv",
    read="versions version which whence root help",
    write="install global local shell rehash",
    clean="uninstall",
)
_table(
    "nvm",
    read="ls list ls-remote list-remote current version which help version-remote",
    write="install use alias unalias reinstall-packages install-latest-npm deactivate",
    clean="uninstall cache-clear unload",
)
_table(
    "fnm",
    read="list ls list-remote ls-remote current default-list env completions",
    write="install use default alias unalias",
    clean="uninstall",
)
_table(
    "asdf",
    read="list current where which help info plugin-list version latest",
    write="install global local set shell plugin-add plugin-update reshim",
    clean="uninstall plugin-remove",
)
_table(
    "ollama",
    read="list ls ps show help run",
    write="pull create cp serve stop",
    clean="rm",
    publish="push",
)
_table(
    "nx",
    read="show graph affected:graph print-affected list report format:check",
    write="build generate g format format:write migrate add",
    clean="reset",
    unknown="run run-many serve affected exec",
)
_table("turbo", read="ls query", write="build prune gen", clean="daemon-clean", unknown="run watch")

# Programs with no subcommands: (default, flags that make it write local files).
_FLAT: dict[str, tuple[str, frozenset[str]]] = {}
for _p in words(
    "pytest py.test jest vitest mocha ava tap karma phpunit rspec tox nox behave cucumber mypy "
    "pyright pylint flake8 pyflakes pycodestyle pydocstyle bandit shellcheck hadolint yamllint "
    "markdownlint stylelint staticcheck golangci-lint revive eslint rubocop tsc ktlint swiftlint "
    "actionlint checkov tfsec trivy semgrep codespell vulture radon xenon coverage detekt "
    "cppcheck clang-tidy biome oxlint standard golint errcheck gosec safety pip-audit "
    "npm-audit editorconfig-checker commitlint cspell ctest"
):
    _FLAT[_p] = (
        _R,
        words("--fix -a -A --autocorrect --autocorrect-all --write -F --fix-only --apply"),
    )
for _p in words(
    "black isort autopep8 autoflake yapf gofmt goimports rustfmt clang-format prettier shfmt "
    "swiftformat stylua djlint docformatter pyupgrade"
):
    _FLAT[_p] = (_W, frozenset())
_FMT_READ_FLAGS = words("--check -c --diff -d -l --list-different --dry-run --check-only -n")
_FMT_PRINTS = words(
    "gofmt goimports clang-format yapf autopep8 shfmt prettier autoflake docformatter"
)
_FMT_INPLACE = words("-w -i --write --in-place --inplace")

# Task runners: every positional (or the first, for `just`/`task`) is a task name.
_TASKS = words(
    "make gmake bmake ninja mvn mvnw gradle gradlew ant rake just task mage invoke sbt "
    "lein xcodebuild meson"
)
_FIRST_ONLY = frozenset({"just", "task", "mage", "invoke"})
_TASK_VALUE_FLAGS = words(
    "-C -f -j -l -o -W -I -D -P -pl -s -t -x --directory --file --makefile --jobs "
    "--project-dir -p --settings -T --threads --exclude-task -b --build-file -c "
    "--justfile -d --pl --projects"
)
_CLEAN_WORDS = words(
    "clean distclean clobber mrproper realclean cleanall veryclean maintainer-clean clean-all"
)
_REMOTE_WORDS = words("deploy release publish push upload apply rollout promote ship provision")
# Task words that publish to a registry (`gradle publish`, `make docker-push`, `sbt publishSigned`)
_PUBLISH_WORDS = words("publish upload push")
# Task-runner tasks that upload the project's artifacts to a remote repository (Bundler's
# `rake release` pushes the gem to rubygems.org).
_PUBLISH_TASKS = {
    "mvn": ("deploy", "deploy:", "release:perform", "nexus-staging:", "central-publishing:"),
    "lein": ("deploy",),
    "rake": ("release", "release:rubygem_push"),
}
_PUBLISH_TASKS["mvnw"] = _PUBLISH_TASKS["mvn"]
_LOCAL_WORDS = words(
    "build all compile install dist assemble package jar war bundle gen generate proto "
    "protos fmt format deps dep setup bootstrap init dev run serve start up watch docs "
    "doc site image images docker default local vendor tidy"
)
_READ_WORDS = words(
    "test tests check lint vet verify validate help list typecheck audit coverage cov "
    "bench benchmark ci tasks dependencies projects properties spotless-check print show tree "
    "version outdated"
)

# Plain utilities with no state of their own to change.
READ_ONLY = words(
    "nproc lscpu lspci lsusb lsmod lshw arch whereis cal ncal bc dc expr tac rev shuf cmp "
    "sdiff diff3 colordiff delta bat batcat fd fdfind ag ack exa eza lsd dust duf ncdu "
    "btop glances iostat vmstat mpstat pidstat sar last lastlog w who users groups getent "
    "locale tput tty logname lsb_release sw_vers system_profiler ioreg nvidia-smi sensors "
    "pstree pgrep pidof pmap iotop iftop nethogs base32 shasum sha1sum sha512sum "
    "sha224sum sha384sum md5 cksum b2sum iconv expand unexpand fmt pr look factor numfmt "
    "units tsort getopts umask pushd popd dirs caller compgen complete shopt ulimit "
    "declare typeset local let shift mktemp tempfile pbpaste xclip xsel wl-paste pbcopy "
    "wl-copy lsattr namei getfacl getcap mdfind mdls locate plocate whatis apropos info "
    "cowsay figlet lolcat toilet fortune neofetch fastfetch screenfetch tokei cloc scc "
    "sloccount hyperfine-help jless fx gron jo mlr csvlook xsv qsv htmlq pup xmllint "
    "xmlstarlet tldr-lint glow mdcat pandoc-version http-prompt nslookup host drill whois "
    "mtr tracepath arping ipcalc sipcalc openssl-version tcpdump-help ss netstat lsof "
    "fuser-list uptime free vm_stat sysctl-a hostnamectl-status dmidecode lsblk blkid "
    "findmnt df du stat file tree realpath readlink dirname basename sleep true false "
    "printf echo yes seq wc sort uniq cut tr head tail less more most zless zmore zgrep "
    "zdiff bzcat xzcat lz4cat zstdcat unzstd-t jq yq gojq jaq dasel hexyl xxd od strings "
    "tac nl column paste comm join fold getprop dumpsys"
)
