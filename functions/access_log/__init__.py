"""read-access-log: the inzage - who looked up the logged-in partij's data, when, and why."""
