"""Engines that run `fingerprint dedup` beyond one process, with the same results.

``fingerprint.engines.ray`` runs it as stages of a Ray Data job (``pip install
"article-fingerprint[ray]"``); ``stages`` holds what each stage does to a batch, without Ray.
``import fingerprint`` imports neither.
"""
