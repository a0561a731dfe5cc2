"""get-profile: the logged-in partij's own profile."""
