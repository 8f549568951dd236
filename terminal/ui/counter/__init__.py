"""The counter: its window and the parts it is made of."""
