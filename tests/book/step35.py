import numpy as np

import gradwidget.functions as F
from gradwidget import show
from gradwidget.step32 import Variable

x = Variable(np.array(1.0))
y = F.tanh(x)
x.name = "x"
y.name = "y"
y.backward(create_graph=True)

iters = 1

for i in range(iters):
    gx = x.grad
    x.cleargrad()
    gx.backward(create_graph=True)

gx = x.grad
gx.name = "gx" + str(iters + 1)
graph = show(gx)  # the book's plot_dot_graph(gx, verbose=False, to_file="tanh.png")
