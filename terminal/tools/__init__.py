"""Tools that fill, exercise and time a database: the demo store, the simulator, the benchmark."""
