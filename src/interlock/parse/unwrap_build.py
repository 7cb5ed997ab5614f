"""Peelers for build and environment tools that run a command given on their command line
or their input: `make -f -` (a makefile read from standard input), `npx -c` / `npm exec -c`,
`nix-shell --run`, `nix shell … -c`, launchers (`poetry run cmd`, `uv run cmd`); and the
shell set-up programs print for `eval` (`eval "$(ssh-agent -s)"`). Secret-manager runners
(`doppler run`, `aws-vault exec` …) are in `interlock.parse.unwrap_secrets`.
"""

from __future__ import annotations

import re

from interlock.model import Command
from interlock.parse.unwrap_base import (
    Inner,
    Opaque,
    Peel,
    Script,
    flag_value,
    inner_at,
    skip_options,
    via,
)
from interlock.parse.unwrap_jobs import peel_compose_exec

# `tool run …`-style launchers: (program, subcommand words) → options taking values
LAUNCHERS: dict[tuple[str, str], frozenset[str]] = {
    ("poetry", "run"): frozenset(),
    ("uv", "run"): frozenset(
        {"--with", "--python", "-p", "--env-file", "--package", "--directory"}
    ),
    ("pipenv", "run"): frozenset(),
    ("pdm", "run"): frozenset(),
    ("hatch", "run"): frozenset(),
    ("rye", "run"): frozenset(),
    ("bundle", "exec"): frozenset(),
    ("pipx", "run"): frozenset({"--spec", "--python"}),
    ("pnpm", "dlx"): frozenset(),
    ("pnpm", "exec"): frozenset(),
    ("yarn", "dlx"): frozenset(),
    ("yarn", "exec"): frozenset(),
    ("npm", "exec"): frozenset({"--package", "-p", "-c", "--call"}),
    ("conda", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("mamba", "run"): frozenset({"-n", "--name", "-p", "--prefix"}),
    ("mise", "exec"): frozenset(),
    ("mise", "x"): frozenset(),
    ("asdf", "exec"): frozenset(),
    ("nix", "run"): frozenset(),
    ("direnv", "exec"): frozenset(),
    ("docker", "compose"): frozenset(),
}

_MAKE_REF = re.compile(r"\$[({](\w+)[)}]")  # `$(CC)`, `${HOME}`: a make variable
_STDIN_FILES = ("-", "/dev/stdin")


def peel_make(cmd: Command) -> Peel | None:
    """`make -f - <<EOF`: the recipes of a makefile fed on standard input are shell code."""
    if flag_value(cmd.argv, ("-f", "--file", "--makefile")) not in _STDIN_FILES:
        return None
    if cmd.stdin is None:
        what = "a makefile read from a pipe" if cmd.stdin_piped else "a makefile typed in"
        return [Opaque(f"runs {what}", ("piped-code",)), Inner(cmd, own_op=True)]
    return [Script(recipes(cmd.stdin), via(cmd, "make")), Inner(cmd, own_op=True)]


def recipes(makefile: str) -> str:
    """The shell lines of a makefile's recipes, with make's own syntax taken off: the `@-+`
    prefixes, `$$` for `$`, and `$(VAR)` turned into a shell variable."""
    lines = []
    for line in makefile.splitlines():
        if not line.startswith("\t"):
            continue
        body = line[1:].lstrip("@-+ \t").replace("$$", "\0")
        lines.append(_MAKE_REF.sub(r"${\1}", body).replace("\0", "$"))
    return "\n".join(lines)


def peel_call(cmd: Command) -> Peel | None:
    """`npx -c 'cmd'`, `npm exec -c 'cmd'`: the string is run by a shell."""
    return _command_string(cmd, ("-c", "--call"))


def peel_nix(cmd: Command) -> Peel | None:
    """`nix-shell -p jq --run 'cmd'`, `nix shell nixpkgs#jq -c cmd`, `nix develop -c cmd`."""
    argv = cmd.argv
    if cmd.program == "nix-shell":
        return _command_string(cmd, ("--run", "--command"))
    if argv[1:2] not in (("shell",), ("develop",)):
        return None
    j = next((k for k, a in enumerate(argv) if a in ("-c", "--command")), None)
    return None if j is None else inner_at(cmd, j + 1, f"nix {argv[1]}")


def _command_string(cmd: Command, flags: tuple[str, ...]) -> Script | None:
    text = flag_value(cmd.argv, flags)
    if text is None:
        return None
    dynamic = any(cmd.is_dynamic(k) for k in range(1, len(cmd.argv)))
    return Script(text, via(cmd, cmd.program), dynamic=dynamic)


def peel_launcher(cmd: Command, prog: str) -> Peel:
    takes = LAUNCHERS[(prog, cmd.argv[1])]
    if prog == "docker":
        return peel_compose_exec(cmd)
    call = peel_call(cmd) if prog == "npm" else None
    if call is not None:
        return call  # `npm exec -c 'cmd'`
    i = skip_options(cmd.argv, 2, takes)
    if prog == "direnv" and i < len(cmd.argv):  # `direnv exec DIR cmd`
        i = skip_options(cmd.argv, i + 1, takes)
    return inner_at(cmd, i, f"{prog} {cmd.argv[1]}")


# Programs whose output is shell set-up meant to be `eval`ed or sourced: (program, first
# words that make it print that set-up; empty: any).
_SETUP: dict[str, tuple[str, ...]] = {
    "ssh-agent": (),
    "dircolors": (),
    "direnv": ("hook", "export"),
    "brew": ("shellenv",),
    "keychain": ("--eval",),
    "opam": ("env", "config"),
    "fzf": ("--bash", "--zsh", "--fish"),
    "minikube": ("docker-env", "podman-env"),
    "docker-machine": ("env",),
    "luarocks": ("path",),
    "thefuck": ("--alias",),
    "register-python-argcomplete": (),
    **dict.fromkeys(
        "pyenv rbenv nodenv goenv jenv plenv phpenv starship zoxide atuin mcfly oh-my-posh "
        "navi zellij mise rtx fnm frum".split(),
        ("init", "virtualenv-init", "activate", "env", "--sh", "setup"),
    ),
    **dict.fromkeys("conda mamba micromamba".split(), ("shell.bash", "shell.zsh", "shell")),
}
_SUBSTITUTED = re.compile(r"^(?:\$\(|`)\s*([^$`()<>|;&]+?)\s*(?:\)|`)$")


def prints_shell_setup(word: str) -> bool:
    """`$(ssh-agent -s)`, `$(pyenv init -)`, `$(kubectl completion bash)`: a substitution of
    a program printing its own shell set-up, which `eval` and `source` run as a matter of
    course (the program itself is judged where it runs)."""
    m = _SUBSTITUTED.match(word)
    words = m[1].split() if m else []
    if not words:
        return False
    prog, rest = words[0].rsplit("/", 1)[-1], words[1:]
    if rest[:1] in (["completion"], ["completions"]):
        return True
    subs = _SETUP.get(prog)
    return subs is not None and (not subs or (bool(rest) and rest[0] in subs))
