"""The bottom layer: errors, money, settings and translation; it imports nothing of ours."""
