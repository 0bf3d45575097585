using BenchmarkDotNet.Running;
using Paseto.Auth.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(Paseto.Auth.PasswordHashing.Benchmarks.Argon2idEngineBenchmarks).Assembly).Run(args, InProcessBenchmarkConfig.Create());
