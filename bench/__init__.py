"""The load measurement of `make bench` (bench/README.md)."""
