"""d2l 自动微分 notes: gradients of scalars and non-scalars, detach(), control flow, exercises.

Transcribed from seed 004 (Obsidian notes on the d2l.ai "Automatic Differentiation" chapter).
Its code (fenced and unfenced) is kept in order; a displayed last expression is written as
`print(expr)`. The notes use `x` and `f` from the d2l chapter without defining them, so the
chapter's definitions are added (marked `# added`). Exercise 5 saves its plot to a PNG next to
this script before `plt.show()` (Agg backend when there is no display).
"""
# ruff: noqa: RUF003  (fullwidth punctuation in the tutorial's Chinese comments)
import os
from pathlib import Path

import matplotlib  # added: to pick a headless backend in exercise 5

# added: the d2l chapter's setup that the notes rely on
import torch

x = torch.arange(4.0)

# ## 1 一个简单的例子

x.requires_grad_(True)  # 等价于x=torch.arange(4.0,requires_grad=True)
print(x.grad)  # 默认值是None

y = 2 * torch.dot(x, x)
print(y)

y.backward()
print(x.grad)

# 在默认情况下，PyTorch会累积梯度，我们需要清除之前的值
x.grad.zero_()
y = x.sum()
y.backward()
print(x.grad)

# ## 2 非标量变量的反向传播

# 对非标量调用backward需要传入一个gradient参数，该参数指定微分函数关于self的梯度。
# 本例只想求偏导数的和，所以传递一个1的梯度是合适的
x.grad.zero_()
y = x * x
# 等价于y.backward(torch.ones(len(x)))
y.sum().backward()
print(x.grad)

# ## 3 分离计算

x.grad.zero_()
y = x * x
u = y.detach()
z = u * x

z.sum().backward()
print(x.grad == u)

# ## 4 Python控制流的梯度计算


# added: the d2l chapter's f, which the notes call without defining
def f(a):
    b = a * 2
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

print(a.grad == d / a)

# ## 6 练习

# ### 2 再次运行反向传播函数会发生什么? (answer: needs retain_graph=True)
# added: the fragment needs a scalar y with a live graph; use the chapter's y = 2 * x.x
x.grad.zero_()
y = 2 * torch.dot(x, x)
y.backward(retain_graph=True)
# added: a second backward succeeds because the graph was retained; gradients accumulate
y.backward()
print(x.grad)


# ### 4 控制流梯度示例
def g(x):
    if x > 1:
        y = x * x
    else:
        y = 3 * x
    return y


# added: evaluate the answer's case x = 2 (dy/dx = 2x = 4)
x_g = torch.tensor(2.0, requires_grad=True)
g(x_g).backward()
print(x_g.grad)

# ### 5
# added: headless backend when there is no display (before the notes' pyplot import)
if not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")

import torch, matplotlib.pyplot as plt  # noqa: E401, E402, I001  (as the notes wrote it)
x = torch.linspace(-2*torch.pi, 2*torch.pi, 200, requires_grad=True)
y = torch.sin(x)
y.backward(torch.ones_like(x))
plt.plot(x.detach(), y.detach(), label='sin(x)')
plt.plot(x.detach(), x.grad, label='cos(x)')
plt.legend()
# added: save the figure next to this script before showing it
png_path = Path(__file__).with_name("seed_004_sin_grad.png")
plt.savefig(png_path)
print(f"saved {png_path}")
plt.show()  # seed had: plt.legend(); plt.show()
