from .source import SourceTiktokShop

__all__ = ["SourceTiktokShop"]
