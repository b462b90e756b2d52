"""PyTorch peer for the training benchmark: the notebook's GRU regressor on the same windows.

Reads windows written by bench/training (float32, C order) and trains a stacked nn.GRU with a
linear head, Adam and mean squared error, as the notebook does. Prints one JSON object with
samples per second for a timed epoch of a fixed number of batches after a warm-up, and
optionally the test RMSE after training whole epochs.
"""

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
from torch import nn


class GruRegressor(nn.Module):
    """Stacked GRU whose last step's state feeds one linear layer."""

    def __init__(self, inputs: int, units: int, layers: int, outputs: int, dropout: float):
        super().__init__()
        # nn.GRU applies dropout between stacked layers, as Dustcast's dropout layers do.
        self.gru = nn.GRU(inputs, units, num_layers=layers, batch_first=True, dropout=dropout if layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(units, outputs)

    def forward(self, windows: torch.Tensor) -> torch.Tensor:
        sequence, _ = self.gru(windows)
        return self.head(self.dropout(sequence[:, -1, :]))


def read_split(folder: str, name: str, meta: dict) -> tuple[torch.Tensor, torch.Tensor]:
    count = meta["splits"][name]
    inputs = np.fromfile(os.path.join(folder, f"{name}-inputs.f32"), dtype=np.float32)
    targets = np.fromfile(os.path.join(folder, f"{name}-targets.f32"), dtype=np.float32)
    inputs = inputs.reshape(count, meta["windowHours"], meta["featureCount"])
    targets = targets.reshape(count, meta["outputCount"])
    return torch.from_numpy(inputs), torch.from_numpy(targets)


def train_batches(model, optimizer, inputs, targets, batch_size, first_batch, batches):
    loss_function = nn.MSELoss()
    model.train()
    for batch in range(first_batch, first_batch + batches):
        start = (batch * batch_size) % (inputs.shape[0] - batch_size + 1)
        optimizer.zero_grad()
        loss = loss_function(model(inputs[start : start + batch_size]), targets[start : start + batch_size])
        loss.backward()
        optimizer.step()


def test_rmse(model, inputs, targets, target_stds) -> list[float]:
    """RMSE per output in the targets' own unit, after undoing the target scaling."""
    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(inputs[start : start + 1024]) for start in range(0, inputs.shape[0], 1024)])
    # Outputs are horizon-major: every horizon repeats the targets in order.
    scale = torch.tensor(target_stds).repeat(targets.shape[1] // len(target_stds))
    error = (predicted - targets) * scale
    return torch.sqrt(torch.mean(error * error, dim=0)).tolist()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--windows", required=True, help="folder with meta.json and the split files")
    parser.add_argument("--layers", type=int, required=True)
    parser.add_argument("--units", type=int, required=True)
    parser.add_argument("--batch-size", type=int, required=True)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--dropout", type=float, default=0.0)
    parser.add_argument("--warmup-batches", type=int, default=5)
    parser.add_argument("--timed-batches", type=int, required=True, help="batches in the timed epoch")
    parser.add_argument("--epochs", type=int, default=0, help="whole epochs to train before the test RMSE; 0 skips it")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch intra-op threads")
    parser.add_argument("--seed", type=int, default=42)
    arguments = parser.parse_args()

    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    with open(os.path.join(arguments.windows, "meta.json"), encoding="utf-8") as file:
        meta = json.load(file)
    train_inputs, train_targets = read_split(arguments.windows, "train", meta)
    model = GruRegressor(meta["featureCount"], arguments.units, arguments.layers, meta["outputCount"], arguments.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=arguments.learning_rate)

    result = {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
    }
    train_batches(model, optimizer, train_inputs, train_targets, arguments.batch_size, 0, arguments.warmup_batches)
    start = time.perf_counter()
    cpu_start = time.process_time()
    train_batches(
        model, optimizer, train_inputs, train_targets, arguments.batch_size, arguments.warmup_batches, arguments.timed_batches
    )
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    result["timedSeconds"] = seconds
    result["samplesPerSecond"] = arguments.timed_batches * arguments.batch_size / seconds
    # CPU seconds of all threads of this process over the timed batches.
    result["cpuSeconds"] = cpu_seconds
    result["samplesPerCpuSecond"] = arguments.timed_batches * arguments.batch_size / cpu_seconds

    if arguments.epochs > 0:
        torch.manual_seed(arguments.seed)
        model = GruRegressor(meta["featureCount"], arguments.units, arguments.layers, meta["outputCount"], arguments.dropout)
        optimizer = torch.optim.Adam(model.parameters(), lr=arguments.learning_rate)
        batches_per_epoch = train_inputs.shape[0] // arguments.batch_size
        generator = torch.Generator().manual_seed(arguments.seed)
        for _ in range(arguments.epochs):
            order = torch.randperm(train_inputs.shape[0], generator=generator)
            shuffled_inputs, shuffled_targets = train_inputs[order], train_targets[order]
            train_batches(model, optimizer, shuffled_inputs, shuffled_targets, arguments.batch_size, 0, batches_per_epoch)
        test_inputs, test_targets = read_split(arguments.windows, "test", meta)
        result["testRmse"] = test_rmse(model, test_inputs, test_targets, meta["targetStds"])

    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
