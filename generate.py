#!/usr/bin/env python3
"""Command line for the handout generator. Run `generate.py --help`."""

from careprint.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
