// Tests here compare runs bit for bit (exact resume, determinism) with dropout, which draws from torch's one global
// generator during training; test classes running in parallel would interleave those draws.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
