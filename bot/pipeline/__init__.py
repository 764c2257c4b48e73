"""The answer engine's stages, one module each, read top to bottom:

parse (question -> Query, once) -> retrieve (scores per passage) -> rank (fused, ordered)
-> decide (rules, then the answer-or-decline model) -> compose (the Answer).

`language` holds the English word lists and patterns the stages read questions with.
"""
