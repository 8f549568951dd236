"""Tools around the terminal: the demo store, the simulator, the benchmark."""
