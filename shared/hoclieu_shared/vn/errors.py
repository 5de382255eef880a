"""The error raised when a Vietnamese value cannot be read."""


class VnValueError(ValueError):
    """A value that cannot be read: a stable code and a Vietnamese message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
