namespace Paseto.Auth.Verifier;

/// <summary>Default values of the Paseto.Auth authentication scheme.</summary>
public static class PasetoAuthDefaults
{
    /// <summary>
    /// The default scheme name, <c>Bearer</c>: the tokens arrive as
    /// <c>Authorization: Bearer &lt;token&gt;</c> (RFC 6750), and an API usually has one bearer scheme.
    /// </summary>
    public const string AuthenticationScheme = "Bearer";

    /// <summary>The issuer (<c>iss</c>) the service writes unless its <c>Paseto:Issuer</c> is changed.</summary>
    public const string Issuer = "paseto-auth";
}
