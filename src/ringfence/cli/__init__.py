"""The `ringfence` command line: `main.py` builds the Typer app, one module per command group.

Why a package rather than one cli.py: each command group (ingest, simulate, analyze...) turns
its own flags into `Settings` and calls the library; keeping them apart keeps each small.
The CLI holds no logic of its own.
"""
