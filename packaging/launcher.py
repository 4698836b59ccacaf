"""The frozen bundle's entry point: the same as the `csfacilitator` command."""

from csfacilitator.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
