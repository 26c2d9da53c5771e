"""Reads meaning out of a Document: table roles now, facts and claims later. Never judges."""
