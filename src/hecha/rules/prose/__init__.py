"""Prose rules (C…): figures the document's prose states, checked against the facts they restate
or compare (C001 changes, C002 shares, C003 restated values)."""
