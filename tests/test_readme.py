"""The README runs as printed: the tour's commands give the output shown, and every other
`tinycrm …` line pasted into bash parses (no usage error, no shell error) in a scratch home."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(console|sh)\n(.*?)```", README, flags=re.S)


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TINYCRM_")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), TZ="Europe/Berlin", TINYCRM_USER="alice",
               TINYCRM_NOW="2026-11-30T09:00:00Z", NO_COLOR="1", TINYCRM_DB=str(home / "crm.db"),
               PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}")
    return env


def _tour() -> list[tuple[str, str]]:
    body = next(text for kind, text in BLOCKS if kind == "console")
    steps, command, output = [], None, []
    for line in body.splitlines():
        if line.startswith("$ "):
            if command is not None:
                steps.append((command, "\n".join(output).strip("\n")))
            command, output = line[2:], []
        else:
            output.append(line)
    steps.append((command, "\n".join(output).strip("\n")))
    return steps


def test_the_tour_prints_what_the_readme_shows(tmp_path: Path) -> None:
    steps = _tour()
    assert len(steps) > 10
    env = _env(tmp_path)
    for command, expected in steps:
        done = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert done.returncode in (0, 1), f"{command}: {done.stderr}"
        assert (done.stdout + done.stderr).strip("\n") == expected, command
    made = {p.name for p in tmp_path.iterdir()} - {"crm.db-wal", "crm.db-shm"}
    assert made == {"contacts.vcf", "crm.db"}  # no stray files


SHELL_LINES = [
    line.split("  #")[0].strip()
    for kind, text in BLOCKS
    if kind == "sh"
    for line in text.splitlines()
    if line.startswith("tinycrm ")
]


@pytest.mark.parametrize("line", SHELL_LINES)
def test_every_other_example_parses_in_bash(tmp_path: Path, line: str) -> None:
    env = _env(tmp_path)
    subprocess.run(["bash", "-c", 'tinycrm contact add "Acme Corp" --owner ""'], env=env, cwd=tmp_path,
                   capture_output=True, check=True)
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env, cwd=tmp_path,
                          timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode in (0, 1), f"{line}: {done.stderr}"
    if done.returncode:
        assert done.stderr.startswith("error: "), f"{line}: {done.stderr}"
    assert "Traceback" not in done.stderr
