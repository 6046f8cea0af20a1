"""Where an index lives beyond one process: `sqlite` keeps it durable on disk."""
