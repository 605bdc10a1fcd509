// Many tests here seed torch's one global generator (manual_seed) and then draw their data and initial weights from it;
// test classes running in parallel would interleave those draws and change the data a threshold was chosen for.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
