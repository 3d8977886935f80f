"""The engine a student reads: ops as data, backends, grad mode, the graph, Value, Tensor.

Reading order: ``op`` (what an operation is), ``ops`` (the elementwise table),
``numerics`` (the backends the rules run on), ``mode`` (recording on or off),
``graph`` (topological order and the reference backward driver), ``value``,
then ``tensor_ops`` and ``tensor``.
"""
