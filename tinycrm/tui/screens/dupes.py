"""The Duplicates screen (5): the groups `tinycrm dupes` finds, two records side by side, merge.

The groups come from `services.dedupe.find_duplicates`, the function behind `tinycrm dupes`,
run in a child process that a thread worker waits for: on 100,000 contacts it takes seconds
of pure Python, which in the TUI's own process would starve the event loop of the GIL. The
screen says it is looking meanwhile, and every key still works. A merge goes through
`services.dedupe.merge`, as `tinycrm merge` does, so it is one change in history and `u`
takes it back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from rich import box
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import Footer, Static

from ...cells import safe
from ...errors import CrmError, NotFound
from ..base import CrmScreen
from ..widgets.dupe_list import DupeList, GroupRow

if TYPE_CHECKING:
    from ...dedupe import Plan
    from ...models import Contact
    from ...services.dedupe import Linked

T = TypeVar("T")

STEPS_SHOWN = 8
"""Merge steps listed in the question; more are counted."""


CHILD = """
import pickle, sys
fn, args = pickle.load(sys.stdin.buffer)
try:
    answer = ("ok", fn(*args))
except Exception as exc:
    from tinycrm.errors import CrmError
    answer = ("error", exc if isinstance(exc, CrmError) else CrmError(f"{type(exc).__name__}: {exc}"))
sys.stdout.buffer.write(pickle.dumps(answer))
"""


def run_apart(fn: Callable[..., T], *args: Any) -> T:
    """`fn(*args)` in a child Python process, waited for; its CrmError comes back raised here.

    The look-up for duplicates is seconds of pure Python: in a thread of the TUI's own
    process it would take the GIL from the event loop for up to seconds at a time. A plain
    subprocess with pipes (not multiprocessing, which wants a real stderr to hand on).
    """
    import pickle
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", CHILD], input=pickle.dumps((fn, args)),
                          capture_output=True, check=False)
    if done.returncode != 0 or not done.stdout:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise CrmError(f"the look-up stopped: {last}")
    status, value = pickle.loads(done.stdout)
    if status == "error":
        raise value
    return value


def group_row(
    group: tuple[tuple[int, ...], int, tuple[str, ...]], people: dict[int, tuple[str, str | None]]
) -> GroupRow:
    """A group as the list shows it: `#12 Grace Hopper · #13 Grace M. Hopper`, then its reasons."""
    ids, score, reasons = group
    who = " · ".join(f"#{i} {people[i][0]}" for i in ids)
    orgs = list(dict.fromkeys(org for i in ids if (org := people[i][1])))
    if orgs:
        who += f"  ({' / '.join(orgs[:2])}{' …' if len(orgs) > 2 else ''})"
    return GroupRow(ids, score, safe(who), safe("; ".join(reasons)))


class DupesScreen(CrmScreen):
    """Likely duplicates, strongest first, each with its score and why; Enter compares two."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "look_again", "Look again", tooltip="Look for duplicates again (seconds on a big book)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scanning = False
        self._again = False
        self.version: int | None = None
        """The file's change counter when the shown groups were read (None: not read yet)."""
        self.seconds: float | None = None
        """How long the last look took, from asking to the groups on screen."""
        self.min_score = 0
        self.contacts = 0

    def compose(self) -> ComposeResult:
        """A status line, the groups, the footer."""
        yield Static("Looking for duplicates…", id="dupes-status")
        yield DupeList(id="dupes")
        yield Static("", id="dupes-why")
        yield Footer(compact=True)

    @property
    def groups(self) -> DupeList:
        """The list of groups."""
        return self.query_one(DupeList)

    def on_mount(self) -> None:
        """Keys go to the list at once, even while it is still being filled."""
        self.groups.focus()

    def refresh_data(self) -> None:
        """On showing the screen and on every change: look again if the book changed since the last look.

        A look can take a minute on a big book, so coming back from a dialog or another
        screen does not start one unless some connection committed meanwhile.
        """
        if self.scanning:
            self._again = True  # checked once the running look ends
            return
        self._check_version()

    @work(thread=True, exclusive=True, group="dupes-version")
    def _check_version(self) -> None:
        """Has any connection committed since the groups were read? (worker thread)"""
        if self.version is None or self.crm.file_version() != self.version:
            self.app.call_from_thread(self.look)

    def look(self) -> None:
        """Look for duplicates now (a worker waiting for a child process)."""
        if self.scanning:
            return
        self.scanning = True
        self._again = False
        if self.version is not None:
            self._status(f"Looking again…  (below: the last look, {self._summary()})")
        started = time.perf_counter()
        self.run_worker(lambda: self._scan(started), thread=True, group="dupes-scan",
                        description="looking for duplicates")

    def action_look_again(self) -> None:
        """Look again now, changed or not."""
        self.look()

    def _scan(self, started: float) -> None:
        """The groups of `tinycrm dupes`, formatted for the list (worker thread)."""
        from ...services.dedupe import list_duplicates

        try:
            version = self.crm.file_version()
            listed = run_apart(list_duplicates, str(self.crm.db_path), self.crm.user)
        except CrmError as exc:
            self.app.call_from_thread(self._failed, str(exc).splitlines()[0])
            return
        rows = [group_row(g, listed.people) for g in listed.groups]
        self.app.call_from_thread(self._found, rows, listed.contacts, listed.min_score, version, started)

    def _found(
        self, rows: list[GroupRow], contacts: int, min_score: int, version: int, started: float
    ) -> None:
        self.scanning = False
        self.version = version
        self.min_score = min_score
        self.contacts = contacts
        self.groups.show(rows)
        self.seconds = time.perf_counter() - started
        self._status(self._summary())
        if self._again:
            self._again = False
            self._check_version()

    def _failed(self, message: str) -> None:
        self.scanning = False
        self._status(f"Could not look for duplicates: {message}")

    def _summary(self) -> str:
        count = len(self.groups.rows)
        if not count:
            return f"No likely duplicates among {self.contacts:,} contacts (score {self.min_score} or more)"
        noun = "group" if count == 1 else "groups"
        return (f"{count:,} {noun} of likely duplicates (score {self.min_score} or more)"
                "  ·  Enter: two side by side")

    def _status(self, text: str) -> None:
        self.query_one("#dupes-status", Static).update(Text(text))

    def on_dupe_list_highlighted(self, event: DupeList.Highlighted) -> None:
        """The highlighted group's reasons in full: the list cuts them at the screen's edge."""
        self.query_one("#dupes-why", Static).update(Text(f"Why: {event.row.why}" if event.row else ""))

    def on_dupe_list_selected(self, event: DupeList.Selected) -> None:
        """Compare the chosen group's records."""
        self.app.push_screen(CompareScreen(event.row))


# --------------------------------------------------------------------------- side by side


def _comparable(field: str, value: Any, region: str | None) -> Any:
    """What two values are compared by: e-mails and phones by their keys, text folded."""
    from ...normalize import email_key, fold, phone_key

    if field in ("emails", "phones", "tags", "aliases"):
        value = value or []
    if field == "emails":
        return sorted({email_key(v) for v in value})
    if field == "phones":
        keys = set()
        for phone in value:
            try:
                keys.add(phone_key(phone, region))
            except CrmError:
                keys.add(fold(phone))
        return sorted(keys)
    if field in ("tags", "aliases"):
        return sorted({fold(v) for v in value})
    return fold(str(value)) if value not in (None, "") else ""


def _shown(field: str, value: Any) -> str:
    """A field's value as one cell of text."""
    if value in (None, "", [], {}):
        return ""
    if field == "tags":
        return " ".join(f"#{t}" for t in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if field == "notes":
        first = str(value).strip().splitlines()[0] if str(value).strip() else ""
        return first if len(first) <= 60 else first[:59] + "…"
    return str(value)


ROWS = (
    # field, label, shown even when both are empty
    ("name", "Name", True), ("aliases", "Aliases", False), ("org", "Org", True), ("title", "Title", False),
    ("emails", "E-mails", True), ("phones", "Phones", True), ("tags", "Tags", True), ("tier", "Tier", False),
    ("owner", "Owner", False), ("birthday", "Birthday", False), ("every", "Every", False),
    ("notes", "Notes", False),
)  # fmt: skip


def comparison(a: Contact, b: Contact, counts: dict[int, Linked], keep: int, region: str | None,
               created: dict[int, str]) -> Table:
    """The two records in two columns, a ≠ before each field that differs."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, show_edge=False, pad_edge=False, collapse_padding=True)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("Field", no_wrap=True, style="bold")
    for record in (a, b):
        role = "KEEP" if record["id"] == keep else f"merge into #{keep}"
        table.add_column(Text(f"#{record['id']} · {role}", style="bold" if record["id"] == keep else ""),
                         ratio=1, overflow="fold")

    def row(label: str, left: str, right: str, differ: bool) -> None:
        style = "bold" if differ else ""
        table.add_row("≠" if differ else "", label, Text(safe(left), style=style),
                      Text(safe(right), style=style))

    for field, label, always in ROWS:
        left, right = a.get(field), b.get(field)
        if not always and left in (None, "", []) and right in (None, "", []):
            continue
        differ = _comparable(field, left, region) != _comparable(field, right, region)
        row(label, _shown(field, left), _shown(field, right), differ)
    keys = list(dict.fromkeys([*(a.get("fields") or {}), *(b.get("fields") or {})]))
    for key in keys:
        left, right = (a.get("fields") or {}).get(key), (b.get("fields") or {}).get(key)
        row(f"· {key}", _shown("", left), _shown("", right),
            _comparable("", left, region) != _comparable("", right, region))
    for noun in ("interactions", "deals", "reminders"):
        left_n, right_n = getattr(counts[a["id"]], noun), getattr(counts[b["id"]], noun)
        row(noun.capitalize(), str(left_n), str(right_n), left_n != right_n)
    row("Created", created[a["id"]], created[b["id"]], False)
    return table


class CompareScreen(CrmScreen):
    """Two records of a group side by side: choose the one to keep, then merge the other into it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back to the groups"),
        Binding("k", "swap_keep", "Keep other", tooltip="Keep the other record of the two"),
        Binding("n", "next_other", "Next", tooltip="Compare with the group's next record (3 or more)"),
        Binding("m", "merge", "Merge", tooltip="Merge the other into the kept one (asks; u takes it back)"),
    ]

    def __init__(self, group: GroupRow) -> None:
        super().__init__()
        self.group = group
        self.ids = list(group.ids)
        self.pair = (self.ids[0], self.ids[1])
        self.keep = self.ids[0]
        self.records: dict[int, Contact] = {}
        self.counts: dict[int, Linked] = {}
        self.created: dict[int, str] = {}
        self.phone_region: str | None = None
        self.merging = False
        self.table: Table | None = None
        """The side-by-side table as last drawn."""

    def compose(self) -> ComposeResult:
        """Heading (score and why), the two records, a hint, the footer."""
        yield Static(id="compare-heading")
        with VerticalScroll(id="compare-body"):
            yield Static("Reading the records…", id="compare-table")
        yield Static(id="compare-hint")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """The heading is known now; the records come from a worker."""
        count = len(self.ids)
        heading = f"Score {self.group.score} · {self.group.why}"
        if count > 2:
            heading = f"Group of {count} · " + heading
        self.query_one("#compare-heading", Static).update(Text(heading))
        self.refresh_data()

    @property
    def other(self) -> int:
        """The record that would be merged into the kept one."""
        a, b = self.pair
        return b if self.keep == a else a

    @work(thread=True, exclusive=True, group="compare-load")
    def refresh_data(self) -> None:
        """Read the group's records and what hangs on each (worker thread)."""
        from ...dates import format_local
        from ...services.dedupe import linked, region

        records, counts, created = {}, {}, {}
        try:
            with self.store() as store:
                for contact_id in self.ids:
                    try:
                        record = store.get_contact(contact_id)
                    except NotFound:  # merged or trashed meanwhile
                        continue
                    records[contact_id] = record
                    counts[contact_id] = linked(store, contact_id)
                    created[contact_id] = format_local(record["created_at"], self.crm.tz, all_day=True)
                book_region = region(store)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], severity="error")
            return
        self.app.call_from_thread(self._loaded, records, counts, created, book_region)

    def _loaded(self, records: dict[int, Contact], counts: dict[int, Linked], created: dict[int, str],
                region: str | None) -> None:
        self.records, self.counts, self.created, self.phone_region = records, counts, created, region
        self.ids = [i for i in self.ids if i in records]
        if len(self.ids) < 2:
            self.query_one("#compare-table", Static).update(
                Text("Only one of these contacts is left: nothing to compare. Esc goes back."))
            self.query_one("#compare-hint", Static).update("")
            return
        if self.keep not in records:
            self.keep = self.ids[0]
        if not set(self.pair) <= set(self.ids):
            self.pair = (self.keep, next(i for i in self.ids if i != self.keep))
        self._draw()

    def _draw(self) -> None:
        a, b = (self.records[i] for i in self.pair)
        self.table = comparison(a, b, self.counts, self.keep, self.phone_region, self.created)
        self.query_one("#compare-table", Static).update(self.table)
        position = ""
        if len(self.ids) > 2:
            rest = [i for i in self.ids if i != self.pair[0]]
            position = f"  ·  n: next record ({rest.index(self.pair[1]) + 1} of {len(rest)})"
        self.query_one("#compare-hint", Static).update(Text(
            f"k: keep #{self.other} instead  ·  m: merge #{self.other} into #{self.keep}{position}"))

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Back to the groups."""
        self.dismiss()

    def action_swap_keep(self) -> None:
        """Keep the other record of the two instead."""
        if len(self.ids) >= 2 and self.records:
            self.keep = self.other
            self._draw()

    def action_next_other(self) -> None:
        """Put the group's next record on the right (the left one stays)."""
        if len(self.ids) <= 2 or not self.records:
            return
        left = self.pair[0]
        rest = [i for i in self.ids if i != left]
        following = rest[(rest.index(self.pair[1]) + 1) % len(rest)]
        if self.keep == self.pair[1]:
            self.keep = following
        self.pair = (left, following)
        self._draw()

    def action_merge(self) -> None:
        """Say what the merge will move, and merge once the user agrees."""
        if len(self.ids) >= 2 and self.records and not self.merging:
            self._prepare(self.keep, self.other)

    @work(thread=True, exclusive=True, group="compare-merge")
    def _prepare(self, keep_id: int, other_id: int) -> None:
        """The merge plan and what moves, read fresh (worker thread)."""
        from ...services.dedupe import linked, plan_merge

        try:
            with self.store() as store:
                keep, other = store.get_contact(keep_id), store.get_contact(other_id)
                plan = plan_merge(store, keep, [other])
                moves = linked(store, other_id)
        except CrmError as exc:
            self.app.call_from_thread(self.notify, str(exc).splitlines()[0], title="Merge", severity="error")
            return
        self.app.call_from_thread(self._ask, keep, other, plan, moves)

    def _ask(self, keep: Contact, other: Contact, plan: Plan, moves: Linked) -> None:
        from .dialogs import ConfirmScreen

        kept, gone = f"#{keep['id']} {keep['name']}", f"#{other['id']} {other['name']}"
        steps = list(plan.steps[1:])  # the first says "merge A into B": that is the question
        if len(steps) > STEPS_SHOWN:
            steps[STEPS_SHOWN - 1:] = [f"and {len(steps) - STEPS_SHOWN + 1} more"]
        lines = [f"Moves to #{keep['id']}: {moves.words()}."]
        if steps:
            lines += ["Its details are kept:", *(f"  {s}" for s in steps)]
        lines.append(f"Then {gone} is deleted. u (undo) puts everything back.")

        def answered(yes: bool | None) -> None:
            if yes:
                self.merging = True
                self._merge(keep["id"], other["id"], plan.steps)

        self.app.push_screen(
            ConfirmScreen(escape(safe(f"Merge {gone} into {kept}?")),
                          escape("\n".join(safe(line) for line in lines)),
                          yes="Merge", danger=True),
            answered,
        )

    @work(thread=True, exclusive=True, group="compare-merge")
    def _merge(self, keep_id: int, other_id: int, agreed: tuple[str, ...]) -> None:
        """`tinycrm merge KEEP OTHER --yes`, refused if the records changed since the question (worker)."""
        from ...services.dedupe import merge

        try:
            with self.store() as store:
                kept = merge(store, keep_id, [other_id], agreed)
        except CrmError as exc:
            self.app.call_from_thread(self._merge_failed, str(exc).splitlines()[0])
            return
        self.app.call_from_thread(
            self.notify, f"Merged #{other_id} into #{keep_id} {kept['name']} (u takes it back)", title="Merge"
        )
        self.app.call_from_thread(self._merged)

    def _merge_failed(self, message: str) -> None:
        self.merging = False
        self.notify(message, title="Merge", severity="error")
        self.refresh_data()

    def _merged(self) -> None:
        """Back to the groups, which look again."""
        self.dismiss()
        self.crm.notify_changed()
