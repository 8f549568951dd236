"""The manager's reports (end of day, programme economics) as text, CSV, JSON, PDF and paper."""
