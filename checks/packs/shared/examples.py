"""Valid, generic example data shared by the packs' ``EXAMPLE_CALLS``.

No zeros or ones and N > 1, so that every known mistake gives a different
answer. The misconception probes and the type, validation and in-place
checks all start from calls built from these.
"""

from __future__ import annotations

import numpy as np

_rng = np.random.default_rng(20261123)
X = _rng.uniform(-2, 2, (7, 3))
Xa = np.hstack([np.ones((7, 1)), X])
y = _rng.uniform(-3, 3, 7)
w = np.array([1.3, -0.7, 2.1])
w_more = np.array([0.4, -1.9, 0.8])
