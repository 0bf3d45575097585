namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>
/// A body the API cannot bind: not UTF-8, not JSON, too deep, not Unicode text. Answered 400 with
/// <see cref="Errors"/>, whose keys are JSON names already (unlike a validator's property paths).
/// </summary>
internal sealed class InvalidBodyException(string key, string message) : Exception(message)
{
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal) { [key] = [message] };
}
