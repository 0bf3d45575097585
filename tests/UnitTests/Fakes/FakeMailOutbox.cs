using Paseto.Auth.Application.Abstractions;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class FakeMailOutbox : IMailOutbox
{
    public List<(string Recipient, string Kind)> Queued { get; } = [];

    public void Enqueue(int? userId, string recipient, string kind, string? tokenPurpose, IReadOnlyDictionary<string, string?> values) =>
        Queued.Add((recipient, kind));
}
