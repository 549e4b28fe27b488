"""Times PyTorch's CPU ctc_loss + backward through log_softmax (float32, reduction sum) for the shapes given on
the command line as N,T,C,S and prints one line 'N T C S best_ms' per shape. Same lengths recipe as the Java
benchmark (input lengths T - U(0, T/10), target lengths S - U(0, S/4)); run by CtcBenchmark."""
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
    warm_up_end = time.perf_counter() + 3.0   # as the Java side's InterleavedTimer
    while True:
        for _ in range(reps):
            once()
        if time.perf_counter() >= warm_up_end:
            break
    best = float("inf")
    for r in range(rounds + 1):
        t0 = time.perf_counter()
        for _ in range(reps):
            once()
        ms = (time.perf_counter() - t0) * 1000 / reps
        if r > 0:
            best = min(best, ms)
    return best

if __name__ == "__main__":
    torch.set_num_threads(int(sys.argv[1]))
    rounds, reps = int(sys.argv[2]), int(sys.argv[3])
    for shape in sys.argv[4:]:
        n, t, c, s = map(int, shape.split(","))
        print(n, t, c, s, "%.3f" % bench(n, t, c, s, rounds, reps), flush=True)
