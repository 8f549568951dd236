"""Member Terminal: a membership terminal for the shop counter."""

__version__ = "0.1.0"
