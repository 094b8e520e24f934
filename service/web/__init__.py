"""Web pages for people (Vietnamese): upload and see what was found, search the archive, movements over the years."""
