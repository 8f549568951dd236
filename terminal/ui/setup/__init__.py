"""The set-up assistant of a shop's first start."""
