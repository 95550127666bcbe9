"""自动微分模块: leaf nodes, MSELoss backward, detach() shares storage, `.data` vs `.detach()`.

Transcribed from seed 002 (a notebook). Each `In [n]:` cell is kept in order (commented-out
cells stay commented out). The last cell raises a RuntimeError in PyTorch on purpose (the
point of the lesson); it is caught and its message printed so the script runs to the end.
"""
# ruff: noqa: RUF003  (fullwidth punctuation in the tutorial's Chinese comments)

# In [1]:
import torch

# In [2]:
# 定义数据
x = torch.tensor(10.0)
y = torch.tensor([[3.0]])
print(x)
print(y)

# In [3]:
# 定义参数，权重和偏置
w = torch.rand(1, 1, requires_grad=True)  # 1 x 1的矩阵，需要计算梯度，开启requires_grad属性
b = torch.rand(1, 1, requires_grad=True)  # 1 x 1的矩阵，需要计算梯度，开启requires_grad属性
print(w)
print(b)

# In [4]:
# 前向传播，得到输出值
z = w * x + b  # z为某些张量得到的一个新的张量
print(z)

# In [5]:
print(x.is_leaf)
print(w.is_leaf)
print(b.is_leaf)
print(y.is_leaf)
print(z.is_leaf)

# In [6]:
# 设置损失函数，均方误差
loss = torch.nn.MSELoss()
loss_value = loss(z, y)  # 通过真实值和预测值计算误差
print(loss_value)
print(loss_value.is_leaf)

# In [7]:
# 反向传播
loss_value.backward()

# In [8]:
# 查看梯度
print(w.grad)
print(b.grad)

# # 分离张量

# In [9]:
x = torch.tensor(2.0, requires_grad=True)
y = x.detach()
print(x.requires_grad)
print(y.requires_grad)
# 不同的对象
print(id(x))
print(id(y))
# 数据存放的位置是相同的
print(x.untyped_storage().data_ptr())
print(y.untyped_storage().data_ptr())

# In [10]:
print(x)
y.add_(10)
print(x)

# In [11]:
# 分别对x和y进行后续计算
z1 = x ** 2
z2 = y ** 2
print(z1)
print(z2)

# In [12]:
# 将sum()作为损失函数进行反向传播
z1.sum().backward()

# In [13]:
# 将sum()作为损失函数进行反向传播
# z2.sum().backward() # 无法进行反向传播
#     element 0 of tensors does not require grad and does not have a grad_fn

# In [14]:
x = torch.ones(2, 2, requires_grad=True)
y = x * x
print(x)
print(y)

# In [15]:
# 分离y
u = y.detach()
print(u)

# In [16]:
# # 定义z，让u参与新张量的计算
# z1 = u * x
# # 反向传播，计算梯度
# z1.sum().backward()
# # 查看x的梯度
# print(x.grad)
# print(x.grad == u)

# In [17]:
# 让y参与新张量的计算
z2 = y * x
z2.sum().backward()
print(x.grad)

# `.data`和`.detach()`的对比

# In [18]:
# 两组数据进行对比
x1 = torch.tensor([1.0, 2, 3], requires_grad=True)
x2 = torch.tensor([1.0, 2, 3], requires_grad=True)
print(x1)
print(x2)

# In [19]:
y1 = x1.sigmoid()
y2 = x2.sigmoid()
print(y1)
print(y2)

# In [20]:
# y1.sum().backward()
# print(x1.grad)

# In [21]:
# y2.sum().backward()
# print(x2.grad)

# In [22]:
z1 = y1.data
z2 = y2.detach()
print(z1)
print(z2)
print(z1.requires_grad)
print(z2.requires_grad)

# In [23]:
z1.zero_()
z2.zero_()
print(y1)
print(y2)

# In [24]:
y1.sum().backward()
print(x1.grad)  # 计算流程图没有改变，仅仅通过data修改了数值，导致梯度计算出现错误，不安全

# In [25]:
# added: the seed lets this RuntimeError propagate (the lesson's point); catch and print it
try:
    y2.sum().backward()
    print(x2.grad)  # 报错，自动微分引擎发现数值修改，不允许梯度计算，安全
except RuntimeError as e:
    print(f"RuntimeError: {e}")
