"""Flags on issues and comments, the moderators' queue, hiding, restoring and blocking."""
