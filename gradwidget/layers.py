"""Layers: Functions that keep their parameters (the book's step 44, dezero/layers.py).

`import gradwidget.layers as L` then `L.Linear(10)` as in the book. A Layer remembers every Parameter
(and Layer) set on it, so `params()` and `cleargrads()` reach them all.
"""

import weakref

import numpy as np

from gradwidget import functions as F
from gradwidget.core import Parameter


class Layer:
    def __init__(self):
        self._params = set()

    def __setattr__(self, name, value):
        if isinstance(value, (Parameter, Layer)):
            self._params.add(name)
        super().__setattr__(name, value)

    def __call__(self, *inputs):
        outputs = self.forward(*inputs)
        if not isinstance(outputs, tuple):
            outputs = (outputs,)
        self.inputs = [weakref.ref(x) for x in inputs]
        self.outputs = [weakref.ref(y) for y in outputs]
        return outputs if len(outputs) > 1 else outputs[0]

    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} must define forward(self, x)")

    def params(self):
        for name in self._params:
            obj = self.__dict__[name]
            if isinstance(obj, Layer):
                yield from obj.params()
            else:
                yield obj

    def cleargrads(self):
        for param in self.params():
            param.cleargrad()


class Linear(Layer):
    """y = x W + b, with W made on the first call, once x's width is known (the book's in_size=None)."""

    def __init__(self, out_size, nobias=False, dtype=np.float32, in_size=None):
        super().__init__()
        self.in_size, self.out_size, self.dtype = in_size, out_size, dtype
        self.W = Parameter(None, name="W")
        if self.in_size is not None:
            self._init_W()
        self.b = None if nobias else Parameter(np.zeros(out_size, dtype=dtype), name="b")

    def _init_W(self):
        n_in, n_out = self.in_size, self.out_size
        self.W.data = np.random.randn(n_in, n_out).astype(self.dtype) * np.sqrt(1 / n_in)

    def forward(self, x):
        if self.W.data is None:
            self.in_size = x.shape[1]
            self._init_W()
        return F.linear(x, self.W, self.b)
