"""`paperkit preview`: the paper live in the browser (server.py), rebuilt on every save (state.py)."""
