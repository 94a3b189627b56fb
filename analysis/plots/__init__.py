"""Figures: one module per analysis area; `style` holds the shared look and saving."""
