"""A module imported on its first use, for names that most runs of a command never touch.

`json` is used by the store's writes, history and rarer columns, but `tinycrm due` on an
ordinary book reads none of them, and `import json` (with the regular expressions it
compiles) is ~3 ms of its start-up: the modules on that path name `json = LazyModule("json")`.
"""

from __future__ import annotations


class LazyModule:
    """Stands for a top-level module; the first attribute read imports it and takes its names."""

    def __init__(self, name: str) -> None:
        self._lazy_name = name

    def __getattr__(self, attr: str) -> object:
        module = __import__(self._lazy_name)
        self.__dict__.update(vars(module))  # later reads are plain attribute look-ups
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<module {self._lazy_name!r}, imported on first use>"


TYPE_CHECKING = False
if TYPE_CHECKING:
    import json
else:
    json = LazyModule("json")  # `from tinycrm.lazy import json`: the type checker sees the real module
