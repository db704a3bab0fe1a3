"""Renderers: results as text (and, on demand, other formats). Positions are
computed here, from offsets.
"""
