"""Readers: hits -> a short cited answer, or an honest abstention."""
from .base import Reader
from .rule_reader import RuleReader

__all__ = ["Reader", "RuleReader"]
