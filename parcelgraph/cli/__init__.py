"""The `parcelgraph` command: serve, worker, mcp, migrate, shops, keys, schema export, demo.

Each command group lives in its own module; this one builds the Typer app and lists every
command in the order `parcelgraph --help` shows them.
"""

import typer

from parcelgraph.cli import accounts, carriers, demo, exports, processes
from parcelgraph.transfer import commands as transfer_commands

app = typer.Typer(help="parcelgraph: the post-purchase GraphQL API.", no_args_is_help=True)
app.add_typer(accounts.shop_app, name="shop")
app.add_typer(accounts.key_app, name="key")
app.add_typer(transfer_commands.import_app, name="import")
app.add_typer(transfer_commands.export_app, name="export")
app.command()(processes.serve)
app.command()(processes.worker)
app.command("mcp")(processes.mcp_stdio)
app.command()(processes.migrate)
app.command("export-schema")(exports.export_schema)
app.command("export-openapi")(exports.export_openapi)
app.command()(demo.demo)
app.add_typer(carriers.carrier_app, name="carrier")
