"""Reports of comparisons and repeated blocks: terminal text, JSON, and a self-contained HTML page.

Each module is imported only by the output that needs it, so ``fingerprint compare`` starts fast.
"""
