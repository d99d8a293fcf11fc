"""``counting-rules ... | head``: a reader that stops early gets no traceback on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SCRIPT = Path(sys.executable).with_name("counting-rules")
# The rule reference is about 85 kB, more than a pipe holds (64 KiB on Linux), so the
# writer is still writing when the reader closes.
LONG = ("rulebooks", "--format", "markdown")
# Buffered, as a user's shell runs it: under PYTHONUNBUFFERED one large write to a pipe that
# closes part-way is cut short without an error, so the closed pipe would never be seen.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([str(SCRIPT)], id="console-script"),
        pytest.param([sys.executable, "-m", "counting_rules"], id="python-m"),
    ],
)
def test_a_reader_that_closes_early_gets_no_traceback(command: list[str]) -> None:
    if not Path(command[0]).exists():
        pytest.skip("the counting-rules script is not installed beside this Python")
    with subprocess.Popen(
        [*command, *LONG], cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as proc:
        assert proc.stdout is not None
        assert proc.stderr is not None
        head = os.read(proc.stdout.fileno(), 100)  # what `head -c 100` takes, then it goes
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        code = proc.wait(timeout=300)
    assert head.startswith(b"#")  # the reference had begun
    assert "Traceback" not in err
    assert "BrokenPipeError" not in err
    assert err == ""
    assert code == 141  # 128 + SIGPIPE, as a shell reports a writer whose reader went away


def test_a_reader_that_reads_everything_gets_all_of_it_and_exit_0() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "counting_rules", "schema"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout)["case"]["title"]
