from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "内容"

    def ready(self):
        # The lower layers' registries (docs/architecture.md): who may read the images
        # in articles' text and their renditions, the dashboard panel, a person's bylines
        # and mentions, what merging people changes in bylines.
        from django.db.models.signals import post_migrate

        from members import appearances
        from uploads import access, renditions
        from workflow import dashboard

        from . import media, rendered, scopes, services
        from .dashboard import articles_panel
        from .indexing import article_changed, articles_changed
        from .models import (
            Article,
            ArticleEvent,
            ArticleImage,
            Authorship,
            Column,
            Highlight,
            NewsItem,
            unshown,
        )

        # A migration that changes how articles' text is shown is followed by storing it
        # again with the current code (see articles/migrations/0011).
        post_migrate.connect(
            rendered.render_after_migrate, sender=self, dispatch_uid="articles.render_text"
        )
        # Which cached pages a write to each table makes stale (pagecache.scopes).
        scopes.register(
            Article=Article,
            Authorship=Authorship,
            Highlight=Highlight,
            NewsItem=NewsItem,
            ArticleEvent=ArticleEvent,
            ArticleImage=ArticleImage,
        )
        scopes.register_history(Article, Column, Highlight, NewsItem)
        renditions.register_source(media.text_image_renditions)
        access.register(media.cache_control_for_article_images)
        article_changed.connect(media.on_article_changed, dispatch_uid="articles.images")
        articles_changed.connect(media.on_articles_changed, dispatch_uid="articles.images")
        dashboard.register("admin/articles/dashboard.html", articles_panel, order=20)
        appearances.register(
            "authorships",
            person_field="person",
            visible=lambda user: (
                Authorship.objects.filter(article__in=Article.objects.visible_to(user))
                .select_related("article__issue", "article__column")
                .defer(*unshown("title", "article__"))
                .order_by(
                    "-article__issue__year", "-article__issue__number", "article__toc_position"
                )
            ),
            order=10,
            scopes=lambda byline: (scopes.issue(byline.article.issue_id),),
            lists=(scopes.ARTICLES,),
        )
        appearances.register_merge_effect(services.articles_with_bylines_changed_by_merge)
        appearances.register(
            "news_items",
            person_field="people",
            visible=lambda user: (
                NewsItem.objects.visible_to(user).latest_first().select_related("issue")
            ),
            order=30,
            scopes=lambda item: (scopes.issue(item.issue_id),),
            lists=(scopes.NEWS,),
        )
