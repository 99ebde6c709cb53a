"""Talking to TikTok Shop: signing, endpoints, the envelope, errors, tokens, the rate policy and the client.

Nothing here knows of Airbyte streams or state; every request goes through `client.TikTokClient`.
"""
