"""`python -m paperkit` runs the command line."""

from .cli import main

main()
