"""The manager's screens: member analytics, campaigns, the audit log and member privacy."""

from .window import ManagerWindow

__all__ = ["ManagerWindow"]
