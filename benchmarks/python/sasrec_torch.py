#!/usr/bin/python3
"""Plain PyTorch SASRec training loop: the peer that TrainingSpeedBenchmark times beside the JVM trainer.

The network is the one in training's SasRecNetwork (itself the reference SASRec, pmixer/SASRec.pytorch):
scaled item embedding plus a learned position, blocks of [layer-norm query, causal single-head
attention over the un-normalised input, residual] and [layer-norm, point-wise two-layer ReLU
feed-forward, residual], a final layer-norm; BCE with one sampled negative per position; Adam
lr 1e-3, betas (0.9, 0.98). Like the JVM model (and unlike the reference) padded keys are masked.

One epoch does the same work as the JVM trainer's (org.lmrec.train.BatchSampler): every training
sequence with at least two items once, in a shuffled order, in ceil(sequences / batch) batches,
left-padded to maxlen, one negative per target position drawn from items outside the user's
training sequence; sampling is inside the timed epoch on both sides. (The reference's "epoch" is
floor(users / batch) batches of users drawn with replacement, so it is not used here.)

Data: the SASRec text format ('user item' lines in time order), users and items numbered in order of
first appearance, then the leave-one-out split of core's LeaveOneOutSplit (users with 3+
interactions train on all but their last two items).

Output (stdout), one line each, key=value pairs that TorchPeer parses:
  setup torch=1.13.0a0 threads=2 blas=/usr/lib/.../libblas.so.3 sequences=943 batches=8 positions=97843 items=1682 maxlen=200
  epoch=1 seconds=4.213 loss=0.9132
Usage: sasrec_torch.py --data FILE --maxlen 200 --dropout 0.2 [--epochs 5] [--threads 2] [--seed 1]
"""
import argparse
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="SASRec text file of 'user item' lines")
    p.add_argument("--maxlen", type=int, required=True)
    p.add_argument("--dropout", type=float, required=True)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--dim", type=int, default=50)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    return p.parse_args()


args = parse_args()
# OpenBLAS reads its thread count when the library loads, so it must be set before torch is imported;
# torch.set_num_threads below covers torch's own OpenMP pool. Both get the JVM trainer's count.
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
import numpy as np  # noqa: E402
import torch  # noqa: E402


def load_sequences(path):
    """Per-user item sequences in file order; users and items get indices by first appearance (items from 1)."""
    users, items, seqs = {}, {}, []
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2:
                sys.exit(f"{path}:{line_no}: expected 2 space-separated fields (user item), found {len(fields)}")
            u = users.setdefault(fields[0], len(users))
            i = items.setdefault(fields[1], len(items) + 1)
            if u == len(seqs):
                seqs.append([])
            seqs[u].append(i)
    return seqs, len(items)


def train_sequences(seqs):
    """Leave-one-out: users with 3+ items train on all but the last two, others on everything."""
    return [s[:-2] if len(s) >= 3 else s for s in seqs]


class Sampler:
    """One epoch = every trainable sequence once, shuffled; inputs/targets/negatives left-padded to maxlen."""

    def __init__(self, seqs, num_items, maxlen, batch, seed):
        self.seqs = [np.asarray(s, dtype=np.int64) for s in seqs if len(s) >= 2]
        self.num_items, self.maxlen, self.batch = num_items, maxlen, batch
        self.rng = np.random.default_rng(seed)

    def batches_per_epoch(self):
        return (len(self.seqs) + self.batch - 1) // self.batch

    def positions(self):
        return sum(min(len(s) - 1, self.maxlen) for s in self.seqs)

    def negatives(self, seq, n):
        # Rejection sampling from 1..num_items, redrawing only the items the user has seen.
        if len(np.unique(seq)) >= self.num_items:
            return self.rng.integers(1, self.num_items + 1, n)
        out = self.rng.integers(1, self.num_items + 1, n)
        bad = np.isin(out, seq)
        while bad.any():
            out[bad] = self.rng.integers(1, self.num_items + 1, int(bad.sum()))
            bad = np.isin(out, seq)
        return out

    def epoch(self):
        order = self.rng.permutation(len(self.seqs))
        for start in range(0, len(order), self.batch):
            rows = order[start:start + self.batch]
            inp = np.zeros((len(rows), self.maxlen), dtype=np.int64)
            tgt = np.zeros_like(inp)
            neg = np.zeros_like(inp)
            for r, u in enumerate(rows):
                s = self.seqs[u]
                pairs = min(len(s) - 1, self.maxlen)
                inp[r, self.maxlen - pairs:] = s[len(s) - 1 - pairs:len(s) - 1]
                tgt[r, self.maxlen - pairs:] = s[len(s) - pairs:]
                neg[r, self.maxlen - pairs:] = self.negatives(s, pairs)
            yield torch.from_numpy(inp), torch.from_numpy(tgt), torch.from_numpy(neg)


class Block(torch.nn.Module):
    def __init__(self, d, dropout):
        super().__init__()
        self.attn_norm = torch.nn.LayerNorm(d, eps=1e-8)
        self.q, self.k, self.v, self.out = (torch.nn.Linear(d, d) for _ in range(4))
        self.ffn_norm = torch.nn.LayerNorm(d, eps=1e-8)
        self.ffn1, self.ffn2 = torch.nn.Linear(d, d), torch.nn.Linear(d, d)
        self.drop = torch.nn.Dropout(dropout)

    def forward(self, x, attn_mask, pad_mask):
        q = self.attn_norm(x)
        # One head, so no head split: [B, L, d] x [B, d, L].
        scores = self.q(q) @ self.k(x).transpose(1, 2) / (x.shape[-1] ** 0.5) + attn_mask
        x = q + self.out(self.drop(scores.softmax(-1)) @ self.v(x))
        f = self.ffn_norm(x)
        return (f + self.drop(self.ffn2(torch.relu(self.drop(self.ffn1(f)))))) * pad_mask


class SasRec(torch.nn.Module):
    def __init__(self, num_items, maxlen, d, blocks, dropout):
        super().__init__()
        self.items = torch.nn.Embedding(num_items + 1, d, padding_idx=0)
        self.positions = torch.nn.Embedding(maxlen + 1, d)  # row 0 unused; the newest item has position maxlen
        self.blocks = torch.nn.ModuleList(Block(d, dropout) for _ in range(blocks))
        self.final_norm = torch.nn.LayerNorm(d, eps=1e-8)
        self.drop = torch.nn.Dropout(dropout)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                torch.nn.init.xavier_normal_(p)  # as the reference and the JVM model
            elif "bias" in name:
                torch.nn.init.zeros_(p)

    def features(self, inp):
        b, length = inp.shape
        d = self.items.embedding_dim
        pad_mask = (inp != 0).unsqueeze(-1).float()
        pos = self.positions.weight[self.positions.num_embeddings - length:]
        x = self.drop(self.items(inp) * d ** 0.5 + pos) * pad_mask
        # Additive mask [B, 1..., L, L]: causal plus padded keys, finite so padded query rows stay defined.
        causal = torch.triu(torch.full((length, length), -1e9), diagonal=1)
        attn_mask = causal + (inp == 0).float().mul(-1e9).view(b, 1, length)
        for blk in self.blocks:
            x = blk(x, attn_mask, pad_mask)
        return self.final_norm(x)

    def loss(self, inp, tgt, neg):
        feats = self.features(inp)
        valid = tgt != 0
        rows = feats[valid]  # only positions with a target, as the JVM loss gathers them
        pos = (rows * self.items(tgt[valid])).sum(-1)
        negl = (rows * self.items(neg[valid])).sum(-1)
        return torch.nn.functional.softplus(-pos).mean() + torch.nn.functional.softplus(negl).mean()


def blas_library():
    """The BLAS shared object torch actually loaded (reference BLAS vs OpenBLAS changes the timings a lot)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ",".join(sorted(libs)) or "none"
    except OSError:
        return "unknown"


def main():
    torch.manual_seed(args.seed)  # initialisation and dropout masks
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)  # as the JVM trainer: steps are sequential
    seqs, num_items = load_sequences(args.data)
    sampler = Sampler(train_sequences(seqs), num_items, args.maxlen, args.batch, args.seed)
    model = SasRec(num_items, args.maxlen, args.dim, args.blocks, args.dropout)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.98), eps=1e-8)
    torch.ones(64, 64) @ torch.ones(64, 64)  # loads the BLAS library so it can be reported
    print(f"setup torch={torch.__version__} threads={torch.get_num_threads()} blas={blas_library()}"
          f" sequences={len(sampler.seqs)} batches={sampler.batches_per_epoch()} positions={sampler.positions()}"
          f" items={num_items} maxlen={args.maxlen}", flush=True)
    model.train()
    for e in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        total, n = 0.0, 0
        for inp, tgt, neg in sampler.epoch():
            opt.zero_grad(set_to_none=True)
            loss = model.loss(inp, tgt, neg)
            loss.backward()
            opt.step()
            total, n = total + loss.item(), n + 1
        if not np.isfinite(total):
            sys.exit(f"training diverged at epoch {e}: loss {total / n}")
        print(f"epoch={e} seconds={time.perf_counter() - t0:.3f} loss={total / n:.4f}", flush=True)


if __name__ == "__main__":
    main()
