"""process-log: turns each change on the profile table's stream into one audit record."""
