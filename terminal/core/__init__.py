"""The bottom layer: errors, money, settings, translation, the log; it imports nothing else
of ours."""
