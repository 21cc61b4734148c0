"""The JSON of every contract command is the same before and after the storage package (issue 7).

`tests/golden/json/` was written by the build before the refactoring (`tests/golden/parity.py`
on commit 639415e); this runs the same commands on the same demo book with this build. The
intended differences: an organisation's `contact show --json` now lists its `people`, and every
`contact show --json` carries the contact's `health` (score and reasons), both added last (PRODUCT.md).
Contact lists and `search` sort names by pinyin since migration 4 (张芳 before 张伟, 陈华
among the Cs): their four files were written again by this build, after checking that
every record they share with the old files is unchanged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "golden"
ADDED_KEYS = {"people", "health"}


@pytest.fixture(scope="module")
def now_printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("json")
    subprocess.run([sys.executable, str(HERE / "parity.py"), str(out)], check=True, timeout=300)
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in (HERE / "json").glob("*.json")))
def test_the_json_is_what_it_was(now_printed: Path, name: str) -> None:
    before = (HERE / "json" / name).read_text()
    after = (now_printed / name).read_text()
    if before == after:
        return
    status_before, _, body_before = before.partition("\n")
    status_after, _, body_after = after.partition("\n")
    assert status_after == status_before
    old, new = json.loads(body_before), json.loads(body_after)
    assert isinstance(new, dict)
    assert set(new) - set(old) <= ADDED_KEYS
    assert {k: v for k, v in new.items() if k not in ADDED_KEYS} == old
    assert list(new)[: len(old)] == list(old)  # the old keys keep their order
