"""The store's schema revisions, oldest first; each says what it changes and why."""
