"""Qt itself: the task runner, signals, the collector guard, Qt's log: every Qt workaround."""
