"""自动微分运算 — torch.autograd: grad_fn, backward(), no_grad()/detach(), Jacobian products.

Transcribed from seed 003 (a Chinese notebook of the PyTorch "Automatic Differentiation with
torch.autograd" tutorial). Each `In [ ]:` cell is kept in order; it is self-contained, so
nothing needed to be added.
"""
# ruff: noqa: RUF003  (fullwidth punctuation in the tutorial's Chinese comments)

# In [1]:
import torch

# 简单单层网络示例，展示计算图与 grad_fn
x = torch.ones(5)                 # 输入 tensor
y = torch.zeros(3)                # 期望输出
w = torch.randn(5, 3, requires_grad=True)  # 需求梯度的参数
b = torch.randn(3, requires_grad=True)

z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)

print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")

# In [2]:
# 计算梯度：对 loss 调用 backward，然后读取参数的 grad 属性
loss.backward()
print('w.grad:')
print(w.grad)
print('\nb.grad:')
print(b.grad)

# 注意：在实际训练循环中，通常会在每次迭代前把梯度清零：optimizer.zero_grad() 或 param.grad.zero_()

# In [3]:
# 禁用梯度追踪的两种方法：torch.no_grad() 和 detach()
z = torch.matmul(x, w) + b
print('z.requires_grad before no_grad:', z.requires_grad)

with torch.no_grad():
    z2 = torch.matmul(x, w) + b
    print('z2.requires_grad inside no_grad:', z2.requires_grad)

z_det = z.detach()
print('z_det.requires_grad after detach():', z_det.requires_grad)

# ## 计算图（DAG）与反向传播原理

# In [4]:
# 雅可比（Jacobian）乘积示例：对非标量输出调用 backward 时需传入向量参数
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
# 传入与 out 相同形状的张量作为 backward 的参数
out.backward(torch.ones_like(out), retain_graph=True)
print('First call\n', inp.grad)
# 第二次调用会累加梯度
out.backward(torch.ones_like(out), retain_graph=True)
print('\nSecond call\n', inp.grad)
# 清零再调用
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print('\nCall after zeroing gradients\n', inp.grad)
