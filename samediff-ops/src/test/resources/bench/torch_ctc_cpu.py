"""Single-thread CPU time (time.thread_time) of PyTorch's CPU ctc_loss + backward through log_softmax (float32,
reduction sum) per call, best block, for the shapes given as N,T,C,S; prints 'N T C S best_ms' per shape. CPU time of
one thread does not count the time other processes take the cores, so it compares on a loaded machine. Same data
recipe as torch_ctc_bench.py; run by CtcCpuTimeBenchmark. Arguments: threads (ignored: 1) rounds reps shapes..."""
import sys, time, torch
import torch.nn.functional as F

def bench(n, t, c, s, rounds, reps):
    g = torch.Generator().manual_seed(1)
    logits = torch.randn(t, n, c, generator=g)
    targets = torch.randint(1, c, (n, s), generator=g)
    il = torch.tensor([t - int(torch.randint(0, t // 10 + 1, (1,), generator=g)) for _ in range(n)])
    tl = torch.tensor([s - int(torch.randint(0, s // 4 + 1, (1,), generator=g)) for _ in range(n)])
    def once():
        x = logits.detach().requires_grad_()
        loss = F.ctc_loss(x.log_softmax(2), targets, il, tl, blank=0, reduction="sum")
        loss.backward()
    warm_up_end = time.perf_counter() + 3.0
    while time.perf_counter() < warm_up_end:
        once()
    best = float("inf")
    for _ in range(rounds):
        c0 = time.thread_time()
        for _ in range(reps):
            once()
        best = min(best, (time.thread_time() - c0) * 1000 / reps)
    return best

if __name__ == "__main__":
    torch.set_num_threads(1)
    rounds, reps = int(sys.argv[2]), int(sys.argv[3])
    for shape in sys.argv[4:]:
        n, t, c, s = map(int, shape.split(","))
        # a tenth of the calls per block at C > 1000, as on the Java side
        print(n, t, c, s, "%.3f" % bench(n, t, c, s, rounds, max(1, reps // 10) if c > 1000 else reps), flush=True)
