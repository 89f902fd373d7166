"""A province-sized dataset for benchmarking the review reports (``manage.py seed_scale``).

The demo (``lantoa.demo``) is one district told in detail through the product's services; this is
its opposite: ten thousand cells and two hundred thousand members with three years of meetings,
attendance, honours, ratings and plans filed, drawn from a fixed seed and written in bulk
(``lantoa.lib.bulk``), so that the reports can be timed at the size a province gives them.
Every module drafts plain rows in memory and writes each table with one ``COPY`` (PostgreSQL) or
``executemany`` (SQLite) per batch; nothing goes through ``save()``.
"""
