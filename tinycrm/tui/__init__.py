"""The full-screen interface (Textual). Imported only by `tinycrm tui` and bare `tinycrm`."""
