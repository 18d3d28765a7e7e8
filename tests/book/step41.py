import numpy as np

import gradwidget.functions as F
from gradwidget.step32 import Variable

x = Variable(np.random.randn(2, 3))
w = Variable(np.random.randn(3, 4))
y = F.matmul(x, w)
y.backward()

print(x.grad.shape)
print(w.grad.shape)
