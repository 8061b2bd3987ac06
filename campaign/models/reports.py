"""Report jobs (the monthly report feature)."""
