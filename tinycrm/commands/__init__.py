"""The commands as plain functions: `tinycrm.cli` parses a command line, these run it.

One module per noun of the command line (`contact`, `deal`, `remind`, `core`, `tui`), each
function named like its Typer command and taking the run's `State` and the command's
parameters under the names the Typer command gives them. Nothing here imports Typer, Click,
Rich or Textual, so the table dispatcher (`tinycrm.cli.dispatch`) runs a command after
importing only this noun's module; the Typer app (`tinycrm.cli.root`) calls the same
functions, so both ways of parsing share one behaviour.
"""
