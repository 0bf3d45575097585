using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: the out-of-process toolchain looks for a project file named after the assembly,
// and the assembly is Paseto.Auth.Paseto.Benchmarks (the name the library grants internals to).
// Min and Median next to Mean: on a shared 2-core machine the mean drifts with other load, the
// minimum shows the uncontended cost.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
    .AddColumn(StatisticColumn.Min, StatisticColumn.Median);

BenchmarkSwitcher.FromAssembly(typeof(Paseto.Auth.Paseto.Benchmarks.LocalTokenBenchmarks).Assembly).Run(args, config);
