"""Qt itself: the task runner, signals, the collector guard, Qt's log, the window font past
style sheets: every Qt workaround."""
