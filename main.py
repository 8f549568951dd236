"""The entry the design card names: ``python main.py [COMMAND]`` runs terminal.cli."""

import sys

from terminal.cli import main

if __name__ == "__main__":
    sys.exit(main())
