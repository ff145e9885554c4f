"""Officials' review: the outcomes dashboard, the public stats, "waiting for me", exports."""
