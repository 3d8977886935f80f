"""Drawing graphs: the scene, names, collapse, layout, labels, rendering, steps, the player.

Reading order: ``draw`` (``draw_graph`` and its scene), ``names``, ``collapse``,
``layout``, ``html`` and ``text`` (labels), ``render``, ``step`` (captions),
``animate`` and ``player``.
"""
