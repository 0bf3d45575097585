using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.UnitTests.Fakes;

/// <summary>"Hashes" by prefixing; counts the expensive calls.</summary>
internal sealed class CountingHasher(PasswordVerification onMatch = PasswordVerification.Succeeded) : IPasswordHasher
{
    public int Hashes { get; private set; }

    public int Verifies { get; private set; }

    public int Burns { get; private set; }

    public ValueTask<string> HashAsync(string password, CancellationToken ct)
    {
        Hashes++;
        return ValueTask.FromResult("hash:" + password);
    }

    public ValueTask<PasswordVerification> VerifyAsync(string password, string storedHash, CancellationToken ct)
    {
        Verifies++;
        return ValueTask.FromResult(storedHash == "hash:" + password ? onMatch : PasswordVerification.Failed);
    }

    public ValueTask BurnAsync(string password, CancellationToken ct)
    {
        Burns++;
        return ValueTask.CompletedTask;
    }
}
