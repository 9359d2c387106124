"""`python -m parcelgraph` runs the command-line interface."""

from parcelgraph.cli import app

app()
