"""Translations of the counter: the .ts sources, the .qm files built from them."""
