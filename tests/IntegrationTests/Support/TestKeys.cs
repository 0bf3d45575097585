using Paseto.Auth.Paseto;

namespace Paseto.Auth.IntegrationTests.Support;

/// <summary>Keys made once per run, so every host of the run shares them.</summary>
public static class TestKeys
{
    public static readonly string Local = SymmetricKey.Generate().ToPaserk();
    public static readonly string Secret = AsymmetricSecretKey.Generate().ToPaserk();

    /// <summary>The key second-factor secrets are sealed under (<c>Auth:Mfa:Keys:0</c>).</summary>
    public static readonly string Mfa = SymmetricKey.Generate().ToPaserk();
}
