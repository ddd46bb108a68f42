"""The Streamlit app: pages render what `db/` knows and call `db/` for every change."""
