"""Deal review: deals as frames, metrics, team benchmarks, the diagnosis,
the roster cache and the output of `coachtui metrics`."""
