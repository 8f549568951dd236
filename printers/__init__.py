"""Receipt, coupon, member-card and report layouts on ESC/POS printers."""
