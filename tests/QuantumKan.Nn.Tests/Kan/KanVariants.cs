using QuantumKan.Nn.Kan;

namespace QuantumKan.Nn.Tests.Kan;

/// <summary>Every basis, as xunit theory data, with the default options of each.</summary>
public static class KanVariants
{
    public static readonly KanBasis[] All = Enum.GetValues<KanBasis>();

    public static TheoryData<KanBasis> Bases()
    {
        var data = new TheoryData<KanBasis>();
        foreach (var basis in All)
            data.Add(basis);
        return data;
    }

    public static KanLayerOptions Options(KanBasis basis) => KanLayerOptions.For(basis);
}
