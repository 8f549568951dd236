"""The bottom layer: errors, money, settings, the log; it imports nothing else of ours."""
