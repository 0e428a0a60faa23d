from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The editorial workflow: publication states, transitions, their admin, preview and
    the dashboard."""

    name = "workflow"
    verbose_name = "编辑流程"
