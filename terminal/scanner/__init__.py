"""Camera capture, barcode decoding and keyboard-wedge input, off the GUI thread."""
