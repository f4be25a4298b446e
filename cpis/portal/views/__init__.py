"""Public pages: what a citizen sees, in their language, without signing in."""
