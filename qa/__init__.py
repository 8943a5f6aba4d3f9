"""Korean conversational question answering over documents.

Nothing is loaded at import time; `load_pipeline()` opens the index.
"""
from .conversation import Conversation
from .pipeline import Pipeline, load_pipeline
from .settings import Settings
from .types import Answer, Chunk, Citation, Document, Hit

__version__ = "0.1.0"
__all__ = ["Answer", "Chunk", "Citation", "Conversation", "Document", "Hit", "Pipeline", "Settings",
           "load_pipeline", "__version__"]
