"""What :func:`nn.fit` records while it trains: a :class:`History`."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class History:
    """What :func:`fit` recorded.

    At each step: ``loss`` (the training loss of that step's batch, regularisation
    included), ``accuracy`` (on that batch) and ``lr`` (the learning rate used).
    At each evaluation on the validation data: ``val_step`` (how many steps had
    been taken), ``val_loss`` (``loss_fn`` on all validation rows, no
    regularisation) and ``val_accuracy``.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    val_step: list[int] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
