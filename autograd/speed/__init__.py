"""What is generated from the same rules: symbols, flat code, the fast Value path, ``compile``.

Reading order: ``codegen`` (rules evaluated on symbols, flat code), ``fast``
(Value's generated operators and backward functions), ``compiled``.
"""
