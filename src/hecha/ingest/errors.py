"""The one error ingest raises: a file hecha cannot read, with a message a reviewer understands."""


class IngestError(Exception):
    """An input that cannot be read (corrupt, encrypted, scanned, empty, unknown format).

    ``str(error)`` is one line in Chinese; ``error.message_en`` the English one.
    """

    def __init__(self, message: str, message_en: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_en = message_en
