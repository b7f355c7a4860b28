class NoMigrateRouter:
    """Says no to every migration, which makes makemigrations skip its history-consistency check,
    the only part that needs a live database. Model-change detection still runs."""

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False
