"""The dialogs the counter opens."""
