"""Feedback Loop's backend: everything the system knows and decides. Never imports streamlit."""
