"""`printf` as the walker reads it (`printf_text`) matches bash's own `printf`."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from interlock.parse.words import printf_text

CASES = [
    ("%s", ["rm", "-rf", "/"]),
    ("%s\\n", ["a", "b"]),
    ("%s %s %s\\n", ["rm", "-rf", "/srv"]),
    ("%s\\0", ["/srv/a", "/srv/b"]),
    ("rm -rf %s\\n", ["/srv"]),
    ("\\x72\\x6d -rf /", []),
    ("\\162\\155 -rf /", []),
    ("%b", ["rm\\t-rf /"]),
    ("%-6s|%4s|\\n", ["ab", "c"]),
    ("%.3s", ["kubectl"]),
    ("%d-%05d-%x-%o\\n", ["42", "7", "255", "8"]),
    ("%c%c", ["rm", "mv"]),
    ("100%% %s\\n", ["done"]),
    ("%s=%s;", ["a", "1", "b"]),
    ("go:\\n\\t%s\\n", ["kubectl delete ns payments"]),
]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(("fmt", "args"), CASES, ids=[c[0] for c in CASES])
def test_printf_prints_what_bash_prints(fmt, args):
    real = subprocess.run(
        ["bash", "-c", 'printf "$@"', "printf", fmt, *args], capture_output=True, check=True
    ).stdout.decode()
    assert printf_text(fmt, args) == real


@pytest.mark.parametrize("fmt", ["%q", "%*d", "50%", "%d"])
def test_printf_it_cannot_model_is_unknown(fmt):
    assert printf_text(fmt, ["x"]) is None
