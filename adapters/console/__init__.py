"""The console adapter: the whole bot in a terminal, no tokens. Also how tests and demos drive the core."""
