using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Paseto.Auth.Benchmarks;

/// <summary>The configuration every BenchmarkDotNet project here runs with (linked into each).</summary>
internal static class InProcessBenchmarkConfig
{
    /// <summary>
    /// In-process: the out-of-process toolchain looks for a project file named after the assembly,
    /// and the assemblies are named <c>Paseto.Auth.*</c> (the names the libraries grant internals to).
    /// Min and Median next to Mean: on a shared 2-core machine the mean drifts with other load, the
    /// minimum shows the uncontended cost.
    /// </summary>
    public static IConfig Create() => DefaultConfig.Instance
        .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
        .AddColumn(StatisticColumn.Min, StatisticColumn.Median);
}
