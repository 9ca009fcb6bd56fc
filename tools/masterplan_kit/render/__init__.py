"""Renderers: the model into site pages, PDF volumes, DOCX copies and open data."""
