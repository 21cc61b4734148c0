"""Run the JSON commands of the scripting contract on a demo book and write what each printed.

`python tests/golden/parity.py OUT_DIR` (with the tinycrm to check importable) makes a demo
book at a fixed moment and writes one file per command into OUT_DIR. The files in
`tests/golden/json/` were written by the build before the storage package (issue 7);
`tests/test_json_parity.py` runs this again and compares byte for byte, so a refactoring
that changes what scripts read is caught.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NOW = "2026-11-30T10:00:00Z"
READS = {
    "contact-list": ["contact", "list", "--json", "--limit", "40"],
    "contact-list-filter": ["contact", "list", "tag:vip", "--json"],
    "contact-list-cjk": ["contact", "list", "张", "--json", "--limit", "10"],
    "contact-show-person": ["contact", "show", "5", "--json"],
    "contact-show-12": ["contact", "show", "12", "--json"],
    "deal-list": ["deal", "list", "--json"],
    "deal-list-filter": ["deal", "list", "stage:proposal", "--json"],
    "deal-show": ["deal", "show", "3", "--json"],
    "timeline": ["timeline", "--json", "--since", "2026-11-01"],
    "timeline-one": ["timeline", "7", "--json"],
    "remind-list": ["remind", "list", "--all", "--json"],
    "due": ["due", "--json", "--within", "7d"],
    "search": ["search", "li", "--json"],
}
WRITES = {
    "contact-add": ["contact", "add", "Parity Person", "--email", "parity@example.com", "--tag", "p",
                    "--json"],
    "log": ["log", "parity@example.com", "called about parity", "--kind", "call", "--next", "2026-12-04",
            "--json"],
    "deal-add": ["deal", "add", "parity@example.com", "Parity deal", "--value", "1234.50", "--currency",
                 "EUR", "--close", "2026-12-31", "--json"],
    "deal-move": ["deal", "move", "1", "negotiation", "--json"],
}


def main(out: Path) -> None:
    """Write each command's stdout (and exit code) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    env = {**os.environ, "TINYCRM_NOW": NOW, "TZ": "UTC", "TINYCRM_USER": "demo", "NO_COLOR": "1",
           "TINYCRM_DB": str(tmp / "demo.db"), "HOME": str(tmp)}
    run = [sys.executable, "-m", "tinycrm"]
    subprocess.run([*run, "demo", "--no-tui", "--db", str(tmp / "demo.db")], env=env, check=True,
                   capture_output=True)
    for name, argv in {**READS, **WRITES}.items():
        done = subprocess.run([*run, *argv], env=env, capture_output=True, text=True)
        (out / f"{name}.json").write_text(f"exit {done.returncode}\n{done.stdout}{done.stderr}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
