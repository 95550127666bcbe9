"""自动求导: backward(), gradient zeroing, detach() and Python control flow (d2l style).

Transcribed from seed 000 (a notebook). Each `In [n]:` cell is kept in order; a cell's
displayed last expression is written as `print(expr)`.
"""

# The markdown part of the seed shows this pseudo-code (`...` is a placeholder, so it is kept
# as a comment rather than run):
#     x = torch.tensor(..., requires_grad=True)
#     y = 2 * x + 3
#     z = y**2
#     z.backward()
#     print(x.grad) # 4*x*2

# In [4]:
import torch

x = torch.arange(4.0)
print(x)

# In [7]:
# 反向传播中计算梯度,默认False
x.requires_grad=True
print(x.grad)#默认为None

# In [11]:
y = 2 * torch.dot(x, x)
print(y)

# In [12]:
y.backward()
print(x.grad)

# In [14]:
print(x.grad == 4 * x)

# In [15]:
# 梯度清零
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)

# In [20]:
x.grad.zero_()
y = x * x
y.sum().backward()
print(x.grad)

# In [22]:
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x

z.sum().backward()
print(x.grad == u)

# In [23]:
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)

# In [24]:
def f(a):
    b = a * 2
    # b的向量模长小于1000时
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

a = torch.randn(size=(), requires_grad=True)
d = f(a)
d.backward()
print(a.grad == d/a)
