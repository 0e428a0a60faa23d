from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "人物"

    def ready(self):
        from pagecache import scopes

        from .models import Person

        # A new person shows nowhere until a byline, a seat or a mention links them
        # (those writes are mapped by the content apps); a changed or deleted one makes
        # every page stale: names are printed everywhere (pagecache.scopes).
        scopes.register(Person, scopes=lambda row: (), inserts_only=True)
        scopes.register(Person.history.model, scopes=lambda row: ())
