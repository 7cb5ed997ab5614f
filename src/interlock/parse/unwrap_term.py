"""Peelers for terminals that run a command for you: multiplexers (`tmux new -d 'cmd'`,
`tmux send-keys 'cmd' Enter`, `screen -dm cmd`), `expect -c 'spawn cmd'`, and terminal
emulators (`xterm -e cmd`, `gnome-terminal -- cmd`).

Each answers the command it would run, or None when it runs nothing we can name (attaching,
listing, an interactive shell), leaving the decision to the program's analyzer.
"""

from __future__ import annotations

import re
import shlex

from interlock.model import Command
from interlock.parse.unwrap_base import Peel, Script, skip_options, via

_TMUX_GLOBAL = frozenset({"-L", "-S", "-f", "-T"})
_TMUX_OPTS = frozenset("-c -e -F -n -s -t -x -y -l -p -T".split())
_TMUX_RUNS = frozenset(
    "new-session new new-window neww split-window splitw respawn-pane respawnp respawn-window "
    "respawnw run-shell run display-popup popup pipe-pane pipep".split()
)
_TMUX_KEYS = re.compile(r"^(?:[CMS]-.|Enter|KPEnter|Escape|Tab|BSpace|Space|Up|Down|Left|Right)$")
_SCREEN_VALUE_LETTERS = "Scehpst"  # `-S name`, and bundled `-dmS name`
_SCREEN_SESSIONS = frozenset("-r -R -x -ls -list -wipe -v -D".split())
MAX_TCL = 64  # commands of an expect script looked at
_TERM_RUN_FLAGS = frozenset({"-e", "-x", "--execute", "--command", "--"})
TERMINALS = frozenset(
    "xterm uxterm urxvt rxvt st alacritty kitty konsole gnome-terminal mate-terminal tilix "
    "xfce4-terminal terminator lxterminal foot ptyxis wezterm".split()
)


def _script(cmd: Command, words: list[str] | tuple[str, ...], name: str) -> Script | None:
    """One word is shell code (`tmux new 'a; b'`); several are a command's words."""
    if not words:
        return None
    text = words[0] if len(words) == 1 else shlex.join(words)
    dynamic = any(cmd.is_dynamic(j) for j in range(1, len(cmd.argv)))
    # INVARIANT: the terminal program is judged too, as it was before it was seen through
    return Script(text, via(cmd, name), dynamic=dynamic, own_op=True)


def peel_tmux(cmd: Command) -> Peel | None:
    argv = cmd.argv
    i = 1
    while i < len(argv) and argv[i].startswith("-"):
        if argv[i] == "-c" and i + 1 < len(argv):
            return _script(cmd, [argv[i + 1]], "tmux")  # `tmux -c 'cmd'`: like `sh -c`
        i += 2 if argv[i] in _TMUX_GLOBAL else 1
    if i >= len(argv):
        return None
    sub = argv[i]
    if sub in ("send-keys", "send"):
        rest = argv[skip_options(argv, i + 1, frozenset({"-t", "-N"})) :]
        typed = [
            " " if w == "Space" else w for w in rest if not _TMUX_KEYS.match(w) or w == "Space"
        ]
        return _script(cmd, [" ".join(typed)], "tmux") if typed else None
    if sub not in _TMUX_RUNS:
        return None
    return _script(cmd, argv[skip_options(argv, i + 1, _TMUX_OPTS) :], "tmux")


def peel_screen(cmd: Command) -> Peel | None:
    argv = cmd.argv
    for j, a in enumerate(argv[1:], start=1):
        if a == "-X" and argv[j + 1 : j + 2] == ("stuff",) and j + 2 < len(argv):
            typed = argv[j + 2].replace("\\n", "\n").replace("\\r", "\n").replace("^M", "\n")
            return _script(cmd, [typed], "screen")  # `screen -X stuff 'cmd\n'` types it
        if a in ("-X", "-Q") or a in _SCREEN_SESSIONS:
            return None
    i = 1
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "--":
        a = argv[i]
        takes = a == "-Logfile" or (a[1:2] != "-" and a[-1] in _SCREEN_VALUE_LETTERS)
        i += 2 if takes else 1
    i += i < len(argv) and argv[i] == "--"
    return _script(cmd, argv[i:], "screen")


def peel_expect(cmd: Command) -> Peel | None:
    """`expect -c 'spawn rm -rf /x; expect eof'`: what `spawn`/`exec` run, and the lines
    `send` types (into the spawned shell)."""
    argv = cmd.argv
    code = next((argv[j + 1] for j, a in enumerate(argv[:-1]) if a == "-c"), None)
    if code is None:
        return None
    lines = []
    for words in tcl_commands(code)[:MAX_TCL]:
        head, rest = (words[0], words[1:]) if words else ("", [])
        while rest and rest[0].startswith("-") and head != "send":
            rest = rest[1:]  # `spawn -noecho …`
        if head in ("spawn", "exec") and rest:
            lines.append(shlex.join(rest))
        elif head == "send" and rest:
            lines.append(rest[-1].replace("\r", "\n").strip())
    return _script(cmd, ["\n".join(line for line in lines if line)], "expect") if lines else None


def tcl_commands(code: str) -> list[list[str]]:
    """Tcl commands (split on `;` and newlines) as words: `{…}` literal, `"…"` with escapes."""
    commands: list[list[str]] = [[]]
    i, n = 0, len(code)
    while i < n:
        ch = code[i]
        if ch in ";\n":
            commands.append([])
            i += 1
        elif ch.isspace():
            i += 1
        elif ch == "{":
            end, depth = i, 0
            while end < n:
                depth += {"{": 1, "}": -1}.get(code[end], 0)
                if depth == 0:
                    break
                end += 1
            commands[-1].append(code[i + 1 : end])
            i = end + 1
        elif ch == '"':
            end = i + 1
            while end < n and code[end] != '"':
                end += 2 if code[end] == "\\" else 1
            commands[-1].append(
                code[i + 1 : end].replace('\\"', '"').replace("\\r", "\r").replace("\\n", "\n")
            )
            i = end + 1
        else:
            end = i
            while end < n and not code[end].isspace() and code[end] != ";":
                end += 1
            commands[-1].append(code[i:end])
            i = end
    return [c for c in commands if c]


def peel_terminal(cmd: Command) -> Peel | None:
    argv = cmd.argv
    start = 1
    if cmd.program == "wezterm":
        if argv[1:2] != ("start",):
            return None
        start = 2
    for j in range(start, len(argv)):
        if argv[j] in _TERM_RUN_FLAGS:
            return _script(cmd, argv[j + 1 :], cmd.program)
    if cmd.program in ("kitty", "foot", "wezterm"):  # `kitty cmd args`
        return _script(cmd, argv[skip_options(argv, start, frozenset({"-o", "-c"})) :], "kitty")
    return None


HANDLERS = {
    "tmux": peel_tmux,
    "screen": peel_screen,
    "expect": peel_expect,
    **dict.fromkeys(TERMINALS, peel_terminal),
}
