"""`tinycrm import` and `export csv|vcard|json`: contacts in and out, over `services.transfer`.

The service does the matching, the one unit of work and the dry run; here are the source
(a file, a vdir or stdin), the words of the summary, the progress bar on a terminal, the
`--rejects` file, and files written 0600 in one step.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..cells import safe
from ..errors import BadRow, UsageError
from ..output import emit_json, is_terminal
from ._common import State, echo, filter_words, reads, writing

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..formats.draft import Draft
    from ..services.transfer import ImportResult


def parse_map(pairs: list[str] | None) -> dict[str, str] | None:
    """`--map COLUMN=FIELD`… as a mapping (the last one given for a column wins)."""
    if not pairs:
        return None
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, name = pair.partition("=")
        if not sep or not column.strip() or not name.strip():
            raise UsageError(f"--map needs COLUMN=FIELD, not '{pair}'")
        mapping[column.strip()] = name.strip()
    return mapping


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(result: ImportResult, rejects_file: str | None = None) -> str:
    """One line: how many contacts the import took in, and how (what `import` prints last)."""
    counts = result.counts()
    verb = "would import" if result.dry_run else "imported"
    line = (f"{verb} {_plural(counts['create'] + counts['update'], 'contact')}: "
            f"{counts['create']} created, {counts['update']} updated, {counts['skip']} skipped")
    linked = [_plural(counts[k], k[:-1]) for k in ("deals", "interactions", "reminders") if counts.get(k)]
    if linked:
        line += f" (with {', '.join(linked)})"
    if counts["reject"]:
        line += f"; {counts['reject']} rejected"
        if rejects_file:
            line += f" → {rejects_file}"
    return line


def _watch(items: Iterable[Draft | BadRow], warnings: list[tuple[int, str, str]]) -> Iterator[Draft | BadRow]:
    """Pass the records on, noting each warning of a record (values it had to keep aside)."""
    for item in items:
        if not isinstance(item, BadRow):
            warnings.extend((item.line, item.name, text) for text in item.warnings)
        yield item


def _progress() -> Callable[[int], None] | None:
    """A count on stderr, redrawn in place, when stderr is a terminal; else nothing."""
    if not is_terminal(sys.stderr):
        return None

    def show(n: int) -> None:
        sys.stderr.write(f"\rimporting… {n:,} records")
        sys.stderr.flush()

    return show


def _read(source: str) -> tuple[bytes | None, Path | None]:
    """The bytes of stdin or of a file (None for a folder), and the file's path."""
    from ..errors import InvalidData

    if source == "-":
        return sys.stdin.buffer.read(), None
    path = Path(source).expanduser()
    if path.is_dir():
        return None, path
    try:
        return path.read_bytes(), path
    except FileNotFoundError:
        raise InvalidData(f"no file or folder at {path}") from None
    except OSError as exc:
        raise InvalidData(f"cannot read {path}: {exc.strerror}") from None


def _rejects_bytes(rows: list[BadRow]) -> bytes:
    from ..formats import write_rejects

    out = io.StringIO()
    write_rejects(rows, out)
    return out.getvalue().encode("utf-8")


def import_(
    state: State,
    *,
    source: str,
    format_: str | None,
    map_: list[str] | None,
    dry_run: bool,
    on_duplicate: str,
    skip_errors: bool,
    rejects: str | None,
    as_json: bool,
) -> None:
    """`import`: a file, a vdir or stdin as one change (all or nothing, or the good rows)."""
    from .. import formats
    from ..services import transfer
    from .remind import write_private

    if on_duplicate not in transfer.DUPLICATE_POLICIES:
        choices = ", ".join(transfer.DUPLICATE_POLICIES)
        raise UsageError(f"invalid --on-duplicate '{on_duplicate}': use {choices}")
    if format_ is not None and format_ not in formats.FORMATS:
        raise UsageError(f"unknown format '{format_}': use {', '.join(formats.FORMATS)}")
    if rejects and not skip_errors:
        raise UsageError("--rejects needs --skip-errors (without it a bad record stops the import)")
    mapping = parse_map(map_)
    data, path = _read(source)
    store = state.store()
    name = "stdin" if source == "-" else (path.name if path else source)
    label = f"import {name}"
    warnings: list[tuple[int, str, str]] = []
    progress = _progress()
    fmt = format_ or "vcard"  # a folder is a vdir
    if data is not None and format_ is None:
        fmt = formats.detect_format(data, path.name if path else None)

    def run() -> ImportResult:
        if fmt == "json":
            if mapping:
                raise UsageError("--map applies to CSV files only")
            return transfer.import_book(store, data or b"", on_duplicate=on_duplicate,
                                        skip_errors=skip_errors, dry_run=dry_run)
        if data is None:
            items = transfer.read_source(source, data=None, format=format_, mapping=mapping)
        else:
            items = formats.read_contacts(data, format=fmt, name=path.name if path else None, mapping=mapping)
        return transfer.import_contacts(store, _watch(items, warnings), on_duplicate=on_duplicate,
                                        skip_errors=skip_errors, dry_run=dry_run, label=label,
                                        progress=progress)

    try:
        if dry_run:  # the service rolls its own unit of work back: nothing to commit here
            result = run()
            _report(result, warnings, None, as_json=as_json)
            return
        with store.write(label, named=True), writing(store, label):
            result = run()
            if rejects:
                write_private(Path(rejects).expanduser(), _rejects_bytes(result.rejects))
            _report(result, warnings, rejects, as_json=as_json)
    finally:
        if progress is not None:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _report(result: ImportResult, warnings: list[tuple[int, str, str]], rejects: str | None,
            *, as_json: bool) -> None:
    """The import's output: JSON, or a line per record in a dry run, warnings, and the summary."""
    if as_json:
        emit_json({
            "dry_run": result.dry_run,
            "counts": result.counts(),
            "outcomes": [o.to_json() for o in result.outcomes],
            "warnings": [{"line": line, "name": name, "warning": text} for line, name, text in warnings],
            "rejects_file": rejects,
        })
        return
    if result.dry_run:
        for o in result.outcomes:
            why = f"  ({safe(o.why)})" if o.why else ""
            echo(f"line {o.line}: {o.action} {safe(o.name) or '-'}{why}")
    for line, name, text in warnings:
        sys.stderr.write(f"warning: line {line} ({safe(name)}): {safe(text)}\n")
    echo(summary(result, safe(rejects) if rejects else None))


# --- export ------------------------------------------------------------------------------


def _write_out(output: str | None, text: str) -> None:
    """The export on stdout, or in FILE (0600, replaced in one step)."""
    from .remind import write_private

    if output is None or output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return
    write_private(Path(output).expanduser(), text.encode("utf-8"))


def _told(output: str | None, count: int, what: str) -> None:
    """When the export went to a file, say so (stdout holds only the data otherwise)."""
    if output is not None and output != "-":
        echo(f"exported {_plural(count, what)} to {safe(output)}")


@reads
def export_csv(state: State, *, filter_: list[str] | None, output: str | None, bom: bool) -> None:
    """`export csv`: the selected contacts as a Google-import CSV that `import` reads back."""
    from ..formats.csv import write_csv
    from ..services.transfer import export_records

    records = export_records(state.store(), filter_words(filter_))
    out = io.StringIO(newline="")
    count = write_csv(records, out, bom=bom)
    _write_out(output, out.getvalue())
    _told(output, count, "contact")


@reads
def export_vcard(
    state: State, *, filter_: list[str] | None, output: str | None, vdir: str | None, version: str
) -> None:
    """`export vcard`: one .vcf file, or with --vdir a card per UID.vcf as khard keeps them."""
    from ..formats import vcard
    from ..services.transfer import export_records

    if version not in ("3.0", "4.0"):
        raise UsageError(f"invalid --version '{version}': use 3.0 or 4.0")
    if vdir and output:
        raise UsageError("-o and --vdir cannot be combined")
    records = export_records(state.store(), filter_words(filter_))
    if vdir:
        from ..errors import InvalidData

        try:
            done = vcard.write_vdir(Path(vdir).expanduser(), records, version)
        except OSError as exc:
            raise InvalidData(f"cannot write {vdir}: {exc.strerror}") from None
        echo(f"exported {_plural(len(records), 'contact')} to {safe(vdir)}: "
             f"{len(done.written)} written, {len(done.unchanged)} unchanged")
        return
    out = io.StringIO(newline="")
    count = vcard.write_vcards(records, out, version)
    _write_out(output, out.getvalue())
    _told(output, count, "contact")


@reads
def export_json(state: State, *, filter_: list[str] | None, output: str | None) -> None:
    """`export json`: the selected contacts with everything linked to them; `import` reads it back."""
    from ..formats.jsonbook import write_book
    from ..services.transfer import export_book

    book = export_book(state.store(), filter_words(filter_), now=state.local_now())
    out = io.StringIO()
    write_book(book, out)
    _write_out(output, out.getvalue())
    _told(output, len(book["contacts"]), "contact")
