"""Rules: one module per rule, grouped by family (tables/ …). Importing registers them."""
