"""read-access-log: what the service logged about the logged-in partij - who looked up its data,
when and why (the inzage), and how its profile changed (the history)."""
