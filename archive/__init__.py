"""The archive: parsed documents and their original files, behind one store interface."""
from archive.store import StoredFile, Store, open_store

__all__ = ["StoredFile", "Store", "open_store"]
