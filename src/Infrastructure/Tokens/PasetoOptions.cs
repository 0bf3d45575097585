namespace Paseto.Auth.Infrastructure.Tokens;

/// <summary>The <c>Paseto</c> settings section.</summary>
public sealed class PasetoOptions
{
    public const string Section = "Paseto";

    /// <summary><c>local</c> (default) or <c>public</c>.</summary>
    public string Purpose { get; set; } = "local";

    /// <summary>PASERK keys, newest first: key 0 encrypts or signs, all of them verify.</summary>
    public string[] Keys { get; set; } = [];

    public string Issuer { get; set; } = "paseto-auth";

    public string Audience { get; set; } = "paseto-auth";
}
