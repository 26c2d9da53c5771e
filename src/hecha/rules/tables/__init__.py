"""Table rules (T…): arithmetic inside one table."""
