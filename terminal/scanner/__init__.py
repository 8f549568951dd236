"""Camera capture and QR decoding, off the GUI thread."""
