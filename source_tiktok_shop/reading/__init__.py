"""Reading for Airbyte: shops, windows, the per-shop cursor, partitions, shared pages and estimates.

Nothing here sends HTTP: it reads through the `Api` protocol (`partitions.Api`), which the TikTok
client implements and unit tests fake.
"""
