using BenchmarkDotNet.Running;
using Paseto.Auth.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(Paseto.Auth.Paseto.Benchmarks.LocalTokenBenchmarks).Assembly).Run(args, InProcessBenchmarkConfig.Create());
