"""The seed notebook's own classes (the book's steps 1-7), as a learner types them: a Variable with data, grad
and creator; a Function that keeps its input and output on self; Square and Exp. Nothing here knows about
gradwidget."""

import numpy as np


class Variable:
    def __init__(self, data):
        self.data = data
        self.grad = None
        self.creator = None

    def set_creator(self, func):
        self.creator = func

    def backward(self):
        f = self.creator
        if f is not None:
            x = f.input
            x.grad = f.backward(self.grad)
            x.backward()


class Function:
    def __call__(self, input):  # noqa: A002 - the book's own name
        x = input.data
        y = self.forward(x)
        output = Variable(y)
        output.set_creator(self)
        self.input = input
        self.output = output
        return output

    def forward(self, x):
        raise NotImplementedError()

    def backward(self, gy):
        raise NotImplementedError()


class Square(Function):
    def forward(self, x):
        y = x**2
        return y

    def backward(self, gy):
        x = self.input.data
        gx = 2 * x * gy
        return gx


class Exp(Function):
    def forward(self, x):
        y = np.exp(x)
        return y

    def backward(self, gy):
        x = self.input.data
        gx = np.exp(x) * gy
        return gx


def seed_graph(x=0.5):
    """The seed's y = C(B(A(x))) with A, C = Square() and B = Exp(); returns (x, y)."""
    x = Variable(np.array(x))
    A, B, C = Square(), Exp(), Square()
    return x, C(B(A(x)))
