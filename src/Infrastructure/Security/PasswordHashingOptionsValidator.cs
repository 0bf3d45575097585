using System.Text;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Infrastructure.Security;

/// <summary>Refuses to start with settings that would write weak, unverifiable or inconsistent hashes.</summary>
public sealed class PasswordHashingOptionsValidator : IValidateOptions<PasswordHashingOptions>
{
    private readonly bool _normalizationAvailable;

    public PasswordHashingOptionsValidator()
        : this(IsNormalizationAvailable())
    {
    }

    internal PasswordHashingOptionsValidator(bool normalizationAvailable)
    {
        _normalizationAvailable = normalizationAvailable;
    }

    public ValidateOptionsResult Validate(string? name, PasswordHashingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = PasswordHashingOptions.SectionName;

        if (options.Parallelism is < 1 or > Argon2idParameters.MaxParallelism)
        {
            failures.Add($"{Section}:Parallelism must be between 1 and {Argon2idParameters.MaxParallelism}.");
        }

        if (options.Iterations is < 1 or > Argon2idParameters.MaxIterations)
        {
            failures.Add($"{Section}:Iterations must be between 1 and {Argon2idParameters.MaxIterations}.");
        }

        var minMemory = Argon2idParameters.MinMemoryKiBPerLane * Math.Max(1, options.Parallelism);
        if (options.MemoryKiB < minMemory || options.MemoryKiB > Argon2idParameters.MaxMemoryKiB)
        {
            failures.Add($"{Section}:MemoryKiB must be between {minMemory} (8 per lane) and {Argon2idParameters.MaxMemoryKiB} (1 GiB).");
        }

        if (!Enum.IsDefined(options.Engine))
        {
            failures.Add($"{Section}:Engine must be 'auto', 'libsodium', 'managed' or 'simd'.");
        }
        else if (options.Engine == PasswordHashingEngine.Libsodium && options.Parallelism != 1)
        {
            failures.Add($"{Section}:Parallelism must be 1 with the libsodium engine, which computes a single lane; set {Section}:Engine to 'auto', 'simd' or 'managed' for more.");
        }

        // Without ICU (InvariantGlobalization=true) string.Normalize returns its input unchanged, so
        // hashes of non-ASCII passwords would be written un-normalised and stop verifying the day
        // normalisation starts working. Refuse to start rather than store such hashes.
        if (!_normalizationAvailable)
        {
            failures.Add("Passwords are NFKC-normalised before hashing, but Unicode normalisation is unavailable in this process (invariant globalization mode); run with ICU (InvariantGlobalization=false).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Whether <see cref="string.Normalize(NormalizationForm)"/> really normalises here.</summary>
    internal static bool IsNormalizationAvailable() =>
        string.Equals("\uFB01".Normalize(NormalizationForm.FormKC), "fi", StringComparison.Ordinal);
}
