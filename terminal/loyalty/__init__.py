"""Pure loyalty rules: plain values in, plain results out; no database, Qt or printers."""
