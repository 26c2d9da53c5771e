"""Readers that turn input files into Documents. One module per format; never judges."""
