"""Data that ships with sopc: the snapshot of DUO's list of school locations (sopc.duo)."""
