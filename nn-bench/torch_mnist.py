"""PyTorch's side of the end-to-end MNIST comparison: the same MLP and optimizer as nn's `mnist`
example (784-512-256-10, ReLU, dropout 0.2, Adam 1e-3 with a cosine schedule over 15 epochs, batch
128, 5,000 training images held out), trained until the test accuracy reaches the target.

    python3 torch_mnist.py DATA_DIR TARGET THREADS

Prints one JSON line: {"seconds": time to the target (null if not reached), "epochs": ..., "accuracy": ...}.
Loading the files is not timed, as on nn's side.
"""
import gzip
import json
import os
import struct
import sys
import time

import torch


def idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic, = struct.unpack(">I", raw[:4])
    rank = magic & 0xFF
    dims = struct.unpack(">" + "I" * rank, raw[4:4 + 4 * rank])
    data = torch.frombuffer(bytearray(raw[4 + 4 * rank:]), dtype=torch.uint8)
    return data.reshape(dims)


def find(directory, name):
    for candidate in (name, name + ".gz"):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    raise SystemExit(f"missing {name}[.gz] in {directory}")


def main():
    directory, target, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = idx(find(directory, "train-images-idx3-ubyte")).reshape(-1, 784).float() / 255
    y = idx(find(directory, "train-labels-idx1-ubyte")).long()
    tx = idx(find(directory, "t10k-images-idx3-ubyte")).reshape(-1, 784).float() / 255
    ty = idx(find(directory, "t10k-labels-idx1-ubyte")).long()
    order = torch.randperm(len(x))
    train = order[5000:]
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 15)
    loss_fn = torch.nn.CrossEntropyLoss()
    start = time.perf_counter()
    accuracy = 0.0
    for epoch in range(15):
        model.train()
        perm = train[torch.randperm(len(train))]
        for b in range(0, len(perm), 128):
            i = perm[b:b + 128]
            opt.zero_grad()
            loss_fn(model(x[i]), y[i]).backward()
            opt.step()
        schedule.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(tx).argmax(1) == ty).float().mean().item()
        if accuracy >= target:
            print(json.dumps({"seconds": time.perf_counter() - start, "epochs": epoch + 1, "accuracy": accuracy}))
            return
    print(json.dumps({"seconds": None, "epochs": 15, "accuracy": accuracy}))


if __name__ == "__main__":
    main()
