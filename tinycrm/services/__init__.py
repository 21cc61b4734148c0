"""Each use case once: the CLI, the TUI and cron call these and only render what they return.

A service takes the store, the user's words (REFs, WHEN texts) and `now` in the user's time
zone, does its reads and writes in one unit of work (`Store.write`), and returns records.
No Typer, Rich or Textual here, and no SQL (that is `tinycrm.store`'s).

- `interactions` — log an interaction and its follow-up
- `deals` — add, move, win, lose and edit deals; close dates from WHEN texts
- `contacts` — a customer's whole picture (the 360° view, `contact show`)
- `tinycrm.agenda` — what is due, done, snooze, notify once, reminders
"""
