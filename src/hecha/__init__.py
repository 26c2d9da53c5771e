"""hecha (核查): checks the arithmetic of Chinese listed-company disclosure documents."""

__version__ = "0.1.0"
