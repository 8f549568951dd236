"""The customer display: the second screen, facing the customer."""
