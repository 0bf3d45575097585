using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In-process: the out-of-process toolchain looks for a project file named after the assembly,
// and the assembly is Paseto.Auth.Benchmarks (the name Infrastructure grants internals to).
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());

BenchmarkSwitcher.FromAssembly(typeof(Paseto.Auth.Benchmarks.LocalTokenBenchmarks).Assembly).Run(args, config);
