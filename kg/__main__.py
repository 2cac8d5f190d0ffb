"""`python -m kg` runs the `kg` command line."""

from .cli import cli

if __name__ == "__main__":
    cli(prog_name="kg")
