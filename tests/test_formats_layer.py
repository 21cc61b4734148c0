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


def test_every_fixture_draft_is_accepted_by_the_store(tmp_path: Path) -> None:
    """A draft never carries a value `Store.add_contact` refuses (the reader keeps those aside)."""
    from datetime import datetime, timezone

    from tinycrm.errors import BadRow
    from tinycrm.formats import read_path
    from tinycrm.store import Store

    store = Store.open(tmp_path / "t.db", "tester", clock=lambda: datetime(2026, 11, 30, tzinfo=timezone.utc))
    try:
        fixtures = Path(__file__).parent / "fixtures" / "formats"
        added = 0
        for path in sorted(fixtures.iterdir()):
            if path.suffix not in (".csv", ".vcf") and not path.is_dir():
                continue
            for item in read_path(path):
                if isinstance(item, BadRow):
                    continue
                fields = item.contact_fields()
                record = store.add_contact(fields.pop("name"), **fields)
                assert record["emails"] == list(item.emails)
                added += 1
        assert added >= 20
    finally:
        store.close()
