"""Edges that translate an outside protocol into one `check` call and back."""
