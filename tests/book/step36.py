import numpy as np

from gradwidget.step32 import Variable

x = Variable(np.array(2.0))
y = x**2
y.backward(create_graph=True)
gx = x.grad
x.cleargrad()

z = gx**3 + y
z.backward()
print(x.grad)
