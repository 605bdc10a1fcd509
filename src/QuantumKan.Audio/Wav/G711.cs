namespace QuantumKan.Audio.Wav;

/// <summary>
/// ITU-T G.711 A-law and µ-law companding (the classic Sun reference algorithm), written by hand because no served
/// library decodes WAV. Values are 16-bit linear PCM.
/// </summary>
internal static class G711
{
    private static readonly short[] MuLawTable = BuildTable(DecodeMuLaw);
    private static readonly short[] ALawTable = BuildTable(DecodeALaw);

    /// <summary>16-bit linear value of every µ-law code.</summary>
    public static ReadOnlySpan<short> MuLawToLinear => MuLawTable;

    /// <summary>16-bit linear value of every A-law code.</summary>
    public static ReadOnlySpan<short> ALawToLinear => ALawTable;

    private static short[] BuildTable(Func<byte, short> decode)
    {
        var table = new short[256];
        for (int i = 0; i < 256; i++)
            table[i] = decode((byte)i);
        return table;
    }

    private static short DecodeMuLaw(byte code)
    {
        int u = ~code & 0xFF;
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (short)((u & 0x80) != 0 ? 0x84 - t : t - 0x84);
    }

    private static short DecodeALaw(byte code)
    {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        t = segment switch
        {
            0 => t + 8,
            1 => t + 0x108,
            _ => (t + 0x108) << (segment - 1),
        };
        return (short)((a & 0x80) != 0 ? t : -t);
    }

    public static byte EncodeMuLaw(short pcm)
    {
        const int Clip = 8159, Bias = 0x84 >> 2;
        int value = pcm >> 2;
        int mask;
        if (value < 0)
        {
            value = -value;
            mask = 0x7F;
        }
        else
            mask = 0xFF;
        value = Math.Min(value, Clip) + Bias;
        int segment = Segment(value, 0x3F);
        if (segment >= 8)
            return (byte)(0x7F ^ mask);
        return (byte)(((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask);
    }

    public static byte EncodeALaw(short pcm)
    {
        int value = pcm >> 3;
        int mask;
        if (value >= 0)
            mask = 0xD5;
        else
        {
            mask = 0x55;
            value = -value - 1;
        }
        int segment = Segment(value, 0x1F);
        if (segment >= 8)
            return (byte)(0x7F ^ mask);
        int a = segment << 4;
        a |= segment < 2 ? (value >> 1) & 0x0F : (value >> segment) & 0x0F;
        return (byte)(a ^ mask);
    }

    // The segment ends are firstEnd, 2·firstEnd+1, ... (0x3F, 0x7F, ... for µ-law; 0x1F, 0x3F, ... for A-law).
    private static int Segment(int value, int firstEnd)
    {
        int end = firstEnd;
        for (int s = 0; s < 8; s++, end = (end << 1) | 1)
            if (value <= end)
                return s;
        return 8;
    }
}
