"""Domain exceptions. They know nothing of HTTP; the web layer maps them to status codes."""


class PartnerskabsbaseError(Exception):
    """Base class for every error the core raises on purpose."""


class ContentError(PartnerskabsbaseError):
    """The content directory or the vocabulary cannot be read at all."""


class IndexUnavailableError(PartnerskabsbaseError):
    """No built index generation can be opened (missing, half-built or corrupt)."""


class CaseNotFoundError(PartnerskabsbaseError):
    """A case slug that the collection does not hold."""

    def __init__(self, slug: str) -> None:
        super().__init__(f"Sagen '{slug}' findes ikke i samlingen.")
        self.slug = slug


class TopicNotFoundError(CaseNotFoundError):
    """A topic page (``/emner/<facet>``) that does not exist (served like a missing case)."""

    code = "topic_not_found"

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.args = (f"Emnet '{path}' findes ikke; se alle emner på /emner.",)

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidQueryError(PartnerskabsbaseError):
    """A search parameter that is well-formed but cannot be honoured (e.g. a page past the end)."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter


class SearchOverloadedError(PartnerskabsbaseError):
    """Every search slot of this process is busy: the request is shed, not queued."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Søgningen har travlt lige nu; prøv igen om et øjeblik "
            f"(efter {retry_after} sekund{'er' if retry_after != 1 else ''})."
        )
        self.retry_after = retry_after
