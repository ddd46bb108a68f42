"""The `feedbackloop` entry point: a small dispatcher in front of the Typer app (db/commands.py).

A plain `feedbackloop feed [--date D] [--limit N] [--json]` runs straight from db.feedcli:
importing Typer, click and rich costs about as much as the feed query itself, and DESIGN §6
gives the whole command one second. Every other command line, `--help` and anything the quick
parser is unsure of go to Typer, which owns the help texts and the usage errors.

Exit codes: 0 success; 1 the command ran but some input was rejected; 2 usage or configuration
error. Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Any

INTERRUPTED = "interrupted; work committed so far is kept"


def main() -> None:
    """Run `feedbackloop`; Ctrl-C keeps what was committed."""
    try:
        args = sys.argv[1:]
        if args[:1] == ["feed"]:
            from db.feedcli import plain_args, run

            plain = plain_args(args[1:])
            if plain is not None:
                sys.exit(run(*plain))
        from db.commands import main as typer_main

        typer_main()
    except KeyboardInterrupt:
        sys.stderr.write(INTERRUPTED + "\n")
        sys.exit(130)


def __getattr__(name: str) -> Any:
    """Give `db.cli.app` (the Typer app, as tests use it) without importing Typer up front."""
    if name == "app":
        from db.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
