"""Storage: the tables and the repositories that are the only code talking to them."""
