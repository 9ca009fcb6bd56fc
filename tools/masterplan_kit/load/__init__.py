"""Reading sources: files of the project into the typed model, with the position of every value."""
