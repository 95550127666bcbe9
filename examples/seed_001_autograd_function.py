"""PyTorch中的autograd: requires_grad, grad_fn, backward(), no_grad() and detach().

Transcribed from seed 001 (a blog post); its code blocks are kept in order, including the
triple-quoted strings holding the expected output. Typos that would crash in real PyTorch
are fixed and marked `# seed had: ...`.
"""
from __future__ import print_function  # noqa: UP010  (kept as the post wrote it)

import torch

# ## 关于torch.Function

x1 = torch.ones(3, 3)
x2 = torch.ones(2, 2, requires_grad=True)
print(x1, '\n', x2)

'''
tensor([[1., 1., 1.],
        [1., 1., 1.],
        [1., 1., 1.]])
 tensor([[1., 1.],
        [1., 1.]], requires_grad=True)
'''

y = x2 + 2
print(y)
print(x1.grad_fn, '\n', y.grad_fn)

'''
tensor([[3., 3.],
        [3., 3.]], grad_fn=<AddBackward0>)
None
 <AddBackward0 object at 0x0000020CC93A7F70>
'''

# 一些更复杂的操作:

z = y * y * 3
out = z.mean()
print(z, out)

'''
tensor([[27., 27.],
        [27., 27.]], grad_fn=<MulBackward0>) tensor(27., grad_fn=<MeanBackward0>)
'''

# 使用inplace操作符可以改变Tensor的 requires_grad 属性:

a = torch.ones(2, 2)
print(a.requires_grad)
a.requires_grad_(True)
print(a.requires_grad)

'''
False
True
'''

# ## 关于梯度Gradients

out.backward()
print(x2.grad)

'''
tensor([[4.5000, 4.5000],
        [4.5000, 4.5000]])
'''

# 关于自动求导的属性设置

x = x2  # added: the seed uses an undefined `x` here; the text means `x2`
print(x.requires_grad)
print((x ** 2).requires_grad)  # seed had: (x ** 2).equires_grad

with torch.no_grad():
    print((x ** 2).requires_grad)

'''
True
True
False
'''

# 可以通过 .detach() 获得一个新的Tensor,拥有相同内容但不需要自动求导.

print(x.requires_grad)
y = x.detach()
print(y.requires_grad)  # seed had: print(y,requires_grad)
print(x.eq(y).all())  # seed had: x.eq(y).all

'''
True
False
tensor(True)
'''
