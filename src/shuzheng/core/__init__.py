"""The pure core: model, names, quantities, areas, checks, reconciliation.

Nothing here reads files, prints, or imports a reader, a renderer, typer or rich.
"""
