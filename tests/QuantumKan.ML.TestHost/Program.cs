using System.Globalization;
using Microsoft.ML;
using QuantumKan.ML;
using QuantumKan.ML.TestHost;

// Usage:
//   predict <model.zip> <inputs.txt>   — one input vector per line (space-separated floats, "R" format);
//                                        prints each Score as the hex bits of its floats, one line per input.
//   load-unregistered <model.zip>      — loads without RegisterQuantumKan() and prints the error message.
try
{
    var ml = new MLContext(seed: 1);
    switch (args[0])
    {
        case "predict":
        {
            ml.RegisterQuantumKan();
            TorchLinearTransformer.RegisterKind();
            var model = ml.Model.Load(args[1], out _);
            var engine = ml.Model.CreatePredictionEngine<HostInput, HostOutput>(model);
            foreach (var line in File.ReadAllLines(args[2]))
            {
                var x = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                var y = engine.Predict(new HostInput { Features = x }).Score;
                Console.WriteLine(string.Join(' ', y.Select(v => BitConverter.SingleToInt32Bits(v).ToString("X8"))));
            }
            return 0;
        }
        case "load-unregistered":
            TorchLinearTransformer.RegisterKind();
            ml.Model.Load(args[1], out _);
            Console.WriteLine("LOADED");
            return 0;
        default:
            Console.Error.WriteLine($"unknown mode {args[0]}");
            return 2;
    }
}
catch (Exception ex)
{
    Console.WriteLine("ERROR " + ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "));
    for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        Console.WriteLine("INNER " + inner.GetType().Name + ": " + inner.Message.ReplaceLineEndings(" "));
    return 1;
}
