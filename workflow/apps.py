from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """The editorial workflow: publication states, transitions, their admin, preview and
    the dashboard."""

    name = "workflow"
    verbose_name = "编辑流程"

    def ready(self):
        # 我的待办 heads the dashboard, before the content apps' panels.
        from . import dashboard
        from .todo import todo_panel

        dashboard.register("admin/workflow/todo.html", todo_panel, order=0)
