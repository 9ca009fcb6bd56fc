"""masterplan: docs-as-code toolkit for a city's Smart City Masterplan."""

__version__ = "0.1.0"
