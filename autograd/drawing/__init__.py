"""Drawing graphs: the scene, names, collapse, labels, layout, rendering, steps, the player.

Reading order: ``draw`` (``draw_graph``: assembling the DOT source), ``scene``
(what is drawn), ``names``, ``collapse``, ``labels`` and ``text``, ``layout``
(wires and direction), ``render``, ``step`` (captions), ``animate`` and ``player``.
"""
