"""PyTorch's side of the end-to-end MNIST comparison: the recipe of nn's `mnist` example, trained until
the test accuracy reaches the target. The same MLP and optimizer (784-512-256-10, ReLU, dropout 0.2,
Adam 1e-3 with a cosine schedule over 15 epochs, batch 128), and the same work at each epoch's end:
the loss and accuracy on the 5,000 held-out training images, early stopping when that accuracy has
not improved for 4 epochs, the weights saved when it improves (to a temporary file, forced to disk,
then renamed, as nn's checkpoints are written), and the test accuracy. The time stops when the test
accuracy reaches the target, before that epoch's checkpoint, as on nn's side.

    python3 torch_mnist.py DATA_DIR TARGET THREADS

Prints one JSON line: {"seconds": time to the target (null if not reached), "epochs": ..., "accuracy": ...,
"validation_seconds": the part of "seconds" spent on the held-out images and the checkpoints}.
Loading the files is not timed, as on nn's side.
"""
import gzip
import json
import os
import struct
import sys
import tempfile
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


def save(state, path):
    """Writes the weights as nn's checkpoints are written: a temporary file, forced to disk, renamed over
    the target, the directory forced too."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        torch.save(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    directory = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def main():
    directory, target, threads = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    x = idx(find(directory, "train-images-idx3-ubyte")).reshape(-1, 784).float() / 255
    y = idx(find(directory, "train-labels-idx1-ubyte")).long()
    tx = idx(find(directory, "t10k-images-idx3-ubyte")).reshape(-1, 784).float() / 255
    ty = idx(find(directory, "t10k-labels-idx1-ubyte")).long()
    order = torch.randperm(len(x))
    train, held = order[5000:], order[:5000]
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(512, 256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                                torch.nn.Linear(256, 10))
    with tempfile.TemporaryDirectory() as out:
        print(json.dumps(fit(model, x, y, tx, ty, train, held, target, out)))


def fit(model, x, y, tx, ty, train, held, target, out):
    """Trains until the test accuracy reaches the target, 15 epochs, or early stopping; returns the JSON fields."""
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, 15)
    loss_fn = torch.nn.CrossEntropyLoss()
    best, since_best, validation_seconds, accuracy = -1.0, 0, 0.0, 0.0
    start = time.perf_counter()
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
        began = time.perf_counter()
        with torch.no_grad():
            logits = model(x[held])
            loss_fn(logits, y[held]).item()                 # the Trainer reports val_loss too
            val_accuracy = (logits.argmax(1) == y[held]).float().mean().item()
        validation_seconds += time.perf_counter() - began
        with torch.no_grad():
            accuracy = (model(tx).argmax(1) == ty).float().mean().item()
        if accuracy >= target:
            return {"seconds": time.perf_counter() - start, "epochs": epoch + 1, "accuracy": accuracy,
                    "validation_seconds": validation_seconds}
        began = time.perf_counter()
        if val_accuracy > best:
            best, since_best = val_accuracy, 0
            save(model.state_dict(), os.path.join(out, "best.pt"))
        else:
            since_best += 1
        validation_seconds += time.perf_counter() - began
        if since_best >= 4:
            break
    return {"seconds": None, "epochs": epoch + 1, "accuracy": accuracy, "validation_seconds": validation_seconds}


if __name__ == "__main__":
    main()
