using System.Runtime.InteropServices;
using QuantumKan.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace QuantumKan.Core.Tests;

public partial class TorchRuntimeTests
{
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getenv(string name);

    [Fact]
    public void Torch_LoadsAndComputes_MatrixProductAndGradient()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2).requires_grad_();
        var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        var c = a.matmul(b);
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
        c.sum().backward();
        // d(sum(A·B))/dA[i,k] = sum_j B[k,j]
        Assert.Equal(new float[] { 11, 15, 11, 15 }, a.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Torch_StftReturnsComplexSpectrum()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var x = ones(64);
        var spec = stft(x, n_fft: 16, hop_length: 16, window: hann_window(16), center: false, return_complex: true);
        Assert.Equal(ScalarType.ComplexFloat32, spec.dtype);
        Assert.Equal(new long[] { 9, 4 }, spec.shape);
    }

    [Fact]
    public void PrepareEnvironment_SetsPassiveWaitPolicyInNativeEnvironment()
    {
        TorchRuntime.PrepareEnvironment();
        var p = getenv("OMP_WAIT_POLICY");
        Assert.NotEqual(IntPtr.Zero, p);
        var value = Marshal.PtrToStringUTF8(p);
        // Either our default, or a value the user set before the process started (which we must keep).
        Assert.Equal(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), value);
        Assert.False(string.IsNullOrEmpty(value));
    }

    [Fact]
    public void SetIntraOpThreads_ChangesTorchThreadCount()
    {
        var before = TorchRuntime.IntraOpThreads;
        try
        {
            TorchRuntime.SetIntraOpThreads(1);
            Assert.Equal(1, TorchRuntime.IntraOpThreads);
        }
        finally
        {
            TorchRuntime.SetIntraOpThreads(before);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetIntraOpThreads(0));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData(null)]
    [InlineData("CPU")]
    public void ResolveDevice_Cpu(string? spec) => Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice(spec).type);

    [Fact]
    public void ResolveDevice_AutoFallsBackToCpuWithoutGpu()
    {
        var d = TorchRuntime.ResolveDevice("auto");
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, d.type);
    }

    [Fact]
    public void ResolveDevice_MissingGpu_ThrowsClearErrorUnlessFallbackAllowed()
    {
        int count = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        var spec = $"cuda:{count}";
        var ex = Assert.Throws<DeviceUnavailableException>(() => TorchRuntime.ResolveDevice(spec));
        Assert.Contains(spec, ex.Message);
        Assert.Equal(DeviceType.CPU, TorchRuntime.ResolveDevice(spec, allowCpuFallback: true).type);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    public void ResolveDevice_RejectsUnknownNames(string spec) =>
        Assert.Throws<ArgumentException>(() => TorchRuntime.ResolveDevice(spec));
}
