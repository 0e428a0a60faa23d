"""The refusals of the workflow; ``str(error)`` is the message an editor reads.

A module of their own so that the transitions and the review stages, which refuse
each other's steps, share them without importing each other."""


class WorkflowError(Exception):
    """A refused step; ``str(error)`` is the message an editor reads."""


class NotPermitted(WorkflowError):
    pass


class TransitionNotAllowed(WorkflowError):
    pass


class PublicationBlocked(WorkflowError):
    """A check before publishing found problems; ``problems`` lists them."""

    def __init__(self, message: str, problems: list[str]):
        self.problems = problems
        super().__init__(message + "\n" + "\n".join(f"· {p}" for p in problems))
