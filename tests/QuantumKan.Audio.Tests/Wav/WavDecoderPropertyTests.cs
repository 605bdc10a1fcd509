using System.Buffers.Binary;
using CsCheck;
using QuantumKan.Audio.Wav;

namespace QuantumKan.Audio.Tests.Wav;

/// <summary>
/// Mutated headers and bytes: whatever the damage, the decoder returns a clip bounded by the file's size or throws
/// <see cref="AudioFormatException"/>; never another exception, never a hang.
/// </summary>
public class WavDecoderPropertyTests
{
    private static readonly byte[][] Seeds =
    [
        WavBytes.Canonical([WavBytes.Sine(64, 0.05)], 16000, WavSampleFormat.Pcm16),
        WavBytes.Canonical([WavBytes.Sine(33, 0.05), WavBytes.Sine(33, 0.1)], 44100, WavSampleFormat.Pcm24),
        WavBytes.Canonical([WavBytes.Sine(21, 0.05)], 8000, WavSampleFormat.Float64),
        WavBytes.Canonical([WavBytes.Sine(41, 0.05)], 8000, WavSampleFormat.MuLaw),
        new WavBytes().Chunk("LIST", new byte[7]).FmtExtensible(3, 2, 48000, 32, 32).Data(new byte[64]).Chunk("cue ", new byte[4]).Build(),
    ];

    // Values that make header fields lie in interesting ways.
    private static readonly uint[] Lies = [0, 1, 2, 3, 7, 16, 18, 40, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF, 0xFFFE, 0xFFFF, 0x10000];

    private static readonly Gen<Func<byte[], byte[]>> Mutation = Gen.OneOf(
        // Flip one byte anywhere.
        Gen.Select(Gen.Int[0, 4096], Gen.Byte).Select(t => (Func<byte[], byte[]>)(b =>
        {
            if (b.Length == 0)
                return b;
            var c = (byte[])b.Clone();
            c[t.Item1 % c.Length] = t.Item2;
            return c;
        })),
        // Overwrite a 16- or 32-bit field at a header offset, or anywhere, with a lie.
        Gen.Select(Gen.Int[0, 80], Gen.Int[0, Lies.Length - 1], Gen.Bool).Select(t => (Func<byte[], byte[]>)(b =>
        {
            if (b.Length < 4)
                return b;
            var c = (byte[])b.Clone();
            int at = Math.Min(t.Item1, c.Length - 4);
            if (t.Item3)
                BinaryPrimitives.WriteUInt32LittleEndian(c.AsSpan(at), Lies[t.Item2]);
            else
                BinaryPrimitives.WriteUInt16LittleEndian(c.AsSpan(at), (ushort)Lies[t.Item2]);
            return c;
        })),
        // Truncate.
        Gen.Int[0, 4096].Select(n => (Func<byte[], byte[]>)(b => b[..(n % (b.Length + 1))])),
        // Insert random bytes (a bogus chunk, garbage) somewhere.
        Gen.Select(Gen.Int[0, 4096], Gen.Byte.Array[1, 24]).Select(t => (Func<byte[], byte[]>)(b =>
        {
            int at = t.Item1 % (b.Length + 1);
            return [.. b[..at], .. t.Item2, .. b[at..]];
        })));

    private static readonly Gen<(byte[] File, WavDecodeOptions Options)> DamagedFiles =
        from seed in Gen.Int[0, Seeds.Length - 1]
        from mutations in Mutation.Array[1, 6]
        from keep in Gen.Bool
        from lenient in Gen.Bool
        select (mutations.Aggregate(Seeds[seed], (file, m) => m(file)),
                new WavDecodeOptions
                {
                    Channels = keep ? ChannelPolicy.KeepChannels : ChannelPolicy.MixToMono,
                    Truncation = lenient ? TruncationPolicy.ReadAvailable : TruncationPolicy.Refuse,
                });

    [Fact]
    public void Decode_OnMutatedFiles_ReturnsABoundedClipOrTheTypedError()
    {
        DamagedFiles.Sample(t =>
        {
            var (file, options) = t;
            var run = Task.Run(() =>
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                AudioClip? clip = null;
                try
                {
                    clip = WavDecoder.Decode(file, "mutated.wav", options);
                }
                catch (AudioFormatException ex)
                {
                    Assert.Equal("mutated.wav", ex.FileName);
                    Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
                }
                // Measured around the decode alone (the checks below allocate on their own).
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < 16L * file.Length + (2 << 20), $"allocated {allocated} bytes for a {file.Length}-byte file");
                if (clip is not null)
                {
                    long samples = (long)clip.FrameCount * clip.ChannelCount;
                    Assert.True(samples <= file.Length, $"{samples} samples from a {file.Length}-byte file");
                    foreach (var channel in clip.Channels)
                        foreach (var v in channel)
                            Assert.True(float.IsFinite(v));
                }
            });
            // A hang detector, not a speed assertion: a decode of a few hundred bytes takes microseconds.
            Assert.True(run.Wait(TimeSpan.FromSeconds(20)), "the decoder did not finish");
            run.GetAwaiter().GetResult();
        }, iter: 20_000, threads: 1);
    }

    [Fact]
    public void Decode_OnRandomBytes_RaisesOnlyTheTypedError()
    {
        Gen.Byte.Array[0, 200].Select(b => (byte[])[.. "RIFF"u8, .. b]).Sample(file =>
        {
            try
            {
                WavDecoder.Decode(file, "random.wav");
            }
            catch (AudioFormatException)
            {
            }
        }, iter: 20_000, threads: 1);
    }
}
