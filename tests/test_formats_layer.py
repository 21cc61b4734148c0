"""The format layer is pure: no store, no SQL, no UI behind `tinycrm.formats`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANNED = ["sqlite3", "tinycrm.store", "tinycrm.schema", "typer", "click", "rich", "textual"]


def test_formats_import_no_store_sql_or_ui() -> None:
    code = (
        "import json, sys\n"
        "import tinycrm.formats, tinycrm.formats.csv, tinycrm.formats.vcard, tinycrm.formats.jsonbook\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stdout)
    assert [b for b in BANNED if any(m == b or m.startswith(b + ".") for m in loaded)] == []
