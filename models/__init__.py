"""Pydantic schemas of vanban's output."""
from models.document import *  # noqa: F401,F403
from models.document import PlanDocument, SCHEMA_VERSION  # noqa: F401
