"""Placeholder replaced below."""
def try_fast(argv):
    return None
