"""Import and export formats, each a pure module over plain records."""
