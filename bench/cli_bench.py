"""Every contract command as a whole process (the installed entry point), as a ratio to F.

    python bench/cli_bench.py BOOK [--runs 10] [--before /work/main/.venv/bin/tinycrm]

F is `python -c "import sqlite3"` in the same virtual environment, measured in the same run
(PRODUCT.md's targets: `log`, `contact show`, `due --json` ≤ 3 F; every other command ≤ 5 F;
`--help` ≤ 8 F). The book is made by `bench/generate.py`; `due --json` runs on its kept-up copy
(see `bench/due_bench.py`), the others on a copy of the book each program writes into
(`log` and `contact add` add a row per run). `--before` also times another installation
(another checkout's console script) on its own copies, next to its own F. Medians of `--runs`
rounds after a warm-up round; each round runs every command once, in turn, so that the load of
a shared machine falls on all of them alike (hyperfine would time one command after another).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from due_bench import environment, kept_up_copy  # noqa: E402

# (name, arguments after `--db BOOK`, target in F, which book: "book" or "kept")
COMMANDS = [
    ("log REF TEXT", ["log", "1", "bench note"], 3, "book"),
    ("contact show REF", ["contact", "show", "1"], 3, "book"),
    ("due --json", ["due", "--json"], 3, "kept"),
    ("contact list (a page)", ["contact", "list", "--limit", "20"], 5, "book"),
    ("contact list FILTER", ["contact", "list", "tag:vip", "--limit", "20"], 5, "book"),
    ("search TEXT", ["search", "ada"], 5, "book"),
    ("timeline (a page)", ["timeline", "--limit", "20"], 5, "book"),
    ("deal list (a page)", ["deal", "list", "--limit", "20"], 5, "book"),
    ("deal show ID", ["deal", "show", "1"], 5, "book"),
    ("remind list", ["remind", "list"], 5, "kept"),
    ("history (a page)", ["history", "--limit", "20"], 5, "book"),
    ("report pipeline", ["report", "pipeline"], 5, "book"),
    ("contact add NAME", ["contact", "add", "Bench Person", "--allow-duplicate"], 5, "book"),
    ("--help", ["--help"], 8, "book"),
]


def copies(book: Path, label: str) -> dict[str, Path]:
    """A private copy of the book and of its kept-up twin for one program."""
    out = {}
    for kind, source in (("book", book), ("kept", kept_up_copy(book))):
        target = book.with_name(f"{label}-{kind}.db")
        src, dest = sqlite3.connect(source), sqlite3.connect(target)
        src.backup(dest)
        src.close()
        # ANALYZE's statistics table: a newer store refuses a book with tables it does not know,
        # so neither program gets it (the same planner conditions for both)
        dest.execute("DROP TABLE IF EXISTS sqlite_stat1")
        dest.close()
        out[kind] = target
    return out


def timed(commands: dict[str, list[str]], runs: int, env: dict[str, str]) -> dict[str, float]:
    """Median wall milliseconds of each command over interleaved rounds (the first is a warm-up)."""
    import subprocess
    import time

    times: dict[str, list[float]] = {name: [] for name in commands}
    for round_ in range(runs + 1):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            if round_:
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def works(program: str, argv: list[str], env: dict[str, str]) -> list[str]:
    """The argv as this program accepts it (`--allow-duplicate` only where it exists)."""
    import subprocess

    if "--allow-duplicate" in argv:
        probe = subprocess.run([program, "contact", "add", "--help"], env=env, capture_output=True, text=True)
        if "--allow-duplicate" not in probe.stdout:
            return [a for a in argv if a != "--allow-duplicate"]
    return argv


def main() -> None:
    """Time every command for this installation (and `--before`), print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("book", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--before", help="another installation's tinycrm console script")
    args = parser.parse_args()
    env = environment()
    # bytecode is cached (as for an installed program), outside the checkouts being compared
    env["PYTHONPYCACHEPREFIX"] = str(args.book.with_name("pycache"))
    programs = {"after": str(Path(sys.executable).parent / "tinycrm")}
    if args.before:
        programs = {"before": args.before, **programs}
    commands: dict[str, list[str]] = {}
    for label, program in programs.items():
        books = copies(args.book, label)
        python = str(Path(program).parent / "python")
        commands[f"{label}: F"] = [python, "-c", "import sqlite3"]
        for name, argv, _, kind in COMMANDS:
            full = [program, "--db", str(books[kind]), *works(program, argv, env)]
            commands[f"{label}: {name}"] = full
    ms = timed(commands, args.runs, env)
    head = "| command | target |"
    rule = "|---|---:|"
    for label in programs:
        head += f" {label} ms | {label} × F |"
        rule += "---:|---:|"
    print(head + " after: met? |")
    print(rule + "---|")
    print("| F = python -c 'import sqlite3' | |" + "".join(
        f" {ms[f'{label}: F']:.1f} | 1.00 |" for label in programs) + " |")
    for name, _, target, _ in COMMANDS:
        row = f"| `{name}` | ≤ {target} F |"
        for label in programs:
            value = ms[f"{label}: {name}"]
            row += f" {value:.1f} | {value / ms[f'{label}: F']:.2f} |"
        met = ms[f"after: {name}"] / ms["after: F"] <= target
        print(row + (" met |" if met else " **not met** |"))
    for label in programs:
        for kind in ("book", "kept"):
            for suffix in ("", "-wal", "-shm"):
                args.book.with_name(f"{label}-{kind}.db{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
